"""d2l 20.2's DCGAN for 64x64 RGB images (the Pokemon sprites), n_G = n_D = 64.

G: z (B, 100, 1, 1)
   -> G_block(100, 512, s1, p0)  (B, 512, 4, 4)
   -> G_block(512, 256)          (B, 256, 8, 8)
   -> G_block(256, 128)          (B, 128, 16, 16)
   -> G_block(128, 64)           (B, 64, 32, 32)
   -> ConvT(64, 3) + tanh        (B, 3, 64, 64)
D: D_block(3, 64) ... D_block(256, 512)  (B, 512, 4, 4) -> Conv(512, 1, 4) -> logit
G_block = ConvT 4x4 s2 p1 + BN + ReLU; D_block = Conv 4x4 s2 p1 + BN + LeakyReLU(0.2).
Weights start from N(0, 0.02), as in the book.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import nn

from gancore.base.config import ConvModelConfig
from gancore.base.i18n import N_
from gancore.models.common import Dropout, init_normal
from gancore.models.family import Family, register


@dataclass(frozen=True)
class Dcgan64Config(ConvModelConfig):
    """d2l's 64x64 DCGAN; ``width`` scales n_G = n_D = 64."""

    family: ClassVar[str] = "dcgan64"
    image_sizes: ClassVar[tuple[int, ...]] = (64,)

    channels: int = 3
    image_size: int = 64


def g_block(c_in: int, c_out: int, stride: int = 2, padding: int = 1) -> list[nn.Module]:
    return [
        nn.ConvTranspose2d(c_in, c_out, 4, stride, padding, bias=False),
        nn.BatchNorm2d(c_out),
        nn.LeakyReLU(0.0),  # the book's ReLU
        Dropout(0.0),
    ]


def d_block(c_in: int, c_out: int) -> list[nn.Module]:
    return [nn.Conv2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.LeakyReLU(0.2)]


def _n(cfg: Dcgan64Config) -> int:
    return max(4, round(64 * cfg.width))


class Generator(nn.Module):
    def __init__(self, cfg: Dcgan64Config) -> None:
        super().__init__()
        n = _n(cfg)
        self.net = nn.Sequential(
            *g_block(cfg.latent_dim, n * 8, stride=1, padding=0),  # (B, 512, 4, 4)
            *g_block(n * 8, n * 4),  # (B, 256, 8, 8)
            *g_block(n * 4, n * 2),  # (B, 128, 16, 16)
            *g_block(n * 2, n),  # (B, 64, 32, 32)
            nn.ConvTranspose2d(n, cfg.channels, 4, 2, 1, bias=False),  # (B, 3, 64, 64)
            nn.Tanh(),
        )
        init_normal(self)

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(z[:, :, None, None])


class Discriminator(nn.Module):
    def __init__(self, cfg: Dcgan64Config) -> None:
        super().__init__()
        n = _n(cfg)
        self.net = nn.Sequential(
            *d_block(cfg.channels, n),  # (B, 64, 32, 32)
            *d_block(n, n * 2),  # (B, 128, 16, 16)
            *d_block(n * 2, n * 4),  # (B, 256, 8, 8)
            *d_block(n * 4, n * 8),  # (B, 512, 4, 4)
            nn.Conv2d(n * 8, 1, 4, bias=False),  # (B, 1, 1, 1)
            nn.Flatten(),
        )
        init_normal(self)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(x).squeeze(1)  # (B,)


class Dcgan64Family(Family):
    name = "dcgan64"
    config = Dcgan64Config
    title = "DCGAN 64x64 (d2l 20.2)"
    kind = N_("a 64×64 DCGAN")

    generator, discriminator = Generator, Discriminator


FAMILY = register(Dcgan64Family())
