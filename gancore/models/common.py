"""Building blocks shared by the model families."""

from __future__ import annotations

import torch
from torch import nn


def init_normal(module: nn.Module, std: float = 0.02) -> None:
    """DCGAN initialisation: conv/linear weights ~ N(0, std), BatchNorm gamma ~ N(1, std), biases 0."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, std)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            nn.init.normal_(m.weight, 1.0, std)
            nn.init.zeros_(m.bias)


def set_hacks(g: nn.Module, d: nn.Module, *, g_slope: float, d_slope: float, g_dropout: float) -> None:
    """Apply the live-editable architecture hacks in place: LeakyReLU slopes and G's dropout.

    Hidden activations are ``nn.LeakyReLU`` everywhere (slope 0 is exactly ReLU), so a
    slope is an attribute to set, not a new network. Modules tagged ``fixed_slope`` keep theirs.
    """
    for net, slope in ((g, g_slope), (d, d_slope)):
        for m in net.modules():
            if isinstance(m, nn.LeakyReLU) and not getattr(m, "fixed_slope", False):
                m.negative_slope = slope
    for m in g.modules():
        if isinstance(m, nn.Dropout):
            m.p = g_dropout


class Reshape(nn.Module):
    """(B, prod(shape)) -> (B, *shape)."""

    def __init__(self, *shape: int) -> None:
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.view(x.shape[0], *self.shape)

    def extra_repr(self) -> str:
        return f"{self.shape}"


class Dropout(nn.Dropout):
    """nn.Dropout drawing its mask from the run's ``torch.Generator``.

    The global RNG is shared by every thread, so two runs training side by side would
    disturb each other's dropout masks; a per-run generator keeps each run reproducible.
    """

    generator: torch.Generator | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0:
            return x
        if self.generator is None:
            return super().forward(x)
        keep = torch.rand(x.shape, generator=self.generator, device=x.device, dtype=x.dtype) >= self.p
        return x * keep / (1.0 - self.p)
