"""The Training Lab's live charts as inline SVG: the losses and D's outputs over the run, and the
mode-collapse view's bars. Pure functions of a snapshot's history (already thinned to
``MAX_PLOT_POINTS``), drawn by the page as one markdown element.

Why not Plotly here: the live panel redraws 2-3 times a second in every open lab and once a second
in every watcher's tab, and Plotly's 4.6 MB of chart code reached a watcher's browser 1.5-3 s after
the run's numbers on this 2-core machine (a reload showed its step in 2.2-3.9 s; without the
chart, 1.1-1.8 s). An SVG of four polylines costs the browser nothing to parse. The zoomable
Plotly chart is one switch away (``ui/train/live_view.py``), and runs compared side by side keep it.
"""

from __future__ import annotations

import html
import math

import numpy as np

from gancore.base.i18n import _

W, H = 460, 280  # the viewBox: scaled to its column, 330-620 px wide at 1,024-1,400 px, its words 9-15 px
LEFT, RIGHT, TOP, BOTTOM = 44, 52, 36, 38  # room for the axes' numbers and titles, the legend on top
GREY, GRID, FONT = "#888", "#e6e6ee", 'font-family="sans-serif" font-size="12"'


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round numbers (1, 2 or 5 × 10^k apart) covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / max(1, n - 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step) * step
    count = math.ceil((hi - first) / step - 1e-9)  # steps from the first tick to one at or above hi
    return [round(first + i * step, 10) for i in range(count + 1)]


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 or v == int(v) else f"{v:.2g}" if abs(v) < 0.1 else f"{v:.2f}".rstrip("0").rstrip(".")


def _scale(lo: float, hi: float, a: float, b: float):
    span = hi - lo if hi > lo else 1.0
    return lambda v: a + (b - a) * (v - lo) / span


def _line(xs, ys, sx, sy, colour: str, dash: str, tip: str) -> str:
    """One series as a polyline (a gap where a value is not finite), its latest value as the tooltip."""
    runs, cur = [], []
    for x, y in zip(xs, ys, strict=False):
        if math.isfinite(x) and math.isfinite(y):
            cur.append(f"{sx(x):.1f},{sy(y):.1f}")
        elif cur:
            runs, cur = [*runs, cur], []
    runs = [*runs, cur] if cur else runs
    return "".join(
        f'<polyline fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}" points="{" ".join(r)}">'
        f"<title>{html.escape(tip)}</title></polyline>"
        for r in runs
    )


def loss_svg(history: dict, series, events=(), aria: str = "") -> str:
    """The chart of :data:`ui.train.panels.SERIES` (key, name, colour): D's and G's losses on the
    left axis, D's mean outputs D(x) and D(G(z)) on the right one (0 to 1), numbered dotted lines
    at the run's live changes (their words go under the chart), a legend on top."""
    steps = [float(s) for s in history.get("step", ())]
    shown_series = [(k, _(name), c) for k, name, c in series if history.get(k)]
    losses = [float(v) for k, _n, _c in shown_series if not _is_prob(k) for v in history[k] if math.isfinite(float(v))]
    lo, hi = (min(losses), max(losses)) if losses else (0.0, 1.0)
    pad = 0.05 * (hi - lo) if hi > lo else 0.5
    ticks_y = nice_ticks(max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad)  # a loss that is never negative starts at 0 at most
    lo, hi = (ticks_y[0], ticks_y[-1]) if len(ticks_y) > 1 else (lo - pad, hi + pad)
    x_lo, x_hi = (steps[0], steps[-1]) if steps else (0.0, 1.0)
    x_hi = x_hi if x_hi > x_lo else x_lo + 1.0
    sx, sy, sp = _scale(x_lo, x_hi, LEFT, W - RIGHT), _scale(lo, hi, H - BOTTOM, TOP), _scale(0.0, 1.0, H - BOTTOM, TOP)
    out = [f'<rect x="{LEFT}" y="{TOP}" width="{W - LEFT - RIGHT}" height="{H - TOP - BOTTOM}" fill="#fcfcfe" stroke="{GRID}"/>']
    for t in ticks_y:  # the loss axis, with its grid
        y = sy(t)
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{GREY}" {FONT}>{_fmt(t)}</text>')
    for t in (0, 0.25, 0.5, 0.75, 1):  # D's output axis, on the right
        out.append(f'<text x="{W - RIGHT + 6}" y="{sp(t) + 4:.1f}" fill="{GREY}" {FONT}>{_fmt(t)}</text>')
    for t in nice_ticks(x_lo, x_hi, 6):
        if x_lo <= t <= x_hi:
            out.append(f'<text x="{sx(t):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle" fill="{GREY}" {FONT}>{_fmt(t)}</text>')
    out.append(_axis_titles())
    for n, (step, _what) in enumerate(events, 1):
        if x_lo <= step <= x_hi:
            x = sx(step)
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{H - BOTTOM}" stroke="{GREY}" stroke-dasharray="3,3"/>')
            out.append(f'<text x="{x + 3:.1f}" y="{TOP + 12}" fill="{GREY}" font-family="sans-serif" font-size="11">{n}</text>')
    for k, name, colour in shown_series:
        ys = [float(v) for v in history[k]]
        last = next((f"{v:.3f}" for v in reversed(ys) if math.isfinite(v)), "–")
        tip = _("{name}: {value} at step {step:,}").format(name=name, value=last, step=int(x_hi if steps else 0))
        out.append(_line(steps, ys, sx, sp if _is_prob(k) else sy, colour, "none", tip))
    out.append(_legend([(name, colour) for _k, name, colour in shown_series]))
    return _svg(out, aria or _("D's and G's losses and D's mean outputs over the run"))


