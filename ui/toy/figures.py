"""Pictures of the 2D toy lab: the live plane (D's heatmap, points, pushes, G's manifold, D*)
and the loss chart with the equilibrium lines."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch

from gancore.base.i18n import N_, _

LAYERS = (N_("Real"), N_("Generated"), "D(x)", N_("Arrows"), N_("Manifold"), "D*")
REAL, FAKE, PURPLE = "#1f77b4", "#e4572e", "#6C4AB6"
HEAT = [[0.0, "#f7f7f7"], [0.5, "#fde9c9"], [1.0, "#3b8bc2"]]
UNDEFINED = "#c8c8c8"  # D* where p_data + p_g is negligible
SHOWN_POINTS, SHOWN_ARROWS = 300, 80  # enough to see; the picture redraws 4 times a second
ARROW_SHARE = 0.06  # the longest push arrow, as a share of the view's larger side


class Prebuilt(go.Figure):
    """A figure dict that ``st.plotly_chart`` sends as it is.

    Given a dict, ``st.plotly_chart`` validates it by building a ``go.Figure`` (~10 ms for the
    plane); given a Figure, it deep-copies ``to_dict()``. Our dicts come from tested code, and
    the plane is redrawn four times a second while the trainer and the browser share the same
    2 cores, so this Figure hands its dict over unchanged.
    """

    def __init__(self, spec: dict) -> None:
        super().__init__()
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec


def _polylines(lines: list[torch.Tensor]) -> tuple[list, list]:
    """Many polylines as one trace, separated by None: one trace is far cheaper to draw than 18."""
    xs, ys = [], []
    for line in lines:
        xs += [*line[:, 0].round(decimals=3).tolist(), None]
        ys += [*line[:, 1].round(decimals=3).tolist(), None]
    return xs, ys


def arrow_ends(start: torch.Tensor, vec: torch.Tensor, length: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Segments start -> start + push; the strongest push gets ``length``, weaker ones the square
    root of their share (so small pushes still show their direction)."""
    norm = vec.norm(dim=1, keepdim=True).clamp(min=1e-12)
    return start, start + vec / norm * (norm / norm.max()).sqrt() * length


def _arrows(start: torch.Tensor, vec: torch.Tensor, length: float) -> tuple[list, list]:
    a, b = arrow_ends(start, vec, length)
    return _polylines([torch.stack(pair) for pair in zip(a, b, strict=True)])


