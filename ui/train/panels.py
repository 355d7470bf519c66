"""Widgets and pictures of the Training Lab: hyperparameters, hack switches, charts, exports."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import replace

import plotly.graph_objects as go
import streamlit as st

from gancore.base.config import LOSSES, HackConfig, OptimConfig
from gancore.base.device import fast_math_dtype, pick_device
from gancore.base.errors import RunError
from gancore.base.i18n import N_, _, shown
from gancore.runs.snapshot import Status

HACK_HELP = {
    "loss": N_(
        "Minimax is the paper's log(1 − D(G(z))): its gradient vanishes while D easily spots fakes. Non-saturating maximises log D(G(z)) instead — the standard fix. LSGAN, hinge and WGAN-GP reshape the game."
    ),
    "scale_inputs": N_(
        "Scale real pixels to [−1, 1] like G's tanh. Off reproduces the lecture's `X-127.5/127.5` slip (pixels in [−1, 254]): D tells real from fake by brightness alone."
    ),
    "z_dist": N_("Sample z from a normal (a GAN hack) or a uniform on [−1, 1]."),
    "label_smoothing": N_("One-sided: D aims at 1 − s for real images, so it cannot become over-confident. Fakes stay 0."),
    "label_flip": N_("Swap a share of D's real/fake labels: noise that keeps D from winning too fast."),
    "instance_noise": N_("Add Gaussian noise to everything D sees, fading to 0: the two distributions overlap early on."),
    "separate_batches": N_("Real and fake batches go through D separately, so BatchNorm statistics don't mix them."),
    "g_slope": N_("LeakyReLU slope in G (0 = ReLU): avoids dead units and sparse gradients."),
    "d_slope": N_("LeakyReLU slope in D (0 = ReLU): the ganhacks advice is LeakyReLU in D."),
    "g_dropout": N_("Dropout in G while training: noise that regularises G (pix2pix uses it instead of z)."),
    "d_steps": N_("Train D this many times per G step: a sharper critic (WGAN used 5)."),
    "augment": N_(
        "DiffAugment: every image D sees, real or fake, is randomly shifted by up to 4 pixels (and has a square cut out). D can no longer memorise a few thousand training digits, and since G's fakes pass through the same shift on their way to D, G still learns to draw un-shifted ones."
    ),
}
AUGMENT_NAMES = {"none": N_("off"), "translate": N_("shift"), "translate_cutout": N_("shift + cut-out")}
EMA_CHOICES = (0.0, 0.99, 0.999, 0.9999)
EMA_HELP = N_(
    "Keep a running average of G's weights (0.999 ≈ the last 1,000 steps) and draw samples from it: G still trains as before, but its step-to-step wobble is averaged out. Off: samples come from G itself."
)


FAST_HELP = N_(
    "Runs the networks' forward passes in 16-bit bfloat16 where the hardware does it fast (CPUs with AVX512-BF16 or AMX, GPUs): weights, optimiser and losses stay 32-bit, so it trains the same GAN with losses that differ in their last digits. It pays off for convolutions (the DCGAN step 1.5× faster on this project's CPU) and not for the small MLP (0.8×: converting costs more than it saves)."
)


def optim_widgets(optim: OptimConfig, prefix: str, disabled: bool = False) -> OptimConfig:
    c1, c2, c3, c4, c5 = st.columns([1, 1, 0.85, 1.3, 1])  # room for the decay toggle's label
    lr_g = c1.number_input(_("G learning rate"), 1e-6, 0.1, optim.lr_g, format="%.5f", step=1e-4, key=f"{prefix}.lr_g", disabled=disabled)
    lr_d = c2.number_input(_("D learning rate"), 1e-6, 0.1, optim.lr_d, format="%.5f", step=1e-4, key=f"{prefix}.lr_d", disabled=disabled)
    beta1 = c3.select_slider(
        _("Adam β1"),
        [0.0, 0.5, 0.9],
        optim.beta1 if optim.beta1 in (0.0, 0.5, 0.9) else 0.5,
        key=f"{prefix}.beta1",
        help=_("0.5 is the DCGAN hack: less momentum in a moving game. Keras' default is 0.9."),
        disabled=disabled,
    )
    decay = c4.toggle(
        _("Decay learning rates"),
        optim.lr_decay,
        key=f"{prefix}.lr_decay",
        help=_("Both learning rates fall linearly to 0 by the run's last step."),
        disabled=disabled,
    )
    ema = c5.select_slider(
        _("Average G (EMA)"),
        EMA_CHOICES,
        optim.ema if optim.ema in EMA_CHOICES else 0.0,
        format_func=lambda r: "off" if r == 0 else str(r),
        key=f"{prefix}.ema",
        help=_(EMA_HELP),
        disabled=disabled,
    )
    fast_type = fast_math_dtype(pick_device())
    fast = st.toggle(
        _("Fast math (16-bit)"),
        optim.fast_math,
        key=f"{prefix}.fast",
        help=_(FAST_HELP) + ("" if fast_type else _(" This machine has no fast 16-bit type: it would train in float32 anyway.")),
        disabled=disabled or (fast_type is None and not optim.fast_math),
    )
    changed = {"lr_decay": bool(decay), "ema": float(ema), "fast_math": bool(fast)}
    return replace(optim, lr_g=float(lr_g), lr_d=float(lr_d), beta1=float(beta1), **changed)


def command(run, verb: str, act) -> None:
    """A run button's callback: it runs before the buttons are drawn again and waits (briefly) for
    the command's effect, so they are drawn for what the run is doing now; a refusal is kept for
    the page to show (``st.session_state["ctl.refused"]``)."""
    wait = settle(run, verb)
    if arrived(run, verb):
        return  # already there (a second click, another tab, or the run got there on its own)
    try:
        act()
        wait()
    except RunError as exc:
        if not arrived(run, verb, wait_s=1.0):  # not the run reaching the goal between check and command
            st.session_state["ctl.refused"] = str(exc)


GOAL = {"pause": Status.PAUSED, "resume": Status.RUNNING}  # where a command leaves the run


def arrived(run, verb: str, wait_s: float = 0.0) -> bool:
    """True when ``verb`` would leave the run where it already is. Reads the run's own status as
    well as its snapshot: the training loop sets the status a moment before it publishes the
    snapshot. ``wait_s``, after a refusal: a run in a training process refuses on its own state,
    and the snapshot that shows that state is on its way here; wait (bounded) for it."""
    if verb not in GOAL:
        return False
    deadline = time.monotonic() + wait_s
    while run.status is not GOAL[verb] and run.snapshot.status is not GOAL[verb]:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def settle(run, verb: str, wait_s: float = 1.0):
    """Call right before a command: returns a wait for its effect (the status moving on, or the
    step for single steps), so the buttons drawn next match the run. Commands are queued to the
    training loop, so the effect lags the call by a step or so; the wait is bounded."""
    snap = run.snapshot
    status, step = snap.status, snap.step

    def done() -> bool:
        now = run.snapshot
        return now.step != step if verb == "step" else now.status != status

    def wait() -> None:
        deadline = time.monotonic() + wait_s
        while not done() and time.monotonic() < deadline:
            time.sleep(0.02)

    return wait


def hack_widgets(h: HackConfig, prefix: str, disabled: bool = False) -> HackConfig:
    k = lambda name: f"{prefix}.{name}"  # noqa: E731
    c1, c2 = st.columns(2)
    with c1:
        loss = st.selectbox(_("G / D loss"), LOSSES, LOSSES.index(h.loss), key=k("loss"), help=_(HACK_HELP["loss"]), disabled=disabled)
        smoothing = st.slider(
            _("One-sided label smoothing"),
            0.0,
            0.3,
            h.label_smoothing,
            0.05,
            key=k("ls"),
            help=_(HACK_HELP["label_smoothing"]),
            disabled=disabled,
        )
        flip = st.slider(
            _("Noisy labels (flip share)"), 0.0, 0.3, h.label_flip, 0.05, key=k("flip"), help=_(HACK_HELP["label_flip"]), disabled=disabled
        )
        noise = st.slider(
            _("Instance noise σ (decays)"),
            0.0,
            1.0,
            h.instance_noise,
            0.05,
            key=k("noise"),
            help=_(HACK_HELP["instance_noise"]),
            disabled=disabled,
        )
        d_steps = st.slider(_("D steps per G step"), 1, 5, h.d_steps, key=k("dsteps"), help=_(HACK_HELP["d_steps"]), disabled=disabled)
    with c2:
        scale = st.toggle(
            _("Inputs scaled to [−1, 1]"), h.scale_inputs, key=k("scale"), help=_(HACK_HELP["scale_inputs"]), disabled=disabled
        )
        normal = st.toggle(
            _("z from a normal (else uniform)"), h.z_dist == "normal", key=k("z"), help=_(HACK_HELP["z_dist"]), disabled=disabled
        )
        separate = st.toggle(
            _("Separate real / fake batches"), h.separate_batches, key=k("sep"), help=_(HACK_HELP["separate_batches"]), disabled=disabled
        )
        g_slope = st.slider(
            _("LeakyReLU slope in G"), 0.0, 0.3, h.g_slope, 0.05, key=k("gs"), help=_(HACK_HELP["g_slope"]), disabled=disabled
        )
        d_slope = st.slider(
            _("LeakyReLU slope in D"), 0.0, 0.3, h.d_slope, 0.05, key=k("ds"), help=_(HACK_HELP["d_slope"]), disabled=disabled
        )
        dropout = st.slider(
            _("Dropout in G"), 0.0, 0.5, h.g_dropout, 0.05, key=k("drop"), help=_(HACK_HELP["g_dropout"]), disabled=disabled
        )
        augment = st.selectbox(
            _("DiffAugment on D's inputs"),
            list(AUGMENT_NAMES),
            list(AUGMENT_NAMES).index(h.augment),
            format_func=lambda a: _(AUGMENT_NAMES[a]),
            key=k("aug"),
            help=_(HACK_HELP["augment"]),
            disabled=disabled,
        )
    return HackConfig(
        loss=loss,
        scale_inputs=scale,
        z_dist="normal" if normal else "uniform",
        label_smoothing=float(smoothing),
        label_flip=float(flip),
        instance_noise=float(noise),
        noise_decay_steps=h.noise_decay_steps,
        separate_batches=separate,
        g_slope=float(g_slope),
        d_slope=float(d_slope),
        g_dropout=float(dropout),
        d_steps=int(d_steps),
        gp_weight=h.gp_weight,
        info_lambda=h.info_lambda,
        augment=augment,
    )


SERIES = (
    ("d_loss", N_("D loss"), "#6C4AB6"),
    ("g_loss", N_("G loss"), "#E07A1F"),
    ("d_real", "D(x)", "#2A9D8F"),
    ("d_fake", "D(G(z))", "#C0392B"),
)


def loss_chart(runs: list[tuple[str, object]]) -> go.Figure:
    """D/G losses and D's mean outputs of one or more runs' snapshots; live edits as markers."""
    fig = go.Figure()
    dashes = ("solid", "dot", "dash", "dashdot")
    for i, (label, snap) in enumerate(runs):
        h = snap.history
        for key, name, colour in SERIES:
            if h.get(key):
                fig.add_trace(
                    go.Scatter(
                        x=h["step"],
                        y=h[key],
                        name=f"{_(name)} · {label}" if len(runs) > 1 else _(name),
                        line={"color": colour, "dash": dashes[i % 4], "width": 2},
                        yaxis="y2" if key.startswith("d_") and key != "d_loss" else "y",
                    )
                )
        if len(runs) == 1:  # numbered markers: the words go under the chart (event_lines), where they cannot overlap
            for n, (step, _what) in enumerate(snap.events, 1):
                fig.add_vline(x=step, line_dash="dot", line_color="#888", annotation_text=str(n), annotation_font_size=11)
    fig.update_layout(
        uirevision="keep-zoom",  # the user's zoom survives live updates
        height=340,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis_title="step",
        yaxis={"title": "loss"},
        # Its own ticks: left to Plotly, an overlaying axis lines its ticks up with the loss axis's
        # grid and read 0.029 / 0.294 / 0.558 / 0.823.
        yaxis2={
            "title": _("D output (mean)"),
            "overlaying": "y",
            "side": "right",
            "range": [0, 1],
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
            "showgrid": False,
        },
        legend={"orientation": "h", "y": 1.15},
    )
    return fig


def event_lines(events) -> str:
    """The live changes marked on the chart, one numbered line each, in words."""
    return "  \n".join(
        _("**{n}** · step {step:,}: {text}").format(n=n, step=step, text=shown(text)) for n, (step, text) in enumerate(events, 1)
    )


def history_csv(history: dict[str, list[float]]) -> str:
    keys = list(history)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(keys)
    for row in zip(*(history[k] for k in keys), strict=False):
        w.writerow(row)
    return buf.getvalue()
