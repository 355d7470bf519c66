"""Text to digit: GAN-CLS with interpolation (Reed et al. 2016), at MNIST scale.

A caption ("a thick 7 leaning right") reaches each network as a bag of words t (B, V); each
network embeds it with its own word vectors, phi(t) = sum of the caption's word vectors
(B, 32), learned with the network (see :mod:`gancore.data.captions` for why no pre-trained encoder):
G: [z, phi_G(t)] (B, 100 + 32) -> the DCGAN generator -> (B, 1, 28, 28)
D: x -> the DCGAN trunk, before flattening       (B, 128, 7, 7)
   phi_D(t) copied to every position             (B, 32, 7, 7)
   concat -> Conv 1x1 -> LeakyReLU               (B, 128, 7, 7)   the image and the text meet
   flatten -> Dense 1                            logit: "a real image that matches this text"
Matching-aware D (GAN-CLS): (real image, a caption of another image) is judged fake as well.
GAN-INT: a share of G's captions are halfway mixes of two captions (beta = 0.5, the paper's),
so G learns to draw between sentences; there is no real image for them, only D's verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch
from torch import nn

from gancore.base.config import ConvModelConfig, _check_int, _check_range
from gancore.base.errors import ConfigError
from gancore.base.i18n import N_, _
from gancore.base.latent import sample_labels, sample_z
from gancore.data import captions
from gancore.measure.scores import asked_class
from gancore.models import dcgan
from gancore.models.family import Family, Inputs, register

V = len(captions.VOCAB)


@dataclass(frozen=True)
class Text2DigitConfig(ConvModelConfig):
    """The DCGAN conditioned on a caption: ``text_dim`` word-vector size, ``mix_share`` of G's
    training captions interpolated (GAN-INT; 0 turns it off)."""

    family: ClassVar[str] = "text2digit"

    text_dim: int = 32
    mix_share: float = 0.25

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_int("text_dim", self.text_dim, 4, 256)
        _check_range("mix_share", self.mix_share, 0.0, 1.0)


def word_vectors(cfg: Text2DigitConfig) -> nn.Linear:
    """A bag of words (B, V) -> the sum of its words' vectors (B, text_dim). Drawn N(0, 1) as
    nn.Embedding's are: a Linear layer's small default (about +-0.15) left the caption a
    whisper beside z's unit noise, and G learned the digit far more slowly."""
    embed = nn.Linear(V, cfg.text_dim, bias=False)
    nn.init.normal_(embed.weight)
    return embed


class Generator(nn.Module):
    def __init__(self, cfg: Text2DigitConfig) -> None:
        super().__init__()
        self.embed = word_vectors(cfg)  # bag (B, V) -> sum of word vectors (B, 32)
        self.body = dcgan.Generator(cfg, extra_inputs=cfg.text_dim)

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if y is None:
            raise ValueError(_("text to digit needs a caption (a bag of words)"))
        return self.body(torch.cat([z, self.embed(y.to(z.dtype))], 1))  # (B, 1, 28, 28)


class Discriminator(nn.Module):
    def __init__(self, cfg: Text2DigitConfig) -> None:
        super().__init__()
        _skip, c2, _skip = dcgan.widths(cfg)
        self.trunk = dcgan.trunk(cfg.channels, cfg)[:-1]  # (B, 128, 7, 7): no Flatten
        self.embed = word_vectors(cfg)  # (B, 32)
        self.join = nn.Sequential(nn.Conv2d(c2 + cfg.text_dim, c2, 1), nn.LeakyReLU(0.2))  # (B, 128, 7, 7)
        self.head = nn.Linear(c2 * 7 * 7, 1)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if y is None:
            raise ValueError(_("the matching-aware discriminator needs the caption too"))
        h = self.trunk(x)  # (B, 128, 7, 7)
        t = self.embed(y.to(x.dtype))[:, :, None, None].expand(-1, -1, *h.shape[2:])  # (B, 32, 7, 7)
        return self.head(self.join(torch.cat([h, t], 1)).flatten(1)).squeeze(1)  # (B,)


