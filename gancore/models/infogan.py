"""InfoGAN's MNIST networks (Chen et al. 2016, Appendix C.1), with a width multiplier.

G input: 62 noise + 10-way one-hot category c1 + 2 continuous codes c2, c3 ~ U(-1, 1) = 74.
G: FC 1024 -> BN -> ReLU            (B, 1024)
   FC 7*7*128 -> BN -> ReLU         (B, 128, 7, 7)
   ConvT 64 4x4 s2 -> BN -> ReLU    (B, 64, 14, 14)
   ConvT 1 4x4 s2 -> tanh           (B, 1, 28, 28)
D and Q share a trunk:
   Conv 64 4x4 s2 -> LeakyReLU(0.1)          (B, 64, 14, 14)
   Conv 128 4x4 s2 -> BN -> LeakyReLU(0.1)   (B, 128, 7, 7)
   FC 1024 -> BN -> LeakyReLU(0.1)           (B, 1024)
D head: FC 1 (the real/fake logit).
Q head: FC 128 -> BN -> LeakyReLU(0.1) -> FC 10 + 2 (category logits, continuous code means).
"""

from __future__ import annotations

import torch
from torch import nn

from gancore.config import ModelConfig
from gancore.models.common import Dropout, Reshape


def _w(c: int, cfg: ModelConfig) -> int:
    return max(4, round(c * cfg.width))


class Generator(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        fc, c1, c2 = _w(1024, cfg), _w(128, cfg), _w(64, cfg)
        n_in = cfg.latent_dim + cfg.n_cat + cfg.n_cont
        self.net = nn.Sequential(
            nn.Linear(n_in, fc),  # (B, 1024)
            nn.BatchNorm1d(fc),
            nn.LeakyReLU(0.0),
            Dropout(0.0),
            nn.Linear(fc, 7 * 7 * c1),  # (B, 7*7*128)
            nn.BatchNorm1d(7 * 7 * c1),
            nn.LeakyReLU(0.0),
            Reshape(c1, 7, 7),  # (B, 128, 7, 7)
            nn.ConvTranspose2d(c1, c2, 4, 2, 1),  # (B, 64, 14, 14)
            nn.BatchNorm2d(c2),
            nn.LeakyReLU(0.0),
            Dropout(0.0),
            nn.ConvTranspose2d(c2, cfg.channels, 4, 2, 1),  # (B, 1, 28, 28)
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        c1, c2, fc, q = _w(64, cfg), _w(128, cfg), _w(1024, cfg), _w(128, cfg)
        self.n_cat = cfg.n_cat
        self.trunk = nn.Sequential(
            nn.Conv2d(cfg.channels, c1, 4, 2, 1),  # (B, 64, 14, 14)
            nn.LeakyReLU(0.1),
            nn.Conv2d(c1, c2, 4, 2, 1),  # (B, 128, 7, 7)
            nn.BatchNorm2d(c2),
            nn.LeakyReLU(0.1),
            nn.Flatten(),
            nn.Linear(c2 * 7 * 7, fc),  # (B, 1024)
            nn.BatchNorm1d(fc),
            nn.LeakyReLU(0.1),
        )
        self.d_head = nn.Linear(fc, 1)  # (B, 1)
        self.q_head = nn.Sequential(
            nn.Linear(fc, q),  # (B, 128)
            nn.BatchNorm1d(q),
            nn.LeakyReLU(0.1),
            nn.Linear(q, cfg.n_cat + cfg.n_cont),  # (B, 10 + 2)
        )

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.d_head(self.trunk(x)).squeeze(1)  # (B,)

    def forward_all(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """One pass through the shared trunk: (logit (B,), category logits (B, 10), code means (B, 2))."""
        h = self.trunk(x)
        q = self.q_head(h)
        return self.d_head(h).squeeze(1), q[:, : self.n_cat], q[:, self.n_cat :]

    def q_parameters(self):
        return self.q_head.parameters()
