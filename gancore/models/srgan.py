"""SRGAN (Ledig et al. 2017): 4x super-resolution, 7x7 -> 28x28, and its SRResNet baseline.

The low-resolution input is each 4x4 block's mean (box downsampling; the paper used bicubic).
G is the paper's SRResNet at MNIST scale: residual blocks at 7x7, then two sub-pixel steps
(a convolution to 4x the channels, PixelShuffle(2)) that each double the size:

    lr (B, 1, 7, 7) -> Conv 9 -> PReLU                      (B, 64, 7, 7)    = h0
      -> B x [Conv 3 -> BN -> PReLU -> Conv 3 -> BN, + skip] (B, 64, 7, 7)
      -> Conv 3 -> BN, + h0                                 (B, 64, 7, 7)
      -> Conv 3 (64 -> 256) -> PixelShuffle 2 -> PReLU      (B, 64, 14, 14)
      -> Conv 3 (64 -> 256) -> PixelShuffle 2 -> PReLU      (B, 64, 28, 28)
      -> Conv 9 -> Tanh                                     (B, 1, 28, 28)

D sees only the high-resolution picture (real or G's) and answers "real?":

    x (B, 1, 28, 28) -> Conv 3 -> LReLU -> Conv 3/2 -> BN -> LReLU         (B, 64, 14, 14)
      -> Conv 3 -> BN -> LReLU -> Conv 3/2 -> BN -> LReLU                   (B, 128, 7, 7)
      -> Dense 256 -> LReLU -> Dense 1                                      logit

SRResNet (``objective=mse``) minimises the pixel MSE alone: the sharpest picture it can commit
to is the average of every high-resolution picture that shrinks to the input, a blur.
SRGAN minimises  content + 1e-3 * L_adv,  the content being the distance between a network's
feature maps of G(lr) and of the real picture. The paper used VGG-19, trained on ImageNet; no
such network can be downloaded here, so the content is our shipped classifier's second
convolution's ReLU maps (B, 64, 14, 14), the counterpart of the paper's VGG22: they respond to
strokes and their ends, not to exact pixel values.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import ClassVar

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gancore.base.config import ConvModelConfig, _check, _check_int, _check_range
from gancore.base.errors import ConfigError
from gancore.base.i18n import N_, _
from gancore.measure import classifier as clf
from gancore.measure.pixels import psnr, ssim
from gancore.measure.scores import frechet_distance, load_classifier, translation_scores
from gancore.models.common import init_normal
from gancore.models.family import Inputs, register
from gancore.models.paired import PairedFamily

SETS = ("mnist", "fashion")


class SrObjective(StrEnum):
    GAN = "gan"  # content (classifier features) + adversarial: SRGAN
    MSE = "mse"  # pixel MSE alone: the SRResNet baseline


@dataclass(frozen=True)
class SrganConfig(ConvModelConfig):
    """``data``: the image set; ``blocks``: residual blocks; ``objective``: SRGAN or the MSE
    baseline; ``adv_weight``: the adversarial term's weight (the paper's 1e-3)."""

    family: ClassVar[str] = "srgan"

    latent_dim: int = 1  # G takes a small picture, not a noise vector
    data: str = "mnist"
    blocks: int = 4
    objective: SrObjective = SrObjective.GAN
    adv_weight: float = 1e-3

    def __post_init__(self) -> None:
        super().__post_init__()
        _check(self.data in SETS, "data", " or ".join(SETS), self.data)
        _check_int("blocks", self.blocks, 1, 16)
        _check_range("adv_weight", self.adv_weight, 0.0, 1.0)
        try:
            object.__setattr__(self, "objective", SrObjective(self.objective))
        except ValueError:
            raise ConfigError(_("objective must be gan or mse (got {objective!r})").format(objective=self.objective)) from None
        _check(self.channels == 1 and self.image_size == 28, "image", "1 x 28 x 28 for SRGAN", self.image_shape)


def shrink(x: torch.Tensor) -> torch.Tensor:
    """(B, C, 28, 28) -> (B, C, 7, 7): each 4 x 4 block's mean."""
    return F.avg_pool2d(x, 4)


def bicubic(lr: torch.Tensor) -> torch.Tensor:
    """The classic answer: (B, C, 7, 7) -> (B, C, 28, 28) by bicubic interpolation, in [-1, 1]."""
    return F.interpolate(lr.float(), scale_factor=4, mode="bicubic", align_corners=False).clamp(-1, 1)


