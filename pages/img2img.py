"""Image to image: pix2pix turns an edge map into a picture; SRGAN turns a 7 x 7 picture into a
28 x 28 one; CycleGAN / DiscoGAN translate between two domains learnt without pairs. The picture
comes from the test set, the canvas or an upload."""

import streamlit as st

from gancore.base.arrays import to_uint8_grid
from gancore.base.i18n import _
from gancore.explore import translate
from ui.common import course, pictures
from ui.explore import model_picker
from ui.img2img import views as views

st.title(_("🔁 Image to image"))
st.markdown(
    _(
        "Every GAN so far drew from noise. These draw from a *picture*. **pix2pix** (Isola et al., 2017) turns an edge map into a picture: its G is a U-Net (skip connections carry where the edges are straight to the output), its D a PatchGAN that looks at (edges, picture) **pairs**, one small patch at a time, and G's loss is D's verdict plus 100 × the L1 distance to the real picture. **SRGAN** (Ledig et al., 2017) enlarges a picture 4×: set beside bicubic interpolation and the same network trained on pixel MSE alone, it scores worse on PSNR and looks sharper. **CycleGAN** (Zhu et al., 2017) and **DiscoGAN** (Kim et al., 2017) learn from two piles of pictures with **no pairs**: two translators, A → B and B → A, each judged by its own D, and a *cycle* that asks for every picture back after the round trip."
    )
)
course.try_this("img2img")
src = model_picker.pick("img2img", ("pix2pix", "srgan", "cyclegan"), default="pix2pix-mnist")
g, cfg = model_picker.generator(src), src.cfg
is_pix2pix = cfg.family == "pix2pix"

left, right = st.columns([2, 3], gap="large")
with left:
    inputs = {"test": _("A test image"), "draw": _("Draw"), "upload": _("Upload a picture")}
    how = st.radio(_("Input"), list(inputs), format_func=inputs.get, horizontal=True, key="img2img.how")
    if how == "test":
        picked = views.test_input(cfg.data)
    elif how == "draw":
        picked = views.drawn_input(outline=is_pix2pix)
    else:
        picked = views.uploaded_input(outline_choice=is_pix2pix)
if picked is None:
    course.conclude("img2img")
    st.stop()
with right:
    if is_pix2pix:
        edges = views.pix2pix_view(g, cfg, picked)
    elif cfg.family == "srgan":
        views.srgan_view(g, cfg, picked)
    else:
        views.cycle_view(g, cfg, picked)

if is_pix2pix:
    st.subheader(_("G's noise: its dropout"))
    st.markdown(
        _(
            "pix2pix has no z. The paper gave G noise through dropout, kept on when sampling, and found that G learns to mostly ignore it. Re-roll the dropout masks and see how much the picture changes."
        )
    )
    c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
    seed = c1.number_input(_("Dropout seed"), 0, 1_000_000, 0, key="img2img.seed")
    rolled, spread = translate.rerolls(g, edges, list(range(int(seed), int(seed) + 8)))
    c2.image(pictures.png(pictures.grid(to_uint8_grid(rolled), cols=8, scale=3)), output_format="PNG",
             caption=_("8 dropout masks: the pictures differ by {spread:.3f} per pixel on average (on a scale of 2)").format(spread=spread))  # fmt: skip
course.conclude("img2img")
