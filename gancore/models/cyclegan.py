"""CycleGAN (Zhu et al. 2017) and DiscoGAN (Kim et al. 2017): unpaired translation held together by a cycle.

Two translators, G_AB: A -> B and G_BA: B -> A, and two discriminators, D_A and D_B, learn from
two piles of pictures with no pairs between them (:func:`gancore.data.tasks.unpaired`). D_B alone would
let G_AB map every A picture to any convincing B picture; the cycle asks that G_BA(G_AB(a)) give
``a`` back, so G_AB must keep what makes ``a`` itself. Each training batch holds both domains as
channels, [a, b] (B, 2, 28, 28); the trainer sees one G and one D:

    G's fakes   [G_BA(b), G_AB(a)]                (B, 2, 28, 28)  a fake A, a fake B
    D           [D_A(channel 0), D_B(channel 1)]  (B, 2P) logits  P = 49 patches, or 1

    G minimises  2 * mean(L_GAN(D_A), L_GAN(D_B))                  both directions' adversarial terms
               + lambda * (|G_BA(G_AB(a)) - a| + |G_AB(G_BA(b)) - b|)   the cycle
               + lambda * w_id * (|G_AB(b) - b| + |G_BA(a) - a|)        identity: leave the other domain alone

The two recipes (``recipe``) differ in what the papers chose:

    ============  ===============================  ====================================
                  CycleGAN                         DiscoGAN
    ============  ===============================  ====================================
    G             ResNet: 2 downsamplings,         encoder-decoder: 3 strided convs,
                  residual blocks, InstanceNorm    3 transposed ones, BatchNorm
    D             PatchGAN, InstanceNorm (7x7)     one logit per picture, BatchNorm
    GAN loss      least squares (the preset)       cross-entropy (the preset)
    cycle         L1, lambda = 10                  squared error, lambda = 1
    identity      0.5 lambda                       none
    ============  ===============================  ====================================

CycleGAN's G (``width`` scales the 64):

    x (B, 1, 28, 28) -> Conv 7 -> IN -> ReLU          (B, 64, 28, 28)
      -> Conv 3/2 -> IN -> ReLU                       (B, 128, 14, 14)
      -> Conv 3/2 -> IN -> ReLU                       (B, 256, 7, 7)
      -> blocks x [Conv 3 -> IN -> ReLU -> Conv 3 -> IN, + skip]   (B, 256, 7, 7)
      -> ConvT 3/2 -> IN -> ReLU -> ConvT 3/2 -> IN -> ReLU        (B, 64, 28, 28)
      -> Conv 7 -> Tanh                               (B, 1, 28, 28)

Left out: CycleGAN's pool of 50 past fakes for D (D sees this step's fakes) and DiscoGAN's code's
schedule and feature-matching term (its paper's losses are the ones here).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import ClassVar

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gancore.base.config import ConvModelConfig, _check, _check_int, _check_range
from gancore.base.errors import ConfigError
from gancore.base.i18n import N_, _, phrase
from gancore.data import tasks
from gancore.measure.scores import translation_scores
from gancore.models.common import init_normal
from gancore.models.family import Inputs, register
from gancore.models.paired import PairedFamily


class Recipe(StrEnum):
    CYCLEGAN = "cyclegan"
    DISCOGAN = "discogan"


class Task(StrEnum):
    """What domain B is: the same digits drawn thick, or turned a quarter (tasks.domain_b)."""

    THICK = "thick"
    ROTATE = "rotate"


def _enum(kind: type[StrEnum], field: str, value) -> StrEnum:
    try:
        return kind(value)
    except ValueError:
        raise ConfigError(
            _("{field} must be one of {join} (got {value!r})").format(field=field, join=", ".join(v.value for v in kind), value=value)
        ) from None


@dataclass(frozen=True)
class CycleConfig(ConvModelConfig):
    """``data``: the image set; ``task``: domain B is thick (``thick``) or turned (``rotate``);
    ``recipe``: the networks and distance; ``cycle_weight``: lambda; ``identity_weight``: the
    identity term's weight as a fraction of lambda; ``blocks``: CycleGAN G's residual blocks."""

    family: ClassVar[str] = "cyclegan"

    latent_dim: int = 1  # G takes a picture, not a noise vector
    data: str = "mnist"
    task: Task = Task.THICK
    recipe: Recipe = Recipe.CYCLEGAN
    cycle_weight: float = 10.0
    identity_weight: float = 0.5
    blocks: int = 3

    def __post_init__(self) -> None:
        super().__post_init__()
        _check(self.data in ("mnist", "fashion"), "data", "mnist or fashion", self.data)
        object.__setattr__(self, "task", _enum(Task, "task", self.task))
        object.__setattr__(self, "recipe", _enum(Recipe, "recipe", self.recipe))
        _check_range("cycle_weight", self.cycle_weight, 0.0, 1000.0)
        _check_range("identity_weight", self.identity_weight, 0.0, 10.0)
        _check_int("blocks", self.blocks, 1, 9)
        _check(self.channels == 1 and self.image_size == 28, "image", "1 x 28 x 28 for CycleGAN", self.image_shape)


def _in(c: int) -> nn.InstanceNorm2d:
    return nn.InstanceNorm2d(c)  # each picture's own statistics: no learned scale, no running means


class Residual(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1), _in(c), nn.ReLU(), nn.Conv2d(c, c, 3, 1, 1), _in(c))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)  # (B, c, 7, 7)


def resnet_g(cfg: CycleConfig) -> nn.Sequential:
    """CycleGAN's translator (shapes in the module docstring)."""
    c = max(8, round(64 * cfg.width))
    return nn.Sequential(
        nn.Conv2d(1, c, 7, 1, 3, padding_mode="reflect"), _in(c), nn.ReLU(),  # (B, c, 28, 28)
        nn.Conv2d(c, 2 * c, 3, 2, 1), _in(2 * c), nn.ReLU(),  # (B, 2c, 14, 14)
        nn.Conv2d(2 * c, 4 * c, 3, 2, 1), _in(4 * c), nn.ReLU(),  # (B, 4c, 7, 7)
        *(Residual(4 * c) for _skip in range(cfg.blocks)),  # (B, 4c, 7, 7)
        nn.ConvTranspose2d(4 * c, 2 * c, 3, 2, 1, output_padding=1), _in(2 * c), nn.ReLU(),  # (B, 2c, 14, 14)
        nn.ConvTranspose2d(2 * c, c, 3, 2, 1, output_padding=1), _in(c), nn.ReLU(),  # (B, c, 28, 28)
        nn.Conv2d(c, 1, 7, 1, 3, padding_mode="reflect"), nn.Tanh(),  # (B, 1, 28, 28)
    )  # fmt: skip