def plane(fr, real: torch.Tensor, layers: set[str], box: tuple[float, float, float, float], height: int = 480) -> Prebuilt:
    """Left: what the learned D believes and how G moves; right: D* for the same G.

    Built from plain dicts with hand-placed axes (make_subplots and per-trace objects cost
    tens of milliseconds, and this picture is redrawn four times a second). Points and lines
    are SVG scatters, not WebGL: a browser without a GPU (a classroom's projector laptop, our
    headless tests) emulates WebGL on its CPU, which halved the refresh rate.
    """
    both = "D*" in layers
    xs, ys = fr.grid.xs.round(decimals=3).tolist(), fr.grid.ys.round(decimals=3).tolist()
    heat = {"type": "heatmap", "x": xs, "y": ys, "zmin": 0, "zmax": 1, "colorscale": HEAT}
    traces: list[dict] = []
    if "D(x)" in layers:
        traces.append(
            {
                **heat,
                "z": fr.d_map.round(decimals=3).tolist(),
                "showscale": False,
                "name": "D(x)",
                "hovertemplate": "D(x)=%{z:.2f}<extra></extra>",
            }
        )
    if both:
        blank = [[0] * len(xs)] * len(ys)  # grey under D*: shows through its gaps
        grey = {"z": blank, "colorscale": [[0, UNDEFINED], [1, UNDEFINED]], "showscale": False, "hoverinfo": "skip"}
        traces.append({**heat, **grey, "xaxis": "x2", "yaxis": "y2", "name": _("no mass")})
        traces.append(
            {
                **heat,
                "z": [[None if v != v else v for v in row] for row in fr.d_star_map.round(decimals=3).tolist()],  # NaN: a gap
                "xaxis": "x2",
                "yaxis": "y2",
                "name": "D*",
                "colorbar": {"title": {"text": "D"}, "len": 0.8},
                "hovertemplate": "D*=%{z:.2f}<extra></extra>",
            }
        )
    r, f = real[:SHOWN_POINTS].round(decimals=3), fr.fake[:SHOWN_POINTS].round(decimals=3)
    for axes in (("x", "y"),):  # points on the left panel only: the right one is about D*
        first = axes[0] == "x"
        if "Real" in layers:
            traces.append(
                {
                    "type": "scatter",
                    "x": r[:, 0].tolist(),
                    "y": r[:, 1].tolist(),
                    "mode": "markers",
                    "marker": {"size": 4, "color": REAL, "opacity": 0.55},
                    "name": _("real"),
                    "showlegend": first,
                    "legendgroup": "real",
                    "xaxis": axes[0],
                    "yaxis": axes[1],
                }
            )
        if "Generated" in layers:
            traces.append(
                {
                    "type": "scatter",
                    "x": f[:, 0].tolist(),
                    "y": f[:, 1].tolist(),
                    "mode": "markers",
                    "marker": {"size": 4, "color": FAKE, "opacity": 0.7},
                    "name": _("generated"),
                    "showlegend": first,
                    "legendgroup": "fake",
                    "xaxis": axes[0],
                    "yaxis": axes[1],
                }
            )
    if "Arrows" in layers:
        ax, ay = _arrows(fr.fake[:SHOWN_ARROWS], fr.push[:SHOWN_ARROWS], ARROW_SHARE * max(box[1] - box[0], box[3] - box[2]))
        traces.append(
            {
                "type": "scatter",
                "x": ax,
                "y": ay,
                "mode": "lines",
                "line": {"color": "#222", "width": 1},
                "name": _("G's push (−∂L_G/∂x)"),
                "hoverinfo": "skip",
            }
        )
    if "Manifold" in layers:
        mx, my = _polylines(fr.lines)
        traces.append(
            {
                "type": "scatter",
                "x": mx,
                "y": my,
                "mode": "lines",
                "line": {"color": PURPLE, "width": 1},
                "opacity": 0.6,
                "name": _("G(noise lattice)"),
                "hoverinfo": "skip",
            }
        )
    split = 0.47 if both else 1.0
    axis = {"range": [box[0], box[1]], "constrain": "domain", "showgrid": False}
    layout = {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.09, "bgcolor": "rgba(0,0,0,0)"},  # below the tick labels
        "uirevision": "plane",
        "xaxis": {**axis, "domain": [0, split]},
        "yaxis": {**axis, "range": [box[2], box[3]], "scaleanchor": "x"},
        "annotations": [_title(_("learned D(x)"), "")],
    }
    if both:
        layout["xaxis2"] = {**axis, "domain": [1 - split, 1]}
        layout["yaxis2"] = {**axis, "range": [box[2], box[3]], "scaleanchor": "x2", "anchor": "x2"}
        layout["xaxis2"]["anchor"] = "y2"
        layout["annotations"].append(_title(_("D* = p_data / (p_data + p_g)"), "2"))
    return Prebuilt({"data": traces, "layout": layout})


def _title(text: str, axis: str) -> dict:
    """A panel's title centred above the panel as drawn: equal-aspect axes shrink a panel inside its
    share of the width, so a title placed on the figure's width drifted off it (and two overlapped
    on a narrow window)."""
    ref = {"xref": f"x{axis} domain", "yref": f"y{axis} domain", "xanchor": "center", "yanchor": "bottom"}
    return {"text": text, "x": 0.5, "y": 1.01, "showarrow": False, **ref}


LEVEL_MARGIN = 150  # px right of the plot for "log 4: D at equilibrium" at 10 px (~6 px a character)


