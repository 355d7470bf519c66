"""The toy lab's live plane painted with Pillow: the picture a student takes home (the PNG
download, the frames of the training GIF).

While a run trains, the student's browser paints the same :class:`ui.toy.plan.Plan` on a canvas
(``ui/toy/live_canvas.py``); this painter runs only when a download asks for it, so the server
draws no picture per poll.
"""

from __future__ import annotations

import torch
from PIL import Image, ImageDraw

from ui.common import fonts, pictures
from ui.toy.plan import AXIS, GAP, INK, Marks, Panel, Plan, colour, plan


def _heat(img: Image.Image, p: Panel) -> None:
    img.paste(Image.fromarray(colour(p.heat)).resize((p.w, p.h), Image.BILINEAR), (p.left, p.top))


def _frame(draw: ImageDraw.ImageDraw, p: Panel) -> None:
    draw.rectangle([p.left, p.top, p.left + p.w, p.top + p.h], outline=AXIS)
    f = fonts.text_font(11)
    for x, label in p.xticks:
        draw.line([x, p.top + p.h, x, p.top + p.h + 4], fill=AXIS)
        draw.text((x, p.top + p.h + 6), label, fill=INK, font=f, anchor="mt")
    for y, label in p.yticks:
        draw.line([p.left - 4, y, p.left, y], fill=AXIS)
        draw.text((p.left - 6, y), label, fill=INK, font=f, anchor="rm")
    f = fonts.text_font(13)
    for text in p.titles:  # the longest that fits above the panel
        if draw.textlength(text, font=f) <= p.w + GAP - 4:
            break
    draw.text((p.left + p.w / 2, p.top - 8), text, fill=INK, font=f, anchor="ms")


def _marks(draw: ImageDraw.ImageDraw, m: Marks, r: float = 2.0) -> None:
    fill = (*m.rgb, m.alpha)
    if m.kind == "dots":
        for x, y in m.xy:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)
    else:  # polylines, or segments (polylines of two points)
        for line in m.xy:
            draw.line([tuple(p) for p in line], fill=fill, width=1)


def _legend(draw: ImageDraw.ImageDraw, pl: Plan) -> None:
    f = fonts.text_font(12)
    x, y = pl.legend_xy
    for text, rgb, kind in pl.legend:
        if kind == "dot":
            draw.ellipse([x, y - 3, x + 6, y + 3], fill=rgb)
        else:
            draw.line([x - 2, y, x + 10, y], fill=rgb, width=2)
        draw.text((x + 14, y), text, fill=INK, font=f, anchor="lm")
        x += 26 + draw.textlength(text, font=f)


def paint(pl: Plan) -> bytes:
    """A plan as PNG bytes."""
    img = Image.new("RGB", (pl.width, pl.height), "white")
    for p in pl.panels:
        if p.heat is not None:
            _heat(img, p)
    over = Image.new("RGBA", img.size, (0, 0, 0, 0))  # translucent marks go on a layer of their own
    draw = ImageDraw.Draw(over)
    for m in pl.marks:
        _marks(draw, m)
    img.paste(over, (0, 0), over)
    ink = ImageDraw.Draw(img)
    for p in pl.panels:
        _frame(ink, p)
    _legend(ink, pl)
    return pictures.png(img)


def plane_png(fr, real: torch.Tensor, layers: set[str], box: tuple[float, float, float, float], height: int = 400) -> bytes:
    """The live plane of one frame as PNG bytes (the layers shown, in the reader's language)."""
    return paint(plan(fr, real, layers, box, height))
