"""InfoGAN: slide the latent codes and see what each one learned to mean, without labels."""

import streamlit as st

from gancore.base.i18n import _
from gancore.explore import sampling
from ui.common import course, display, pictures
from ui.explore import drag_slider, infogan_views, model_picker

st.title(_("🎛️ InfoGAN codes"))
st.markdown(
    _(
        "InfoGAN adds codes to G's input — a 10-way category **c1** and two continuous codes **c2, c3** — and a head Q on D that must guess them back from the image. Maximising that mutual information makes the codes *mean* something: nobody tells the model about digits, slant or stroke width, yet that is what they become."
    )
)
course.try_this("infogan")
src = model_picker.pick("info", ("infogan",), default=infogan_views.SHIPPED)
g = model_picker.generator(src)
cfg = src.cfg
opening = infogan_views.OPENING  # the controls' first values: what the server computed as it started


def reroll() -> None:
    st.session_state["info.seed"] = st.session_state.get("info.seed", infogan_views.OPENING["seed"]) + 1


means = infogan_views.meaning(src)
names = [
    f"c1 = {k}" + (_(" (looks like {value}, {value2:.0%})").format(value=means[k][0], value2=means[k][1]) if means else "")
    for k in range(cfg.n_cat)
]
left, right = st.columns([2, 3])
with left:
    cat = st.selectbox(_("Category c1"), range(cfg.n_cat), index=opening["cat"], format_func=lambda k: names[k], key="info.cat")
    c2 = st.slider(_("Continuous code c2"), -2.0, 2.0, opening["c2"], 0.1, key="info.c2")
    c3 = st.slider(_("Continuous code c3"), -2.0, 2.0, opening["c3"], 0.1, key="info.c3")
    st.caption(_("Training drew c2 and c3 from U(−1, 1); the paper slides them to ±2 to show the codes extrapolate beyond it."))
    s1, s2 = st.columns([3, 1], vertical_alignment="bottom")  # the die alone: a label would be cut in a narrow column
    seed = s1.number_input(_("Noise seed (z)"), 0, 1_000_000, opening["seed"], key="info.seed")
    s2.button("🎲", on_click=reroll, key="info.reroll", help=_("Re-roll z"), width="stretch")
with right:
    z = sampling.infogan_inputs(cfg, cat, (c2, c3), 16, int(seed), src.hacks.z_dist)
    display.sharp(
        pictures.grid(sampling.render(g, z), cols=8, scale=1),
        caption=_("16 noise vectors z, all with c1 = {cat}, c2 = {c2:+.1f}, c3 = {c3:+.1f}").format(cat=cat, c2=c2, c3=c3),
    )
    if means is None:
        st.caption(_("Which digit each category means needs the shipped classifier for this dataset."))
    else:
        ok, verdict = sampling.category_verdict(means)
        st.caption(("✅ " if ok else "⚠️ ") + verdict)

st.subheader(_("Drag to scrub c2 (the picture follows the thumb)"))
values = infogan_views.SCRUB_VALUES
frames = infogan_views.scrub_frames(src.key, cat, c3, int(seed), g, cfg, src.hacks.z_dist)
at = min(range(len(values)), key=lambda i: abs(values[i] - c2))  # starts where the c2 slider above is
drag_slider.scrub(frames, values, f"c2 (c1 = {cat}, c3 = {c3:+.1f})", height=150, start=at)
st.caption(_("Every position is rendered once on the server; the browser swaps the pictures as you drag."))
st.download_button(
    _("This sweep as a GIF (c2 in each frame)"), lambda: pictures.gif_of_pngs([(f"c2 = {v:+.1f}", f) for v, f in zip(values, frames, strict=True)], ms=100, scale=3),
    f"{src.label}-c2-sweep-c1_{cat}.gif", "image/gif", key="info.gif", on_click="ignore",
)  # fmt: skip

st.subheader(_("Traversals (the paper's Figure 2)"))
st.caption(
    _("Rows: the 10 categories. Columns: one continuous code from −2 to 2, the other held at its slider value. The same z everywhere.")
)
cols = st.columns(2)
labels = infogan_views.category_labels(means, cfg.n_cat)
for code, (col, other) in enumerate(zip(cols, infogan_views.traversal_bases(c2, c3), strict=True)):
    grid_png = infogan_views.traversal(src.key, code, other, int(seed), labels, g, cfg)
    col.image(grid_png, caption=_("c{value} from −2 (left) to 2 (right)").format(value=code + 2), output_format="PNG")
    col.download_button(
        _("PNG"), grid_png, f"{src.label}-traversal-c{code + 2}.png", "image/png", key=f"info.png.{code}", on_click="ignore"
    )
st.caption(
    _(
        "On MNIST one code usually turns into slant and the other into stroke width — compare with the checkpoint's ρ values in `checkpoints/README.md`."
    )
)
course.conclude("infogan")
