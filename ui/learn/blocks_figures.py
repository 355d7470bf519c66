"""Plotly figures of the Building blocks page. Each takes numbers from ``gancore.learn`` and only draws."""

from __future__ import annotations

import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots

from gancore.base.i18n import _
from gancore.learn import activations, convt, weights

PURPLE, BLUE, ORANGE, GREY = "#6C4AB6", "#1f77b4", "#e4572e", "#9a9a9a"
ACT_COLOURS = {"sigmoid": BLUE, "tanh": "#2ca02c", "relu": ORANGE, "leaky_relu": PURPLE, "elu": "#8c564b"}
MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}


def init_histograms(result: weights.InitResult) -> go.Figure:
    """One histogram per layer, side by side with a shared y axis: how each layer's 100,000
    activations are spread."""
    edges, shares = weights.histograms(result, bins=30)
    centres = ((edges[:-1] + edges[1:]) / 2).tolist()
    width = (edges[1] - edges[0]).item()
    summary = result.layers()
    fig = make_subplots(
        rows=1,
        cols=len(shares),
        shared_yaxes=True,
        horizontal_spacing=0.02,
        subplot_titles=[_("layer {value} · std {std:.3g}").format(value=i + 1, std=s["std"]) for i, s in enumerate(summary)],
    )
    for i, share in enumerate(shares):
        fig.add_trace(
            go.Bar(
                x=centres,
                y=share.tolist(),
                width=width,
                marker_color=PURPLE,
                name=_("layer {value}").format(value=i + 1),
                hovertemplate="%{y:.1%}",
            ),
            row=1,
            col=i + 1,
        )
    fig.update_yaxes(tickformat=".0%", row=1, col=1, title=_("share of activations"))
    fig.update_xaxes(title=f"{result.act}(·)")
    fig.update_annotations(font_size=12)
    fig.update_layout(height=300, margin=MARGIN, showlegend=False, bargap=0)
    return fig


def activation_curves(slope: float) -> go.Figure:
    """Every activation (left) and its slope (right), as autograd computes them."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=["f(x)", _("f′(x) — what backpropagation multiplies by")])
    for name in activations.NAMES:
        c = activations.curve(name, lo=-4, hi=4, n=161, slope=slope)
        label = (
            _("LeakyReLU ({slope:g})").format(slope=slope) if name == "leaky_relu" else {"elu": _("ELU"), "relu": _("ReLU")}.get(name, name)
        )
        line = {"color": ACT_COLOURS[name], "width": 2}
        fig.add_trace(go.Scatter(x=c["x"], y=c["y"], name=label, line=line, legendgroup=name), row=1, col=1)
        fig.add_trace(go.Scatter(x=c["x"], y=c["dy"], name=label, line=line, legendgroup=name, showlegend=False), row=1, col=2)
    fig.update_yaxes(range=[-1.5, 2.5], row=1, col=1)
    fig.update_yaxes(range=[-0.1, 1.2], row=1, col=2)
    fig.update_xaxes(title="x")
    fig.update_layout(height=330, margin=MARGIN, legend={"orientation": "h", "y": -0.25})
    return fig


def neuron_paths(paths: dict[str, activations.NeuronPath]) -> go.Figure:
    """Loss and share of live inputs of the same neuron trained with different activations."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=["loss", _("inputs that reach the positive side")])
    for key, p in paths.items():
        line, name = (
            {"color": ACT_COLOURS[key], "width": 2},
            {"relu": _("ReLU"), "leaky_relu": _("LeakyReLU"), "elu": _("ELU")}.get(key, key),
        )
        steps = list(range(1, len(p.loss) + 1))
        fig.add_trace(go.Scatter(x=steps, y=p.loss, name=name, line=line, legendgroup=name), row=1, col=1)
        fig.add_trace(go.Scatter(x=steps, y=p.active, name=name, line=line, legendgroup=name, showlegend=False), row=1, col=2)
    fig.update_yaxes(type="log", tickvals=[0.0001, 0.001, 0.01, 0.1, 1], ticktext=["0.0001", "0.001", "0.01", "0.1", "1"], row=1, col=1)
    fig.update_yaxes(tickformat=".0%", range=[-0.05, 1.05], row=1, col=2)
    fig.update_xaxes(title=_("training step"))
    fig.update_layout(height=300, margin=MARGIN, legend={"orientation": "h", "y": -0.3})
    return fig


def _matrix(m: torch.Tensor, title: str) -> go.Heatmap:
    text = [[f"w{int(v)}" if v else "·" for v in row] for row in m.tolist()]
    return go.Heatmap(
        z=m.tolist(),
        text=text,
        texttemplate="%{text}",
        colorscale=[[0, "#ffffff"], [1, "#c9b8f0"]],
        showscale=False,
        name=title,
        xgap=1,
        ygap=1,
    )


def conv_matrices(size: int, kernel: int, stride: int, padding: int) -> go.Figure:
    """C (the convolution: long → short) beside Cᵀ (the transposed convolution: short → long);
    w1 … wk name the kernel's weights."""
    c = convt.conv_matrix(size, torch.arange(1, kernel + 1, dtype=torch.float64), stride, padding)
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[c.shape[1], c.shape[0]] if c.numel() else [1, 1],
        subplot_titles=[
            _("C: convolution, {value} → {value2}").format(value=c.shape[1], value2=c.shape[0]),
            _("Cᵀ: transposed convolution, {value} → {value2}").format(value=c.shape[0], value2=c.shape[1]),
        ],
        horizontal_spacing=0.08,
    )
    fig.add_trace(_matrix(c, "C"), row=1, col=1)
    fig.add_trace(_matrix(c.T, "Cᵀ"), row=1, col=2)
    fig.update_yaxes(autorange="reversed", showticklabels=False)
    fig.update_xaxes(showticklabels=False)
    fig.update_layout(height=max(220, 40 * max(c.shape)), margin=MARGIN)
    return fig


