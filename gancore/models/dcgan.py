"""The 28x28 DCGAN of the TensorFlow tutorial, with a width multiplier for CPUs.

G: Dense 7*7*256 (no bias) -> BN -> LeakyReLU -> reshape (256, 7, 7)
   -> ConvT 128 5x5 s1 -> BN -> LeakyReLU   (128, 7, 7)
   -> ConvT  64 5x5 s2 -> BN -> LeakyReLU   (64, 14, 14)
   -> ConvT   1 5x5 s2 -> tanh              (1, 28, 28)
D: Conv 64 5x5 s2 -> LeakyReLU -> Dropout 0.3   (64, 14, 14)
   Conv 128 5x5 s2 -> LeakyReLU -> Dropout 0.3  (128, 7, 7)
   Flatten -> Dense 1                            logit

With width 1 the trainable counts equal the tutorial's (G 2,305,472, D 212,865). Keras
``padding='same'`` with stride 2 is padding 2 plus ``output_padding=1`` for the ConvT.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import nn

from gancore.base.config import ConvModelConfig
from gancore.base.i18n import N_
from gancore.models.common import Dropout, Reshape
from gancore.models.family import Family, register


@dataclass(frozen=True)
class DcganConfig(ConvModelConfig):
    """The tutorial's 28x28 DCGAN; ``width`` scales its channel counts."""

    family: ClassVar[str] = "dcgan"


def widths(cfg: ConvModelConfig) -> tuple[int, int, int]:
    """Channel counts (256, 128, 64) scaled by ``cfg.width``."""
    return tuple(max(4, round(c * cfg.width)) for c in (256, 128, 64))  # type: ignore[return-value]


def up(c_in: int, c_out: int, stride: int) -> list[nn.Module]:
    """ConvT 5x5 ('same'), BN, LeakyReLU (Keras' default slope 0.3, editable as a hack)."""
    return [
        nn.ConvTranspose2d(c_in, c_out, 5, stride, 2, output_padding=stride - 1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.LeakyReLU(0.3),
        Dropout(0.0),
    ]


class Generator(nn.Module):
    def __init__(self, cfg: ConvModelConfig, extra_inputs: int = 0) -> None:
        super().__init__()
        c1, c2, c3 = widths(cfg)
        self.net = nn.Sequential(
            nn.Linear(cfg.latent_dim + extra_inputs, 7 * 7 * c1, bias=False),  # (B, 7*7*256)
            nn.BatchNorm1d(7 * 7 * c1),
            nn.LeakyReLU(0.3),
            Reshape(c1, 7, 7),  # (B, 256, 7, 7)
            *up(c1, c2, 1),  # (B, 128, 7, 7)
            *up(c2, c3, 2),  # (B, 64, 14, 14)
            nn.ConvTranspose2d(c3, cfg.channels, 5, 2, 2, output_padding=1, bias=False),  # (B, 1, 28, 28)
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(z)


def trunk(c_in: int, cfg: ConvModelConfig) -> nn.Sequential:
    """D's convolutional body: (B, c_in, 28, 28) -> (B, 128*7*7)."""
    _, c2, c3 = widths(cfg)
    return nn.Sequential(
        nn.Conv2d(c_in, c3, 5, 2, 2),  # (B, 64, 14, 14)
        nn.LeakyReLU(0.3),
        Dropout(0.3),
        nn.Conv2d(c3, c2, 5, 2, 2),  # (B, 128, 7, 7)
        nn.LeakyReLU(0.3),
        Dropout(0.3),
        nn.Flatten(),  # (B, 128*7*7)
    )


class Discriminator(nn.Module):
    def __init__(self, cfg: ConvModelConfig) -> None:
        super().__init__()
        _, c2, _ = widths(cfg)
        self.net = nn.Sequential(trunk(cfg.channels, cfg), nn.Linear(c2 * 7 * 7, 1))  # (B, 1)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(x).squeeze(1)  # (B,)


class DcganFamily(Family):
    name = "dcgan"
    config = DcganConfig
    title = "DCGAN (the TensorFlow tutorial)"
    kind = N_("a DCGAN")

    generator, discriminator = Generator, Discriminator


FAMILY = register(DcganFamily())
