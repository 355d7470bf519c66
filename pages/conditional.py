"""Conditional GAN: ask for a class, or keep the style and change the class; CGAN beside ACGAN."""

import numpy as np
import streamlit as st

from gancore.base.i18n import _
from gancore.data.images import FASHION_CLASSES
from gancore.explore import conditional, sampling
from ui.common import course, display, pictures
from ui.explore import model_picker

st.title(_("🏷️ Conditional GAN"))
st.markdown(
    _(
        "A conditional GAN gets the label y as an extra input to **both** networks: G learns to draw *that* class, and D learns to reject an image that does not match its label. So you can ask for a class — and because z no longer has to encode the class, it is free to encode the *style*."
    )
)
course.try_this("conditional")
src = model_picker.pick("cond", ("cgan", "acgan"), default="cgan-mnist")
g = model_picker.generator(src)
cfg = src.cfg
class_names = list(FASHION_CLASSES) if src.dataset == "fashion" else [str(k) for k in range(cfg.num_classes)]


def reroll() -> None:
    st.session_state["cond.seed"] = st.session_state.get("cond.seed", 0) + 1


c1, c2, c3, c4 = st.columns([3, 2, 2, 1], vertical_alignment="bottom")
ALL = "*"  # the option "All classes" (class names never hold it)
pick = c1.selectbox(_("Class"), [ALL, *class_names], format_func=lambda c: _("All classes") if c == ALL else c, key="cond.class")
cols = c2.slider(_("Samples per row"), 4, 12, 8, key="cond.cols")
seed = c3.number_input(_("Noise seed (z)"), 0, 1_000_000, 0, key="cond.seed")
c4.button("🎲", on_click=reroll, key="cond.reroll", help=_("Re-roll z"), width="stretch")
psi = display.truncation_slider(
    "cond.psi",
    _("G draws nearer its likeliest inputs — cleaner samples, less variety. Watch the comparison's variety fall as you lower it."),
)

if pick == ALL:
    classes, n_rows = list(range(cfg.num_classes)), cfg.num_classes
    caption = _("One row per class; each column keeps the same z — the style stays, the class changes (the CGAN paper's Figure 2).")
else:
    k = class_names.index(pick)
    classes, n_rows = [k] * 4, 4
    caption = _("{value} samples of class {pick!r}, each with its own z.").format(value=4 * cols, pick=pick)
z, y = sampling.class_rows(cfg, classes, cols, int(seed), src.hacks.z_dist, psi)
if pick != ALL:
    z = sampling.noise(cfg, len(y), int(seed), src.hacks.z_dist, psi)
images = sampling.render(g, z, y)
labels = [class_names[c][:11] for c in classes]
grid_png = pictures.png(pictures.with_row_labels(images, cols, labels, scale=3))
st.image(grid_png, caption=caption, output_format="PNG")
st.download_button(_("Download this grid (PNG)"), grid_png, f"{src.label}-classes-seed{int(seed)}.png", "image/png", key="cond.png")

votes = sampling.class_votes(g, cfg, src.dataset, z, y)
if votes is not None:
    agree = float(np.mean(votes == y.numpy()))
    st.metric(
        _("Classifier agrees with the requested class"), f"{agree:.0%}", help=_("The project's own classifier, on these exact samples")
    )
    wrong = [(class_names[int(a)], class_names[int(b)]) for a, b in zip(y.numpy(), votes, strict=True) if a != b]
    if wrong:
        st.caption(_("Mistaken for another class: ") + ", ".join(f"{a}→{b}" for a, b in wrong[:8]) + ("…" if len(wrong) > 8 else ""))
else:
    st.caption(_("The agreement check needs the shipped classifier for this dataset."))
st.page_link("pages/text2digit.py", label=_("Beyond a label: ask for a digit in words"), icon="✍️")

st.subheader(_("CGAN or ACGAN? The same z, the same class"))
st.markdown(
    _(
        "Two ways to tell G the class. **CGAN** gives the label to D as well, and D asks *does this image match its label?* **ACGAN** (Odena et al. 2017) hides the label from D and makes it *name* the class with a second head; both players are rewarded when D names the asked class. ACGAN's samples become easy to recognise — and the price is variety: G learns the few drawings of each class that D is surest about."
    )
)
left, right = st.columns(2)
with left:
    cg = model_picker.pick("cond.cgan", ("cgan",), default=f"cgan-{src.dataset}")
with right:
    ac = model_picker.pick("cond.acgan", ("acgan",), default=f"acgan-{src.dataset}")
if cg.dataset != ac.dataset or cg.cfg.num_classes != ac.cfg.num_classes:
    st.warning(
        _("These two were trained on different data ({dataset} and {dataset2}): pick two of the same.").format(
            dataset=cg.dataset, dataset2=ac.dataset
        ),
        icon="🔀",
    )
    course.conclude("conditional")
    st.stop()
names = list(FASHION_CLASSES) if cg.dataset == "fashion" else [str(k) for k in range(cg.cfg.num_classes)]
c1, c2, c3 = st.columns(3)
k = names.index(c1.selectbox(_("Class to compare"), names, key="cond.cmp.class"))
n = c2.slider(_("Samples each"), 8, 64, 32, step=8, key="cond.cmp.n")
cmp_seed = int(c3.number_input(_("Noise seed"), 0, 1_000_000, 0, key="cond.cmp.seed"))
real = conditional.real_diversity(cg.dataset, k)
for col, s_ in zip(st.columns(2), (cg, ac), strict=True):
    res = conditional.column(
        model_picker.generator(s_), model_picker.discriminator(s_), s_.cfg, s_.dataset, k, n, cmp_seed, s_.hacks.z_dist, psi
    )
    with col:
        col_png = pictures.png(pictures.grid(res.images, cols=8, scale=2))
        st.image(col_png, caption=f"{s_.label}: {n} × {names[k]!r}")
        st.download_button(_("PNG"), col_png, f"{s_.label}-{names[k]}-psi{psi:g}.png", "image/png", key=f"cond.cmp.png.{s_.cfg.family}")
        m1, m3 = st.columns(2)  # three to a half-page column were cut at 1024 px: two, then Variety under them
        m2 = st.container()
        m1.metric(
            _("Classifier agrees"),
            "–" if res.agreement is None else f"{res.agreement:.0%}",
            help=_("Our own classifier names the asked class"),
        )
        m2.metric(
            _("Variety"), "–" if res.diversity is None else f"{res.diversity:.1f}",
            None if res.diversity is None or real is None else _("{value:+.1f} vs real").format(value=res.diversity - real),
            delta_color="off", help=_("Mean distance between two of these samples in the classifier's feature space; real test images of this class score ")
            + ("–" if real is None else f"{real:.1f}"),
        )  # fmt: skip
        m3.metric(
            _("Its D agrees"), "–" if res.aux_agreement is None else f"{res.aux_agreement:.0%}",
            help=_("ACGAN's discriminator names a class itself (its auxiliary head); CGAN's D only judges real or fake"),
        )  # fmt: skip
st.caption(
    _(
        "What to look for: ACGAN's samples sit where its D's class head is surest, so they tend to be recognised more often and to vary less. The gap is wide on Fashion-MNIST (pick cgan-fashion at the top of the page) and small on MNIST, where both are close to real data; checkpoints/README.md has both measured on 2,000 samples. Its own D agreeing more than our classifier means G learned to please that one judge."
    )
)
course.conclude("conditional")
