"""Welcome page: the app as a course — nine steps in order, each with the question it answers."""

import streamlit as st

from gancore.base.i18n import _
from ui.common import course, display

st.title(_("🎨 GAN Explorer"))
st.markdown(
    _(
        "Two networks play a game. The **generator** G turns random noise z into images; the **discriminator** D tries to tell them from real ones. Each gets better by exploiting the other's mistakes, until G's samples are hard to tell from the data. Here you can train them live, steer them while they learn, and take apart what they learned."
    )
)
BLURBS = {
    "toy2d": _("Watch a GAN learn d2l's Gaussian in 2D: D's belief as a heatmap, G's pushes as arrows, the optimal D*, and mode collapse on a ring of 8 — with PacGAN as the remedy."),
    "theory": _("The optimal discriminator and the Jensen–Shannon divergence on densities you shape; why G uses the non-saturating loss; why the two players circle (the Dirac-GAN); why WGAN's distance has a useful slope."),
    "blocks": _("What G and D are made of: weight initialisation layer by layer, activations and a dying ReLU, transposed convolution and its checkerboards, dropout, and BatchNorm in training vs at test time."),
    "train": _("Train the course's GANs live — the Keras lecture's MLP, the TensorFlow DCGAN, d2l's 64×64 DCGAN on colour emoji, a conditional GAN, ACGAN, text to digit, InfoGAN — flip the GAN hacks while the losses fight, compare runs, share a watch link with the class."),
    "infogan": _("Slide the category and the two continuous codes of an InfoGAN: unsupervised, they turned into digit, slant and width."),
    "latent": _("Walk between samples (lerp vs slerp), add and subtract concepts like the DCGAN paper, and check that G is not just copying its training set."),
    "conditional": _("Ask for a class; keep the style and change the class; set CGAN beside ACGAN and see what naming the class costs."),
    "text2digit": _("Type “a thick 7 leaning right” and see it drawn; walk from one sentence to another (GAN-CLS, Reed et al. 2016)."),
    "img2img": _("pix2pix (Isola et al. 2017): draw the outline of a digit and watch G fill it in, beside the same network trained on L1 alone. SRGAN (Ledig et al. 2017): enlarge a 7×7 picture 4× beside bicubic and an MSE-trained network. CycleGAN (Zhu et al. 2017): thin ↔ thick digits learnt without pairs, and the round trip back."),
}  # fmt: skip

total = sum(lesson.minutes for lesson in course.PATH)
st.markdown(
    _(
        "**The course path** — {n_steps} steps, about {total} minutes of experiments. Each page opens with three things to try, ends with what to conclude and a link to the next step. Start at step 1, or jump to any question."
    ).format(n_steps=len(course.PATH), total=total)
)
for i, lesson in enumerate(course.PATH, 1):
    text, ckpt = BLURBS[lesson.key], course.SHOWCASE.get(lesson.key)
    with st.container(border=True):
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.page_link(
            lesson.path,
            label=_("**{i}. {title}** — about {minutes} min").format(i=i, title=_(lesson.title), minutes=lesson.minutes),
            icon=lesson.icon,
        )
        left.markdown(f"*{_(lesson.question)}*\n\n{text}")  # one element: every visitor's first page draws nine
        thumb = display.home_thumbnail(ckpt) if ckpt else None
        if thumb is not None:
            right.image(thumb, caption=_("Samples from the shipped {ckpt}").format(ckpt=ckpt), width=300, output_format="PNG")

st.subheader(_("For the teacher"))
with st.container(border=True):
    st.page_link("pages/classroom.py", label=_("**Class view**"), icon="👩‍🏫")
    st.markdown(
        _(
            "Every run on this server as a card — whose it is, its losses and newest samples — redrawn every two seconds. Open it with the teacher key to pin one run for the whole class to watch."
        )
    )
