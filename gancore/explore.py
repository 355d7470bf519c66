"""Sampling helpers the exploration views call: G from a snapshot or checkpoint, images, histograms."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from gancore.config import HackConfig, ModelConfig
from gancore.latent import sample_latent
from gancore.models import build, set_hacks


def generator_from_state(cfg: ModelConfig, g_state: dict[str, torch.Tensor], hacks: HackConfig) -> nn.Module:
    """G rebuilt from a state dict (a snapshot's copy) with the run's slopes, in eval mode on the CPU."""
    g, d = build(cfg)
    g.load_state_dict(g_state)
    set_hacks(g, d, g_slope=hacks.g_slope, d_slope=hacks.d_slope, g_dropout=hacks.g_dropout)
    return g.eval()


@torch.inference_mode()
def sample_images(g: nn.Module, cfg: ModelConfig, n: int, seed: int, z_dist: str = "normal") -> torch.Tensor:
    """(n, C, H, W) in [-1, 1] from a fixed seed; conditional / InfoGAN codes balanced."""
    lat = sample_latent(cfg, n, torch.Generator().manual_seed(seed), z_dist, balanced=True)
    return g(lat["z"], lat.get("y")).float()


def tile(grid: np.ndarray, cols: int | None = None, scale: int = 1, pad: int = 1) -> np.ndarray:
    """(n, H, W, C) uint8 -> one (rows*H, cols*W, C) image with a thin border, for display."""
    n, h, w, c = grid.shape
    cols = cols or int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    out = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad, c), 255, np.uint8)
    for i in range(n):
        r, k = divmod(i, cols)
        out[pad + r * (h + pad) : pad + r * (h + pad) + h, pad + k * (w + pad) : pad + k * (w + pad) + w] = grid[i]
    if scale > 1:
        out = out.repeat(scale, 0).repeat(scale, 1)
    return out[..., 0] if c == 1 else out


def class_histogram(cfg: ModelConfig, g_state: dict, hacks: HackConfig, dataset: str, n: int = 256, seed: int = 0) -> np.ndarray | None:
    """How many of n samples the dataset's classifier puts in each class, or None without one."""
    from gancore import classifier, metrics

    loaded = metrics.load_classifier(dataset)
    if loaded is None or cfg.image_shape != (1, 28, 28):
        return None
    x = sample_images(generator_from_state(cfg, g_state, hacks), cfg, n, seed)
    probs, _ = classifier.predict(loaded[0], x)
    return metrics.class_histogram(probs)
