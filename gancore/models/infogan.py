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

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gancore.base import losses
from gancore.base.config import ConvModelConfig, _check_int
from gancore.base.i18n import N_
from gancore.base.latent import infogan_latent, sample_labels, sample_z
from gancore.measure import scores
from gancore.models.common import Dropout, Reshape
from gancore.models.family import Family, Inputs, register


@dataclass(frozen=True)
class InfoGanConfig(ConvModelConfig):
    """InfoGAN: ``latent_dim`` incompressible noise, plus an ``n_cat``-way category and ``n_cont``
    continuous codes that Q must recover from G's images."""

    family: ClassVar[str] = "infogan"

    latent_dim: int = 62
    n_cat: int = 10
    n_cont: int = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_int("n_cat", self.n_cat, 2, 100)
        _check_int("n_cont", self.n_cont, 0, 8)


def _w(c: int, cfg: InfoGanConfig) -> int:
    return max(4, round(c * cfg.width))


class Generator(nn.Module):
    def __init__(self, cfg: InfoGanConfig) -> None:
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
    def __init__(self, cfg: InfoGanConfig) -> None:
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


class InfoGanFamily(Family):
    name = "infogan"
    config = InfoGanConfig
    title = "InfoGAN (Chen et al. 2016)"
    kind = N_("an InfoGAN")
    metrics = ("info_cat", "info_cont")

    generator, discriminator = Generator, Discriminator

    def parameter_groups(self, g: nn.Module, d: Discriminator):
        """Q's head trains with G: the information term is theirs to lower, not D's."""
        q_ids = {id(p) for p in d.q_parameters()}
        return list(g.parameters()) + list(d.q_parameters()), [p for p in d.parameters() if id(p) not in q_ids]

    def latent_size(self, cfg: InfoGanConfig) -> int:
        return cfg.latent_dim + cfg.n_cat + cfg.n_cont

    def sample_inputs(
        self, cfg: InfoGanConfig, n: int, gen: torch.Generator, dist: str = "normal", balanced: bool = False, device=None
    ) -> Inputs:
        """The paper's codes: c1 uniform over the categories, continuous codes U(-1, 1)."""
        noise = sample_z(n, cfg.latent_dim, gen, dist, device)  # (n, 62)
        cat = sample_labels(n, cfg.n_cat, gen, balanced, device)  # (n,)
        cont = torch.rand(n, cfg.n_cont, generator=gen, device=device) * 2 - 1  # (n, 2)
        return {"z": infogan_latent(noise, cat, cont, cfg.n_cat), "cat": cat, "cont": cont, "noise": noise}  # z: (n, 74)

    def sample_arrays(self, inputs: Inputs) -> dict[str, np.ndarray]:
        return {"codes": inputs["cat"].numpy(), "cont": inputs["cont"].numpy().astype(np.float32)}

    def g_loss(self, d: Discriminator, fake_in: torch.Tensor, inputs: Inputs, adversarial, hacks) -> tuple[torch.Tensor, dict]:
        """L_G + lambda (CE(Q_cat, c1) + Gaussian NLL(Q_cont, c2..)): one pass through D's trunk."""
        logit, cat_logits, cont_mean = d.forward_all(fake_in)
        ce, cont = losses.info_loss(cat_logits, inputs["cat"], cont_mean, inputs["cont"])
        return adversarial(logit) + hacks.info_lambda * (ce + cont), {"info_cat": ce.detach(), "info_cont": cont.detach()}

    def evaluate(self, g, d, cfg: InfoGanConfig, inputs: Inputs, predicted: np.ndarray, features, seed: int, companion=None) -> dict:
        acc, mapping = scores.matched_accuracy(inputs["cat"].numpy(), predicted, cfg.n_cat)
        return {"category_accuracy": round(acc, 4), "category_to_label": mapping, **infogan_codes(g, d, cfg, seed)}


FAMILY = register(InfoGanFamily())


@torch.inference_mode()
def infogan_codes(g, d, cfg, seed: int = 0, n: int = 1000) -> dict:
    """InfoGAN: the information term ln K - CE(Q(G(z)), c1), and each continuous code's rank
    correlation with slant and width (per-category means removed: a 1 is thinner than a 0)."""
    lat = FAMILY.sample_inputs(cfg, n, torch.Generator().manual_seed(seed + 1), balanced=True)
    x = g(lat["z"]).float()
    _, cat_logits, _ = d.forward_all(x)
    ce = F.cross_entropy(cat_logits, lat["cat"]).item()
    out = {"information_nats": round(math.log(cfg.n_cat) - ce, 4), "information_max_nats": round(math.log(cfg.n_cat), 4)}
    moments = scores.image_moments(x)
    cats = lat["cat"].numpy()
    for name, values in moments.items():
        centred = values.copy()
        for c in np.unique(cats):
            centred[cats == c] -= values[cats == c].mean()
        moments[name] = centred
    for i in range(cfg.n_cont):
        code = lat["cont"][:, i].numpy()
        out[f"c{i + 2}_rho_slant"] = round(scores.rank_correlation(code, moments["slant"]), 3)
        out[f"c{i + 2}_rho_width"] = round(scores.rank_correlation(code, moments["width"]), 3)
    return out