class Text2DigitFamily(Family):
    name = "text2digit"
    config = Text2DigitConfig
    title = "Text to digit: GAN-CLS + INT (Reed et al. 2016)"
    kind = N_("a text-to-digit GAN")

    generator, discriminator = Generator, Discriminator

    def sample_inputs(
        self, cfg: Text2DigitConfig, n: int, gen: torch.Generator, dist: str = "normal", balanced: bool = False, device=None
    ) -> Inputs:
        """Captions of random digits (0, 1, ... when ``balanced``), slants and stroke weights."""
        z = sample_z(n, cfg.latent_dim, gen, dist, device)  # (n, 100)
        digit = sample_labels(n, 10, gen, balanced, device)  # (n,)
        slant, width = (torch.randint(3, (n,), generator=gen, device=gen.device) for _skip in range(2))
        said = captions.write(digit.cpu(), slant.cpu(), width.cpu(), gen)
        y = captions.bag(said["words"], device)  # (n, V)
        return {"z": z, "y": y, "digit": digit, "words": said["words"], "slant": said["slant"], "width": said["width"]}

    def training_inputs(self, cfg: Text2DigitConfig, n: int, gen: torch.Generator, dist: str, device=None) -> Inputs:
        """GAN-INT: ``mix_share`` of the captions mixed halfway with another caption of the batch."""
        inputs = self.sample_inputs(cfg, n, gen, dist, device=device)
        if cfg.mix_share > 0:
            y = inputs["y"]  # (n, V)
            mixed = (torch.rand(n, generator=gen, device=gen.device) < cfg.mix_share).to(y.device)  # (n,)
            other = y[torch.randperm(n, generator=gen, device=gen.device).to(y.device)]
            inputs["y"] = torch.where(mixed[:, None], 0.5 * (y + other), y)
        return inputs

    def condition_real(self, cfg, real: torch.Tensor, labels: torch.Tensor | None, gen: torch.Generator) -> torch.Tensor:
        """A caption for each real image from its label and its measured slant and weight."""
        slant, width = captions.attributes(real, labels)
        return captions.bag(captions.write(labels.cpu(), slant.cpu(), width.cpu(), gen)["words"], real.device)

    def mismatched(self, d: Discriminator, real_in: torch.Tensor, cond_real: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        """D on (real image, another image's caption): the batch's captions rolled by 1..B-1."""
        shift = int(torch.randint(1, max(2, len(cond_real)), (1,), generator=gen, device=gen.device))
        return d(real_in, cond_real.roll(shift, 0))

    def check_run(self, cfg, train) -> None:
        if train.dataset != "mnist":
            raise ConfigError(_("text to digit reads sentences about digits: train it on mnist"))

    def sample_arrays(self, inputs: Inputs) -> dict[str, np.ndarray]:
        return {
            "labels": inputs["digit"].numpy(),
            "captions": np.array(captions.text(inputs["words"])),
            "slant": inputs["slant"].numpy(),
            "width": inputs["width"].numpy(),
            **captions.code_names(),
        }

    def evaluate(self, g, d, cfg: Text2DigitConfig, inputs: Inputs, predicted: np.ndarray, features, seed: int, companion=None) -> dict:
        return {
            **asked_class(predicted, inputs["digit"].numpy(), features, "digit_accuracy"),
            **attribute_control(g, cfg, seed),
        }


FAMILY = register(Text2DigitFamily())


PAIRS = {  # attribute: (the phrasing that should raise the measure, the one that should lower it)
    "width": [("a thick {d}", "a thin {d}"), ("a bold {d}", "a light {d}"), ("a heavy {d}", "a skinny {d}")],
    "slant": [("a {d} leaning right", "a {d} leaning left"), ("a {d} slanted right", "a {d} slanted left"), ("a {d} tilted right", "a {d} tilted left")],
}  # fmt: skip


@torch.inference_mode()
def attribute_control(g: nn.Module, cfg: Text2DigitConfig, seed: int = 0, per_digit: int = 30) -> dict:
    """For captions that differ in one word ("a thick 7" / "a thin 7", same z), the share of
    pairs whose measured ink (thick) or slant (right) moved the asked way; and the digit accuracy
    is measured elsewhere. ``per_digit`` z's per digit and phrasing."""
    out = {}
    for attr, pairs in PAIRS.items():
        wins = total = 0
        for d in range(10):
            for k, (up, down) in enumerate(pairs):
                z = sample_z(per_digit, cfg.latent_dim, torch.Generator().manual_seed(seed * 1000 + d * 10 + k))
                hi, lo = (g(z, captions.read(s.format(d=d))[0].expand(per_digit, -1)).float() for s in (up, down))
                index = 0 if attr == "slant" else 1
                wins += int((captions.measures(hi)[index] > captions.measures(lo)[index]).sum())
                total += per_digit
        out[f"{attr}_control"] = round(wins / total, 4)
        out[f"{attr}_pairs"] = total
    return out
