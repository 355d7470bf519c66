"""What the text-to-digit page and its metrics ask of a caption-conditioned G: samples for a
sentence, a strip between two sentences, and whether the words steer what G draws."""

from __future__ import annotations

import torch
from torch import nn

from gancore import captions
from gancore.config import ModelConfig
from gancore.latent import sample_z, truncate


def sentence_inputs(
    cfg: ModelConfig, sentence: str, n: int, seed: int, dist: str = "normal", psi: float = 1.0
) -> tuple[dict, list[str], list[str]]:
    """``n`` samples' inputs for one sentence (each its own z from ``seed``, truncated by ``psi``),
    the words read and the words ignored. Raises captions.TextError for a sentence with no known word."""
    y, known, ignored = captions.read(sentence)
    z = truncate(sample_z(n, cfg.latent_dim, torch.Generator().manual_seed(seed), dist), psi)  # (n, 100)
    return {"z": z, "y": y.expand(n, -1)}, known, ignored  # y: (n, V)


def sentence_strip(cfg: ModelConfig, first: str, second: str, steps: int, seed: int, dist: str = "normal") -> dict:
    """One z, the caption moving from ``first`` to ``second`` in ``steps`` even steps (GAN-INT's
    interpolation: the bag of words, hence each network's embedding, mixed linearly)."""
    a, b = captions.read(first)[0], captions.read(second)[0]
    t = torch.linspace(0, 1, steps)[:, None]  # (steps, 1)
    z = sample_z(1, cfg.latent_dim, torch.Generator().manual_seed(seed), dist).expand(steps, -1)  # (steps, 100)
    return {"z": z, "y": (1 - t) * a + t * b, "t": t[:, 0]}


PAIRS = {  # attribute: (the phrasing that should raise the measure, the one that should lower it)
    "width": [("a thick {d}", "a thin {d}"), ("a bold {d}", "a light {d}"), ("a heavy {d}", "a skinny {d}")],
    "slant": [("a {d} leaning right", "a {d} leaning left"), ("a {d} slanted right", "a {d} slanted left"), ("a {d} tilted right", "a {d} tilted left")],
}  # fmt: skip


@torch.inference_mode()
def attribute_control(g: nn.Module, cfg: ModelConfig, seed: int = 0, per_digit: int = 30) -> dict:
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