def coverage(summary: dict, kernel: int, stride: int, padding: int) -> go.Figure:
    """How many kernel stamps each output pixel gets, in 1D (bars) and 2D (heatmap)."""
    c2 = convt.coverage_2d(summary["input_size"], kernel, stride, padding)
    fig = make_subplots(
        rows=1, cols=2, column_widths=[0.6, 0.4], subplot_titles=[_("1D: stamps per output pixel"), _("2D: stamps per output pixel")]
    )
    c1 = summary["coverage_1d"]
    fig.add_trace(
        go.Bar(x=list(range(len(c1))), y=c1, marker_color=PURPLE, name="1D", hovertemplate=_("pixel") + " %{x}: %{y}"), row=1, col=1
    )
    fig.add_trace(
        go.Heatmap(z=c2.tolist(), colorscale="Purples", showscale=False, name="2D", hovertemplate="(%{x}, %{y}): %{z}"), row=1, col=2
    )
    fig.update_yaxes(autorange="reversed", scaleanchor="x2", row=1, col=2)
    fig.update_xaxes(title=_("output pixel"), row=1, col=1)
    fig.update_layout(height=320, margin=MARGIN, showlegend=False)
    return fig


def constant_responses(responses: dict[str, tuple[torch.Tensor, float]]) -> tuple[go.Figure, dict[str, float]]:
    """What three untrained generators draw for a constant input (``convt.constant_response`` of
    each kind), and each one's checkerboard strength."""
    titles = {
        "deconv-k3": _("transposed conv, kernel 3"),
        "deconv-k4": _("transposed conv, kernel 4"),
        "resize-conv": _("resize + conv, kernel 3"),
    }
    fig = make_subplots(rows=1, cols=3, subplot_titles=list(titles.values()), horizontal_spacing=0.04)
    strengths = {}
    for i, kind in enumerate(convt.KINDS):
        y, strengths[kind] = responses[kind]
        fig.add_trace(go.Heatmap(z=y.tolist(), colorscale="Greys", showscale=False, hovertemplate="%{z:.3f}"), row=1, col=i + 1)
    fig.update_yaxes(autorange="reversed", showticklabels=False)
    fig.update_xaxes(showticklabels=False)
    for i in range(3):
        fig.update_yaxes(scaleanchor=f"x{i + 1 if i else ''}", row=1, col=i + 1)
    fig.update_layout(height=300, margin=MARGIN)
    return fig, strengths


def dropout_bars(d: dict) -> go.Figure:
    """The input, one train-time output (dropped units at 0, survivors scaled up), and the mean
    output over many masks, unit by unit."""
    units = list(range(1, len(d["input"]) + 1))
    fig = go.Figure()
    fig.add_trace(go.Bar(x=units, y=d["input"], name=_("input (= test-time output)"), marker_color=GREY))
    fig.add_trace(go.Bar(x=units, y=d["train_output"], name=_("one training pass (× 1/(1 − {p:g}))").format(p=d["p"]), marker_color=PURPLE))
    fig.add_trace(
        go.Scatter(x=units, y=d["mean_inverted"], name=_("mean over 2,000 passes"), mode="markers", marker={"color": ORANGE, "size": 9})
    )
    fig.add_trace(
        go.Scatter(
            x=units,
            y=d["mean_unscaled"],
            name=_("mean without the 1/(1 − p) scaling"),
            mode="markers",
            marker={"color": BLUE, "size": 7, "symbol": "x"},
        )
    )
    fig.update_layout(height=320, margin=MARGIN, barmode="group", xaxis_title="unit", legend={"orientation": "h", "y": -0.25})
    return fig


def batchnorm_figure(d: dict, curve: dict) -> go.Figure:
    """Left: x₀'s normalised value in many training batches vs eval mode. Right: that spread
    against the batch size."""
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=[_("x₀ normalised, batch of {batch}").format(batch=d["batch"]), _("spread of x₀'s value vs batch size")],
    )
    fig.add_trace(
        go.Histogram(x=d["train_outputs"], nbinsx=40, marker_color=PURPLE, name=_("train mode"), histnorm="probability"), row=1, col=1
    )
    for x, name, colour in ((d["eval_output"], _("eval mode"), ORANGE), (d["true_output"], _("true value"), GREY)):
        fig.add_trace(
            go.Scatter(x=[x, x], y=[0, 0.3], mode="lines", line={"color": colour, "width": 3, "dash": "dash"}, name=name), row=1, col=1
        )
    fig.add_trace(
        go.Scatter(x=curve["sizes"], y=curve["train_std"], mode="lines+markers", line={"color": PURPLE}, name="spread"), row=1, col=2
    )
    here = curve["sizes"].index(d["batch"]) if d["batch"] in curve["sizes"] else None
    if here is not None:
        marker = {"color": ORANGE, "size": 13}
        fig.add_trace(
            go.Scatter(x=[d["batch"]], y=[curve["train_std"][here]], mode="markers", marker=marker, name=_("this batch")), row=1, col=2
        )
    fig.update_xaxes(type="log", title=_("batch size"), tickvals=curve["sizes"], row=1, col=2)
    fig.update_yaxes(tickformat=".0%", row=1, col=1)
    fig.update_layout(height=320, margin=MARGIN, legend={"orientation": "h", "y": -0.25})
    return fig
