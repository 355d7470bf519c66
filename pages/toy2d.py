"""The 2D toy GAN lab: watch a GAN learn a Gaussian, see D think, and watch modes collapse."""

import time

import streamlit as st
import torch

from gancore.base.config import TrainConfig
from gancore.base.errors import ConfigError, DataError, RegistryFull, RunError
from gancore.base.i18n import _, current_language, shown
from gancore.data import points2d
from gancore.runs.lifecycle import allowed
from gancore.toy import frames, narrate
from ui.common import course, state
from ui.toy import exports, figures, live_canvas, live_view, plane_route, setup_widgets
from ui.train import panels

st.title(_("🎯 2D toy GAN lab"))
st.markdown(
    _(
        "In two dimensions a GAN hides nothing. The **heatmap** is where D believes the data is; the **arrows** are the way G's loss pushes each generated point; the **purple lattice** is G's noise space, warped; and beside it, the **optimal** discriminator D* = p_data / (p_data + p_g) from the lecture's derivation. At the equilibrium p_g = p_data, so D* = ½ everywhere, D's loss is log 4 and G's is log 2."
    )
)
course.try_this("toy2d")
reg, me = state.registry(), state.owner_token()
TARGETS = {
    "gaussian": _("d2l's Gaussian (X·A + b)"),
    "ring8": _("Ring of 8 Gaussians"),
    "grid25": _("Grid of 25 Gaussians"),
    "moons": _("Two moons"),
    "spiral": _("Spiral"),
    "upload": _("Your CSV of x,y points"),
    "draw": _("Draw your own points"),
}
SPEEDS = {"1/s": 1.0, "5/s": 5.0, "20/s": 20.0, "100/s": 100.0, "full": None}


def fail(exc: Exception) -> None:
    st.error(str(exc), icon="⚠️")


linked = st.query_params.get("target")  # links from the theory page: ?target=grid25&recipe=pacgan
if linked in TARGETS and st.session_state.get("toy.linked") != st.query_params.to_dict():
    st.session_state["toy.target"] = linked  # once per link: afterwards the choice is the user's
    st.session_state["toy.linked"] = st.query_params.to_dict()
    if st.query_params.get("recipe") == "pacgan":
        setup_widgets.use_pacgan()
    elif st.query_params.get("recipe") == "collapse":
        setup_widgets.use_recipe("toy-collapse")
run_id = state.current_run("toy", "toy.run")  # from My runs, or after a reload
run = reg.owned(run_id, me) if run_id else None
with st.expander(_("⚙️ Set up a run"), expanded=run is None):
    target = st.selectbox(_("Target distribution"), list(TARGETS), format_func=TARGETS.get, key="toy.target")
    dataset = setup_widgets.custom_points(target) if target in ("upload", "draw") else target
    model, train = setup_widgets.recipe(target)
    if st.button(_("▶ Start"), type="primary", key="toy.start", disabled=dataset is None):
        try:
            train = TrainConfig(**{**train.__dict__, "dataset": dataset})
            label = _("toy: {value}").format(value=TARGETS[target])
            run = reg.restart(run.run_id, me, model, train, label=label) if run else reg.create(me, model, train, label=label)
            st.session_state["toy.run"] = run.run_id
            st.session_state.pop("toy.story", None)
            st.rerun()
        except (ConfigError, RunError, RegistryFull, DataError) as exc:
            fail(exc)
    if dataset is None:
        st.caption(_("Add some points first."))
if run is None:
    course.conclude("toy2d")
    st.stop()


def probe(s) -> dict:
    if s.d_state is None or s.grid is None:
        return {}
    _g, d = frames.networks(s.model_cfg, s.train_cfg.hacks, s.g_state, s.d_state)
    return narrate.probe(d, live_view.points_of(s.train_cfg.dataset, s.train_cfg.seed).points[:256], torch.as_tensor(s.grid))


def narrated(r, mode: str, before: dict) -> str:
    start = r.snapshot.version
    for _attempt in range(100):  # a paused run publishes once, when the step is done
        if r.snapshot.version != start:
            break
        time.sleep(0.02)
    after = probe(r.snapshot)
    if not before or not after:
        return _("The run has not published a picture yet.")
    return narrate.narrate(mode, before, after, r.train_cfg.batch_size, r.train_cfg.hacks.d_steps)


