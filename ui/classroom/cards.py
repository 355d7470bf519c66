"""The class view's small multiples: a loss sparkline as inline SVG and a run's latest samples as
a small picture, both pure functions of a snapshot (cached by run and version on the page)."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

from gancore.models import catalog
from gancore.runs.snapshot import Snapshot, Status
from ui.common import pictures

D_COLOUR, G_COLOUR = "#6C4AB6", "#E07A1F"  # the Training Lab chart's D and G
STATUS_ICON = {
    Status.LOADING: "⏳", Status.RUNNING: "▶️", Status.PAUSED: "⏸️",
    Status.FINISHED: "✅", Status.STOPPED: "⏹️", Status.ERROR: "⚠️", Status.LOST: "🛰️",
}  # fmt: skip


def _polyline(values: list[float], lo: float, hi: float, width: int, height: int) -> str:
    """SVG points of the finite values, x spread evenly, y scaled so ``lo`` is at the bottom."""
    n = len(values)
    pts = []
    for i, v in enumerate(values):
        if math.isfinite(v):
            x = width * i / max(1, n - 1)
            y = height - 2 - (height - 4) * (v - lo) / (hi - lo)
            pts.append(f"{x:.1f},{y:.1f}")
    return " ".join(pts)


def sparkline_svg(history: dict, width: int = 220, height: int = 44, points: int = 80) -> str:
    """D's and G's losses over the run as two lines in one small SVG (empty box before any point).
    Both share one scale, so a G loss far above D's shows as a gap, as in the lab's chart."""
    series = {k: [float(v) for v in history.get(k, ())] for k in ("d_loss", "g_loss")}
    finite = [v for vs in series.values() for v in vs if math.isfinite(v)]
    lines = []
    if finite:
        lo, hi = min(finite), max(finite)
        hi = hi if hi > lo else lo + 1.0
        for key, colour in (("d_loss", D_COLOUR), ("g_loss", G_COLOUR)):
            vs = series[key]
            if len(vs) > points:  # every k-th point: a sparkline has no room for more
                vs = vs[:: math.ceil(len(vs) / points)] + vs[-1:]
            pts = _polyline(vs, lo, hi, width, height)
            if pts:
                lines.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{pts}"/>')
    label = "D's and G's losses" if finite else "no losses yet"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{label}" '
        f'style="background:#f6f6f9;border-radius:4px">{"".join(lines)}</svg>'
    )


def picture(snap: Snapshot, size: int = 160) -> np.ndarray | None:
    """The run's newest samples: up to 16 images in a 4×4 grid, or its 2D points as a scatter."""
    if snap.grid is None:
        return None
    if snap.model_cfg.is_image:
        cols = catalog.get(snap.model_cfg.family).grid_columns  # pix2pix: (edges, G, real) triples
        return pictures.grid(snap.grid[: 16 - 16 % cols], cols=cols, scale=max(1, size // (cols * snap.grid.shape[1])))
    pts = np.asarray(snap.grid, dtype=np.float64)[:, :2]
    pts = pts[np.isfinite(pts).all(axis=1)]
    img = Image.new("RGB", (size, size), (246, 246, 249))
    if len(pts):
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        span = np.maximum(hi - lo, 1e-6)
        xy = 6 + (size - 12) * (pts - lo) / span
        draw = ImageDraw.Draw(img)
        for x, y in xy:
            draw.ellipse([x - 1.5, size - y - 1.5, x + 1.5, size - y + 1.5], fill=(46, 134, 171))
    return np.asarray(img)
