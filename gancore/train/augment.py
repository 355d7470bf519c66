"""Differentiable augmentation of D's inputs: the fix for a discriminator that memorises small data.

With 4,500 offline digits D soon tells the training images apart from anything else, G's
gradient turns into noise and the samples collapse (the MLP's classifier score falls from 7.3 at
7,000 steps to 4.4 at 30,000). DiffAugment (Zhao et al., NeurIPS 2020) shows D every image -
real *and* fake, in D's step and in G's - randomly shifted (and with a square cut out), so D
cannot memorise pixel positions. Because the same differentiable transform sits between G and D
in G's step, G still learns to draw un-shifted digits: the augmentation never leaks into samples.

Every function takes images ``(N, C, H, W)`` in [-1, 1] and the run's ``torch.Generator``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

BACKGROUND = -1.0  # what shifted-in pixels are: the images' black background in [-1, 1]


def translate(x: torch.Tensor, gen: torch.Generator, frac: float = 0.125) -> torch.Tensor:
    """Shift each image by up to ``frac`` of its size in x and y (4 pixels at 28x28), independently."""
    n, _, h, w = x.shape
    r = max(1, round(h * frac))
    dy = torch.randint(-r, r + 1, (n, 1, 1), generator=gen, device=x.device)
    dx = torch.randint(-r, r + 1, (n, 1, 1), generator=gen, device=x.device)
    padded = F.pad(x, (r, r, r, r), value=BACKGROUND)  # (N, C, H + 2r, W + 2r)
    rows = torch.arange(h, device=x.device).view(1, h, 1) + r - dy  # (N, H, 1) source rows
    cols = torch.arange(w, device=x.device).view(1, 1, w) + r - dx  # (N, 1, W) source columns
    batch = torch.arange(n, device=x.device).view(n, 1, 1)
    return padded.permute(0, 2, 3, 1)[batch, rows, cols].permute(0, 3, 1, 2)  # (N, H, W, C) -> (N, C, H, W)


def cutout(x: torch.Tensor, gen: torch.Generator, frac: float = 0.5) -> torch.Tensor:
    """Set one random square of side ``frac`` x size (14 pixels at 28x28) per image to 0 (mid-grey).

    The square's centre is anywhere in the image, so it may hang over an edge.
    """
    n, _, h, w = x.shape
    sh, sw = max(1, round(h * frac)), max(1, round(w * frac))
    top = torch.randint(0, h, (n, 1, 1), generator=gen, device=x.device) - sh // 2
    left = torch.randint(0, w, (n, 1, 1), generator=gen, device=x.device) - sw // 2
    rows = torch.arange(h, device=x.device).view(1, h, 1)
    cols = torch.arange(w, device=x.device).view(1, 1, w)
    inside = (rows >= top) & (rows < top + sh) & (cols >= left) & (cols < left + sw)  # (N, H, W)
    return x.masked_fill(inside.unsqueeze(1), 0.0)


def augment(x: torch.Tensor, kind: str, gen: torch.Generator) -> torch.Tensor:
    """Apply ``kind`` (one of :data:`AUGMENTS`) to a batch of images; other inputs (2D points) pass unchanged."""
    if kind == "none" or x.dim() != 4:
        return x
    x = translate(x, gen)
    return cutout(x, gen) if kind == "translate_cutout" else x