def _is_prob(key: str) -> bool:
    """D's mean outputs (D(x), D(G(z))) go on the 0-1 axis; D's loss stays with the losses."""
    return key.startswith("d_") and key != "d_loss"


def _axis_titles() -> str:
    mid = (TOP + H - BOTTOM) / 2
    return (
        f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 6}" text-anchor="middle" fill="#444" {FONT}>{html.escape(_("training step"))}</text>'
        f'<text x="14" y="{mid}" text-anchor="middle" fill="#444" {FONT} transform="rotate(-90 14 {mid})">{html.escape(_("loss"))}</text>'
        f'<text x="{W - 8}" y="{mid}" text-anchor="middle" fill="#444" {FONT} transform="rotate(90 {W - 8} {mid})">'
        f"{html.escape(_('D output (mean)'))}</text>"
    )


def _legend(items: list[tuple[str, str]]) -> str:
    """A row of (short line, name) pairs above the plot, spaced by each name's length."""
    out, x = [], LEFT
    for name, colour in items:
        out.append(f'<line x1="{x}" x2="{x + 22}" y1="16" y2="16" stroke="{colour}" stroke-width="3"/>')
        out.append(f'<text x="{x + 28}" y="20" fill="#333" {FONT}>{html.escape(name)}</text>')
        x += 38 + 6.5 * len(name)
    return "".join(out)


def bars_svg(counts: np.ndarray, step: int) -> str:
    """The mode-collapse view: how many of the samples the classifier reads as each class, as bars;
    a collapsed G piles into one or two of them."""
    w, h, left, bottom, top = 300, 170, 30, 22, 26
    counts = np.nan_to_num(np.asarray(counts, dtype=float))
    n, top_count = len(counts), float(counts.max()) if len(counts) and counts.max() > 0 else 1.0
    slot = (w - left - 8) / max(1, n)
    ticks = nice_ticks(0.0, top_count, 5)
    sy = _scale(0.0, ticks[-1] if ticks and ticks[-1] > 0 else top_count, h - bottom, top)
    title = _("Classes of 256 samples (step ~{step:,})").format(step=step)
    out = [f'<text x="{w / 2}" y="18" text-anchor="middle" fill="#333" {FONT}>{html.escape(title)}</text>']
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{w - 8}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" stroke="{GRID}"/>')
        out.append(f'<text x="{left - 5}" y="{sy(t) + 4:.1f}" text-anchor="end" fill="{GREY}" {FONT}>{_fmt(t)}</text>')
    for i, c in enumerate(counts):
        x, y = left + i * slot + slot * 0.15, sy(c)
        tip = _("class {cls}: {count:.0f} samples").format(cls=i, count=c)
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h - bottom - y:.1f}" fill="#6C4AB6"><title>{html.escape(tip)}</title></rect>'
        )
        out.append(f'<text x="{x + slot * 0.35:.1f}" y="{h - bottom + 16}" text-anchor="middle" fill="#444" {FONT}>{i}</text>')
    return _svg(out, title, w, h)


def _svg(parts: list[str], aria: str, w: int = W, h: int = H) -> str:
    """One line of HTML (a markdown HTML block ends at a blank line), scaled to its column."""
    return (
        f'<div><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" style="max-width:{w * 1.25:.0f}px;height:auto" '
        f'role="img" aria-label="{html.escape(aria)}">{"".join(parts)}</svg></div>'
    )
