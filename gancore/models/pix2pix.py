"""pix2pix (Isola et al. 2017): paired image-to-image translation, at 28x28.

G is a U-Net: an encoder that halves the picture twice, a decoder that doubles it back, and skip
connections that hand each encoder stage's features straight to the decoder stage of the same
size, so fine detail (where the edges are) need not squeeze through the 4x4 bottleneck. The
plain encoder-decoder (``unet=False``) has no skips, for comparison. G's only noise is dropout
in its decoder, kept on when sampling, as in the paper.

    source (B, 1, 28, 28)
      e1: Conv 4/2 -> LeakyReLU                 (B, 64, 14, 14)
      e2: Conv 4/2 -> BN -> LeakyReLU            (B, 128, 7, 7)
      e3: Conv 3/2 -> BN -> LeakyReLU            (B, 256, 4, 4)    the bottleneck
      d3: ConvT 3/2 -> BN -> Dropout -> ReLU     (B, 128, 7, 7)    ++ e2 -> (B, 256, 7, 7)
      d2: ConvT 4/2 -> BN -> Dropout -> ReLU     (B, 64, 14, 14)   ++ e1 -> (B, 128, 14, 14)
      d1: ConvT 4/2 -> Tanh                      (B, 1, 28, 28)

D is a PatchGAN: it sees (source, picture) stacked as two channels and answers "real pair or
fake pair?" for every 18x18 patch, a 7x7 grid of logits, instead of once per picture:

    [source, x] (B, 2, 28, 28) -> Conv 4/2 -> LeakyReLU (B, 64, 14, 14)
      -> Conv 4/2 -> BN -> LeakyReLU (B, 128, 7, 7) -> Conv 3/1 (B, 1, 7, 7) -> (B, 49) logits

G minimises  L_cGAN(G, D) + lambda * E|y - G(x)|_1   (lambda = 100): the L1 term pins the
low frequencies to the target, D's patches judge the high ones. ``objective`` switches terms
off for the paper's ablation: L1 alone gives the blurry mean of every plausible answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

import numpy as np
import torch
from torch import nn

from gancore.base.config import ConvModelConfig, _check, _check_range
from gancore.base.errors import ConfigError
from gancore.base.i18n import N_, _
from gancore.data import tasks
from gancore.measure.scores import translation_scores
from gancore.models.common import Dropout, init_normal
from gancore.models.family import Inputs, register
from gancore.models.paired import PairedFamily


class Objective(StrEnum):
    """Which terms G's loss has (the paper's table 1)."""

    BOTH = "both"  # cGAN + lambda L1
    L1 = "l1"  # L1 alone: D still trains, G ignores it
    CGAN = "cgan"  # the adversarial term alone


@dataclass(frozen=True)
class Pix2PixConfig(ConvModelConfig):
    """``data``: the image set the pairs are cut from (edges -> its images); ``unet``: skip
    connections on; ``l1_weight``: lambda; ``objective``: which terms G minimises."""

    family: ClassVar[str] = "pix2pix"

    latent_dim: int = 1  # G takes a picture, not a noise vector
    data: str = "mnist"
    unet: bool = True
    l1_weight: float = 100.0
    objective: Objective = Objective.BOTH

    def __post_init__(self) -> None:
        super().__post_init__()
        _check(self.data in tasks.EDGE_THRESHOLD, "data", " or ".join(tasks.EDGE_THRESHOLD), self.data)
        _check(type(self.unet) is bool, "unet", "true or false", self.unet)
        _check_range("l1_weight", self.l1_weight, 0.0, 1000.0)
        try:
            object.__setattr__(self, "objective", Objective(self.objective))
        except ValueError:
            raise ConfigError(
                _("objective must be one of {join} (got {objective!r})").format(
                    join=", ".join(o.value for o in Objective), objective=self.objective
                )
            ) from None
        _check(self.channels == 1 and self.image_size == 28, "image", "1 x 28 x 28 for pix2pix", self.image_shape)


def _down(c_in: int, c_out: int, k: int, norm: bool) -> nn.Sequential:
    layers = [nn.Conv2d(c_in, c_out, k, 2, 1, bias=not norm)]
    return nn.Sequential(*layers, *([nn.BatchNorm2d(c_out)] if norm else []), nn.LeakyReLU(0.2))


def _up(c_in: int, c_out: int, k: int) -> nn.Sequential:
    return nn.Sequential(nn.ConvTranspose2d(c_in, c_out, k, 2, 1, bias=False), nn.BatchNorm2d(c_out), Dropout(0.5), nn.ReLU())


class Generator(nn.Module):
    def __init__(self, cfg: Pix2PixConfig) -> None:
        super().__init__()
        c1, c2, c3 = (max(4, round(c * cfg.width)) for c in (64, 128, 256))
        self.unet = cfg.unet
        skip = 2 if cfg.unet else 1  # a decoder stage's input doubles when the encoder's is stacked on
        self.e1, self.e2, self.e3 = _down(1, c1, 4, False), _down(c1, c2, 4, True), _down(c2, c3, 3, True)
        self.d3, self.d2 = _up(c3, c2, 3), _up(c2 * skip, c1, 4)
        self.d1 = nn.Sequential(nn.ConvTranspose2d(c1 * skip, 1, 4, 2, 1), nn.Tanh())
        init_normal(self)

    def forward(self, z: torch.Tensor | None, y: torch.Tensor | None = None) -> torch.Tensor:
        if y is None:
            raise ValueError(_("pix2pix translates a picture: pass the source images as y"))
        h1 = self.e1(y)  # (B, 64, 14, 14)
        h2 = self.e2(h1)  # (B, 128, 7, 7)
        h = self.d3(self.e3(h2))  # (B, 256, 4, 4) -> (B, 128, 7, 7)
        h = self.d2(torch.cat([h, h2], 1) if self.unet else h)  # (B, 64, 14, 14)
        return self.d1(torch.cat([h, h1], 1) if self.unet else h)  # (B, 1, 28, 28)


class Discriminator(nn.Module):
    def __init__(self, cfg: Pix2PixConfig) -> None:
        super().__init__()
        c1, c2 = (max(4, round(c * cfg.width)) for c in (64, 128))
        self.net = nn.Sequential(
            _down(2, c1, 4, False),  # (B, 64, 14, 14)
            _down(c1, c2, 4, True),  # (B, 128, 7, 7)
            nn.Conv2d(c2, 1, 3, 1, 1),  # (B, 1, 7, 7): one logit per patch
            nn.Flatten(),  # (B, 49)
        )
        init_normal(self)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if y is None:
            raise ValueError(_("the PatchGAN judges pairs: pass the source images as y"))
        return self.net(torch.cat([y.to(x.dtype), x], 1))  # (B, 49)


def l1(fake: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The reconstruction term E|y - G(x)|_1, per pixel."""
    return (fake - target).abs().mean()


