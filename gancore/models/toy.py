"""Small MLPs for 2D toy GANs.

The default is d2l 20.1 exactly: G = Linear(2, 2) (an affine map of the noise, so G's
output is Gaussian with mean b and covariance W^T W) and D = 2 -> 5 -> 3 -> 1 with tanh,
every parameter drawn from N(0, 0.02) as the book does. ``g_hidden`` / ``d_hidden`` give
deeper pairs for mixtures (PyTorch's default initialisation there).

``g_batchnorm`` and ``d_maxout`` give PacGAN's (and VEEGAN's) 2D networks: a G with
BatchNorm after each hidden layer and a D of maxout units (5 pieces in the paper).

``pack`` > 1 is PacGAN: D judges ``pack`` samples at once, concatenated, so a generator
that drops modes is easier to catch. A batch of B points gives B / pack logits.
"""

from __future__ import annotations

import itertools

import torch
from torch import nn

from gancore.config import ModelConfig


class Maxout(nn.Module):
    """Goodfellow et al.'s maxout unit: ``pieces`` linear maps per output, keep the largest."""

    def __init__(self, n_in: int, n_out: int, pieces: int) -> None:
        super().__init__()
        self.pieces = pieces
        self.linear = nn.Linear(n_in, n_out * pieces)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x).view(x.shape[0], -1, self.pieces).amax(-1)  # (B, n_out)


def _mlp(sizes: list[int], activation: str, batchnorm: bool = False, maxout: int = 1) -> nn.Sequential:
    """Linear layers with ``activation`` between them (or maxout units, or BatchNorm first)."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(itertools.pairwise(sizes)):
        last = i == len(sizes) - 2
        if not last and maxout > 1:
            layers.append(Maxout(a, b, maxout))  # the maxout is the non-linearity
            continue
        layers.append(nn.Linear(a, b))
        if not last:
            if batchnorm:
                layers.append(nn.BatchNorm1d(b))
            act = nn.Tanh() if activation == "tanh" else nn.LeakyReLU(0.0 if activation == "relu" else 0.2)
            act.fixed_slope = True  # the lab's "Activation" choice; the image models' slope hack must not change it
            layers.append(act)
    return nn.Sequential(*layers)


def _is_d2l(cfg: ModelConfig) -> bool:
    return cfg.g_hidden == () and cfg.d_hidden == (5, 3) and cfg.activation == "tanh" and cfg.d_maxout == 1


class Generator(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.net = _mlp([cfg.latent_dim, *cfg.g_hidden, cfg.data_dim], cfg.activation, batchnorm=cfg.g_batchnorm)  # (B, 2)
        if _is_d2l(cfg):
            for p in self.parameters():
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.pack = cfg.pack
        self.net = _mlp([cfg.data_dim * cfg.pack, *cfg.d_hidden, 1], cfg.activation, maxout=cfg.d_maxout)  # (B / pack, 1)
        if _is_d2l(cfg):
            for p in self.parameters():
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        b, d = x.shape
        packed = x.reshape(b // self.pack, d * self.pack)  # (B / pack, 2 * pack)
        return self.net(packed).squeeze(1)  # (B / pack,)

    def score_points(self, x: torch.Tensor) -> torch.Tensor:
        """D's logit for each point on its own (the point repeated ``pack`` times)."""
        return self.net(x.repeat(1, self.pack)).squeeze(1)  # (N,)