class Residual(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1), nn.BatchNorm2d(c), nn.PReLU(c), nn.Conv2d(c, c, 3, 1, 1), nn.BatchNorm2d(c))

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + self.body(h)  # (B, c, 7, 7)


class Generator(nn.Module):
    def __init__(self, cfg: SrganConfig) -> None:
        super().__init__()
        c = max(8, round(64 * cfg.width))
        self.head = nn.Sequential(nn.Conv2d(1, c, 9, 1, 4), nn.PReLU(c))
        self.res = nn.Sequential(*(Residual(c) for _skip in range(cfg.blocks)), nn.Conv2d(c, c, 3, 1, 1), nn.BatchNorm2d(c))
        self.up = nn.Sequential(*_subpixel(c), *_subpixel(c))  # two sub-pixel steps: 7 -> 14 -> 28
        self.tail = nn.Sequential(nn.Conv2d(c, 1, 9, 1, 4), nn.Tanh())
        init_normal(self)

    def forward(self, z: torch.Tensor | None, y: torch.Tensor | None = None) -> torch.Tensor:
        if y is None:
            raise ValueError(_("SRGAN enlarges a picture: pass the 7 x 7 images as y"))
        h0 = self.head(y)  # (B, 64, 7, 7)
        h = self.up(h0 + self.res(h0))  # (B, 64, 28, 28)
        return self.tail(h)  # (B, 1, 28, 28)


def _subpixel(c: int) -> list[nn.Module]:
    """(B, c, h, w) -> Conv to 4c channels -> PixelShuffle(2) -> (B, c, 2h, 2w) -> PReLU."""
    return [nn.Conv2d(c, 4 * c, 3, 1, 1), nn.PixelShuffle(2), nn.PReLU(c)]


class Discriminator(nn.Module):
    def __init__(self, cfg: SrganConfig) -> None:
        super().__init__()
        c = max(8, round(64 * cfg.width))

        def block(i: int, o: int, stride: int) -> list[nn.Module]:
            return [nn.Conv2d(i, o, 3, stride, 1), nn.BatchNorm2d(o), nn.LeakyReLU(0.2)]

        self.net = nn.Sequential(
            nn.Conv2d(1, c, 3, 1, 1), nn.LeakyReLU(0.2),  # (B, 64, 28, 28)
            *block(c, c, 2), *block(c, 2 * c, 1), *block(2 * c, 2 * c, 2),  # (B, 128, 7, 7)
            nn.Flatten(), nn.Linear(2 * c * 49, 4 * c), nn.LeakyReLU(0.2), nn.Linear(4 * c, 1),
        )  # fmt: skip
        init_normal(self)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(x).squeeze(1)  # (B,): SRGAN's D never sees the small picture


@lru_cache(maxsize=4)
def _feature_net(dataset: str, device: str) -> nn.Module | None:
    """The shipped classifier's layers up to its second convolution's ReLU, frozen."""
    loaded = load_classifier(dataset)
    if loaded is None:
        return None
    # Our own copy, made outside inference mode: the shared classifier may have been loaded inside
    # it (by eval), and its weights would then be inference tensors that autograd cannot save.
    with torch.inference_mode(False):
        net = copy.deepcopy(loaded[0].body[:5])
    return net.to(device).eval().requires_grad_(False)  # (B, 1, 28, 28) -> (B, 64, 14, 14)


def content_loss(fake: torch.Tensor, real: torch.Tensor, dataset: str) -> torch.Tensor:
    """The mean squared distance between the classifier's feature maps of G(lr) and of the real picture."""
    net = _feature_net(dataset, str(fake.device))
    if net is None:
        raise ConfigError(_("SRGAN's content loss needs the shipped classifier for {dataset}").format(dataset=dataset))
    return F.mse_loss(net(fake.float()), net(real.float()))


