"""Every picture the pages make: grids (numbered, with labelled rows), PNG bytes and animated GIFs."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from gancore.base.i18n import _
from gancore.explore.sampling import tile
from ui.common import fonts


def grid(images: np.ndarray, cols: int, scale: int = 1) -> np.ndarray:
    """(n, H, W, C) uint8 -> one picture, each image enlarged ``scale`` times (1: let the browser
    enlarge it, see ``ui.common.display.sharp``)."""
    return tile(images, cols=cols, scale=scale)


def numbered(images: np.ndarray, cols: int, scale: int = 3) -> np.ndarray:
    """A grid with each cell's index in its top-left corner, so a student can say "take 5"."""
    pic = Image.fromarray(tile(images, cols=cols, scale=scale)).convert("RGB")
    draw = ImageDraw.Draw(pic)
    h, w = images.shape[1] * scale, images.shape[2] * scale
    for i in range(len(images)):
        r, k = divmod(i, cols)
        x, y = scale + k * (w + scale), scale + r * (h + scale)
        draw.rectangle([x, y, x + 15, y + 11], fill=(108, 74, 182))
        draw.text((x + 2, y), str(i), fill=(255, 255, 255))
    return np.asarray(pic)


def with_row_labels(images: np.ndarray, cols: int, labels: list[str], scale: int = 2) -> np.ndarray:
    """A grid with a text label left of each row (e.g. which digit an InfoGAN category means)."""
    body = Image.fromarray(tile(images, cols=cols, scale=scale)).convert("RGB")
    # A font 0.4 of a row (its digits' ink a quarter of the row): the grid is shown shrunk to its column (at 1024 px a
    # two-column page halves it), and 7 x scale px labels came out about 7 px tall on screen.
    font = fonts.text_font(max(14, round(0.4 * 28 * scale)))
    margin = 12 + int(max(font.getlength(s) for s in labels))
    pic = Image.new("RGB", (body.width + margin, body.height), (255, 255, 255))
    pic.paste(body, (margin, 0))
    draw = ImageDraw.Draw(pic)
    row_h = body.height / len(labels)
    for r, text in enumerate(labels):
        draw.text((6, int(r * row_h + row_h / 2)), text, fill=(0, 0, 0), font=font, anchor="lm")
    return np.asarray(pic)


def png(picture: np.ndarray | Image.Image) -> bytes:
    """Fast, lossless PNG bytes for st.image. Pass ``output_format="PNG"`` too: with "auto",
    st.image decodes any picture without alpha and re-encodes it as a JPEG (slower, and it
    blurs the pixel edges)."""
    buf = io.BytesIO()
    (picture if isinstance(picture, Image.Image) else Image.fromarray(picture)).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def captioned(picture: np.ndarray | Image.Image, text: str, size: int = 14) -> Image.Image:
    """The picture with ``text`` burned in on a white band under it (a GIF frame's step or value:
    exported frames keep their meaning away from the page)."""
    body = (picture if isinstance(picture, Image.Image) else Image.fromarray(picture)).convert("RGB")
    font = fonts.text_font(size)
    band = size + 8
    out = Image.new("RGB", (max(body.width, int(font.getlength(text)) + 8), body.height + band), (255, 255, 255))
    out.paste(body, (0, 0))
    ImageDraw.Draw(out).text((4, body.height + 3), text, fill=(40, 40, 40), font=font)
    return out


def _gif(frames: list[Image.Image], ms: int) -> bytes:
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=ms, loop=0)
    return buf.getvalue()


def gif(images: np.ndarray, scale: int = 4, ms: int = 120, labels: list[str] | None = None) -> bytes:
    """An animated GIF that plays the images forward then back (a smooth loop for an interpolation),
    each frame's label (e.g. "c2 = 1.5") burned in under it when given."""
    frames = [Image.fromarray(tile(x[None], cols=1, scale=scale, pad=0)) for x in images]
    if labels is not None:
        frames = [captioned(f, text, size=12) for f, text in zip(frames, labels, strict=True)]
    return _gif(frames + frames[-2:0:-1], ms)


def training_gif(frames: list[tuple[int, np.ndarray]], cols: int = 4, scale: int = 3, ms: int = 150) -> bytes:
    """An animated GIF of a run's fixed-seed grid over training, one frame per (step, grid), each
    with its step burned in."""
    return _gif([captioned(tile(g, cols=cols, scale=scale), _("step {step:,}").format(step=step)) for step, g in frames], ms)


def gif_of_pngs(frames: list[tuple[str, bytes]], ms: int = 150, scale: int = 1) -> bytes:
    """An animated GIF from (label, PNG bytes) frames of one size, each label burned in under its
    frame ("step 1,200", "c2 = 0.50"); ``scale`` enlarges small pictures without blurring them."""
    out = []
    for text, b in frames:
        im = Image.open(io.BytesIO(b))
        out.append(captioned(im.resize((im.width * scale, im.height * scale), Image.NEAREST) if scale > 1 else im, text))
    return _gif(out, ms)
