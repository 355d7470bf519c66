"""The toy lab's set-up widgets: the target (incl. uploaded and drawn points) and the recipe."""

from __future__ import annotations

import streamlit as st

from gancore import presets
from gancore.base.config import HackConfig, OptimConfig, TrainConfig
from gancore.base.errors import DataError
from gancore.base.i18n import _
from gancore.data import points2d
from gancore.models.toy import ToyConfig
from ui.common import identity
from ui.toy import figures


def custom_points(target: str) -> str | None:
    """The dataset name for uploaded or drawn points, or None while there are none yet."""
    if target == "upload":
        up = st.file_uploader(
            _("CSV with two columns x,y (a header row is fine; at most 200,000 rows)"), type=["csv", "txt"], key="toy.upload"
        )
        if up is None:
            return None
        try:
            text = up.getvalue().decode("utf-8")
        except UnicodeDecodeError:
            st.error(_("That file is not text. Upload a CSV of x,y numbers."), icon="⚠️")
            return None
        try:
            pts = points2d.points_from_csv(text, up.name).points
            return points2d.save_owned_points(pts, identity.token(), "upload")
        except DataError as exc:
            st.error(_("Cannot use {name}: {exc}").format(name=up.name, exc=exc), icon="⚠️")
            return None
    drawn = st.session_state.setdefault("toy.drawn", [])
    ev = st.plotly_chart(
        figures.canvas(points2d.spray(drawn).numpy()),
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
    c1.caption(
        _(
            "Draw with the lasso (or the box tool) over the plane: every lattice spot inside becomes a puff of 30 points. Draw again to add more. {n_drawn} spots, {value} points so far."
        ).format(n_drawn=len(drawn), value=30 * len(drawn))
    )
    if c2.button(_("Clear drawing"), key="toy.clear", disabled=not drawn):
        st.session_state["toy.drawn"] = []
        st.rerun()
    return points2d.save_owned_points(points2d.spray(drawn), identity.token(), "drawn") if len(drawn) >= 2 else None


def widget_values(preset: str) -> dict:
    """A toy preset as the mixture widgets' values (each widget's key suffix -> value)."""
    p = presets.get(preset)
    m, t = p.model, p.train
    return {
        "loss": t.hacks.loss, "opt": t.optim.optimizer, "lr_g": t.optim.lr_g, "lr_d": t.optim.lr_d, "decay": t.optim.lr_decay,
        "g_layers": len(m.g_hidden), "g_width": m.g_hidden[0] if m.g_hidden else 128, "d_layers": len(m.d_hidden),
        "d_width": m.d_hidden[0], "act": m.activation, "latent": m.latent_dim, "batch": t.batch_size, "d_steps": t.hacks.d_steps,
        "epochs": int(t.epochs), "pack": m.pack, "g_bn": m.g_batchnorm, "maxout": m.d_maxout,
    }  # fmt: skip


def use_recipe(preset: str, k: str = "toy.mix") -> None:
    """Set the mixture widgets to a preset's recipe (the buttons, and links from the theory page)."""
    for name, value in widget_values(preset).items():
        st.session_state[f"{k}.{name}"] = value


def use_pacgan(k: str = "toy.mix") -> None:
    """Lin et al. 2018's 2D set-up (the preset toy-pacgan)."""
    use_recipe("toy-pacgan", k)


def recipe(target: str) -> tuple[ToyConfig, TrainConfig]:
    """The widgets of a run, defaulting to d2l's exact settings for the Gaussian."""
    d2l = target == "gaussian"
    k = f"toy.{'d2l' if d2l else 'mix'}"
    if not d2l:
        b1, b2, _gap = st.columns([1, 1, 2])
        b1.button(
            _("Use PacGAN's recipe"), key="toy.pacgan", on_click=use_pacgan, args=(k,), width="stretch",
            help=_("Lin et al. 2018's 2D networks and packing of 2, trained for 20,000 steps with a decaying learning rate (about 5 minutes on 2 CPU cores). Set packing to 1 afterwards to see the plain GAN drop modes."),
        )  # fmt: skip
        b2.button(
            _("Make it collapse"), key="toy.collapse", on_click=use_recipe, args=("toy-collapse", k), width="stretch",
            help=_("A generator of two layers of only 8 neurons: too few to split its noise between the bumps, it piles its points onto one or two of them (on the ring: 2, 2, 1, 2, 2 of 8 over 5 seeds). About 2,100 steps."),
        )  # fmt: skip
    c = st.columns(4)
    loss = c[0].selectbox(
        _("Loss"),
        ["non_saturating", "minimax", "least_squares", "wgan_gp", "hinge"],
        key=f"{k}.loss",
        help=_("d2l uses BCE with the 'real' label for G: the non-saturating loss"),
    )
    opt = c[1].selectbox(_("Optimiser"), ["adam", "sgd"], key=f"{k}.opt")
    lr_g = c[2].number_input(_("G learning rate"), 1e-5, 1.0, 0.005 if d2l else 1e-3, format="%.4f", key=f"{k}.lr_g")
    lr_d = c[3].number_input(_("D learning rate"), 1e-5, 1.0, 0.05 if d2l else 1e-3, format="%.4f", key=f"{k}.lr_d")
    c = st.columns(4)
    g_layers = c[0].slider(
        _("G hidden layers"), 0, 4, 0 if d2l else 4, key=f"{k}.g_layers", help=_("0 = d2l's linear G: its output is exactly Gaussian")
    )
    g_width = c[1].select_slider(_("G neurons per layer"), [4, 8, 16, 32, 64, 128, 256, 400], 128, key=f"{k}.g_width")
    d_layers = c[2].slider(_("D hidden layers"), 1, 4, 2 if d2l else 3, key=f"{k}.d_layers")
    d_width = c[3].select_slider(
        _("D neurons per layer"),
        [3, 5, 8, 16, 32, 64, 128, 200, 256],
        5 if d2l else 128,
        key=f"{k}.d_width",
        help=_("d2l's D is 2 → 5 → 3 → 1"),
    )
    c = st.columns(5)
    act = c[0].selectbox(_("Activation"), ["tanh", "relu", "leaky_relu"], 0 if d2l else 1, key=f"{k}.act")
    latent = c[1].slider(_("Noise size"), 1, 8, 2, key=f"{k}.latent")
    batch = c[2].select_slider(_("Batch size"), [8, 16, 32, 64, 100, 128, 256, 512], 8 if d2l else 256, key=f"{k}.batch")
    d_steps = c[3].slider(_("D steps per G step"), 1, 5, 1, key=f"{k}.d_steps")
    epochs = c[4].number_input(_("Epochs"), 1, None, 20 if d2l else 400, key=f"{k}.epochs")  # Start says the range when refused
    c = st.columns([1.6, 1, 1, 1.3])
    pack = c[0].select_slider(
        _("PacGAN packing (anti-collapse)"), [1, 2, 3, 4], 1, key=f"{k}.pack",
        help=_("D judges this many samples at once (Lin et al. 2018). A G that drops modes makes packs that look too alike, so D catches it."),
    )  # fmt: skip
    g_bn = c[1].toggle(
        _("BatchNorm in G"), False, key=f"{k}.g_bn", disabled=g_layers == 0,
        help=_("After each hidden layer of G, as in PacGAN's and VEEGAN's 2D generator (4 x 400 ReLU)"),
    )  # fmt: skip
    maxout = c[2].select_slider(
        _("D maxout pieces"), [1, 2, 3, 5], 1, key=f"{k}.maxout",
        help=_("Each hidden unit of D keeps the largest of this many linear maps (1 = the activation above). PacGAN's D: 3 x 200, 5 pieces"),
    )  # fmt: skip
    decay = c[3].toggle(
        _("Decay learning rates"), False, key=f"{k}.decay",
        help=_("Both learning rates fall linearly to 0 by the last step: a G still wobbling around the modes settles onto them"),
    )  # fmt: skip
    d_hidden = (5, 3) if d2l and d_layers == 2 and d_width == 5 else (d_width,) * d_layers
    d2l_nets = g_layers == 0 and d_hidden == (5, 3) and act == "tanh" and maxout == 1
    model = ToyConfig(
        latent_dim=latent,
        init="d2l" if d2l_nets else "pytorch",  # d2l's N(0, 0.02) belongs to its own two networks
        g_hidden=(g_width,) * g_layers,
        d_hidden=d_hidden,
        activation=act,
        pack=pack,
        g_batchnorm=g_bn and g_layers > 0,
        d_maxout=maxout,
    )
    hacks = HackConfig(loss=loss, d_steps=d_steps)
    optim = OptimConfig(optimizer=opt, lr_g=lr_g, lr_d=lr_d, beta1=0.9 if d2l else 0.5, lr_decay=decay)
    return model, TrainConfig(dataset=target, batch_size=int(batch), epochs=float(epochs), optim=optim, hacks=hacks, publish_every=5)