def downloads() -> None:
    """Take it home: the points, the picture, the training so far."""
    film = st.session_state.get("toy.film")
    r = reg.get(run_id) if (run_id := st.session_state.get("toy.run")) else None
    if r is None or film is None or film.run_id != r.run_id or not film.frames:
        return

    def points_now() -> str:
        s = r.snapshot
        g, _d = frames.networks(s.model_cfg, s.train_cfg.hacks, s.g_state, s.d_state)
        fake = frames.g_points(g, s.model_cfg.latent_dim, 1000, s.train_cfg.hacks.z_dist)
        return exports.points_csv(points2d.load_points(s.train_cfg.dataset, seed=s.train_cfg.seed).points, fake)

    c = st.columns(3)
    name = f"toy-{r.run_id}"
    c[0].download_button(_("Points (CSV)"), points_now, f"{name}-points2d.csv", "text/csv", key="toy.csv", on_click="ignore")
    last = film.frames[-1][1]
    c[1].download_button(
        _("This picture (PNG)"),
        lambda: exports.png(last),
        f"{name}-step{film.frames[-1][0]}.png",
        "image/png",
        key="toy.png",
        on_click="ignore",
    )
    c[2].download_button(
        _("Training (GIF)"), lambda: exports.film_gif(film), f"{name}-training.gif", "image/gif", key="toy.gif", on_click="ignore",
        disabled=len(film.frames) < 2, help=_("The training so far, {n_frames} frames (the step in each)").format(n_frames=len(film.frames)),
    )  # fmt: skip


# ------------------------------------------------------------------ controls
def first_picture(r, wait_s: float = 30.0) -> None:
    """Wait (bounded) until a new run has loaded and published G and D: the page drawn next shows
    the step-0 plane at once instead of "Loading…" and an empty chart."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline and (r.snapshot.d_state is None or r.snapshot.g_state is None) and not r.snapshot.status.ended:
        time.sleep(0.02)


def command(key: str, verb: str, act) -> None:
    """A button's callback: it runs before the buttons are drawn again, so they are drawn for
    what the run does now (only the sensible ones active)."""
    wait = panels.settle(run, verb)
    if panels.arrived(run, verb):
        return  # already there (a second click, another tab, or the run got there on its own)
    try:
        if act is None:  # Reset: a fresh run at step 0, paused, its first picture drawn before the buttons
            new = reg.restart(run.run_id, me, paused=True)
            st.session_state["toy.run"] = new.run_id
            st.session_state.pop("toy.story", None)
            first_picture(new)
        elif verb == "step" and st.session_state.get("toy.slow"):
            before = probe(run.snapshot)
            act()
            st.session_state["toy.story"] = narrated(run, key, before)
        else:
            act()
            wait()
    except (RunError, RegistryFull) as exc:
        if not panels.arrived(run, verb, wait_s=1.0):  # not the run reaching the goal between check and command
            st.session_state["toy.refused"] = str(exc)


c = st.columns([1, 1, 1, 1, 1, 1, 2])
buttons = [  # short labels: six fit beside the speed slider at 1024 px with the sidebar open; help says the rest
    ("pause", "⏸", "pause", run.pause, _("Pause the training")),
    ("resume", "▶", "resume", run.resume, _("Resume the training")),
    ("d", "D", "step", lambda: run.step(1, "d"), _("Step D: one discriminator update (paused runs)")),
    ("g", "G", "step", lambda: run.step(1, "g"), _("Step G: one generator update (paused runs)")),
    ("both", "D+G", "step", lambda: run.step(1, "both"), _("Step both: one full step, D then G (paused runs)")),
    ("reset", "↺", None, None, _("Reset: a new run from step 0, paused, with the same set-up")),
]
status = run.snapshot.status
for col, (key, label, verb, act, tip) in zip(c, buttons, strict=False):
    off = verb is not None and not allowed(verb, status)
    col.button(label, key=f"toy.ctl.{key}", width="stretch", disabled=off, on_click=command, args=(key, verb, act), help=tip)
if refused := st.session_state.pop("toy.refused", None):
    fail(RunError(refused))
speed = c[6].select_slider(
    _("Speed"),
    list(SPEEDS),
    "full",
    format_func=lambda k: _("full") if k == "full" else k,
    key="toy.speed",
    help=_("Slow the training down to watch each step"),
)
if SPEEDS[speed] != st.session_state.get(f"toy.speed_sent.{run.run_id}") and run.snapshot.live:
    try:
        run.set_speed(SPEEDS[speed])
        st.session_state[f"toy.speed_sent.{run.run_id}"] = SPEEDS[speed]
    except RunError as exc:
        fail(exc)
st.toggle(
    _("🐢 Slow motion: narrate each Step D / Step G"),
    key="toy.slow",
    help=_("Pause first; each step button then explains what that update did"),
)


if st.session_state.get("toy.story"):
    st.info(st.session_state["toy.story"], icon="🐢")

layers = set(st.pills(_("Layers"), figures.LAYERS, format_func=_, selection_mode="multi", default=list(figures.LAYERS), key="toy.layers"))


def current():
    """This session's toy run, or None (said on the page)."""
    r = reg.get(run_id) if (run_id := st.session_state.get("toy.run")) else None
    if r is None:
        st.warning(_("This run no longer exists. Start a new one above."))
    return r


