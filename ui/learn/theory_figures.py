"""Plotly figures of the GAN theory page. Each takes numbers from ``gancore.learn`` and only draws."""

from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gancore.base.i18n import _
from ui.learn.blocks_figures import BLUE, GREY, MARGIN, ORANGE, PURPLE


def _undefined_spans(x: list[float], d: list[float | None]) -> list[tuple[float, float]]:
    """The x intervals where D* is not drawn (neither density has mass there)."""
    spans, start = [], None
    for xi, di in zip(x, d, strict=True):
        if di is None and start is None:
            start = xi
        elif di is not None and start is not None:
            spans.append((start, xi))
            start = None
    if start is not None:
        spans.append((start, x[-1]))
    return spans


def dstar(fig_data: dict) -> go.Figure:
    """Top: p_data and p_g. Bottom: D*(x) where it is defined, ½ dashed, grey where it is not."""
    x = fig_data["x"][::4]  # 1,001 points are plenty to draw
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.5, 0.5])
    fig.add_trace(go.Scatter(x=x, y=fig_data["p_data"][::4], name="p_data", line={"color": BLUE, "width": 2}, fill="tozeroy"), row=1, col=1)
    fig.add_trace(go.Scatter(x=x, y=fig_data["p_g"][::4], name="p_g", line={"color": ORANGE, "width": 2}, fill="tozeroy"), row=1, col=1)
    fig.add_trace(
        go.Scatter(x=x, y=fig_data["d_star"][::4], name="D*(x)", line={"color": PURPLE, "width": 3}, connectgaps=False), row=2, col=1
    )
    fig.add_hline(y=0.5, line_dash="dash", line_color=GREY, row=2, col=1, annotation_text="½", annotation_position="right")
    for a, b in _undefined_spans(fig_data["x"], fig_data["d_star"]):
        fig.add_vrect(x0=a, x1=b, fillcolor="#dddddd", opacity=0.5, line_width=0, row=2, col=1)
    fig.update_yaxes(title="density", row=1, col=1)
    fig.update_yaxes(title="D*(x)", range=[-0.05, 1.05], row=2, col=1)
    fig.update_xaxes(title="x", range=[-8, 8], row=2, col=1)
    fig.update_layout(height=430, margin=MARGIN, legend={"orientation": "h", "y": 1.08})
    return fig


def dstar_path(fig_data: dict) -> go.Figure:
    """V(D*, G) and 2·JSD − log 4 as p_g slides onto p_data: the same curve, reaching −log 4 at t = 1."""
    p = fig_data["path"]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=p["t"], y=p["value"], name="V(D*, G)", line={"color": PURPLE, "width": 3}))
    twice = [2 * j - math.log(4) for j in p["jsd"]]
    fig.add_trace(go.Scatter(x=p["t"], y=twice, name=_("−log 4 + 2·JSD"), mode="markers", marker={"color": ORANGE, "size": 7}))
    fig.add_trace(
        go.Scatter(
            x=[fig_data["t"]], y=[fig_data["value"]], name="now", mode="markers", marker={"color": "black", "size": 13, "symbol": "x"}
        )
    )
    fig.add_hline(y=-math.log(4), line_dash="dot", line_color=GREY, annotation_text="−log 4", annotation_position="bottom left")
    fig.update_layout(
        height=300,
        margin=MARGIN,
        xaxis_title=_("t: how far p_g has slid onto p_data"),
        yaxis_title="value",
        legend={"orientation": "h", "y": 1.15},
    )
    return fig


def g_losses(curves: dict, d_now: float) -> go.Figure:
    """Left: both G losses against D(G(z)). Right: the size of their gradients (log scale)."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=[_("G's loss"), _("|gradient| with respect to D's logit")])
    for key, name, colour in (
        ("saturating", _("saturating: log(1 − D(G(z)))"), ORANGE),
        ("non_saturating", _("non-saturating: −log D(G(z))"), PURPLE),
    ):
        line = {"color": colour, "width": 3}
        fig.add_trace(go.Scatter(x=curves["d"], y=curves[f"{key}_loss"], name=name, line=line, legendgroup=key), row=1, col=1)
        fig.add_trace(
            go.Scatter(x=curves["d"], y=curves[f"{key}_grad"], name=name, line=line, legendgroup=key, showlegend=False), row=1, col=2
        )
    for col in (1, 2):
        fig.add_vline(x=d_now, line_dash="dash", line_color=GREY, row=1, col=col)
    ticks = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 0.99]
    fig.update_xaxes(title=_("D(G(z)): how real D finds the fakes"), type="log", tickvals=ticks, ticktext=[f"{t:g}" for t in ticks])
    fig.update_yaxes(type="log", tickvals=[0.005, 0.01, 0.1, 0.5, 1], ticktext=["0.005", "0.01", "0.1", "0.5", "1"], row=1, col=2)
    fig.update_layout(height=340, margin=MARGIN, legend={"orientation": "h", "y": -0.3})
    return fig


def _arrows(grid: dict, scale: float) -> tuple[list, list]:
    """The field as short segments (one trace): each arrow's length is scaled to ``scale``."""
    xs, ys = [], []
    norms = [math.hypot(a, b) for a, b in zip(grid["d_theta"], grid["d_psi"], strict=True)]
    top = max(norms) or 1.0
    for t, p, a, b, n in zip(grid["theta"], grid["psi"], grid["d_theta"], grid["d_psi"], norms, strict=True):
        k = scale * math.sqrt(n / top) / (n or 1.0)
        xs += [t, t + a * k, None]
        ys += [p, p + b * k, None]
    return xs, ys


