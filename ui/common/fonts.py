"""The font for text burned into pictures (GIF and PNG exports, the toy lab's live picture, class
cards): one that has Hangul, so a Korean caption is not a row of boxes. Pillow's built-in font has
Latin letters only; Debian's ``fonts-noto-cjk`` (installed by ``scripts/debian-packages.sh``) has
both scripts. Without it, pictures fall back to the built-in font and say so in the README."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

CANDIDATES = (  # Debian / Ubuntu paths of fonts with Hangul and Latin, first found wins
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
    Path("/usr/share/fonts/opentype/noto/NotoSansKR-Regular.otf"),
)
KOREAN_INDEX = 1  # in Noto's .ttc collection: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK


def path() -> Path | None:
    """The first installed font with Hangul, or None."""
    return next((p for p in CANDIDATES if p.is_file()), None)


@lru_cache(maxsize=16)
def text_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A ``size`` px font that draws Hangul and Latin (Pillow's own when none is installed)."""
    found = path()
    if found is not None:
        try:
            index = KOREAN_INDEX if found.suffix == ".ttc" else 0
            return ImageFont.truetype(str(found), size, index=index)
        except OSError:
            pass
    return ImageFont.load_default(size=size)
