"""Conditional GAN: ask for a class, or keep the style and change the class."""

import numpy as np
import streamlit as st

from gancore import explore
from gancore.data import FASHION_CLASSES
from ui import pictures, source

st.title("🏷️ Conditional GAN")
st.markdown(
    "A conditional GAN gets the label y as an extra input to **both** networks: G learns to draw *that* class, and D "
    "learns to reject an image that does not match its label. So you can ask for a class — and because z no longer "
    "has to encode the class, it is free to encode the *style*."
)
src = source.pick("cond", ("cgan",), default="cgan-mnist")
g = source.generator(src)
cfg = src.cfg
class_names = list(FASHION_CLASSES) if src.dataset == "fashion" else [str(k) for k in range(cfg.num_classes)]


def reroll() -> None:
    st.session_state["cond.seed"] = st.session_state.get("cond.seed", 0) + 1


c1, c2, c3, c4 = st.columns([3, 2, 2, 1], vertical_alignment="bottom")
pick = c1.selectbox("Class", ["All classes", *class_names], key="cond.class")
cols = c2.slider("Samples per row", 4, 12, 8, key="cond.cols")
seed = c3.number_input("Noise seed (z)", 0, 1_000_000, 0, key="cond.seed")
c4.button("🎲", on_click=reroll, key="cond.reroll", help="Re-roll z", width="stretch")

if pick == "All classes":
    classes, n_rows = list(range(cfg.num_classes)), cfg.num_classes
    caption = "One row per class; each column keeps the same z — the style stays, the class changes (the CGAN paper's Figure 2)."
else:
    k = class_names.index(pick)
    classes, n_rows = [k] * 4, 4
    caption = f"{4 * cols} samples of class {pick!r}, each with its own z."
z, y = explore.class_rows(cfg, classes, cols, int(seed), src.hacks.z_dist)
if pick != "All classes":
    z = explore.noise(cfg, len(y), int(seed), src.hacks.z_dist)
images = explore.render(g, z, y)
labels = [class_names[c][:11] for c in classes]
st.image(pictures.png(pictures.with_row_labels(images, cols, labels, scale=3)), caption=caption, output_format="PNG")

votes = explore.class_votes(g, cfg, src.dataset, z, y)
if votes is not None:
    agree = float(np.mean(votes == y.numpy()))
    st.metric("Classifier agrees with the requested class", f"{agree:.0%}", help="The project's own classifier, on these exact samples")
    wrong = [(class_names[int(a)], class_names[int(b)]) for a, b in zip(y.numpy(), votes, strict=True) if a != b]
    if wrong:
        st.caption("Mistaken for another class: " + ", ".join(f"{a}→{b}" for a, b in wrong[:8]) + ("…" if len(wrong) > 8 else ""))
else:
    st.caption("The agreement check needs the shipped classifier for this dataset.")