class SrganFamily(PairedFamily):
    name = "srgan"
    config = SrganConfig
    title = "SRGAN (Ledig et al. 2017)"
    kind = N_("an SRGAN or SRResNet")
    metrics = ("content",)
    grid_caption = N_("Test 7×7 inputs → G's 28×28 → the real one, two per row,")
    verb = "enlarges"

    generator, discriminator = Generator, Discriminator

    def source(self, cfg: SrganConfig, real: torch.Tensor) -> torch.Tensor:
        return shrink(real)  # (B, 1, 7, 7)

    def condition_real(self, cfg, real, labels, gen) -> None:
        return None  # D judges the picture alone

    def adversarial_weight(self, cfg: SrganConfig) -> float:
        return cfg.adv_weight if cfg.objective is SrObjective.GAN else 0.0

    def reconstruction(self, cfg: SrganConfig, fake: torch.Tensor, inputs: Inputs, g=None) -> tuple[torch.Tensor, dict]:
        """SRResNet: the pixel MSE. SRGAN: the content loss on the classifier's feature maps."""
        if cfg.objective is SrObjective.MSE:
            loss = F.mse_loss(fake.float(), inputs["target"].float())
        else:
            loss = content_loss(fake, inputs["target"], cfg.data)
        return loss, {"content": loss.detach()}

    def sample_arrays(self, inputs: Inputs) -> dict[str, np.ndarray]:
        """The inputs, targets and labels, and bicubic's answer."""
        return {**super().sample_arrays(inputs), "bicubic": bicubic(inputs["y"]).numpy()}

    def companion(self, cfg: SrganConfig) -> str | None:
        """An SRGAN stands beside the SRResNet trained on MSE alone for its data."""
        return f"srresnet-{cfg.data}" if cfg.objective is SrObjective.GAN else None

    @torch.inference_mode()
    def companion_arrays(self, cfg: SrganConfig, inputs: Inputs, companion: nn.Module | None = None) -> dict[str, np.ndarray]:
        """The shipped SRResNet's answers (``mse``) beside an SRGAN's, when it is there."""
        if companion is None:
            return {}
        return {"mse": torch.cat([companion(None, inputs["y"][i : i + 500]).float() for i in range(0, len(inputs["y"]), 500)]).numpy()}

    def evaluate(
        self, g, d, cfg: SrganConfig, inputs: Inputs, predicted: np.ndarray, features, seed: int, companion: nn.Module | None = None
    ) -> dict:
        return {**translation_scores(self, g, inputs, predicted, features, cfg.data), **quality(g, cfg, inputs, companion)}


FAMILY = register(SrganFamily())


# ---------------------------------------------------------------------- the paper's figure, measured


@torch.inference_mode()
def columns(g: nn.Module, cfg: SrganConfig, lr: torch.Tensor, companion: nn.Module | None) -> dict[str, torch.Tensor]:
    """The paper's figure for small pictures (n, 1, 7, 7), each answer (n, 1, 28, 28) by name:
    bicubic, the SRResNet trained on MSE (this G, or ``companion`` beside an SRGAN) and SRGAN."""
    out = {"bicubic": bicubic(lr)}
    if cfg.objective is SrObjective.MSE:
        out["SRResNet (MSE)"] = g(None, lr).float()
        return out
    if companion is not None:
        out["SRResNet (MSE)"] = companion(None, lr).float()
    out["SRGAN"] = g(None, lr).float()
    return out


KEYS = {"bicubic": "bicubic", "SRResNet (MSE)": "srresnet", "SRGAN": "srgan"}


@torch.inference_mode()
def quality(g: nn.Module, cfg: SrganConfig, inputs: Inputs, companion: nn.Module | None) -> dict:
    """PSNR, SSIM, classifier accuracy and FD to the real pictures for each column of
    :func:`columns` over ``inputs`` (the test pairs ``eval`` uses), keyed ``bicubic_psnr``,
    ``srresnet_ssim``, ``srgan_fd``... The lesson, measured: SRGAN's PSNR is lower than
    SRResNet's, yet its pictures look more like real ones."""
    lr, target, labels = inputs["y"], inputs["target"].float(), inputs["labels"].numpy()
    model, _skip = load_classifier(cfg.data)
    _skip, real_feats = clf.predict(model, target)
    chunks = [columns(g, cfg, lr[i : i + 500], companion) for i in range(0, len(lr), 500)]
    result = {}
    for name, key in KEYS.items():
        if name not in chunks[0]:
            continue
        x = torch.cat([c[name] for c in chunks])
        probs, feats = clf.predict(model, x)
        result[f"{key}_psnr"] = round(float(psnr(x, target).mean()), 2)
        result[f"{key}_ssim"] = round(float(ssim(x, target).mean()), 4)
        result[f"{key}_accuracy"] = round(float((probs.argmax(1).numpy() == labels).mean()), 4)
        result[f"{key}_fd"] = round(frechet_distance(feats, real_feats), 3)
    return result
