"""Image to image: give pix2pix an edge map (a test image's, one you draw, or an upload) and see
the picture it draws; re-roll its dropout noise; set it beside the model trained on L1 alone."""

from pathlib import Path

import streamlit as st
from streamlit_drawable_canvas import st_canvas

from gancore import explore, pairs, translate
from gancore.data import FASHION_CLASSES
from gancore.models.pix2pix import Objective
from gancore.snapshot import to_uint8_grid
from ui import course, pictures, source, state

st.title("🔁 Image to image")
st.markdown(
    "Every GAN so far drew from noise. **pix2pix** (Isola et al., 2017) draws from a *picture*: here an edge map. "
    "Its G is a U-Net (skip connections carry where the edges are straight to the output); its D is a PatchGAN "
    "that looks at (edges, picture) **pairs**, one small patch at a time. G's loss is D's verdict plus "
    "100 × the L1 distance to the real picture: L1 gets the shape right, D keeps the strokes sharp."
)
course.try_this("img2img")
src = source.pick("img2img", ("pix2pix",), default="pix2pix-mnist")
g = source.generator(src)
data = src.cfg.data
names = FASHION_CLASSES if data == "shoes" else tuple(map(str, range(10)))


@st.cache_resource(max_entries=2, show_spinner=False)
def l1_model(path: str, mtime: float):
    """A companion trained on L1 alone, for the side-by-side (built once per file)."""
    ck = state.load_checkpoint(path, mtime)
    return ck.name, explore.generator_from_state(ck.model_cfg, ck.sampling_g, ck.train_cfg.hacks)


def companion():
    """The same U-Net trained on L1 alone for this data (pix2pix-mnist-l1, pix2pix-shoes-l1), if shipped or saved."""
    if src.cfg.objective is Objective.L1:
        return None
    path = next((p for p in state.checkpoint_choices().values() if Path(p).stem == f"pix2pix-{data}-l1"), None)
    return None if path is None else l1_model(path, Path(path).stat().st_mtime)


def big(x) -> bytes:
    return pictures.png(pictures.grid(to_uint8_grid(x), cols=1, scale=6))


def next_test() -> None:
    st.session_state["img2img.index"] = (st.session_state.get("img2img.index", 0) + 1) % pairs.test_count(data)


def test_input():
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    last = pairs.test_count(data) - 1
    index = c1.number_input(f"Test image (0–{last:,}; never seen in training)", 0, last, 0, key="img2img.index")
    c2.button("Next ▶", on_click=next_test, key="img2img.next", width="stretch")
    pair = translate.test_source(data, int(index))
    return pair["y"], pair["target"], f"test image {int(index)}: {names[int(pair['labels'][0])]}"


def drawn_input():
    st.caption("Draw the **outline** of a digit in white (the training inputs are outlines, not strokes); it is shrunk to 28 × 28.")
    drawn = st_canvas(
        stroke_width=14, stroke_color="#ffffff", background_color="#000000", height=280, width=280,
        drawing_mode="freedraw", return_image_data=True, key="img2img.canvas",
    )  # fmt: skip
    edges = translate.from_drawing(drawn.image_data)
    if edges is None:
        st.info("The canvas is empty: draw an outline with the mouse (or a finger) and G answers when you let go.", icon="✏️")
        return None
    return edges, None, "your drawing"


def uploaded_input():
    kinds = ["a picture: take its edges", "an edge drawing"]
    upload = st.file_uploader(
        "A picture (PNG, JPEG, GIF, BMP or WebP, up to 5 MB)", type=["png", "jpg", "jpeg", "gif", "bmp", "webp"], key="img2img.upload"
    )
    kind = st.radio("It is", kinds, horizontal=True, key="img2img.kind")
    if upload is None:
        st.info("Upload a photo or a drawing of a digit or a shoe; dark ink on white paper is inverted to match the data.", icon="📤")
        return None
    try:
        return translate.from_upload(upload.getvalue(), kind == kinds[1], data), None, upload.name
    except translate.PictureError as exc:
        st.error(f"Cannot use {upload.name}: {exc}", icon="⚠️")
        return None


INPUTS = {"A test image": test_input, "Draw edges": drawn_input, "Upload a picture": uploaded_input}
left, right = st.columns([2, 3], gap="large")
with left:
    how = st.radio("Input", list(INPUTS), horizontal=True, key="img2img.how")
    picked = INPUTS[how]()
if picked is None:
    course.conclude("img2img")
    st.stop()
edges, target, caption = picked
out, other = translate.translate(g, edges), companion()
shown = [(edges, f"Input: edges of {caption}"), (out, "pix2pix (dropout off)")]
if target is not None:
    shown.append((target, "The real picture"))
if other is not None:
    shown.append((blur := translate.translate(other[1], edges), "Trained on L1 alone"))
with right:
    for col, (x, label) in zip(st.columns(len(shown)), shown, strict=True):
        col.image(big(x), caption=label, output_format="PNG", width="stretch")
    if target is not None:
        alone = f" · L1 alone {float((blur - target).abs().mean()):.3f}" if other is not None else ""
        st.caption(f"L1 distance to the real picture (per pixel, on a scale of 2): pix2pix {float((out - target).abs().mean()):.3f}{alone}")

st.subheader("G's noise: its dropout")
st.markdown(
    "pix2pix has no z. The paper gave G noise through dropout, kept on when sampling, and found that G learns "
    "to mostly ignore it. Re-roll the dropout masks and see how much the picture changes."
)
c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
seed = c1.number_input("Dropout seed", 0, 1_000_000, 0, key="img2img.seed")
rolled, spread = translate.rerolls(g, edges, list(range(int(seed), int(seed) + 8)))
c2.image(pictures.png(pictures.grid(to_uint8_grid(rolled), cols=8, scale=3)), output_format="PNG",
         caption=f"8 dropout masks: the pictures differ by {spread:.3f} per pixel on average (on a scale of 2)")  # fmt: skip
course.conclude("img2img")
