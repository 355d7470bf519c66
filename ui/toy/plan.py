"""The toy lab's live plane as a plan: what goes where, in pixels, for one snapshot.

Two painters draw the same plan, so the picture looks the same wherever it is painted:
``ui/toy/live_canvas.py`` sends it to the student's browser, which paints it on a canvas while
the run trains (30 students' pictures at 4 Hz cost the server's two cores almost nothing), and
``ui/toy/live_png.py`` paints it with Pillow for the downloads (the PNG, the training GIF).
The interactive Plotly plane (``figures.plane``) takes over when the run pauses or ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from gancore.base.i18n import _
from ui.toy import figures

INK, AXIS = (34, 34, 34), (120, 120, 120)
PAD_L, PAD_T, PAD_B, GAP = 44, 26, 46, 28  # pixels: tick labels left, titles on top, ticks + legend below
LEGEND_DY = 34  # the legend's row, below the panel's bottom edge
RGB = tuple[int, int, int]


def rgb_of(hex_: str) -> RGB:
    return int(hex_[1:3], 16), int(hex_[3:5], 16), int(hex_[5:7], 16)


REAL, FAKE, PURPLE, UNDEFINED = (rgb_of(c) for c in (figures.REAL, figures.FAKE, figures.PURPLE, figures.UNDEFINED))
HEAT = np.array([[at, *rgb_of(hex_)] for at, hex_ in figures.HEAT], dtype=float)  # (stop, r, g, b)


def ticks(lo: float, hi: float, n: int = 5) -> np.ndarray:
    """About ``n`` round tick values inside [lo, hi]."""
    raw = (hi - lo) / n
    step = 10 ** np.floor(np.log10(raw))
    step *= min((m for m in (1, 2, 5, 10) if m * step >= raw), default=10)
    return np.arange(np.ceil(lo / step) * step, hi + 1e-9, step).round(10) + 0.0  # + 0.0: no "-0" label


@dataclass(frozen=True)
class Panel:
    """One square-scaled plot area: its pixel box, its heatmap, its titles (longest first: a
    painter draws the longest that fits) and its ticks as (pixel, label)."""

    left: int
    top: int
    w: int
    h: int
    heat: np.ndarray | None  # (rows, cols) values in [0, 1], NaN = undefined; row 0 at the top
    titles: tuple[str, ...]
    xticks: tuple[tuple[float, str], ...]
    yticks: tuple[tuple[float, str], ...]


@dataclass(frozen=True)
class Marks:
    """Translucent marks of one colour: ``dots`` (n, 2) centres, ``lines`` polylines (k, n, 2) or
    ``segments`` (n, 2, 2), all in pixels."""

    kind: str  # "dots" | "lines" | "segments"
    rgb: RGB
    alpha: int  # 0-255
    xy: np.ndarray


@dataclass(frozen=True)
class Plan:
    width: int
    height: int
    panels: tuple[Panel, ...]
    marks: tuple[Marks, ...]  # in drawing order, over the heatmaps
    legend: tuple[tuple[str, RGB, str], ...]  # (text, colour, "dot" | "line")
    legend_xy: tuple[int, int]


class _Scale:
    """Data coordinates -> pixels in one panel (y grows downwards)."""

    def __init__(self, box: tuple[float, float, float, float], left: int, top: int, scale: float) -> None:
        self.x0, self.x1, self.y0, self.y1 = box
        self.left, self.top, self.scale = left, top, scale
        self.w, self.h = round((self.x1 - self.x0) * scale), round((self.y1 - self.y0) * scale)

    def px(self, pts: np.ndarray) -> np.ndarray:
        """(..., 2) data points -> (..., 2) pixel positions."""
        x = self.left + (pts[..., 0] - self.x0) * self.scale
        y = self.top + (self.y1 - pts[..., 1]) * self.scale
        return np.stack([x, y], -1)

    def panel(self, heat: torch.Tensor | None, *titles: str) -> Panel:
        xt = tuple((float(self.left + (t - self.x0) * self.scale), f"{t:g}") for t in ticks(self.x0, self.x1))
        yt = tuple((float(self.top + (self.y1 - t) * self.scale), f"{t:g}") for t in ticks(self.y0, self.y1))
        flipped = None if heat is None else heat.numpy()[::-1].copy()  # rows go up in y; pixel rows go down
        return Panel(self.left, self.top, self.w, self.h, flipped, titles, xt, yt)


def plan(fr, real: torch.Tensor, layers: set[str], box: tuple[float, float, float, float], height: int = 400) -> Plan:
    """The live plane: learned D(x) with the points, pushes and G's manifold on the left;
    D* = p_data / (p_data + p_g) on the right when that layer is on."""
    both = "D*" in layers
    scale = height / (box[3] - box[2])
    left = _Scale(box, PAD_L, PAD_T, scale)
    panels = [left.panel(fr.d_map if "D(x)" in layers else None, _("learned D(x)"))]
    if both:
        right = _Scale(box, PAD_L + left.w + GAP + PAD_L, PAD_T, scale)
        titles = (_("optimal D*(x) = p_data / (p_data + p_g)"), _("D* = p_data / (p_data + p_g)"), _("optimal D*"))
        panels.append(right.panel(fr.d_star_map, *titles))
    marks, legend = [], []
    if "Manifold" in layers:
        marks.append(Marks("lines", PURPLE, 150, left.px(torch.stack(fr.lines).numpy()) if fr.lines else np.zeros((0, 0, 2))))
        legend.append((_("G(noise lattice)"), PURPLE, "line"))
    if "Real" in layers:
        marks.append(Marks("dots", REAL, 170, left.px(real[: figures.SHOWN_POINTS].numpy())))
        legend.append((_("real"), REAL, "dot"))
    if "Generated" in layers:
        marks.append(Marks("dots", FAKE, 180, left.px(fr.fake[: figures.SHOWN_POINTS].numpy())))
        legend.append((_("generated"), FAKE, "dot"))
    if "Arrows" in layers:
        n, length = figures.SHOWN_ARROWS, figures.ARROW_SHARE * max(box[1] - box[0], box[3] - box[2])
        starts, ends = figures.arrow_ends(fr.fake[:n], fr.push[:n], length)
        marks.append(Marks("segments", INK, 255, left.px(torch.stack([starts, ends], 1).numpy())))
        legend.append((_("G's push (-dL_G/dx)"), INK, "line"))  # plain letters: every font has them
    last = panels[-1]
    return Plan(
        width=last.left + last.w + 12,
        height=PAD_T + left.h + PAD_B,
        panels=tuple(panels),
        marks=tuple(marks),
        legend=tuple(legend),
        legend_xy=(PAD_L, PAD_T + left.h + LEGEND_DY),
    )


def colour(values: np.ndarray) -> np.ndarray:
    """D values in [0, 1] -> RGB uint8 through the lab's colour scale (white, sand, blue); NaN
    (D* where neither density has mass) -> grey."""
    v = np.clip(np.nan_to_num(values, nan=0.5), 0.0, 1.0)
    rgb = np.stack([np.interp(v, HEAT[:, 0], HEAT[:, c]) for c in (1, 2, 3)], -1)
    rgb[np.isnan(values)] = UNDEFINED
    return rgb.round().astype(np.uint8)
