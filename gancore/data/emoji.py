"""Colour emoji as an offline 64x64 RGB image set: a stand-in for d2l's Pokemon sprites.

d2l trains its 64x64 DCGAN on ~700 Pokemon sprites that cannot be downloaded here. Debian's
``fonts-noto-color-emoji`` carries about 1,300 colourful cartoon glyphs on the same kind of plain
white background, which makes a fair replacement: each glyph is drawn with Pillow at the font's
only bitmap size (109 px), cropped to its ink, padded to a square and shrunk to 64x64.

The code-point ranges used (Unicode blocks), in this order:

* U+1F300-1F5FF  Miscellaneous Symbols and Pictographs (weather, food, animals, objects)
* U+1F600-1F64F  Emoticons (faces)
* U+1F680-1F6FF  Transport and Map Symbols
* U+1F900-1F9FF  Supplemental Symbols and Pictographs
* U+1FA70-1FAFF  Symbols and Pictographs Extended-A
* U+2600-27BF    Miscellaneous Symbols and Dingbats

Skin-tone modifiers (U+1F3FB-1F3FF, plain colour swatches) are left out, as is every code point
the font draws nothing for; identical pictures are kept once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from gancore.base.errors import DataError
from gancore.base.i18n import _

FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
FONT_SIZE = 109  # the colour bitmaps exist at this size only
RANGES = ((0x1F300, 0x1F5FF), (0x1F600, 0x1F64F), (0x1F680, 0x1F6FF), (0x1F900, 0x1F9FF), (0x1FA70, 0x1FAFF), (0x2600, 0x27BF))
SKIN_TONES = range(0x1F3FB, 0x1F400)
SPLIT_SEED = 0  # the 90 / 10 train / test split is one fixed permutation


def code_points() -> list[int]:
    """Every code point of :data:`RANGES`, in order, skin-tone swatches left out."""
    return [cp for lo, hi in RANGES for cp in range(lo, hi + 1) if cp not in SKIN_TONES]


def _draw(font, cp: int) -> np.ndarray | None:
    """One glyph as (H, W, 4) uint8 RGBA cropped to its ink, or None when the font has none."""
    from PIL import Image, ImageDraw

    canvas = Image.new("RGBA", (160, 140), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((4, 4), chr(cp), font=font, embedded_color=True)
    box = canvas.getbbox()  # the smallest box around non-transparent pixels
    return None if box is None else np.asarray(canvas.crop(box))


def _square_on_white(rgba: np.ndarray, size: int) -> np.ndarray:
    """(H, W, 4) RGBA -> (size, size, 3) uint8 RGB: centred on white, padded square, resized."""
    from PIL import Image

    h, w = rgba.shape[:2]
    side = max(h, w) + 8  # a small white margin, like a sprite's
    sheet = Image.new("RGBA", (side, side), (255, 255, 255, 255))
    sheet.alpha_composite(Image.fromarray(rgba), ((side - w) // 2, (side - h) // 2))
    return np.asarray(sheet.convert("RGB").resize((size, size), Image.LANCZOS))


@lru_cache(maxsize=2)
def render_all(size: int = 64) -> tuple[np.ndarray, tuple[int, ...]]:
    """All distinct glyphs: (N, size, size, 3) uint8 and their code points (about 1,300, ~2 s)."""
    from PIL import ImageFont

    if not FONT.is_file():
        raise DataError(
            _("the emoji set needs Debian's colour emoji font ({FONT}): sudo apt-get install fonts-noto-color-emoji").format(FONT=FONT)
        )
    try:
        font = ImageFont.truetype(str(FONT), FONT_SIZE)
    except OSError as exc:
        raise DataError(_("cannot open the emoji font {FONT}: {exc}").format(FONT=FONT, exc=exc)) from exc
    pictures, points, seen = [], [], set()
    for cp in code_points():
        glyph = _draw(font, cp)
        if glyph is None:
            continue
        picture = _square_on_white(glyph, size)
        key = picture.tobytes()
        if key in seen:
            continue
        seen.add(key)
        pictures.append(picture)
        points.append(cp)
    if not pictures:
        raise DataError(_("the font {FONT} drew no emoji").format(FONT=FONT))
    return np.stack(pictures), tuple(points)


def split(train: bool, size: int = 64) -> tuple[torch.Tensor, tuple[int, ...]]:
    """The train (90%) or test (10%) part: float32 (N, 3, size, size) in [-1, 1], code points."""
    pictures, points = render_all(size)
    order = np.random.default_rng(SPLIT_SEED).permutation(len(points))
    cut = int(0.9 * len(order))
    part = order[:cut] if train else order[cut:]
    x = torch.from_numpy(pictures[part]).permute(0, 3, 1, 2).float().div_(127.5).sub_(1.0)  # (N, 3, 64, 64)
    return x.contiguous(), tuple(points[i] for i in part)