def encoder_decoder_g(cfg: CycleConfig) -> nn.Sequential:
    """DiscoGAN's translator: 28 -> 14 -> 7 -> 4 and back, BatchNorm, LeakyReLU in, ReLU out."""
    c = max(8, round(64 * cfg.width))
    return nn.Sequential(
        nn.Conv2d(1, c, 4, 2, 1), nn.LeakyReLU(0.2),  # (B, c, 14, 14)
        nn.Conv2d(c, 2 * c, 4, 2, 1), nn.BatchNorm2d(2 * c), nn.LeakyReLU(0.2),  # (B, 2c, 7, 7)
        nn.Conv2d(2 * c, 4 * c, 3, 2, 1), nn.BatchNorm2d(4 * c), nn.LeakyReLU(0.2),  # (B, 4c, 4, 4)
        nn.ConvTranspose2d(4 * c, 2 * c, 3, 2, 1), nn.BatchNorm2d(2 * c), nn.ReLU(),  # (B, 2c, 7, 7)
        nn.ConvTranspose2d(2 * c, c, 4, 2, 1), nn.BatchNorm2d(c), nn.ReLU(),  # (B, c, 14, 14)
        nn.ConvTranspose2d(c, 1, 4, 2, 1), nn.Tanh(),  # (B, 1, 28, 28)
    )  # fmt: skip


