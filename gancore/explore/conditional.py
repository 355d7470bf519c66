"""CGAN beside ACGAN: the same z and class through two conditional generators, with what each
costs and buys — does our classifier see the asked class, how varied are the samples of one
class (next to real data's), and what does ACGAN's own D think they are."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
from torch import nn

from gancore.base.arrays import to_uint8_grid
from gancore.base.config import ModelConfig
from gancore.base.i18n import _
from gancore.data import images as image_sets  # called through the module, so a test's patch of it reaches here
from gancore.explore import sampling
from gancore.measure import classifier, scores
from gancore.models import catalog


@dataclass(frozen=True)
class Column:
    """One model's samples of one class and their measures."""

    images: np.ndarray  # (n, 28, 28, 1) uint8
    agreement: float | None  # share our classifier puts in the asked class (None: no classifier)
    diversity: float | None  # mean pairwise feature distance (class_diversity)
    aux_agreement: float | None  # share D's own class head puts in the asked class (ACGAN only)


@torch.inference_mode()
def column(
    g: nn.Module, d: nn.Module | None, cfg: ModelConfig, dataset: str, cls: int, n: int, seed: int, dist: str = "normal", psi: float = 1.0
) -> Column:
    """``n`` samples of class ``cls`` from the noise of ``seed`` (the same z for every model of
    the same latent size, truncated by ``psi``), and their measures."""
    if not 0 <= cls < cfg.num_classes or n < 2:
        raise ValueError(_("pick a class in 0..{value} and at least 2 samples").format(value=cfg.num_classes - 1))
    z, y = sampling.noise(cfg, n, seed, dist, psi), torch.full((n,), cls, dtype=torch.long)
    x = g(z, y).float()
    aux = None
    if d is not None:
        _skip, class_logits = catalog.of(cfg).discriminate(d.eval(), x, y)
        aux = None if class_logits is None else float((class_logits.argmax(1) == y).float().mean())
    loaded = scores.load_classifier(dataset)
    if loaded is None or x.shape[1:] != (1, 28, 28):
        return Column(to_uint8_grid(x), None, None, aux)
    probs, feats = classifier.predict(loaded[0], x)
    agree = float((probs.argmax(1) == cls).float().mean())
    return Column(to_uint8_grid(x), agree, scores.class_diversity(feats, np.full(n, cls)), aux)


@lru_cache(maxsize=32)
def real_diversity(dataset: str, cls: int, n: int = 64) -> float | None:
    """The same variety measure on ``n`` real test images of class ``cls``: the reference."""

    loaded = scores.load_classifier(dataset)
    if loaded is None:
        return None
    test = image_sets.load_images(dataset, train=False)
    x = test.images[test.labels == cls][:n]
    return scores.class_diversity(classifier.predict(loaded[0], x)[1], np.full(len(x), cls))
