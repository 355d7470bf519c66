"""What the exploration pages compute: G rebuilt for inference, and the latent inputs behind
each picture (InfoGAN codes, traversals, class rows, interpolation strips, arithmetic), all
seeded through a torch.Generator so a picture is a pure function of its inputs."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch
from torch import nn

from gancore.base import latent
from gancore.base.arrays import to_uint8_grid
from gancore.base.config import HackConfig, ModelConfig
from gancore.base.i18n import _
from gancore.data import images as image_sets  # called through the module, so a test's patch of it reaches here
from gancore.data import sampler
from gancore.data.captions import measures
from gancore.measure import classifier, scores
from gancore.models import catalog
from gancore.models.catalog import build
from gancore.models.cgan import CganConfig
from gancore.models.common import set_hacks
from gancore.models.infogan import InfoGanConfig


def generator_from_state(cfg: ModelConfig, g_state: dict[str, torch.Tensor], hacks: HackConfig) -> nn.Module:
    """G rebuilt from a state dict (a snapshot's copy) with the run's slopes, in eval mode on the CPU."""
    g, d = build(cfg)
    g.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in g_state.items()})
    set_hacks(g, d, g_slope=hacks.g_slope, d_slope=hacks.d_slope, g_dropout=hacks.g_dropout)
    return g.eval()


@torch.inference_mode()
def images(g: nn.Module, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
    """G's images for the inputs ``z`` (and labels ``y``): (n, C, H, W) float in [-1, 1]."""
    return g(z, y).float()


def render(g: nn.Module, z: torch.Tensor, y: torch.Tensor | None = None) -> np.ndarray:
    """G's images for the inputs ``z`` (and labels ``y``) as (n, H, W, C) uint8."""
    return to_uint8_grid(images(g, z, y))


@torch.inference_mode()
def sample_images(g: nn.Module, cfg: ModelConfig, n: int, seed: int, z_dist: str = "normal") -> torch.Tensor:
    """(n, C, H, W) in [-1, 1] from a fixed seed; conditional / InfoGAN codes balanced."""
    fam = catalog.of(cfg)
    return fam.generate(g, fam.sample_inputs(cfg, n, torch.Generator().manual_seed(seed), z_dist, balanced=True)).float()


@torch.inference_mode()
def showcase(g: nn.Module, cfg: ModelConfig, n: int, seed: int) -> tuple[torch.Tensor, int]:
    """At most ``n`` pictures as the family shows them (pix2pix: input, output, target), and the
    number of columns that keeps its rows whole."""
    fam = catalog.of(cfg)
    cols = 8 if fam.grid_columns == 4 else fam.grid_columns
    x = fam.picture(g, fam.sample_inputs(cfg, n, torch.Generator().manual_seed(seed), balanced=True)).float()
    return x[: max(cols, n - n % cols)], cols


def noise(cfg: ModelConfig, n: int, seed: int, dist: str = "normal", psi: float = 1.0) -> torch.Tensor:
    """(n, latent_dim) noise z, the same for the same seed (without InfoGAN's codes), truncated by ``psi``."""
    return latent.truncate(latent.sample_z(n, cfg.latent_dim, torch.Generator().manual_seed(seed), dist), psi)


def infogan_inputs(cfg: ModelConfig, cat: int, cont: tuple[float, ...], n: int, seed: int, dist: str = "normal") -> torch.Tensor:
    """(n, 62 + 10 + 2): n different noise vectors, all with category ``cat`` and codes ``cont``."""
    _need(cfg, InfoGanConfig)
    if not 0 <= cat < cfg.n_cat or len(cont) != cfg.n_cont:
        raise ValueError(
            _("InfoGAN needs a category in 0..{value} and {n_cont} continuous codes").format(value=cfg.n_cat - 1, n_cont=cfg.n_cont)
        )
    cats = torch.full((n,), cat, dtype=torch.long)
    conts = torch.tensor(cont, dtype=torch.float32).repeat(n, 1)
    return latent.infogan_latent(noise(cfg, n, seed, dist), cats, conts, cfg.n_cat)


def infogan_traversal(cfg: ModelConfig, code: int, values: torch.Tensor, seed: int, base: tuple[float, ...] | None = None) -> torch.Tensor:
    """The paper's Figure 2 inputs: rows = categories, columns = ``values`` of continuous code ``code``."""
    _need(cfg, InfoGanConfig)
    base_t = torch.tensor(base, dtype=torch.float32) if base is not None else None
    return latent.traversal(noise(cfg, 1, seed)[0], cfg.n_cat, cfg.n_cont, code, values, base_t)["z"]


def class_rows(
    cfg: ModelConfig, classes: list[int], cols: int, seed: int, dist: str = "normal", psi: float = 1.0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Conditional GAN grid: one row per class, the same z in each column (style fixed, class varies)."""
    _need(cfg, CganConfig)
    if any(not 0 <= c < cfg.num_classes for c in classes):
        raise ValueError(_("classes must be in 0..{value}").format(value=cfg.num_classes - 1))
    z = noise(cfg, cols, seed, dist, psi).repeat(len(classes), 1)  # (rows * cols, dim)
    y = torch.tensor(classes, dtype=torch.long).repeat_interleave(cols)  # (rows * cols,)
    return z, y


def candidates(cfg: ModelConfig, n: int, seed: int, dist: str = "normal", psi: float = 1.0) -> dict[str, torch.Tensor]:
    """n seeded samples' inputs to pick from (``z``, and ``y`` for the conditional GAN), their noise
    truncated by ``psi`` (InfoGAN's category and codes, after the noise in z, are left as drawn)."""
    inputs = catalog.of(cfg).sample_inputs(cfg, n, torch.Generator().manual_seed(seed), dist, balanced=True)
    if psi == 1.0:
        return inputs
    z = inputs["z"].clone()  # (n, latent_dim [+ InfoGAN's codes])
    z[:, : cfg.latent_dim] = latent.truncate(z[:, : cfg.latent_dim], psi)
    return {**inputs, "z": z}


def strip(z_a: torch.Tensor, z_b: torch.Tensor, steps: int, method: str) -> torch.Tensor:
    """(steps, dim) from z_a to z_b, for the interpolation strip."""
    return latent.interpolate(z_a, z_b, steps, method)


def arithmetic_inputs(z: torch.Tensor, groups: tuple[list[int], list[int], list[int]], n: int, scale: float, seed: int) -> torch.Tensor:
    """[mean A, mean B, mean C, then A - B + C and n - 1 neighbours of it]: the DCGAN paper's Figure 7."""
    a, b, c = (latent.group_mean(z, g) for g in groups)
    result = latent.arithmetic(a, b, c)
    near = latent.neighbours(result, n, scale, torch.Generator().manual_seed(seed))
    return torch.cat([torch.stack([a, b, c]), near])


def slant_groups(images: torch.Tensor, k: int = 3) -> tuple[list[int], list[int], list[int], list[float]]:
    """Arithmetic groups chosen by meaning, for candidates (n, 1, H, W): A = the ``k`` most
    right-leaning, B = the ``k`` most upright or left-leaning, C = the next ``k`` least slanted.
    A - B is then a "lean right" direction, and A - B + C should lean C's digits right.
    Also returns each candidate's measured slant (-mu11 / mu02, > 0 leans right)."""

    if images.shape[1] != 1 or len(images) < 3 * k:
        raise ValueError(_("slant groups need at least {value} one-channel images").format(value=3 * k))
    slant = measures(images)[0]
    order = slant.argsort().tolist()  # most left-leaning first
    return sorted(order[-k:]), sorted(order[:k]), sorted(order[k : 2 * k]), [round(float(v), 3) for v in slant]


@torch.inference_mode()
def class_slant_groups(g: nn.Module, z: torch.Tensor, klass: int, k: int = 3) -> tuple[list[int], list[int], list[int], list[float]]:
    """:func:`slant_groups` for a conditional G: every candidate's z drawn as ``klass`` and measured,
    so A and B are one digit and differ in slant alone (a CGAN's z holds the style, its label the class)."""
    return slant_groups(images(g, z, torch.full((len(z),), klass, dtype=torch.long)), k)


def nearest(sample: torch.Tensor, pool: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Indices and RMS distances of the k rows of ``pool`` (N, ...) nearest to ``sample`` (...)."""
    flat = pool.flatten(1).float()
    d = torch.cdist(sample.reshape(1, -1).float(), flat, compute_mode="donot_use_mm_for_euclid_dist")[0] / flat.shape[1] ** 0.5
    dist, idx = d.topk(min(k, len(flat)), largest=False)
    return idx, dist


def tile(grid: np.ndarray, cols: int | None = None, scale: int = 1, pad: int = 1) -> np.ndarray:
    """(n, H, W, C) uint8 -> one (rows*H, cols*W, C) image with a thin border, for display."""
    n, h, w, c = grid.shape
    cols = cols or int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    out = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad, c), 255, np.uint8)
    for i in range(n):
        r, k = divmod(i, cols)
        out[pad + r * (h + pad) : pad + r * (h + pad) + h, pad + k * (w + pad) : pad + k * (w + pad) + w] = grid[i]
    if scale > 1:
        out = out.repeat(scale, 0).repeat(scale, 1)
    return out[..., 0] if c == 1 else out


@torch.inference_mode()
def class_votes(g: nn.Module, cfg: ModelConfig, dataset: str, z: torch.Tensor, y: torch.Tensor | None = None) -> np.ndarray | None:
    """The classifier's predicted class of each image G makes from ``z``, or None without one."""

    loaded = scores.load_classifier(dataset)
    if loaded is None or cfg.image_shape != (1, 28, 28):
        return None
    probs, _skip = classifier.predict(loaded[0], g(z, y).float())
    return probs.argmax(1).numpy()


def category_meaning(g: nn.Module, cfg: ModelConfig, dataset: str, per_cat: int = 100, seed: int = 0) -> list[tuple[int, float]] | None:
    """For each InfoGAN category, the class its samples look like most and that class's share."""
    _need(cfg, InfoGanConfig)
    out = []
    for cat in range(cfg.n_cat):
        codes = torch.rand(per_cat, cfg.n_cont, generator=torch.Generator().manual_seed(seed + cat)) * 2 - 1
        z = latent.infogan_latent(noise(cfg, per_cat, seed + 100 + cat), torch.full((per_cat,), cat), codes, cfg.n_cat)
        votes = class_votes(g, cfg, dataset, z)
        if votes is None:
            return None
        counts = np.bincount(votes, minlength=10)
        out.append((int(counts.argmax()), float(counts.max() / per_cat)))
    return out


def category_verdict(means: list[tuple[int, float]], pure: float = 0.8) -> tuple[bool, str]:
    """Did c1 learn the digit? (ok, what to tell the user) from ``category_meaning``'s (class, share) pairs.

    Distinct classes are not enough: two categories that each draw half 4s and half 9s map to
    two classes yet separate nothing, so every category must also be ``pure``.
    """
    n = len(means)
    missing = sorted(set(range(n)) - {d for d, _skip in means})
    mixed = [f"c1 = {k} ({share:.0%} {d})" for k, (d, share) in enumerate(means) if share < pure]
    if not missing and not mixed:
        return True, _("The {n} categories map to {n} different classes: c1 learned the digit, unsupervised.").format(n=n)
    sentences = []
    if missing:
        sentences.append(_("Some categories share a class; none stands for {missing}.").format(missing=missing))
    if mixed:
        sentences.append(_("Mixed categories (top class under {pure:.0%}): {mixed}.").format(pure=pure, mixed=", ".join(mixed)))
    sentences.append(_("A run that is too short or unlucky splits digits this way."))
    return False, " ".join(sentences)


def class_histogram(cfg: ModelConfig, g_state: dict, hacks: HackConfig, dataset: str, n: int = 256, seed: int = 0) -> np.ndarray | None:
    """How many of n samples the dataset's classifier puts in each class, or None without one."""
    lat = candidates(cfg, n, seed)
    votes = class_votes(generator_from_state(cfg, g_state, hacks), cfg, dataset, lat["z"], lat.get("y"))
    return None if votes is None else np.bincount(votes, minlength=10)


def _need(cfg: ModelConfig, kind: type[ModelConfig]) -> None:
    if not isinstance(cfg, kind):
        raise ValueError(_("this needs a {family} model, not {family2}").format(family=kind.family, family2=cfg.family))


# ----------------------------------------------------------------------------- memorisation


@lru_cache(maxsize=2)
def training_pool(dataset: str, shape: tuple[int, int, int]) -> dict:
    """The training images (fitted to G's shape), their classifier features when a classifier
    fits, and a reference: how far real *test* images typically are from their nearest training image."""

    train = sampler.load_dataset(dataset, shape)
    test = image_sets.fit_images(image_sets.load_images(dataset, train=False), shape).images[:200]
    pool = {"dataset": dataset, "images": train.images, "source": train.source, "features": None}
    pool["real_pixel_median"] = float(torch.stack([nearest(t, train.images, 1)[1][0] for t in test]).median())
    loaded = scores.load_classifier(dataset)
    if loaded is not None and shape == (1, 28, 28):
        pool["features"] = classifier.predict(loaded[0], train.images)[1]
        feats_test = classifier.predict(loaded[0], test)[1]
        pool["real_feature_median"] = float(torch.stack([nearest(f, pool["features"], 1)[1][0] for f in feats_test]).median())
    return pool


def nearest_training(x: torch.Tensor, pool: dict, k: int = 6) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """The k training images nearest to one sample x (C, H, W), in pixels and (if available) in
    the classifier's feature space: a GAN that memorised shows near-zero distances here."""

    out = {"pixels": nearest(x, pool["images"], k)}
    if pool["features"] is not None:
        feat = classifier.predict(scores.load_classifier(pool["dataset"])[0], x[None])[1][0]
        out["features"] = nearest(feat, pool["features"], k)
    return out