def critic(cfg: CycleConfig) -> nn.Sequential:
    """One domain's D: a PatchGAN (CycleGAN: 49 logits, one per 18 x 18 patch) or one logit (DiscoGAN)."""
    c = max(8, round(64 * cfg.width))
    norm = _in if cfg.recipe is Recipe.CYCLEGAN else nn.BatchNorm2d
    head = nn.Conv2d(2 * c, 1, 3, 1, 1) if cfg.recipe is Recipe.CYCLEGAN else nn.Conv2d(2 * c, 1, 7)  # (B, 1, 7, 7) or (B, 1, 1, 1)
    return nn.Sequential(
        nn.Conv2d(1, c, 4, 2, 1), nn.LeakyReLU(0.2),  # (B, c, 14, 14)
        nn.Conv2d(c, 2 * c, 4, 2, 1), norm(2 * c), nn.LeakyReLU(0.2),  # (B, 2c, 7, 7)
        head, nn.Flatten(),  # (B, 49) or (B, 1)
    )  # fmt: skip


class Generator(nn.Module):
    """Both translators. Called as G(None, a) it is G_AB; training reaches ``ab`` and ``ba``."""

    def __init__(self, cfg: CycleConfig) -> None:
        super().__init__()
        make = resnet_g if cfg.recipe is Recipe.CYCLEGAN else encoder_decoder_g
        self.ab, self.ba = make(cfg), make(cfg)
        init_normal(self)

    def forward(self, z: torch.Tensor | None, y: torch.Tensor | None = None) -> torch.Tensor:
        if y is None:
            raise ValueError(_("CycleGAN translates a picture: pass the domain-A images as y"))
        return self.ab(y)  # (B, 1, 28, 28)


class Discriminator(nn.Module):
    """D_A and D_B side by side, on a two-channel batch [an A picture, a B picture]."""

    def __init__(self, cfg: CycleConfig) -> None:
        super().__init__()
        self.a, self.b = critic(cfg), critic(cfg)
        init_normal(self)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return torch.cat([self.a(x[:, :1]), self.b(x[:, 1:])], 1)  # (B, 2P)


