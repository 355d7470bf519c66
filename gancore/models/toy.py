"""Small MLPs for 2D toy GANs.

The default is d2l 20.1 exactly: G = Linear(2, 2) (an affine map of the noise, so G's
output is Gaussian with mean b and covariance W^T W) and D = 2 -> 5 -> 3 -> 1 with tanh,
every parameter drawn from N(0, 0.02) as the book does (``init="d2l"``). ``g_hidden`` /
``d_hidden`` give deeper pairs for mixtures (``init="pytorch"``: PyTorch's default).

``g_batchnorm`` and ``d_maxout`` give PacGAN's (and VEEGAN's) 2D networks: a G with
BatchNorm after each hidden layer and a D of maxout units (5 pieces in the paper).

``pack`` > 1 is PacGAN: D judges ``pack`` samples at once, concatenated, so a generator
that drops modes is easier to catch. A batch of B points gives B / pack logits.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import nn

from gancore.base.config import ModelConfig, TrainConfig, _check, _check_choice, _check_int
from gancore.base.errors import ConfigError
from gancore.base.i18n import N_, _
from gancore.models.family import Family, register

ACTIVATIONS = ("relu", "leaky_relu", "tanh")
INITS = ("d2l", "pytorch")


@dataclass(frozen=True)
class ToyConfig(ModelConfig):
    """A 2D toy GAN: MLPs from ``latent_dim`` noise to points in ``data_dim`` dimensions."""

    family: ClassVar[str] = "toy"

    latent_dim: int = 2
    data_dim: int = 2
    g_hidden: tuple[int, ...] = ()
    d_hidden: tuple[int, ...] = (5, 3)
    activation: str = "tanh"
    pack: int = 1  # PacGAN: D judges this many samples at once
    g_batchnorm: bool = False  # BatchNorm after each hidden layer of G (PacGAN / VEEGAN's G)
    d_maxout: int = 1  # maxout pieces per hidden unit of D (1 = the plain activation)
    init: str = "d2l"  # every weight ~ N(0, 0.02) as d2l does, or PyTorch's default

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_int("data_dim", self.data_dim, 1, 16)
        _check_int("pack", self.pack, 1, 8)
        _check(isinstance(self.g_batchnorm, bool), "g_batchnorm", "true or false", self.g_batchnorm)
        _check_int("d_maxout", self.d_maxout, 1, 8)
        _check_choice("activation", self.activation, ACTIVATIONS)
        _check_choice("init", self.init, INITS)
        for name in ("g_hidden", "d_hidden"):
            sizes = getattr(self, name)
            ok = isinstance(sizes, tuple) and len(sizes) <= 8 and all(type(s) is int and 1 <= s <= 1024 for s in sizes)
            _check(ok, name, "a tuple of at most 8 layer sizes between 1 and 1024", sizes)

    @staticmethod
    def upgrade(d: dict) -> dict:
        """Version-1 files had no ``init``: d2l's was implied by its exact layer sizes."""
        if "init" not in d:
            plain = list(d.get("g_hidden", [])) == [] and list(d.get("d_hidden", [5, 3])) == [5, 3]
            d2l = plain and d.get("activation", "tanh") == "tanh" and d.get("d_maxout", 1) == 1
            d = {**d, "init": "d2l" if d2l else "pytorch"}
        return d


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


class Generator(nn.Module):
    def __init__(self, cfg: ToyConfig) -> None:
        super().__init__()
        self.net = _mlp([cfg.latent_dim, *cfg.g_hidden, cfg.data_dim], cfg.activation, batchnorm=cfg.g_batchnorm)  # (B, 2)
        if cfg.init == "d2l":
            for p in self.parameters():
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self, cfg: ToyConfig) -> None:
        super().__init__()
        self.pack = cfg.pack
        self.net = _mlp([cfg.data_dim * cfg.pack, *cfg.d_hidden, 1], cfg.activation, maxout=cfg.d_maxout)  # (B / pack, 1)
        if cfg.init == "d2l":
            for p in self.parameters():
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        b, d = x.shape
        packed = x.reshape(b // self.pack, d * self.pack)  # (B / pack, 2 * pack)
        return self.net(packed).squeeze(1)  # (B / pack,)

    def score_points(self, x: torch.Tensor) -> torch.Tensor:
        """D's logit for each point on its own (the point repeated ``pack`` times)."""
        return self.net(x.repeat(1, self.pack)).squeeze(1)  # (N,)


class ToyFamily(Family):
    name = "toy"
    config = ToyConfig
    title = "2D toy GAN (d2l 20.1; PacGAN's networks)"
    kind = N_("a 2D toy GAN")
    tiny = True

    generator, discriminator = Generator, Discriminator

    def joint_d_batch(self, cfg: ToyConfig) -> bool:
        return cfg.pack == 1  # packs must not mix real and fake samples

    def check_run(self, cfg: ToyConfig, train: TrainConfig) -> None:
        if train.batch_size % cfg.pack:
            raise ConfigError(
                _("the batch size ({batch_size}) must be a multiple of the packing degree ({pack})").format(
                    batch_size=train.batch_size, pack=cfg.pack
                )
            )


FAMILY = register(ToyFamily())
