"""Walk the latent space: interpolation, vector arithmetic, and a memorisation check."""

import streamlit as st
import torch

from gancore.base.arrays import to_uint8_grid
from gancore.base.i18n import N_, _
from gancore.explore import sampling
from ui.common import course, display, pictures
from ui.explore import model_picker

st.title(_("🧭 Latent space"))
st.markdown(
    _(
        "Is G just memorising its training set? The course's answer is to **walk the latent space**: if a short step in z gives a small, sensible change in the image — and averages of z's can be added and subtracted like concepts — G has learned a smooth map, not a lookup table."
    )
)
course.try_this("latent")
src = model_picker.pick("lat", ("mlp", "dcgan", "cgan", "acgan", "infogan", "dcgan64"), default="dcgan-mnist")
g = model_picker.generator(src)
cfg = src.cfg
N_CAND = 16
# A - B + C leaning further right than C's own candidates, measured over seeds 0-19 (A, B: 7s; C: 1s)
TRANSFER = {
    "cgan": _("on the shipped cgan-mnist it did for 20 of 20 seeds, 7s to 1s"),
    "acgan": _(
        "on the shipped acgan-mnist only 3 of 20 seeds, 7s to 1s, yet 20 of 20 when C is a 7 too: its z does not carry slant the same way in every class"
    ),
}


def reroll() -> None:
    st.session_state["lat.seed"] = st.session_state.get("lat.seed", 0) + 1


c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
seed = c1.number_input(_("Seed of the 16 candidates below"), 0, 1_000_000, 0, key="lat.seed")
c2.button(_("🎲 Re-roll"), on_click=reroll, key="lat.reroll", width="stretch")
psi = display.truncation_slider("lat.psi", _("the candidates grow cleaner and more alike, and so does everything made from them."))
cand = sampling.candidates(cfg, N_CAND, int(seed), src.hacks.z_dist, psi)
z, y = cand["z"], cand.get("y")
st.image(
    pictures.png(pictures.numbered(sampling.render(g, z, y), cols=N_CAND, scale=2)),
    caption=_("Candidates, numbered: pick them by number below"),
    output_format="PNG",
)
if cfg.family == "infogan":
    st.caption(_("For InfoGAN, z here is the whole input: noise, the one-hot category and the two codes."))