def cycle_distance(recipe: Recipe, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """How far a reconstruction is from the original: mean |x - t| (CycleGAN) or mean (x - t)^2 (DiscoGAN)."""
    diff = x.float() - target.float()
    return diff.abs().mean() if recipe is Recipe.CYCLEGAN else diff.pow(2).mean()


@torch.inference_mode()
def round_trip(g: nn.Module, x: torch.Tensor, forward: bool = True, chunk: int = 500) -> tuple[torch.Tensor, torch.Tensor]:
    """Pictures (n, 1, 28, 28) A -> B -> A (``forward``) or B -> A -> B, ``chunk`` at a time: the
    translations and the ways back, both (n, 1, 28, 28) float32."""
    there_net, back_net = (g.ab, g.ba) if forward else (g.ba, g.ab)
    there = torch.cat([there_net(x[i : i + chunk]).float() for i in range(0, len(x), chunk)])
    return there, torch.cat([back_net(there[i : i + chunk]).float() for i in range(0, len(x), chunk)])


class CycleFamily(PairedFamily):
    name = "cyclegan"
    config = CycleConfig
    title = "CycleGAN / DiscoGAN (Zhu et al. 2017; Kim et al. 2017)"
    kind = N_("a CycleGAN or DiscoGAN")
    metrics = ("cycle", "identity")
    grid_columns = 8  # two (A | G_AB(A) | back to A | the true B) quadruples a row
    grid_caption = N_("Test digit A → G_AB(A) → G_BA(G_AB(A)) → the true B (never shown), two per row,")
    verb = "translates"

    generator, discriminator = Generator, Discriminator

    def source(self, cfg: CycleConfig, real: torch.Tensor) -> torch.Tensor:
        return real  # a domain-A picture is G_AB's input as it is

    def training_data(self, cfg: CycleConfig, ds):
        """Half the pictures as domain A, the other half in domain B, as two channels (tasks.unpaired)."""
        images, labels = tasks.unpaired(ds.images, ds.labels, cfg.task)
        return replace(
            ds, images=images, labels=labels, source=phrase("{source}; unpaired halves, B: {task}", source=ds.source, task=cfg.task)
        )

    def batch_inputs(self, cfg, real: torch.Tensor, labels, gen) -> Inputs:
        """A batch [a, b] (B, 2, 28, 28): the B pictures reshuffled, so no pairing repeats across epochs."""
        perm = torch.randperm(real.shape[0], generator=gen, device=gen.device).to(real.device)
        return {"y": real[:, :1], "b": real[perm, 1:]}

    def sample_inputs(self, cfg: CycleConfig, n: int, gen, dist: str = "normal", balanced: bool = False, device=None) -> Inputs:
        """Test digits (domain A) and their true domain-B versions, which training never shows."""
        got = tasks.test_pairs(cfg.data, n, gen, balanced, device)
        return {"y": got["target"], "target": tasks.domain_b(cfg.task, got["target"]), "labels": got["labels"]}

    def generate(self, g: nn.Module, inputs: Inputs) -> torch.Tensor:
        """G_AB(a) (n, 1, 28, 28); in training (a B batch given) both fakes, [G_BA(b), G_AB(a)] (n, 2, 28, 28)."""
        if "b" not in inputs:
            return g(None, inputs["y"])
        return torch.cat([g.ba(inputs["b"]), g.ab(inputs["y"])], 1)

    def picture(self, g: nn.Module, inputs: Inputs) -> torch.Tensor:
        """The live grid: (a, G_AB(a), G_BA(G_AB(a)), the true B) per fixed test digit."""
        there = g.ab(inputs["y"])  # (n, 1, 28, 28)
        back = g.ba(there)  # (n, 1, 28, 28)
        return torch.stack([inputs["y"].to(there.dtype), there, back, inputs["target"].to(there.dtype)], 1).flatten(0, 1)  # (4n, ...)

    def grid_count(self, cfg, train) -> int:
        return 8

    def condition_real(self, cfg, real, labels, gen) -> None:
        return None  # D_A and D_B judge pictures alone

    def discriminate(self, d: nn.Module, x: torch.Tensor, cond) -> tuple[torch.Tensor, None]:
        return d(x).flatten(), None  # (B * 2P,): every patch of both domains is one verdict

    def joint_d_batch(self, cfg) -> bool:
        return False  # the patches of a joint batch would not split back at B

    def g_loss(self, d, fake_in, inputs, adversarial, hacks) -> tuple[torch.Tensor, dict]:
        return adversarial(d(fake_in).flatten()), {}

    def adversarial_weight(self, cfg) -> float:
        return 2.0  # the loss is the mean over D_A's and D_B's verdicts; the papers sum the two

    def reconstruction(self, cfg: CycleConfig, fake: torch.Tensor, inputs: Inputs, g: nn.Module | None = None):
        """lambda * (cycle A + cycle B) + lambda * w_id * (identity A + identity B); logs each as a per-direction mean."""
        a, b = inputs["y"], inputs["b"]
        cycle = cycle_distance(cfg.recipe, g.ba(fake[:, 1:]), a) + cycle_distance(cfg.recipe, g.ab(fake[:, :1]), b)
        loss, logged = cfg.cycle_weight * cycle, {"cycle": cycle.detach() / 2}
        if cfg.identity_weight:
            same = cycle_distance(cfg.recipe, g.ab(b), b) + cycle_distance(cfg.recipe, g.ba(a), a)
            loss = loss + cfg.cycle_weight * cfg.identity_weight * same
            logged["identity"] = same.detach() / 2
        return loss, logged

    def output_arrays(self, g: nn.Module, inputs: Inputs) -> dict[str, np.ndarray]:
        """``cycled``: G_BA(G_AB(a)), the way back."""
        return {"cycled": round_trip(g, inputs["y"])[1].numpy()}

    def evaluate(self, g, d, cfg: CycleConfig, inputs: Inputs, predicted: np.ndarray, features, seed: int, companion=None) -> dict:
        """translation_scores against the true B, and the cycle error (L1) both ways."""
        scores = translation_scores(self, g, inputs, predicted, features, cfg.data)
        a, b = inputs["y"].float(), inputs["target"].float()
        back_a, back_b = round_trip(g, a)[1], round_trip(g, b, forward=False)[1]
        scores["cycle_l1_a"] = round(float(F.l1_loss(back_a, a)), 4)
        scores["cycle_l1_b"] = round(float(F.l1_loss(back_b, b)), 4)
        return scores


FAMILY = register(CycleFamily())
