"""Pixel measures of a picture against its original, as in the SRGAN paper's figure: PSNR and
SSIM (torchmetrics' implementations, with a data range of 2 for pictures in [-1, 1])."""

from __future__ import annotations

import torch
from torchmetrics.functional.image import peak_signal_noise_ratio, structural_similarity_index_measure


def psnr(x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Peak signal-to-noise ratio per picture (n,), in dB, for pictures in [-1, 1]."""
    return peak_signal_noise_ratio(x.float(), target.float(), data_range=2.0, reduction="none", dim=(1, 2, 3))


def ssim(x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Structural similarity per picture (n,) (Gaussian window 11, sigma 1.5), for [-1, 1]."""
    return structural_similarity_index_measure(x.float(), target.float(), data_range=2.0, reduction="none")


def picture_scores(x: torch.Tensor, target: torch.Tensor) -> tuple[float, float]:
    """(PSNR, SSIM) of one picture (1, C, H, W) against its original, for a caption."""
    return float(psnr(x, target)[0]), float(ssim(x, target)[0])