# One view at a time (not tabs): the memorisation check loads the training set, which only
# that view needs.
VIEWS = [_("↔️ Interpolation"), _("➕ Vector arithmetic"), _("🔍 Memorisation check")]
view = st.segmented_control(_("View"), VIEWS, default=VIEWS[0], key="lat.view", label_visibility="collapsed") or VIEWS[0]
if view == VIEWS[0]:
    a1, a2, a3, a4 = st.columns(4)
    ia = a1.selectbox(_("From"), range(N_CAND), 0, key="lat.a")
    ib = a2.selectbox(_("To"), range(N_CAND), 1, key="lat.b")
    steps = a3.slider(_("Steps"), 3, 16, 10, key="lat.steps")
    paths = {"slerp": _("slerp (sphere)"), "lerp": _("lerp (line)")}  # the lectures' names, and what each follows
    method = a4.radio(
        _("Path"),
        list(paths),
        format_func=paths.get,
        horizontal=True,
        key="lat.method",
        help=_("slerp follows the sphere where Gaussian z's live; lerp's midpoint has a smaller norm than typical z's"),
    )
    path = sampling.strip(z[ia], z[ib], steps, method)
    ys = None if y is None else y[ia].repeat(steps)
    frames = sampling.render(g, path, ys)
    display.sharp(
        pictures.grid(frames, cols=steps),
        caption=_("{steps} steps from #{ia} to #{ib} by {method}").format(steps=steps, ia=ia, ib=ib, method=method),
    )
    if y is not None:
        st.caption(_("The conditional G keeps the label of #{ia} ({value}) along the path; only z moves.").format(ia=ia, value=int(y[ia])))
    norms = path.norm(dim=1)
    st.caption(
        _("‖z‖ along the path: {value:.2f} → {value2:.2f} (middle) → {value3:.2f}. Typical ‖z‖ ≈ √{value4} = {value5:.2f}.").format(
            value=norms[0], value2=norms[steps // 2], value3=norms[-1], value4=z.shape[1], value5=z.shape[1] ** 0.5
        )
    )
    ts = [f"t = {i / (steps - 1):.2f}" for i in range(steps)]
    st.download_button(
        _("Animated GIF of this walk (t in each frame)"), lambda: pictures.gif(frames, labels=ts), f"interpolation-{ia}-{ib}-{method}.gif",
        "image/gif", key="lat.gif", on_click="ignore",
    )  # fmt: skip
    st.download_button(_("The strip (PNG)"), pictures.png(pictures.grid(frames, cols=steps, scale=3)), f"interpolation-{ia}-{ib}-{method}.png",
                       "image/png", key="lat.strip", on_click="ignore")  # fmt: skip

elif view == VIEWS[1]:
    st.caption(
        _(
            "As in the DCGAN paper: each group is the mean of the z's you pick (averaging makes a concept stable); the result is A − B + C, then a few neighbours with a little noise."
        )
    )
    klass = None  # a conditional model: the class each group is drawn as (its z holds only the style)
    if y is not None:
        names = list(range(cfg.num_classes))
        k1, k2, k3 = st.columns(3)
        klass = (
            k1.selectbox(_("A drawn as class"), names, 7 % cfg.num_classes, key="lat.ka"),
            k2.selectbox(_("B drawn as class"), names, 7 % cfg.num_classes, key="lat.kb"),
            k3.selectbox(_("C drawn as class"), names, 1, key="lat.kc"),
        )
    if cfg.image_shape[0] == 1:

        def by_slant() -> None:
            if klass is None:
                ga, gb, gc, _rest = sampling.slant_groups(sampling.images(g, z, y))
            else:  # measured as A's class: A and B are then one digit that differs in slant alone
                ga, gb, gc, _rest = sampling.class_slant_groups(g, z, int(st.session_state.get("lat.ka", klass[0])))
            st.session_state.update({"lat.ga": ga, "lat.gb": gb, "lat.gc": gc, "lat.meaning": (int(seed), ga, gb, gc)})

        if "lat.ga" not in st.session_state:  # open on groups that mean something, not on #0-#8
            by_slant()
        st.button(
            _("Choose the groups by slant"), on_click=by_slant, key="lat.byslant", help=_("Measured from each candidate's image moments")
        )
        if st.session_state.get("lat.meaning") == (int(seed), *(st.session_state.get(f"lat.g{x}") for x in "abc")):
            st.caption(
                _(
                    "A: the three candidates leaning furthest right; B: the three most upright (or left-leaning); C: the next three most upright. A − B is a “lean right” direction: A − B + C should lean further right than C's candidates "
                )
                + (
                    _("(on the shipped dcgan-mnist it did for 20 of 20 seeds). Averaging different digits blends their shapes too.")
                    if klass is None
                    else _(
                        "({get}). The class is the label's job here: A and B are measured drawn as A's class, so A − B is slant alone, and the result is drawn as C's class."
                    ).format(get=_(TRANSFER.get(cfg.family, N_("measured on the shipped models"))))
                )
            )
    st.caption(
        _(
            "To choose groups yourself: let A and B differ in one thing only (slanted vs upright, thick vs thin) and let C share B's side of it; then A − B is that one thing, added to C."
        )
        + ("" if klass is None else _(" A conditional G takes the class as its label, so give A and B the same class."))
    )
    g1, g2, g3 = st.columns(3)
    ga = g1.multiselect(_("Group A"), range(N_CAND), [0, 1, 2], key="lat.ga")
    gb = g2.multiselect(_("Group B"), range(N_CAND), [3, 4, 5], key="lat.gb")
    gc = g3.multiselect(_("Group C"), range(N_CAND), [6, 7, 8], key="lat.gc")
    for i, (col, name, members) in enumerate(((g1, "A", ga), (g2, "B", gb), (g3, "C", gc))):
        if members:  # the group's own candidates, so "A − B + C" is read against what went in
            labels = None if klass is None else torch.full((len(members),), klass[i], dtype=torch.long)
            with col:
                display.sharp(
                    pictures.grid(sampling.render(g, z[list(members)], labels), cols=max(3, len(members))),
                    caption=f"{name}: "
                    + ", ".join(f"#{i}" for i in members)
                    + ("" if klass is None else _(" as {value}s").format(value=klass[i])),
                )
    scale = st.slider(_("Neighbour noise (σ)"), 0.0, 1.0, 0.25, 0.05, key="lat.scale")
    if not (ga and gb and gc):
        st.info(_("Pick at least one candidate for each of A, B and C."), icon="👆")
    else:
        zs = sampling.arithmetic_inputs(z, (ga, gb, gc), 6, scale, int(seed))
        ys = None if klass is None else torch.tensor([klass[0], klass[1], klass[2]] + [klass[2]] * (len(zs) - 3))
        result = sampling.render(g, zs, ys)
        display.sharp(
            pictures.grid(result, cols=len(zs)),
            caption=_("mean A · mean B · mean C · A − B + C · 5 neighbours")
            + ("" if klass is None else _(" · each mean drawn as its group's class, the result as C's ({value})").format(value=klass[2])),
        )
        st.download_button(_("This arithmetic (PNG)"), pictures.png(pictures.grid(result, cols=len(zs), scale=3)), "vector-arithmetic.png",
                           "image/png", key="lat.arith.png", on_click="ignore")  # fmt: skip
    if y is not None:
        st.markdown(_("**Same style, other digit** — keep one z, change only the label:"))
        pick = st.selectbox(_("Style from candidate"), range(N_CAND), 0, key="lat.style")
        labels = torch.arange(cfg.num_classes)
        display.sharp(pictures.grid(sampling.render(g, z[pick].repeat(cfg.num_classes, 1), labels), cols=cfg.num_classes))
    else:
        st.caption(_("With a conditional model you can also keep z and change the label: pick cgan-mnist or acgan-mnist above."))

else:
    pick = st.selectbox(_("Candidate to check"), range(N_CAND), 0, key="lat.mem")

    @st.cache_resource(show_spinner=_("Loading the training set and its features (once per server)…"), max_entries=2)
    def pool(dataset: str, shape: tuple[int, int, int]) -> dict:
        return sampling.training_pool(dataset, shape)

    try:
        p = pool(src.dataset, cfg.image_shape)
    except Exception as exc:  # a folder that vanished, a dataset that cannot be loaded
        st.error(_("Cannot load the training set {dataset!r}: {exc}").format(dataset=src.dataset, exc=exc), icon="⚠️")
        st.stop()
    x = sampling.images(g, z[pick : pick + 1], None if y is None else y[pick : pick + 1])[0]
    found = sampling.nearest_training(x, p, k=6)
    st.caption(_("Training set: {source}").format(source=p["source"]))
    for space, (idx, dist) in found.items():
        ref = p[f"real_{'pixel' if space == 'pixels' else 'feature'}_median"]
        st.markdown(
            _("**Nearest in {value}** — a real test image is typically {ref:.3f} from its nearest training image").format(
                value=_("pixels") if space == "pixels" else _("classifier features"), ref=ref
            )
        )
        imgs = torch.cat([x[None], p["images"][idx]])
        display.sharp(
            pictures.grid(to_uint8_grid(imgs), cols=len(imgs)),
            caption=_("sample, then its 6 nearest: ") + ", ".join(f"{d:.3f}" for d in dist.tolist()),
        )
    st.caption(_("Distances far above 0 and close to the real-vs-real reference mean G made something new; near 0 would be a copy."))
course.conclude("latent")