def dirac(sim: dict, grid: dict, lim: float) -> go.Figure:
    """The phase portrait: the gradient field's arrows, the path of the chosen updates, the start,
    the end, and the equilibrium at (0, 0)."""
    fig = go.Figure()
    xs, ys = _arrows(grid, scale=lim / 9)
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#b39ddb", "width": 1.5}, name=_("gradient field"), hoverinfo="skip"))
    path = sim["path"]
    fig.add_trace(
        go.Scatter(
            x=[p[0] for p in path], y=[p[1] for p in path], mode="lines", line={"color": PURPLE, "width": 2}, name=_("training path")
        )
    )
    fig.add_trace(go.Scatter(x=[path[0][0]], y=[path[0][1]], mode="markers", marker={"color": BLUE, "size": 12}, name="start"))
    fig.add_trace(
        go.Scatter(x=[path[-1][0]], y=[path[-1][1]], mode="markers", marker={"color": ORANGE, "size": 12, "symbol": "x"}, name="end")
    )
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", marker={"color": "black", "size": 10, "symbol": "star"}, name="equilibrium"))
    fig.update_xaxes(title=_("θ: where G puts its point"), range=[-lim, lim], zeroline=True, constrain="domain")
    fig.update_yaxes(title=_("ψ: D's slope"), range=[-lim, lim], scaleanchor="x", zeroline=True)
    fig.update_layout(height=480, margin=MARGIN, legend={"orientation": "h", "y": -0.15})
    return fig


def parallel_lines(theta: float, curve: dict) -> go.Figure:
    """Left: the real line at x = 0 and the fake one at x = θ. Right: JS and W as θ varies."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.35, 0.65], subplot_titles=[_("real and fake points"), _("distance between them")])
    fig.add_trace(go.Scatter(x=[0, 0], y=[0, 1], mode="lines", line={"color": BLUE, "width": 5}, name=_("real: (0, y)")), row=1, col=1)
    fig.add_trace(
        go.Scatter(x=[theta, theta], y=[0, 1], mode="lines", line={"color": ORANGE, "width": 5}, name=_("fake: (θ, y)")), row=1, col=1
    )
    fig.add_trace(go.Scatter(x=curve["theta"], y=curve["js"], name=_("Jensen–Shannon"), line={"color": PURPLE, "width": 3}), row=1, col=2)
    fig.add_trace(go.Scatter(x=curve["theta"], y=curve["w"], name=_("Wasserstein-1"), line={"color": "#2ca02c", "width": 3}), row=1, col=2)
    fig.add_vline(x=theta, line_dash="dash", line_color=GREY, row=1, col=2)
    fig.update_xaxes(range=[-1.2, 1.2], title="x", row=1, col=1)
    fig.update_xaxes(title="θ", row=1, col=2)
    fig.update_layout(height=320, margin=MARGIN, legend={"orientation": "h", "y": -0.3})
    return fig


def collapse(table: dict, chosen: str) -> go.Figure:
    """The data's two bumps and the chosen G's density."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=table["x"], y=table["p_data"], name="p_data", line={"color": BLUE, "width": 2}, fill="tozeroy"))
    pg = table["gs"][chosen]["p_g"]
    fig.add_trace(go.Scatter(x=table["x"], y=pg, name="p_g", line={"color": ORANGE, "width": 2}, fill="tozeroy"))
    fig.update_xaxes(range=[-6, 6], title="x")
    fig.update_yaxes(title="density")
    fig.update_layout(height=260, margin=MARGIN, legend={"orientation": "h", "y": 1.15})
    return fig
