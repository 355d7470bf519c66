"""Small tensor helpers every layer uses: pictures as uint8 grids, weights copied to the CPU,
and a picture's shape moments (its slant and stroke), measured once for captions and metrics."""

from __future__ import annotations

import numpy as np
import torch


def to_uint8_grid(x: torch.Tensor) -> np.ndarray:
    """(n, C, H, W) in [-1, 1] -> (n, H, W, C) uint8."""
    return ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()


def cpu_copy(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    """A detached CPU copy of every tensor of ``module``'s state (weights and buffers)."""
    return {k: v.detach().to("cpu", copy=True) for k, v in module.state_dict().items()}


def shape_moments(images: torch.Tensor) -> dict[str, torch.Tensor]:
    """Per picture (N, 1, H, W) in [-1, 1], in the pictures' own dtype: ``slant`` (the shear
    -mu11 / mu02 of the ink), ``width`` (its horizontal std, sqrt mu20) and ``ink`` (mean ink in [0, 1])."""
    ink = ((images[:, 0] + 1) / 2).clamp(0, 1)  # (N, H, W)
    h, w = ink.shape[1:]
    ys = torch.arange(h, dtype=ink.dtype, device=ink.device)[None, :, None]
    xs = torch.arange(w, dtype=ink.dtype, device=ink.device)[None, None, :]
    m00 = ink.sum((1, 2)).clamp_min(1e-6)  # (N,)
    dx = xs - ((ink * xs).sum((1, 2)) / m00)[:, None, None]
    dy = ys - ((ink * ys).sum((1, 2)) / m00)[:, None, None]
    mu11, mu02, mu20 = ((ink * a * b).sum((1, 2)) / m00 for a, b in ((dx, dy), (dy, dy), (dx, dx)))
    return {"slant": -mu11 / mu02.clamp_min(1e-6), "width": mu20.sqrt(), "ink": m00 / (h * w)}
