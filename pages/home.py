"""Welcome page: what each page teaches, with a glimpse of a shipped model."""

import streamlit as st

from ui import render

st.title("🎨 GAN Explorer")
st.markdown(
    """
Two networks play a game. The **generator** G turns random noise z into images; the
**discriminator** D tries to tell them from real ones. Each gets better by exploiting the
other's mistakes, until G's samples are hard to tell from the data.

| Page | What you learn there |
|---|---|
| **🏋️ Training Lab** | Train the course's GANs live — the Keras lecture's MLP, the TensorFlow DCGAN, d2l's 64×64 DCGAN, a conditional GAN, InfoGAN — and flip the "GAN hacks" (non-saturating loss, label smoothing, noisy labels, instance noise, LeakyReLU, Adam β1 = 0.5…) while the losses fight. Share a watch link with the class. |
"""
)
thumb = render.shipped_thumbnail("mlp-mnist")
if thumb is not None:
    st.image(thumb, caption="Samples from the shipped MLP GAN (the lecture's network), trained on this machine's CPU", width=360)
st.page_link("pages/train.py", label="Open the Training Lab", icon="🏋️")