# Three fragments, each polled as often as what it shows changes: the picture about 4 times a
# second while the run trains, its status and its numbers once a second. Every element a poll
# sends is a message the server's one Python thread writes out, so thirty students each polling
# all of it 4 times a second kept the server's core busy and their pictures late.
def status_row(fast: bool) -> None:
    r = current()
    if r is None:
        return
    s = r.snapshot
    if s.training != fast:  # it ended, paused or resumed: one full rerun draws the page for what it does now
        st.rerun()
    m = st.columns([1, 1.5, 0.8, 0.8, 1])  # room for "12,345 / 20,000"
    m[0].metric(_("Status"), s.status.words)
    m[1].metric(_("Step of {total_steps:,}").format(total_steps=s.total_steps), f"{s.step:,}")
    m[2].metric(_("Epoch"), f"{s.epoch:.1f}")
    m[3].metric(_("Steps/s"), f"{s.examples_per_s / max(1, s.train_cfg.batch_size):,.0f}")
    m[4].metric(_("Data"), s.train_cfg.dataset if not s.train_cfg.dataset.startswith("csv:") else _("your points"))
    if s.status.failed:
        st.error(shown(s.message), icon="⚠️")
    elif s.message:
        st.caption(shown(s.message))


def picture(fast: bool) -> None:
    r = reg.get(run_id) if (run_id := st.session_state.get("toy.run")) else None
    if r is None or r.snapshot.status.failed:
        return
    s = r.snapshot
    if fast and not s.training:  # the run ended on its own: one full rerun slows the timers down
        st.rerun()
    shown_layers, lang = tuple(sorted(layers)), current_language()
    if s.g_state is None or s.d_state is None:
        if s.training and plane_route.ROUTE.mounted:  # the canvas asks for its first picture itself
            with st.container(key="toyplane"):
                live_canvas.show(
                    None,
                    -1,
                    0,
                    _("Loading…"),
                    key="toy.canvas",
                    url=plane_route.ROUTE.url(r.run_id, shown_layers, lang),
                    every_ms=plane_route.EVERY_MS,
                )
        else:
            st.caption(_("Loading…"))
        return
    data, box, fr = live_view.view(r.run_id, s)
    pl = live_view.plane_plan(r.run_id, s, shown_layers, lang)
    exports.remember(st.session_state, r.run_id, s.step, pl)  # the export's GIF and PNG, painted when asked
    if s.training:  # painted by the browser while it changes 4 times a second (ui/toy/live_canvas.py)
        url = plane_route.ROUTE.url(r.run_id, shown_layers, lang) if plane_route.ROUTE.mounted else None
        with st.container(key="toyplane"):
            live_canvas.show(
                pl, s.version, s.step, live_view.step_label(s.step, lang), key="toy.canvas", url=url, every_ms=plane_route.EVERY_MS
            )
        st.caption(_("Pause for the interactive picture: hover shows D's value, drag zooms."))
    else:
        st.plotly_chart(figures.plane(fr, data.points, layers, box), key="toy.plane", config={"displaylogo": False})
    if "D*" in layers and bool(fr.d_star_map.isnan().any()):
        st.caption(
            _(
                "Grey in the D* panel: neither the data nor G puts mass there (below 0.1% of the peak), so no example ever asks D about those points and D* is undefined."
            )
        )


def numbers_and_losses() -> None:
    """The divergences and the loss curves, once a second: Streamlit remounts a Plotly chart on
    every change (which is why the plane is a canvas while it trains), and a curve gains little
    in a quarter second."""
    r = reg.get(run_id) if (run_id := st.session_state.get("toy.run")) else None
    if r is None or r.snapshot.status.failed or r.snapshot.g_state is None or r.snapshot.d_state is None:
        return
    s = r.snapshot
    figures.numbers(live_view.recent_view(r.run_id, s)[2])  # the frame the picture route made last, if recent
    st.plotly_chart(figures.losses(s.history), key="toy.losses", config={"displayModeBar": False})


fast = run.snapshot.training
st.fragment(run_every=1.0)(status_row)(fast)
# While the run trains, the canvas asks the picture route itself (ui/toy/plane_route.py), so the
# fragment is drawn once; served without the route, the fragment is polled for each picture.
# Paused or done, a picture changes only by this page's own buttons (each reruns the page).
st.fragment(run_every=(None if plane_route.ROUTE.mounted else 0.25) if fast else 2.0)(picture)(fast)
st.fragment(run_every=1.0)(numbers_and_losses)()
st.caption(_("**Take it home** — the real and generated points, the picture above, and the training as a GIF (step in each frame):"))
st.fragment(run_every=2.0 if fast else None)(downloads)()
course.conclude("toy2d")
