"""ACGAN (Odena, Olah & Shlens 2017): the discriminator must also say which class it sees.

G is the conditional DCGAN's (the label enters as a one-hot beside z); D sees only the image
and has two heads on one trunk:
G: [z, onehot(c)] (B, 100 + 10) -> the DCGAN generator -> (B, 1, 28, 28)
D: x (B, 1, 28, 28) -> the DCGAN trunk (B, 128*7*7) -> source head: logit (B,)
                                                    -> class head: class logits (B, 10)
Both players add the class log-likelihood L_C: D learns to classify real and fake images, G
to make fakes that D classifies as the class asked for. CGAN asks "does this image match its
label?"; ACGAN asks "which class is this?", so its samples become easy to classify.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import nn

from gancore.base import losses
from gancore.base.i18n import N_
from gancore.models import cgan, dcgan
from gancore.models.family import Inputs, register


@dataclass(frozen=True)
class AcganConfig(cgan.CganConfig):
    """The conditional DCGAN's G with an auxiliary-classifier D (the paper weighs L_C as 1 for both players)."""

    family: ClassVar[str] = "acgan"


class Discriminator(nn.Module):
    def __init__(self, cfg: AcganConfig) -> None:
        super().__init__()
        _, c2, _ = dcgan.widths(cfg)
        self.trunk = dcgan.trunk(cfg.channels, cfg)  # (B, 128*7*7)
        self.source = nn.Linear(c2 * 7 * 7, 1)  # real or fake
        self.classes = nn.Linear(c2 * 7 * 7, cfg.num_classes)  # which class

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """The real/fake logit (B,); the label is not an input: D must find the class itself."""
        return self.source(self.trunk(x)).squeeze(1)

    def forward_all(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One pass through the trunk: (real/fake logit (B,), class logits (B, 10))."""
        h = self.trunk(x)
        return self.source(h).squeeze(1), self.classes(h)


class AcganFamily(cgan.CganFamily):
    name = "acgan"
    config = AcganConfig
    title = "ACGAN (Odena et al. 2017)"
    kind = N_("an ACGAN")
    metrics = ("class_d", "class_g", "aux_acc")

    generator, discriminator = cgan.Generator, Discriminator

    def discriminate(self, d: Discriminator, x: torch.Tensor, cond) -> tuple[torch.Tensor, torch.Tensor]:
        return d.forward_all(x)

    def d_aux_loss(self, cfg: AcganConfig, aux_real, y_real, aux_fake, inputs: Inputs) -> tuple[torch.Tensor, dict]:
        """L_C on both sides: D classifies the real images (their labels) and the fakes (the asked class)."""
        ce = losses.class_loss(aux_real, y_real) + losses.class_loss(aux_fake, inputs["y"])
        acc = (aux_real.detach().argmax(1) == y_real).float().mean()
        return ce, {"class_d": ce.detach(), "aux_acc": acc}

    def g_loss(self, d: Discriminator, fake_in, inputs: Inputs, adversarial, hacks) -> tuple[torch.Tensor, dict]:
        """L_G + CE(D's class head on G(z, c), c): fool D *and* be recognised as class c."""
        logit, class_logits = d.forward_all(fake_in)
        ce = losses.class_loss(class_logits, inputs["y"])
        return adversarial(logit) + ce, {"class_g": ce.detach()}

    @torch.inference_mode()
    def evaluate(self, g, d: Discriminator, cfg: AcganConfig, inputs: Inputs, predicted, features, seed: int, companion=None) -> dict:
        """CGAN's measures, and how often D's own class head names the asked class (on 500 samples)."""
        part = {k: v[:500] for k, v in inputs.items()}
        guess = d.eval().forward_all(self.generate(g, part).float())[1].argmax(1)
        aux = float((guess == part["y"]).float().mean())
        return {**super().evaluate(g, d, cfg, inputs, predicted, features, seed), "aux_agreement": round(aux, 4)}


FAMILY = register(AcganFamily())
