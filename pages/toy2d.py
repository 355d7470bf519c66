"""The 2D toy GAN lab: watch a GAN learn a Gaussian, see D think, and watch modes collapse."""

import time

import numpy as np
import streamlit as st
import torch

from gancore import points, toy2d, toynarrate
from gancore.config import ConfigError, HackConfig, ModelConfig, OptimConfig, TrainConfig
from gancore.engine import RunError
from gancore.errors import DataError
from gancore.paths import saved_dir
from gancore.registry import RegistryFull
from ui import state, toyui

st.title("🎯 2D toy GAN lab")
st.markdown(
    "In two dimensions a GAN hides nothing. The **heatmap** is where D believes the data is; the **arrows** are the "
    "way G's loss pushes each generated point; the **purple lattice** is G's noise space, warped; and beside it, the "
    "**optimal** discriminator D* = p_data / (p_data + p_g) from the lecture's derivation. At the equilibrium "
    "p_g = p_data, so D* = ½ everywhere, D's loss is log 4 and G's is log 2."
)
reg, me = state.registry(), state.owner_token()
TARGETS = {
    "gaussian": "d2l's Gaussian (X·A + b)",
    "ring8": "Ring of 8 Gaussians",
    "grid25": "Grid of 25 Gaussians",
    "moons": "Two moons",
    "spiral": "Spiral",
    "upload": "Your CSV of x,y points",
    "draw": "Draw your own points",
}
SPEEDS = {"1/s": 1.0, "5/s": 5.0, "20/s": 20.0, "100/s": 100.0, "full": None}


def fail(exc: Exception) -> None:
    st.error(str(exc), icon="⚠️")


# ------------------------------------------------------------------ set up: target and recipe
def custom_points(target: str) -> str | None:
    """The dataset name for uploaded or drawn points, or None while there are none yet."""
    if target == "upload":
        up = st.file_uploader(
            "CSV with two columns x,y (a header row is fine; at most 200,000 rows)", type=["csv", "txt"], key="toy.upload"
        )
        if up is None:
            return None
        try:
            text = up.getvalue().decode("utf-8")
        except UnicodeDecodeError:
            st.error("That file is not text. Upload a CSV of x,y numbers.", icon="⚠️")
            return None
        try:
            pts = points.points_from_csv(text, up.name).points
            return points.save_points(pts, saved_dir() / "points", "upload")
        except DataError as exc:
            st.error(f"Cannot use {up.name}: {exc}", icon="⚠️")
            return None
    drawn = st.session_state.setdefault("toy.drawn", [])
    ev = st.plotly_chart(
        toyui.canvas(points.spray(drawn).numpy()),
        on_select="rerun",
        selection_mode=("points", "lasso", "box"),
        key="toy.canvas",
        config={"displaylogo": False},
    )
    picked = [(round(p["x"], 3), round(p["y"], 3)) for p in (ev.selection.points if ev else []) if "x" in p]
    new = [p for p in picked if p not in drawn]
    if new:
        drawn.extend(new)
        st.rerun()
    c1, c2 = st.columns([3, 1])
    c1.caption(f"Click a spot (or lasso a region) to add a puff of 30 points there. {len(drawn)} spots, {30 * len(drawn)} points so far.")
    if c2.button("Clear drawing", key="toy.clear", disabled=not drawn):
        st.session_state["toy.drawn"] = []
        st.rerun()
    return points.save_points(points.spray(drawn), saved_dir() / "points", "drawn") if len(drawn) >= 2 else None


