"""Welcome page: the app's three sections — Learn, Train, Explore — with what each page teaches."""

import streamlit as st

from ui import render

st.title("🎨 GAN Explorer")
st.markdown(
    "Two networks play a game. The **generator** G turns random noise z into images; the **discriminator** D tries "
    "to tell them from real ones. Each gets better by exploiting the other's mistakes, until G's samples are hard to "
    "tell from the data. Here you can train them live, steer them while they learn, and take apart what they learned."
)
SECTIONS = {
    "Learn — how a GAN works, one idea at a time": [
        ("pages/toy2d.py", "🎯", "2D toy GAN lab", None,
         "Watch a GAN learn d2l's Gaussian in 2D: D's belief as a heatmap, G's pushes as arrows, the optimal D*, and mode "
         "collapse on a ring of 8 — with PacGAN as the remedy."),
        ("pages/theory.py", "📐", "GAN theory", None,
         "The optimal discriminator and the Jensen–Shannon divergence on densities you shape; why G uses the "
         "non-saturating loss; why the two players circle (the Dirac-GAN); why WGAN's distance has a useful slope."),
        ("pages/blocks.py", "🧱", "Building blocks", None,
         "What G and D are made of: weight initialisation layer by layer, activations and a dying ReLU, transposed "
         "convolution and its checkerboards, dropout, and BatchNorm in training vs at test time."),
    ],
    "Train — a real GAN, live": [
        ("pages/train.py", "🏋️", "Training Lab", "mlp-mnist",
         "Train the course's GANs live — the Keras lecture's MLP, the TensorFlow DCGAN, d2l's 64×64 DCGAN, a conditional "
         "GAN, ACGAN, text to digit, InfoGAN — flip the GAN hacks while the losses fight, compare runs, share a watch link with the class."),
    ],
    "Explore — what trained GANs learned": [
        ("pages/infogan.py", "🎛️", "InfoGAN codes", "infogan-mnist",
         "Slide the category and the two continuous codes of an InfoGAN: unsupervised, they turned into digit, slant and width."),
        ("pages/latent.py", "🧭", "Latent space", "dcgan-mnist",
         "Walk between samples (lerp vs slerp), add and subtract concepts like the DCGAN paper, and check that G is not "
         "just copying its training set."),
        ("pages/conditional.py", "🏷️", "Conditional GAN", "cgan-mnist",
         "Ask for a class; keep the style and change the class; set CGAN beside ACGAN and see what naming the class costs."),
        ("pages/text2digit.py", "✍️", "Text to digit", "text2digit-mnist",
         "Type “a thick 7 leaning right” and see it drawn; walk from one sentence to another (GAN-CLS, Reed et al. 2016)."),
    ],
}  # fmt: skip

for section, cards in SECTIONS.items():
    st.subheader(section)
    for path, icon, title, ckpt, text in cards:
        with st.container(border=True):
            left, right = st.columns([3, 2], vertical_alignment="center")
            left.page_link(path, label=f"**{title}**", icon=icon)
            left.markdown(text)
            thumb = render.shipped_thumbnail(ckpt, n=16) if ckpt else None
            if thumb is not None:
                right.image(thumb, caption=f"Samples from the shipped {ckpt}", width=300, output_format="PNG")
