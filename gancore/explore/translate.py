"""Image-to-image at inference: a student's picture in, G's translation out, with G's own noise.

pix2pix keeps dropout on when it samples (the paper's only source of noise for G). Here it is
on only when asked for, drawn from a seeded generator so a re-roll is reproducible; BatchNorm
always uses its running averages (one picture is no batch to measure).

A picture comes from three places, each checked before use: a test image's edge map, strokes
drawn on the page's canvas (RGBA, any size), or an uploaded file (untrusted: size, format and
pixel count are checked before it is decoded).
"""

from __future__ import annotations

import copy
import io

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, UnidentifiedImageError
from torch import nn

from gancore.base.errors import PictureError
from gancore.base.i18n import _
from gancore.data import tasks
from gancore.models.common import Dropout
from gancore.models.cyclegan import round_trip

UPLOAD_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")  # what the page lists; Pillow would open ~40 formats
MAX_UPLOAD_BYTES = 5_000_000
MAX_UPLOAD_PIXELS = 4096 * 4096  # decoded size: a 40 KB PNG can claim 100,000 x 100,000 pixels


def _noisy_copy(g: nn.Module, gen: torch.Generator) -> nn.Module:
    """A copy of G (shared by every session: never changed in place) with dropout on, drawing its
    masks from ``gen``; BatchNorm stays in eval mode."""
    noisy = copy.deepcopy(g).eval()
    for m in noisy.modules():
        if isinstance(m, Dropout):
            m.train()
            m.generator = gen
    return noisy


@torch.inference_mode()
def translate(g: nn.Module, source: torch.Tensor, seed: int | None = None) -> torch.Tensor:
    """G's pictures for sources (n, 1, 28, 28) in [-1, 1]: dropout off (the deterministic answer),
    or on with masks drawn from ``seed``."""
    if seed is None:
        return g(None, source).float()  # (n, 1, 28, 28)
    return _noisy_copy(g, torch.Generator().manual_seed(seed))(None, source).float()


@torch.inference_mode()
def rerolls(g: nn.Module, source: torch.Tensor, seeds: list[int]) -> tuple[torch.Tensor, float]:
    """``source`` (1, 1, 28, 28) translated once per dropout seed (k, 1, 28, 28), and how much the
    pictures differ: the mean over pixels of their standard deviation, in [-1, 1] units."""
    gen = torch.Generator()
    noisy = _noisy_copy(g, gen)
    outs = []
    for s in seeds:
        gen.manual_seed(s)
        outs.append(noisy(None, source).float())
    outs = torch.cat(outs)
    return outs, float(outs.std(0).mean()) if len(seeds) > 1 else 0.0


def _picture(grey: np.ndarray) -> torch.Tensor:
    """A grey picture (H, W) in [0, 1], light strokes on dark, as (1, 1, 28, 28) in [-1, 1]: each
    cell holds its share of ink (area resizing), as MNIST's anti-aliased digits do."""
    x = torch.from_numpy(grey.astype(np.float32))[None, None]  # (1, 1, H, W)
    return F.interpolate(x, size=(28, 28), mode="area") * 2 - 1  # (1, 1, 28, 28)


def as_edge_map(picture: torch.Tensor) -> torch.Tensor:
    """A drawn outline (B, 1, 28, 28) in [-1, 1] as pix2pix's binary input: a pixel is on where a
    stroke covers a quarter of it (a thin stroke, shrunk, covers about that much)."""
    return (picture > -0.5).to(picture.dtype) * 2 - 1


def source_for(picture: torch.Tensor, dataset: str, edge_map: bool) -> torch.Tensor:
    """pix2pix's input for a 28 x 28 picture: a drawn outline as it is, else its edges, as in training."""
    return as_edge_map(picture) if edge_map else tasks.edges(picture, tasks.edge_threshold(dataset))


def test_source(dataset: str, index: int) -> dict[str, torch.Tensor]:
    """The edge map, real image and label of test image ``index`` (each with a batch of 1)."""
    return tasks.test_pairs_at(dataset, [index])


def from_drawing(rgba: np.ndarray | None) -> torch.Tensor | None:
    """The canvas's strokes (H, W, 4) uint8, light on dark, as a 28 x 28 picture; None when empty."""
    if rgba is None or rgba.ndim != 3 or rgba.shape[2] < 3:
        return None
    grey = rgba[..., :3].max(2).astype(np.float32) / 255  # (H, W): any bright stroke counts
    if rgba.shape[2] == 4:
        grey = grey * (rgba[..., 3].astype(np.float32) / 255)
    if grey.max() < 0.5:
        return None
    return _picture(grey)


def from_upload(data: bytes) -> torch.Tensor:
    """An uploaded image file as a 28 x 28 picture in [-1, 1]. Only the formats the page lists
    are opened (an ICO or TIFF can hide a huge picture behind a small header), and the size is
    checked from the header before anything is decoded. Dark-on-light pictures (ink on paper)
    are inverted to match the training data."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise PictureError(
            _("that file is {value:.1f} MB; pictures up to {value2} MB are read").format(
                value=len(data) / 1e6, value2=MAX_UPLOAD_BYTES // 1_000_000
            )
        )
    try:
        with Image.open(io.BytesIO(data), formats=UPLOAD_FORMATS) as im:
            if im.width * im.height > MAX_UPLOAD_PIXELS:
                raise PictureError(
                    _("that picture is {width:,} x {height:,} pixels; up to 4,096 x 4,096 are read").format(
                        width=im.width, height=im.height
                    )
                )
            grey = grey_of(im)
    except PictureError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise PictureError(_("that file is not a picture I can read: upload a PNG, JPEG, GIF, BMP or WebP image")) from None
    if grey.size == 0:
        raise PictureError(_("that picture has no pixels"))
    if grey.mean() > 0.5:  # mostly light: ink on paper, the opposite of MNIST's
        grey = 1 - grey
    return _picture(grey)


def grey_of(im: Image.Image) -> np.ndarray:
    """A picture's brightness (H, W) in [0, 1] whatever its mode: 16-bit and float pictures are
    scaled by their own range (``convert("L")`` clips them to white), and a transparent one is
    laid on white paper first (transparency read as black would hide dark ink)."""
    if im.mode in ("I", "F") or im.mode.startswith("I;16"):
        a = np.asarray(im, dtype=np.float64)  # (H, W)
        peak = float(a.max()) if a.size else 0.0
        top = next((t for t in (1.0, 255.0, 65535.0) if peak <= t), peak) if im.mode != "F" else max(peak, 1.0)
        if im.mode.startswith("I;16"):
            top = 65535.0
        return np.clip(a / top, 0, 1).astype(np.float32)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(paper, rgba)
    return np.asarray(im.convert("L"), dtype=np.float32) / 255


def cycle(g: nn.Module, x: torch.Tensor, forward: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """CycleGAN's round trip for a student's pictures (n, 1, 28, 28): A -> B -> A (``forward``) or
    B -> A -> B; the translation and the way back."""
    return round_trip(g, x, forward)