def recipe(target: str) -> tuple[ModelConfig, TrainConfig]:
    """The widgets of a run, defaulting to d2l's exact settings for the Gaussian."""
    d2l = target == "gaussian"
    k = f"toy.{'d2l' if d2l else 'mix'}"
    c = st.columns(4)
    loss = c[0].selectbox(
        "Loss",
        ["non_saturating", "minimax", "least_squares", "wgan_gp", "hinge"],
        key=f"{k}.loss",
        help="d2l uses BCE with the 'real' label for G: the non-saturating loss",
    )
    opt = c[1].selectbox("Optimiser", ["adam", "sgd"], key=f"{k}.opt")
    lr_g = c[2].number_input("G learning rate", 1e-5, 1.0, 0.005 if d2l else 1e-3, format="%.4f", key=f"{k}.lr_g")
    lr_d = c[3].number_input("D learning rate", 1e-5, 1.0, 0.05 if d2l else 1e-3, format="%.4f", key=f"{k}.lr_d")
    c = st.columns(4)
    g_layers = c[0].slider(
        "G hidden layers", 0, 4, 0 if d2l else 4, key=f"{k}.g_layers", help="0 = d2l's linear G: its output is exactly Gaussian"
    )
    g_width = c[1].select_slider("G neurons per layer", [4, 8, 16, 32, 64, 128, 256], 128, key=f"{k}.g_width")
    d_layers = c[2].slider("D hidden layers", 1, 4, 2 if d2l else 3, key=f"{k}.d_layers")
    d_width = c[3].select_slider(
        "D neurons per layer", [3, 5, 8, 16, 32, 64, 128, 256], 5 if d2l else 128, key=f"{k}.d_width", help="d2l's D is 2 → 5 → 3 → 1"
    )
    c = st.columns(5)
    act = c[0].selectbox("Activation", ["tanh", "relu", "leaky_relu"], 0 if d2l else 1, key=f"{k}.act")
    latent = c[1].slider("Noise size", 1, 8, 2, key=f"{k}.latent")
    batch = c[2].select_slider("Batch size", [8, 16, 32, 64, 128, 256, 512], 8 if d2l else 256, key=f"{k}.batch")
    d_steps = c[3].slider("D steps per G step", 1, 5, 1, key=f"{k}.d_steps")
    epochs = c[4].number_input("Epochs", 1, 5000, 20 if d2l else 400, key=f"{k}.epochs")
    pack = st.select_slider(
        "PacGAN packing (anti-collapse)", [1, 2, 3, 4], 1, key=f"{k}.pack",
        help="D judges this many samples at once (Lin et al. 2018). A G that drops modes makes packs that look too alike, so D catches it.",
    )  # fmt: skip
    d_hidden = (5, 3) if d2l and d_layers == 2 and d_width == 5 else (d_width,) * d_layers
    model = ModelConfig(family="toy", latent_dim=latent, g_hidden=(g_width,) * g_layers, d_hidden=d_hidden, activation=act, pack=pack)
    hacks = HackConfig(loss=loss, d_steps=d_steps)
    optim = OptimConfig(optimizer=opt, lr_g=lr_g, lr_d=lr_d, beta1=0.9 if d2l else 0.5)
    return model, TrainConfig(dataset=target, batch_size=int(batch), epochs=float(epochs), optim=optim, hacks=hacks, publish_every=10)


run_id = st.session_state.get("toy.run")
run = reg.get(run_id) if run_id else None
with st.expander("⚙️ Set up a run", expanded=run is None):
    target = st.selectbox("Target distribution", list(TARGETS), format_func=TARGETS.get, key="toy.target")
    dataset = custom_points(target) if target in ("upload", "draw") else target
    model, train = recipe(target)
    if st.button("▶ Start", type="primary", key="toy.start", disabled=dataset is None):
        try:
            train = TrainConfig(**{**train.__dict__, "dataset": dataset})
            if train.batch_size % model.pack:
                raise ConfigError(f"the batch size ({train.batch_size}) must be a multiple of the packing degree ({model.pack})")
            if run is not None:
                reg.remove(run.run_id, me)
            run = reg.create(me, model, train, label=f"toy: {TARGETS[target]}")
            st.session_state["toy.run"] = run.run_id
            st.session_state.pop("toy.story", None)
            st.rerun()
        except (ConfigError, RunError, RegistryFull, DataError) as exc:
            fail(exc)
    if dataset is None:
        st.caption("Add some points first.")
if run is None:
    st.stop()


def probe(s) -> dict:
    if s.d_state is None or s.grid is None:
        return {}
    _, d = toy2d.networks(s.model_cfg, s.train_cfg.hacks, s.g_state, s.d_state)
    return toynarrate.probe(d, real_points(s.train_cfg.dataset, s.train_cfg.seed)[:256], torch.as_tensor(s.grid))


def narrated(r, mode: str, before: dict) -> str:
    start = r.snapshot.version
    for _ in range(100):  # a paused run publishes once, when the step is done
        if r.snapshot.version != start:
            break
        time.sleep(0.02)
    after = probe(r.snapshot)
    if not before or not after:
        return "The run has not published a picture yet."
    return toynarrate.narrate(mode, before, after, r.train_cfg.batch_size, r.train_cfg.hacks.d_steps)


@st.cache_data(max_entries=8, show_spinner=False)
def real_points(dataset: str, seed: int) -> torch.Tensor:
    return points.load_points(dataset, seed=seed).points


@st.cache_resource(max_entries=4, show_spinner=False)
def view(run_id: str, version: int, _snap):
    """Everything one picture needs, computed once per snapshot version."""
    data = points.load_points(_snap.train_cfg.dataset, seed=_snap.train_cfg.seed)
    g, d = toy2d.networks(_snap.model_cfg, _snap.train_cfg.hacks, _snap.g_state, _snap.d_state)
    box, p_data = density(_snap.train_cfg.dataset, _snap.train_cfg.seed)
    return data, box, toy2d.frame(_snap.model_cfg, _snap.train_cfg.hacks, g, d, data, box, p_data=p_data)


@st.cache_resource(max_entries=8, show_spinner=False)
def density(dataset: str, seed: int):
    """The view box and p_data on its grid: fixed for a dataset, so computed once."""
    data = points.load_points(dataset, seed=seed)
    box = toy2d.bounds(data.points, torch.zeros(1, 2), margin=0.3)
    return box, toy2d.data_density(data, box)


