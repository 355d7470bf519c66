"""What the text-to-digit page asks of a caption-conditioned G: the inputs for samples of one
sentence, and for a strip between two sentences (whether the words steer G is the family's own
measure, :func:`gancore.models.text2digit.attribute_control`)."""

from __future__ import annotations

import torch

from gancore.base.config import ModelConfig
from gancore.base.latent import sample_z, truncate
from gancore.data import captions


def sentence_inputs(
    cfg: ModelConfig, sentence: str, n: int, seed: int, dist: str = "normal", psi: float = 1.0
) -> tuple[dict, list[str], list[str]]:
    """``n`` samples' inputs for one sentence (each its own z from ``seed``, truncated by ``psi``),
    the words read and the words ignored. Raises TextError for a sentence with no known word."""
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
