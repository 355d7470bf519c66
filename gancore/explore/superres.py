"""Super-resolution beside its baseline, as in the SRGAN paper's figure: bicubic interpolation,
the SRResNet trained on MSE alone and SRGAN for the same small pictures. An SRGAN's baseline is
the shipped SRResNet of its dataset, loaded here (the family names it, the model layer never
reads a checkpoint); the measures themselves are the family's (:mod:`gancore.models.srgan`)."""

from __future__ import annotations

from functools import lru_cache

import torch
from torch import nn

from gancore.base.config import ModelConfig
from gancore.base.errors import CheckpointError
from gancore.base.paths import SHIPPED_DIR
from gancore.io import checkpoints
from gancore.models import catalog, srgan


@lru_cache(maxsize=4)
def shipped_generator(name: str) -> nn.Module | None:
    """The shipped checkpoint ``name``'s G in eval mode, or None if it is not there."""
    try:
        return checkpoints.generator(checkpoints.load(SHIPPED_DIR / f"{name}.safetensors")).eval()
    except (CheckpointError, OSError):
        return None


def companion_generator(cfg: ModelConfig) -> nn.Module | None:
    """The shipped G whose answers a family's measures stand beside (SRGAN: its SRResNet), or None."""
    name = catalog.of(cfg).companion(cfg)
    return shipped_generator(name) if name else None


def columns(g: nn.Module, cfg: srgan.SrganConfig, lr: torch.Tensor) -> dict[str, torch.Tensor]:
    """The paper's figure for small pictures (n, 1, 7, 7), each answer (n, 1, 28, 28) by name."""
    return srgan.columns(g, cfg, lr, companion_generator(cfg))
