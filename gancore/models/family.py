"""What the rest of the core needs from a model family, and the registry that finds one by name.

A family is one module in ``gancore/models/``: its config class (a :class:`ModelConfig`
subclass with its own fields and checks), its networks, and a :class:`Family` subclass that
answers the questions the engine, the training step, checkpoints, sampling and metrics ask.
The defaults below are an unconditional GAN's; a family overrides what differs and calls
:func:`register`. Nothing outside ``gancore/models/`` names a family (minGPT's rule: the
trainer knows no model).

    inputs = fam.sample_inputs(cfg, n, gen)     # {"z": (n, latent), and e.g. "y", "cat", "cont"}
    fake   = fam.generate(g, inputs)            # (n, C, H, W) or (n, 2)
    loss_g, logged = fam.g_loss(d, fake_in, inputs, adversarial, hacks)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import numpy as np
import torch
from torch import nn

from gancore.base.config import HackConfig, ModelConfig, TrainConfig
from gancore.base.i18n import N_, _
from gancore.base.latent import sample_z

Inputs = dict[str, torch.Tensor]


class Family:
    """One model family: subclass, set ``name`` and ``config``, override what differs, register."""

    name: ClassVar[str]
    config: ClassVar[type[ModelConfig]]
    title: ClassVar[str] = ""  # for people: "InfoGAN (Chen et al. 2016)" (the CLI's lists)
    kind: ClassVar[str] = ""  # what a page calls one: "an InfoGAN"
    metrics: ClassVar[tuple[str, ...]] = ()  # history series beyond d_loss, g_loss, d_real, d_fake
    tiny: ClassVar[bool] = False  # a few hundred weights: copy G and D on every publish, one CPU thread
    paired: ClassVar[bool] = False  # G translates the data's own images: its inputs come from the batch (models/paired.py)
    grid_columns: ClassVar[int] = 4  # how the live grid is laid out
    grid_caption: ClassVar[str] = N_("Fixed-seed samples")  # what the live grid shows
    generator: ClassVar[type[nn.Module]]  # built from the config: Generator(cfg)
    discriminator: ClassVar[type[nn.Module]]

    # ------------------------------------------------------------------ networks

    def build(self, cfg: ModelConfig) -> tuple[nn.Module, nn.Module]:
        """(generator, discriminator); D returns one logit per sample, shape (B,)."""
        return self.generator(cfg), self.discriminator(cfg)

    def parameter_groups(self, g: nn.Module, d: nn.Module) -> tuple[list[nn.Parameter], list[nn.Parameter]]:
        """What G's optimiser trains and what D's does (InfoGAN's Q head goes with G)."""
        return list(g.parameters()), list(d.parameters())

    # ------------------------------------------------------------------ inputs and outputs

    def latent_size(self, cfg: ModelConfig) -> int:
        """Length of the vector ``z`` that G takes."""
        return cfg.latent_dim

    def sample_inputs(
        self, cfg: ModelConfig, n: int, gen: torch.Generator, dist: str = "normal", balanced: bool = False, device=None
    ) -> Inputs:
        """Everything G needs for ``n`` samples: ``z`` (n, latent_size) and what else it takes.
        ``balanced`` cycles labels or categories 0, 1, ..., for grids."""
        return {"z": sample_z(n, cfg.latent_dim, gen, dist, device)}

    def training_inputs(self, cfg: ModelConfig, n: int, gen: torch.Generator, dist: str, device=None) -> Inputs:
        """G's inputs for a training step: :meth:`sample_inputs`, unless training asks for more
        (text to digit mixes some captions, GAN-INT)."""
        return self.sample_inputs(cfg, n, gen, dist, device=device)

    def generate(self, g: nn.Module, inputs: Inputs) -> torch.Tensor:
        """G's output for ``inputs`` (from :meth:`sample_inputs`)."""
        return g(inputs["z"], inputs.get("y"))

    def picture(self, g: nn.Module, inputs: Inputs) -> torch.Tensor:
        """What the live grid shows for the fixed inputs (n', C, H, W): G's outputs, or (pix2pix)
        each input beside its output and target."""
        return self.generate(g, inputs)

    def sample_arrays(self, inputs: Inputs) -> dict[str, np.ndarray]:
        """What ``python -m gancore sample`` writes beside the images (labels, codes...)."""
        return {}

    def output_arrays(self, g: nn.Module, inputs: Inputs) -> dict[str, np.ndarray]:
        """More of G's own answers for the same inputs, for ``sample`` (CycleGAN: the way back, ``cycled``)."""
        return {}

    def companion(self, cfg: ModelConfig) -> str | None:
        """The shipped checkpoint whose G this family's measures stand beside (SRGAN: its MSE
        baseline), or None. The caller loads it and passes its G in: a family never reads files."""
        return None

    def companion_arrays(self, cfg: ModelConfig, inputs: Inputs, companion: nn.Module | None = None) -> dict[str, np.ndarray]:
        """Other models' answers for the same inputs, for ``sample`` (SRGAN: its MSE baseline's)."""
        return {}

    # ------------------------------------------------------------------ training

    def g_loss(
        self, d: nn.Module, fake_in: torch.Tensor, inputs: Inputs, adversarial: Callable, hacks: HackConfig
    ) -> tuple[torch.Tensor, dict]:
        """G's loss on D's view of its fakes ``adversarial(logits)``, plus the family's own terms;
        and the values of those terms to log (see ``metrics``)."""
        return adversarial(d(fake_in, inputs.get("y"))), {}  # D(x, y): y only for a conditional model

    def adversarial_weight(self, cfg: ModelConfig) -> float:
        """The weight of D's verdict in G's loss: 1, or 0 for an ablation that trains G without it."""
        return 1.0

    def reconstruction(
        self, cfg: ModelConfig, fake: torch.Tensor, inputs: Inputs, g: nn.Module | None = None
    ) -> tuple[torch.Tensor | None, dict]:
        """The family's term comparing G's raw output (before D's augmentations) with a target
        (pix2pix: lambda * L1; CycleGAN runs ``g`` back for its cycle), and what to log; None: no such term."""
        return None, {}

    def condition_real(self, cfg: ModelConfig, real: torch.Tensor, labels: torch.Tensor | None, gen: torch.Generator):
        """What D is told about a real batch (B, C, H, W) besides the pixels: the data's labels,
        or (text to digit) captions made from them and the images' measured attributes."""
        return labels

    def discriminate(self, d: nn.Module, x: torch.Tensor, cond) -> tuple[torch.Tensor, torch.Tensor | None]:
        """D's real/fake logits (B,), and its auxiliary output (ACGAN's class logits) or None."""
        return d(x, cond), None

    def d_aux_loss(self, cfg: ModelConfig, aux_real, cond_real, aux_fake, inputs: Inputs) -> tuple[torch.Tensor | None, dict]:
        """The family's own term in D's loss from the auxiliary outputs, and what to log; None: no term."""
        return None, {}

    def mismatched(self, d: nn.Module, real_in: torch.Tensor, cond_real, gen: torch.Generator) -> torch.Tensor | None:
        """D's logits on real images paired with conditions that are not theirs, judged as fakes
        (GAN-CLS's matching-aware D); None: the family has no such term."""
        return None

    def joint_d_batch(self, cfg: ModelConfig) -> bool:
        """May real and fake go through D as one batch ("separate batches" off)?"""
        return True

    def training_data(self, cfg: ModelConfig, ds):
        """The data set a run draws its batches from, made from the loaded one (CycleGAN: two
        disjoint halves, one per domain); the loaded one as it is by default."""
        return ds

    def check_run(self, cfg: ModelConfig, train: TrainConfig) -> None:
        """Refuse a training config this family cannot train with (a ConfigError, in words)."""

    def grid_count(self, cfg: ModelConfig, train: TrainConfig) -> int:
        """How many fixed-input samples the live view draws."""
        return train.grid_size if cfg.is_image else 500

    def evaluate(
        self,
        g: nn.Module,
        d: nn.Module,
        cfg: ModelConfig,
        inputs: Inputs,
        predicted: np.ndarray,
        features,
        seed: int,
        companion: nn.Module | None = None,
    ) -> dict:
        """Family metrics from the dataset classifier's ``predicted`` classes of G's samples and
        its ``features`` of them (N, 128); ``companion`` is the G that :meth:`companion` names."""
        return {}


_REGISTRY: dict[str, Family] = {}


def register(family: Family) -> Family:
    """Make ``family`` known by its name (a new family, or a test's); returns it."""
    if not getattr(family, "name", "") or getattr(family.config, "family", None) != family.name:
        raise ValueError(_("a family needs a name, and a config class whose `family` is that name"))
    _REGISTRY[family.name] = family
    return family


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> dict[str, Family]:
    """Every family registered so far, by name (:mod:`gancore.models.catalog` imports the shipped ones)."""
    return dict(_REGISTRY)
