"""The class view's small multiples: a loss sparkline as inline SVG and a run's latest samples as
a small picture, both pure functions of a snapshot (cached by run and version on the page), and
the card's text and pictures as one markdown element.

One element, not five: a class of thirty redraws every two seconds, and each Streamlit element
costs the server its own delta (an st.image also a stored media file). Thirty cards as five
elements each took 1.6 s of a 2 s redraw on two cores."""

from __future__ import annotations

import base64
import html
import math

import numpy as np
from PIL import Image, ImageDraw

from gancore.base.i18n import _, shown
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
    label = _("D's and G's losses") if finite else _("no losses yet")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{label}" '
        f'style="background:#f6f6f9;border-radius:4px">{"".join(lines)}</svg>'
    )


def picture(snap: Snapshot, size: int = 160, real: np.ndarray | None = None) -> np.ndarray | None:
    """The run's newest samples: up to 16 images in a 4×4 grid; for a toy run its target's points
    (``real``, faint blue) under G's (orange), in one box, as the 2D lab draws them."""
    if snap.grid is None:
        return None
    if snap.model_cfg.is_image:
        cols = catalog.get(snap.model_cfg.family).grid_columns  # pix2pix: (edges, G, real) triples
        return pictures.grid(snap.grid[: 16 - 16 % cols], cols=cols, scale=max(1, size // (cols * snap.grid.shape[1])))
    fake = _finite(snap.grid)
    data = _finite(real[:800]) if real is not None else np.zeros((0, 2))
    img = Image.new("RGB", (size, size), (246, 246, 249))
    both = np.concatenate([data, fake])
    if len(both):
        lo, span = both.min(axis=0), np.maximum(both.max(axis=0) - both.min(axis=0), 1e-6)
        draw = ImageDraw.Draw(img)
        for pts, colour, r in ((data, (164, 196, 226), 1.2), (fake, (228, 87, 46), 1.6)):  # the lab's REAL, paler, and FAKE
            for x, y in 6 + (size - 12) * (pts - lo) / span:
                draw.ellipse([x - r, size - y - r, x + r, size - y + r], fill=colour)
    return np.asarray(img)


def _finite(points) -> np.ndarray:
    pts = np.asarray(points, dtype=np.float64)[:, :2]
    return pts[np.isfinite(pts).all(axis=1)]


def data_uri(mime: str, payload: bytes | str) -> str:
    """``payload`` inline in a page (an <img> source): no media file stored on the server."""
    raw = payload.encode() if isinstance(payload, str) else payload
    return f"data:{mime};base64,{base64.b64encode(raw).decode()}"


def _text(words: str) -> str:
    """Words shown inside the card's markdown: HTML escaped, and a name's _ is not italics."""
    return html.escape(words, quote=False).replace("_", "\\_").replace("*", "\\*")


def card_markdown(snap: Snapshot, *, name: str, label: str, rid: str, mine: bool, spark: str, png: str | None, big: bool) -> str:
    """A run's card as one markdown element: whose it is and its status, its label, id, step and
    device, then G's newest picture and the loss sparkline (``spark`` and ``png`` are data URIs).
    Small cards stack the two; the pinned card sets them side by side with the chart's key."""
    head = f"**{_text(name)}**" + (" " + _("(yours)") if mine else "")
    head += f" · {STATUS_ICON.get(snap.status, '')} {_text(snap.status.words)}"
    where = _("**{label}** · `{rid}` · step {step:,} / {total_steps:,} · {where}").format(
        label=_text(label), rid=rid, step=snap.step, total_steps=snap.total_steps, where=_text(shown(snap.where))
    )
    size, spark_w = (320, 420) if big else (160, 220)
    # a narrow column shrinks it; a small grid is enlarged with sharp pixels (markdown's own CSS only ever shrinks)
    img = '<img src="{}" width="{}" alt="{}" style="max-width:100%;height:auto;object-fit:contain;image-rendering:pixelated">'
    pic = img.format(png, size, html.escape(_("G's newest samples"))) if png else _("No samples yet.")
    line = img.format(spark, spark_w, html.escape(_("D's and G's losses")))
    faint = '<span style="display:block;font-size:0.875rem;line-height:1.45;opacity:0.65">{}</span>'  # a caption's look
    parts = [f"{head}  \n{faint.format(where)}"]
    if big:
        notes = [_("D's loss in purple, G's in orange, on one scale.")] + ([_text(shown(snap.message))] if snap.message else [])
        parts.append(f"{pic} {line}  \n{faint.format('  '.join(notes))}")
    else:
        parts += [pic, line]
    return "\n\n".join(parts)
