"""GAN Explorer: train GANs live and explore what they learned. Run: bash scripts/app.sh
(scripts/serve.py: `streamlit run app.py` with the pages/ folder convention turned off first)."""

import streamlit as st

from gancore.base.i18n import N_, _
from ui.common import language
from ui.common.state import sidebar, warm_shipped
from ui.train.cost_view import warm_default_cost

language.choose()  # before the first string: the URL's ?lang=, the session's, the cookie's or the server's
st.set_page_config(page_title=_("GAN Explorer"), page_icon="🎨", layout="wide")

pages = {
    N_("Home"): [st.Page("pages/home.py", title=_("Welcome"), icon="🏠", default=True)],
    N_("Learn"): [
        st.Page("pages/toy2d.py", title=_("2D toy GAN lab"), icon="🎯", url_path="toy2d"),
        st.Page("pages/theory.py", title=_("GAN theory"), icon="📐", url_path="theory"),
        st.Page("pages/blocks.py", title=_("Building blocks"), icon="🧱", url_path="blocks"),
    ],
    N_("Train"): [
        train := st.Page("pages/train.py", title=_("Training Lab"), icon="🏋️", url_path="train"),
        classroom := st.Page("pages/classroom.py", title=_("Class view"), icon="👩‍🏫", url_path="classroom"),
    ],
    N_("Explore"): [
        st.Page("pages/infogan.py", title=_("InfoGAN codes"), icon="🎛️", url_path="infogan"),
        st.Page("pages/latent.py", title=_("Latent space"), icon="🧭", url_path="latent"),
        st.Page("pages/conditional.py", title=_("Conditional GAN"), icon="🏷️", url_path="conditional"),
        st.Page("pages/text2digit.py", title=_("Text to digit"), icon="✍️", url_path="text"),
        st.Page("pages/img2img.py", title=_("Image to image"), icon="🔁", url_path="img2img"),
    ],
}
# Our own links in the sidebar instead of Streamlit's menu: while a page's first run is still
# going, Streamlit shows a raw list of the files in pages/ (every page here loads models), and
# its menu is redrawn by fragment reruns. Links drawn by the script itself are there at once.
nav = st.navigation(pages, position="hidden")
if nav.url_path == "" and st.query_params.get("run"):
    # Watch links point at the root (/?run=<id>), which opens the Training Lab watching that run.
    st.switch_page(train, query_params={"run": st.query_params["run"]})
if nav.url_path == "" and st.query_params.get("teacher"):  # the teacher's link, /?teacher=<key>, for the same reason
    st.switch_page(classroom, query_params={"teacher": st.query_params["teacher"]})
sidebar(pages)
warm_shipped()  # once per server, in the background
warm_default_cost()  # the Training Lab's cost line for its default preset, likewise
nav.run()