def losses(history: dict, height: int = 260) -> Prebuilt:
    """D and G losses with their equilibrium values: log 4 for D (two terms of log 2), log 2 for G.

    A plain figure dict, like ``plane``: go.Figure with add_hline took ~25 ms a redraw.
    """
    steps = list(history.get("step", ()))
    traces = [
        {
            "type": "scatter",
            "x": steps,
            "y": list(history.get(key, ())),
            "name": name,
            "mode": "lines",
            "line": {"color": color, "width": 1.5},
        }
        for key, name, color in (
            ("d_loss", _("D loss"), REAL),
            ("g_loss", _("G loss"), FAKE),
            ("d_real", "D(x)", "#2a9d8f"),
            ("d_fake", "D(G(z))", "#e9c46a"),
        )
    ]
    levels = ((math.log(4), _("log 4: D at equilibrium")), (math.log(2), _("log 2: G at equilibrium")), (0.5, "½"))
    line = {"dash": "dot", "width": 1, "color": "#888"}
    spec = {
        "data": traces,
        "layout": {
            "height": height,
            "margin": {"l": 10, "r": LEVEL_MARGIN, "t": 10, "b": 10},  # the levels' words stand right of the curves
            "legend": {"orientation": "h", "y": -0.2},
            "uirevision": "losses",
            "shapes": [{"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "y0": y, "y1": y, "line": line} for y, _name in levels],
            "annotations": [
                {
                    "xref": "x domain",
                    "x": 1,
                    "y": y,
                    "text": text,
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "middle",
                    "xshift": 4,
                    "font": {"size": 10},
                }
                for y, text in levels
            ],
        },
    }
    return Prebuilt(spec)


def canvas(drawn: np.ndarray, box: tuple[float, float, float, float] = (-3.0, 3.0, -3.0, 3.0), n: int = 41) -> go.Figure:
    """A plane of faint, selectable lattice points: lasso or box-select a region to add points there.
    (Single clicks do not reach Streamlit's selection events in this version; drags do.)"""
    t = np.linspace(box[0], box[1], n)
    xx, yy = np.meshgrid(t, t)
    fig = go.Figure(
        go.Scatter(
            x=xx.ravel(),
            y=yy.ravel(),
            mode="markers",
            marker={"size": 9, "color": "rgba(108,74,182,0.06)"},
            name="lattice",
            hovertemplate="(%{x:.2f}, %{y:.2f})<extra>" + _("lasso to add") + "</extra>",
        )
    )
    if len(drawn):
        fig.add_trace(
            go.Scattergl(
                x=drawn[:, 0], y=drawn[:, 1], mode="markers", marker={"size": 4, "color": REAL}, name=_("your points"), hoverinfo="skip"
            )
        )
    fig.update_xaxes(range=[box[0], box[1]], constrain="domain")
    fig.update_yaxes(range=[box[2], box[3]], scaleanchor="x", constrain="domain")
    fig.update_layout(height=420, margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False, dragmode="lasso", clickmode="event+select")
    return fig


def _vec(t: torch.Tensor) -> str:
    return "[" + ", ".join(f"{v:.2f}" for v in t.flatten().tolist()) + "]"


def numbers(fr) -> None:
    """The live numbers under the plane: divergences, then recovery (Gaussian) or modes (mixtures)."""
    n = st.columns(4)
    n[0].metric(
        _("KL(p_data ‖ p_g)"), f"{fr.kl:.3f}", help=_("On a 50×50 grid; closed-form densities where they exist, kernel estimates otherwise")
    )
    n[1].metric(_("JS(p_data, p_g)"), f"{fr.js:.3f}", help=_("At most log 2 ≈ 0.693 (no overlap); 0 when G matches the data"))
    if "modes" in fr.stats:
        md = fr.stats["modes"]
        n[2].metric(
            _("Modes captured"),
            f"{md.captured} / {md.total}",
            help=_("A mode counts when at least one of 2,500 samples lands within 3σ of it (VEEGAN, PacGAN)"),
        )
        n[3].metric(_("High-quality samples"), f"{md.high_quality:.0%}", help=_("Share of samples within 3σ of their nearest mode"))
        return
    s = fr.stats
    n[2].metric(_("Mean error"), f"{s['err_mean']:.3f}", help=_("‖mean_G − mean_data‖: how far G's centre is from the data's"))
    n[3].metric(_("Covariance error"), f"{s['err_cov']:.0%}", help=_("Relative Frobenius error ‖Σ_G − Σ_data‖ / ‖Σ_data‖"))
    how = _("exact for d2l's linear G: b and W Wᵀ") if s["exact"] else _("from 500 samples")
    st.caption(
        _("G's mean {vec} vs the data's {vec2}; covariance {vec3} vs {vec4} ({how}).").format(
            vec=_vec(s["mean_g"]), vec2=_vec(s["mean_data"]), vec3=_vec(s["cov_g"]), vec4=_vec(s["cov_data"]), how=how
        )
    )