# ------------------------------------------------------------------ controls
snap = run.snapshot
c = st.columns([1, 1, 1, 1, 1, 1, 2])
for col, (key, label, act) in zip(
    c,
    [
        ("pause", "⏸ Pause", run.pause),
        ("resume", "▶ Resume", run.resume),
        ("d", "Step D", lambda: run.step(1, "d")),
        ("g", "Step G", lambda: run.step(1, "g")),
        ("both", "Step both", lambda: run.step(1, "both")),
        ("reset", "↺ Reset", None),
    ],
    strict=False,
):
    if col.button(label, key=f"toy.ctl.{key}", width="stretch"):
        try:
            if act is None:
                new = reg.create(me, run.model_cfg, run.train_cfg, label=reg.label(run.run_id))
                reg.remove(run.run_id, me)
                st.session_state["toy.run"] = new.run_id
                st.session_state.pop("toy.story", None)
                st.rerun()
            if key in ("d", "g", "both") and st.session_state.get("toy.slow"):
                before = probe(run.snapshot)
                act()
                st.session_state["toy.story"] = narrated(run, key, before)
            else:
                act()
        except (RunError, RegistryFull) as exc:
            fail(exc)
speed = c[6].select_slider("Speed", list(SPEEDS), "full", key="toy.speed", help="Slow the training down to watch each step")
if SPEEDS[speed] != st.session_state.get("toy.speed_sent", None) and run.snapshot.live:
    try:
        run.set_speed(SPEEDS[speed])
        st.session_state["toy.speed_sent"] = SPEEDS[speed]
    except RunError as exc:
        fail(exc)
st.toggle(
    "🐢 Slow motion: narrate each Step D / Step G", key="toy.slow", help="Pause first; each step button then explains what that update did"
)


if st.session_state.get("toy.story"):
    st.info(st.session_state["toy.story"], icon="🐢")

layers = set(st.pills("Layers", toyui.LAYERS, selection_mode="multi", default=list(toyui.LAYERS), key="toy.layers"))


@st.fragment(run_every=0.25)
def live() -> None:
    r = reg.get(run_id) if (run_id := st.session_state.get("toy.run")) else None
    if r is None:
        st.warning("This run no longer exists. Start a new one above.")
        return
    s = r.snapshot
    m = st.columns(5)
    m[0].metric("Status", s.status)
    m[1].metric("Step", f"{s.step:,} / {s.total_steps:,}")
    m[2].metric("Epoch", f"{s.epoch:.1f}")
    m[3].metric("Steps/s", f"{s.examples_per_s / max(1, s.train_cfg.batch_size):,.0f}")
    m[4].metric("Data", s.train_cfg.dataset if not s.train_cfg.dataset.startswith("csv:") else "your points")
    if s.status == "error":
        st.error(s.message, icon="⚠️")
        return
    if s.message:
        st.caption(s.message)
    if s.g_state is None or s.d_state is None:
        st.caption("Loading…")
        return
    data, box, fr = view(r.run_id, s.version, s)
    st.plotly_chart(toyui.plane(fr, data.points, layers, box), key="toy.plane", config={"displaylogo": False})
    n = st.columns(4)
    n[0].metric(
        "KL(p_data ‖ p_g)", f"{fr.kl:.3f}", help="On a 50×50 grid; closed-form densities where they exist, kernel estimates otherwise"
    )
    n[1].metric("JS(p_data, p_g)", f"{fr.js:.3f}", help="At most log 2 ≈ 0.693 (no overlap); 0 when G matches the data")
    if "modes" in fr.stats:
        md = fr.stats["modes"]
        n[2].metric(
            "Modes captured",
            f"{md.captured} / {md.total}",
            help="A mode counts when at least one of 2,500 samples lands within 3σ of it (VEEGAN, PacGAN)",
        )
        n[3].metric("High-quality samples", f"{md.high_quality:.0%}", help="Share of samples within 3σ of their nearest mode")
    else:
        s_ = fr.stats
        n[2].metric(
            "‖mean_G − mean_data‖",
            f"{s_['err_mean']:.3f}",
            help="G's mean vs the data's: "
            + ", ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(s_["mean_g"].tolist(), s_["mean_data"].tolist(), strict=True)),
        )
        n[3].metric(
            "Covariance error",
            f"{s_['err_cov']:.0%}",
            help="Relative Frobenius error ‖Σ_G − Σ_data‖ / ‖Σ_data‖"
            + (" — exact for the linear G: Σ_G = W Wᵀ" if s_["exact"] else " — from 500 samples"),
        )
        st.caption(
            f"G's mean {np.round(s_['mean_g'].numpy(), 2).tolist()} vs data {np.round(s_['mean_data'].numpy(), 2).tolist()}; "
            f"G's covariance {np.round(s_['cov_g'].numpy(), 2).tolist()} vs data {np.round(s_['cov_data'].numpy(), 2).tolist()}"
            + (" (for d2l's linear G these are exactly b and WWᵀ)." if s_["exact"] else ".")
        )
    st.plotly_chart(toyui.losses(s.history), key="toy.losses", config={"displayModeBar": False})


live()
