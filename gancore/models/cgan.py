"""A label-conditioned DCGAN (Mirza & Osindero's idea on the tutorial's 28x28 DCGAN).

The label enters both networks as a one-hot vector:
G: [z, onehot(y)] (B, 100 + 10) -> the DCGAN generator -> (B, 1, 28, 28)
D: [x, onehot(y) broadcast to 10 planes] (B, 1 + 10, 28, 28) -> the DCGAN trunk -> logit
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gancore.base.config import ConvModelConfig, _check_int
from gancore.base.i18n import N_, _
from gancore.base.latent import sample_labels, sample_z
from gancore.measure.scores import asked_class
from gancore.models import dcgan
from gancore.models.family import Family, Inputs, register


@dataclass(frozen=True)
class CganConfig(ConvModelConfig):
    """The DCGAN with a class label as extra input to G and D."""

    family: ClassVar[str] = "cgan"
    conditional: ClassVar[bool] = True

    num_classes: int = 10

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_int("num_classes", self.num_classes, 2, 100)


class Generator(nn.Module):
    def __init__(self, cfg: CganConfig) -> None:
        super().__init__()
        self.num_classes = cfg.num_classes
        self.body = dcgan.Generator(cfg, extra_inputs=cfg.num_classes)

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if y is None:
            raise ValueError(_("the conditional generator needs labels y"))
        onehot = F.one_hot(y, self.num_classes).to(z.dtype)  # (B, 10)
        return self.body(torch.cat([z, onehot], 1))  # (B, 1, 28, 28)


class Discriminator(nn.Module):
    def __init__(self, cfg: CganConfig) -> None:
        super().__init__()
        self.num_classes = cfg.num_classes
        _skip, c2, _skip = dcgan.widths(cfg)
        self.trunk = dcgan.trunk(cfg.channels + cfg.num_classes, cfg)  # (B, 128*7*7)
        self.head = nn.Linear(c2 * 7 * 7, 1)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if y is None:
            raise ValueError(_("the conditional discriminator needs labels y"))
        b, _skip, h, w = x.shape
        planes = F.one_hot(y, self.num_classes).to(x.dtype)[:, :, None, None].expand(b, -1, h, w)
        return self.head(self.trunk(torch.cat([x, planes], 1))).squeeze(1)  # (B,)


class CganFamily(Family):
    name = "cgan"
    config = CganConfig
    title = "Conditional GAN (Mirza & Osindero 2014)"
    kind = N_("a conditional GAN")

    generator, discriminator = Generator, Discriminator

    def sample_inputs(
        self, cfg: CganConfig, n: int, gen: torch.Generator, dist: str = "normal", balanced: bool = False, device=None
    ) -> Inputs:
        z = sample_z(n, cfg.latent_dim, gen, dist, device)  # (n, 100)
        return {"z": z, "y": sample_labels(n, cfg.num_classes, gen, balanced, device)}  # y: (n,)

    def sample_arrays(self, inputs: Inputs) -> dict[str, np.ndarray]:
        return {"labels": inputs["y"].numpy()}

    def evaluate(self, g, d, cfg: CganConfig, inputs: Inputs, predicted: np.ndarray, features, seed: int, companion=None) -> dict:
        return asked_class(predicted, inputs["y"].numpy(), features)


FAMILY = register(CganFamily())
