"""The MLP GAN of the Keras lecture, layer for layer.

G: 100 -> 128 -> 256 -> 512 -> 784, ReLU then BatchNorm after each hidden layer, tanh out.
D: 784 -> 128 (no activation, as the lecture wrote it) -> 256 -> 512 -> 1.
Trainable parameters equal the lecture's Keras summary: G 581,520 and D 265,601.

Keras initialises the first layer of each net with N(0, 0.02) (the lecture's
``kernel_initializer``) and the rest Glorot-uniform with zero biases; so do we. D returns a
logit: the lecture's final sigmoid lives inside ``binary_cross_entropy_with_logits``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import nn

from gancore.base.config import ImageModelConfig
from gancore.base.i18n import N_
from gancore.models.common import Dropout, Reshape
from gancore.models.family import Family, register


@dataclass(frozen=True)
class MlpConfig(ImageModelConfig):
    """The lecture's MLP pair: its layer sizes are the lecture's, fixed."""

    family: ClassVar[str] = "mlp"


def _keras_init(net: nn.Sequential) -> None:
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    for i, layer in enumerate(linears):
        if i == 0:
            nn.init.normal_(layer.weight, 0.0, 0.02)
        else:
            nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)


class Generator(nn.Module):
    def __init__(self, cfg: MlpConfig) -> None:
        super().__init__()
        out = cfg.channels * cfg.image_size * cfg.image_size
        sizes = [cfg.latent_dim, 128, 256, 512]
        layers: list[nn.Module] = []
        for n_in, n_out in itertools.pairwise(sizes):
            # Keras: Dense(n, activation='relu') then BatchNormalization().
            layers += [nn.Linear(n_in, n_out), nn.LeakyReLU(0.0), nn.BatchNorm1d(n_out), Dropout(0.0)]
        self.net = nn.Sequential(
            *layers,  # (B, 100) -> (B, 128) -> (B, 256) -> (B, 512)
            nn.Linear(512, out),  # (B, 784)
            nn.Tanh(),
            Reshape(*cfg.image_shape),  # (B, 1, 28, 28)
        )
        _keras_init(self.net)

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self, cfg: MlpConfig) -> None:
        super().__init__()
        n_in = cfg.channels * cfg.image_size * cfg.image_size
        self.net = nn.Sequential(
            nn.Flatten(),  # (B, 784)
            nn.Linear(n_in, 128),  # (B, 128), linear: the lecture gave this layer no activation
            nn.Linear(128, 256),  # (B, 256)
            nn.LeakyReLU(0.0),
            nn.Linear(256, 512),  # (B, 512)
            nn.LeakyReLU(0.0),
            nn.Linear(512, 1),  # (B, 1) logit
        )
        _keras_init(self.net)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(x).squeeze(1)  # (B,)


class MlpFamily(Family):
    name = "mlp"
    config = MlpConfig
    title = "MLP GAN (the Keras lecture)"
    kind = N_("an MLP GAN")

    generator, discriminator = Generator, Discriminator


FAMILY = register(MlpFamily())
