"""GAN Explorer: train GANs live and explore what they learned. Run: streamlit run app.py"""

import streamlit as st

from ui.state import sidebar

st.set_page_config(page_title="GAN Explorer", page_icon="🎨", layout="wide")

pages = {
    "Home": [st.Page("pages/home.py", title="Welcome", icon="🏠", default=True)],
    "Train": [st.Page("pages/train.py", title="Training Lab", icon="🏋️", url_path="train")],
    "Explore": [
        st.Page("pages/infogan.py", title="InfoGAN codes", icon="🎛️", url_path="infogan"),
        st.Page("pages/latent.py", title="Latent space", icon="🧭", url_path="latent"),
        st.Page("pages/conditional.py", title="Conditional GAN", icon="🏷️", url_path="conditional"),
    ],
    "Learn": [st.Page("pages/toy2d.py", title="2D toy GAN lab", icon="🎯", url_path="toy2d")],
}
nav = st.navigation(pages)
sidebar()
nav.run()
