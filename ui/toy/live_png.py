"""The toy lab's live plane drawn as a PNG, for the seconds while a run trains.

Streamlit remounts a Plotly chart whenever its figure changes, so every refresh of the Plotly
plane is a full ``Plotly.newPlot``: 60-100 ms of the browser's main thread in headless chromium,
which, with the trainer on the same 2 cores, held the page to about 2 refreshes a second. An
image costs the browser a decode. The same layers, colours and equal-aspect axes as
``figures.plane``; when the run pauses or ends, the page switches back to the interactive chart
(hover values, zoom).
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image, ImageColor, ImageDraw, ImageFont

from gancore.base.i18n import _
from ui.common import fonts, pictures
from ui.toy import figures

HEAT = np.array([[at, *ImageColor.getrgb(hex_)] for at, hex_ in figures.HEAT], dtype=float)  # (stop, r, g, b)
REAL, FAKE, PURPLE = (ImageColor.getrgb(c) for c in (figures.REAL, figures.FAKE, figures.PURPLE))
INK, AXIS = (34, 34, 34), (120, 120, 120)
UNDEFINED = ImageColor.getrgb(figures.UNDEFINED)
# The app draws its sample grids with crisp pixels (ui/common/display.py); this picture has text and
# round dots, so it is smoothed if a narrow window scales it down.
SMOOTH_CSS = "<style>.st-key-toyplane img { image-rendering: auto; }</style>"
PAD_L, PAD_T, PAD_B, GAP = 44, 26, 46, 28  # pixels: tick labels left, titles on top, ticks + legend below


def _font(size: int) -> ImageFont.ImageFont:
    return fonts.text_font(size)  # has Hangul (cached there)


def colour(values: np.ndarray) -> np.ndarray:
    """D values in [0, 1] -> RGB uint8 through the lab's colour scale (white, sand, blue); NaN
    (D* where neither density has mass) -> grey."""
    v = np.clip(np.nan_to_num(values, nan=0.5), 0.0, 1.0)
    rgb = np.stack([np.interp(v, HEAT[:, 0], HEAT[:, c]) for c in (1, 2, 3)], -1)
    rgb[np.isnan(values)] = UNDEFINED
    return rgb.round().astype(np.uint8)


def _ticks(lo: float, hi: float, n: int = 5) -> np.ndarray:
    """About ``n`` round tick values inside [lo, hi]."""
    raw = (hi - lo) / n
    step = 10 ** np.floor(np.log10(raw))
    step *= min((m for m in (1, 2, 5, 10) if m * step >= raw), default=10)
    return np.arange(np.ceil(lo / step) * step, hi + 1e-9, step).round(10) + 0.0  # + 0.0: no "-0" label


class _Panel:
    """One square-scaled plot area: data coordinates -> pixels."""

    def __init__(self, box: tuple[float, float, float, float], left: int, top: int, scale: float) -> None:
        self.x0, self.x1, self.y0, self.y1 = box
        self.left, self.top, self.scale = left, top, scale
        self.w = round((self.x1 - self.x0) * scale)
        self.h = round((self.y1 - self.y0) * scale)

    def px(self, pts: np.ndarray) -> np.ndarray:
        """(N, 2) data points -> (N, 2) pixel positions (y grows downwards)."""
        x = self.left + (pts[:, 0] - self.x0) * self.scale
        y = self.top + (self.y1 - pts[:, 1]) * self.scale
        return np.stack([x, y], 1)

    def heat(self, img: Image.Image, d_map: torch.Tensor) -> None:
        rgb = colour(d_map.numpy()[::-1])  # rows go up in y; image rows go down
        img.paste(Image.fromarray(rgb).resize((self.w, self.h), Image.BILINEAR), (self.left, self.top))

    def frame(self, draw: ImageDraw.ImageDraw, *titles: str) -> None:
        draw.rectangle([self.left, self.top, self.left + self.w, self.top + self.h], outline=AXIS)
        f = _font(11)
        for t in _ticks(self.x0, self.x1):
            x = self.left + (t - self.x0) * self.scale
            draw.line([x, self.top + self.h, x, self.top + self.h + 4], fill=AXIS)
            draw.text((x, self.top + self.h + 6), f"{t:g}", fill=INK, font=f, anchor="mt")
        for t in _ticks(self.y0, self.y1):
            y = self.top + (self.y1 - t) * self.scale
            draw.line([self.left - 4, y, self.left, y], fill=AXIS)
            draw.text((self.left - 6, y), f"{t:g}", fill=INK, font=f, anchor="rm")
        f = _font(13)
        for text in titles:  # the longest that fits above the panel
            if draw.textlength(text, font=f) <= self.w + GAP - 4:
                break
        draw.text((self.left + self.w / 2, self.top - 8), text, fill=INK, font=f, anchor="ms")


def _points(draw: ImageDraw.ImageDraw, xy: np.ndarray, rgb: tuple[int, int, int], alpha: int, r: float = 2.0) -> None:
    for x, y in xy:
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(*rgb, alpha))


def _lines(draw: ImageDraw.ImageDraw, panel: _Panel, lines: list[torch.Tensor], rgb: tuple[int, int, int], alpha: int) -> None:
    for line in lines:
        pts = panel.px(line.numpy())
        draw.line([tuple(p) for p in pts], fill=(*rgb, alpha), width=1)


def _legend(draw: ImageDraw.ImageDraw, items: list[tuple[str, tuple[int, int, int], str]], x: float, y: float) -> None:
    f = _font(12)
    for text, rgb, kind in items:
        if kind == "dot":
            draw.ellipse([x, y - 3, x + 6, y + 3], fill=rgb)
        else:
            draw.line([x - 2, y, x + 10, y], fill=rgb, width=2)
        draw.text((x + 14, y), text, fill=INK, font=f, anchor="lm")
        x += 26 + draw.textlength(text, font=f)


def plane_png(fr, real: torch.Tensor, layers: set[str], box: tuple[float, float, float, float], height: int = 400) -> bytes:
    """The live plane as PNG bytes: learned D(x) with the points, pushes and G's manifold on the
    left; D* = p_data / (p_data + p_g) on the right when that layer is on."""
    both = "D*" in layers
    scale = height / (box[3] - box[2])
    left = _Panel(box, PAD_L, PAD_T, scale)
    panels = [left] + ([_Panel(box, PAD_L + left.w + GAP + PAD_L, PAD_T, scale)] if both else [])
    width = panels[-1].left + panels[-1].w + 12
    img = Image.new("RGB", (width, PAD_T + left.h + PAD_B), "white")
    if "D(x)" in layers:
        left.heat(img, fr.d_map)
    if both:
        panels[1].heat(img, fr.d_star_map)
    over = Image.new("RGBA", img.size, (0, 0, 0, 0))  # translucent marks go on a layer of their own
    draw = ImageDraw.Draw(over)
    legend = []
    if "Manifold" in layers:
        _lines(draw, left, fr.lines, PURPLE, 150)
        legend.append((_("G(noise lattice)"), PURPLE, "line"))
    if "Real" in layers:
        _points(draw, left.px(real[: figures.SHOWN_POINTS].numpy()), REAL, 170)
        legend.append((_("real"), REAL, "dot"))
    if "Generated" in layers:
        _points(draw, left.px(fr.fake[: figures.SHOWN_POINTS].numpy()), FAKE, 180)
        legend.append((_("generated"), FAKE, "dot"))
    if "Arrows" in layers:
        n, length = figures.SHOWN_ARROWS, figures.ARROW_SHARE * max(box[1] - box[0], box[3] - box[2])
        starts, ends = figures.arrow_ends(fr.fake[:n], fr.push[:n], length)
        for a, b in zip(left.px(starts.numpy()), left.px(ends.numpy()), strict=True):
            draw.line([tuple(a), tuple(b)], fill=(*INK, 255), width=1)
        legend.append((_("G's push (-dL_G/dx)"), INK, "line"))  # the built-in font has no math glyphs
    img.paste(over, (0, 0), over)
    ink = ImageDraw.Draw(img)
    left.frame(ink, _("learned D(x)"))
    if both:
        panels[1].frame(ink, _("optimal D*(x) = p_data / (p_data + p_g)"), _("D* = p_data / (p_data + p_g)"), _("optimal D*"))
    _legend(ink, legend, PAD_L, PAD_T + left.h + 34)
    return pictures.png(img)