class Pix2PixFamily(PairedFamily):
    name = "pix2pix"
    config = Pix2PixConfig
    title = "pix2pix (Isola et al. 2017)"
    kind = N_("a pix2pix model")
    metrics = ("l1",)
    grid_caption = N_("Test edges → G's picture → the real one, two per row,")
    verb = "translates edges into"

    generator, discriminator = Generator, Discriminator

    def source(self, cfg: Pix2PixConfig, real: torch.Tensor) -> torch.Tensor:
        return tasks.edges(real, tasks.edge_threshold(cfg.data))  # (B, 1, 28, 28)

    def condition_real(self, cfg: Pix2PixConfig, real: torch.Tensor, labels, gen) -> torch.Tensor:
        return self.source(cfg, real)  # D judges (edges, real) pairs

    def discriminate(self, d: nn.Module, x: torch.Tensor, cond) -> tuple[torch.Tensor, None]:
        return d(x, cond).flatten(), None  # (B * 49,): every patch is one verdict

    def joint_d_batch(self, cfg) -> bool:
        return False  # the patches of a joint batch would not split back at B

    def adversarial_weight(self, cfg: Pix2PixConfig) -> float:
        """L1 alone: D still learns to tell the pairs apart, but its verdict never reaches G."""
        return 0.0 if cfg.objective is Objective.L1 else 1.0

    def reconstruction(self, cfg: Pix2PixConfig, fake: torch.Tensor, inputs: Inputs, g=None) -> tuple[torch.Tensor | None, dict]:
        """lambda * L1(G(x), y), logged as ``l1``; nothing for the cGAN-only ablation."""
        dist = l1(fake.float(), inputs["target"].float())
        if cfg.objective is Objective.CGAN:
            return None, {"l1": dist.detach()}
        return cfg.l1_weight * dist, {"l1": dist.detach()}

    def evaluate(self, g, d, cfg: Pix2PixConfig, inputs: Inputs, predicted: np.ndarray, features, seed: int, companion=None) -> dict:
        return translation_scores(self, g, inputs, predicted, features, cfg.data)


FAMILY = register(Pix2PixFamily())
