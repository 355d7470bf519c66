"""Paired image tasks made from offline data: each input is computed from its target.

pix2pix needs (input, target) pairs. The paper's edges2shoes drew edges on photos with HED;
here the "photo" is an MNIST digit or a Fashion-MNIST shoe and its edge map is the outer
morphological gradient, so every pair lines up by construction and any test image gives a fresh
pair:

    u = (x + 1) / 2                          (B, 1, 28, 28) in [0, 1]
    gradient = dilate(u) - u                 3x3 max minus the pixel: high just outside the ink
    edges = gradient > threshold             1 on an outline, 0 elsewhere, back to [-1, 1]

The outer gradient draws a one-pixel line around each stroke: a thin 1 becomes a hollow outline,
not a fatter 1 (the full gradient, dilation minus erosion, covered thin strokes whole).
"""

from __future__ import annotations

from functools import lru_cache

import torch
import torch.nn.functional as F

from gancore.data import images as image_sets  # called through the module, so a test's patch of it reaches here

# Where the gradient counts as an edge, per image set. A digit is solid ink on black: 0.5 keeps its
# outline. A shoe is shaded grey: 0.2 keeps its laces, seams and sole as well (looked at; 0.3 lost them).
EDGE_THRESHOLD = {"mnist": 0.5, "shoes": 0.2}


def dilate(u: torch.Tensor, k: int = 3) -> torch.Tensor:
    """Grey-level dilation: each pixel becomes the largest value in its k x k square. (B, C, H, W)."""
    return F.max_pool2d(u, k, stride=1, padding=k // 2)


def edges(x: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """The edge map of images in [-1, 1] (B, C, H, W): the thresholded outer morphological
    gradient, as images in [-1, 1] (white outlines on black, like the digits themselves)."""
    u = (x + 1) / 2  # (B, C, H, W) in [0, 1]
    gradient = dilate(u) - u  # (B, C, H, W) in [0, 1]
    return (gradient > threshold).to(x.dtype) * 2 - 1


def edge_threshold(dataset: str) -> float:
    """The edge threshold for an image set (0.5 for any set without its own)."""
    return EDGE_THRESHOLD.get(dataset, 0.5)


@lru_cache(maxsize=4)
def _test_set(dataset: str):

    return image_sets.load_images(dataset, train=False)


def test_pairs(dataset: str, n: int, gen: torch.Generator, in_order: bool = True, device=None) -> dict[str, torch.Tensor]:
    """``n`` (edges, image, label) triples from ``dataset``'s test split, never seen in training:
    the first ``n`` test images (``in_order``, cycling past the end) or ``n`` drawn at random."""
    test = _test_set(dataset)
    if in_order:
        idx = torch.arange(n) % len(test)
    else:
        idx = torch.randint(len(test), (n,), generator=gen, device=gen.device).cpu()
    return test_pairs_at(dataset, idx.tolist(), device)


def test_pairs_at(dataset: str, indices: list[int], device=None) -> dict[str, torch.Tensor]:
    """The (edges, image, label) triples of the given test images (indices wrap around)."""
    test = _test_set(dataset)
    idx = torch.tensor(indices, dtype=torch.long) % len(test)
    x = test.images[idx]  # (n, 1, 28, 28)
    return {"y": edges(x, edge_threshold(dataset)).to(device), "target": x.to(device), "labels": test.labels[idx].to(device)}


def test_count(dataset: str) -> int:
    """How many test images ``dataset`` has (500 for the offline MNIST)."""
    return len(_test_set(dataset))


# ----------------------------------------------------------------------------- unpaired domains
#
# CycleGAN / DiscoGAN learn from two sets of pictures with no pairs. Here domain A is one half of a
# training set as it is and domain B the *other* half made thick (or turned a quarter): no A picture
# ever has its own B version in training, yet for every test picture the true B version is known,
# so a translation can be scored against a ground truth the model never saw.


def thicken(x: torch.Tensor) -> torch.Tensor:
    """Thick strokes: a 3x3 dilation of images in [-1, 1] (B, C, H, W) (max-pooling commutes with the rescale)."""
    return dilate(x)


def rotate(x: torch.Tensor) -> torch.Tensor:
    """A quarter turn anticlockwise (B, C, H, W): a change of geometry, CycleGAN's known weak spot."""
    return torch.rot90(x, 1, (2, 3))


def domain_b(task: str, x: torch.Tensor) -> torch.Tensor:
    """Domain B's version of domain-A pictures: ``thick`` or ``rotate``d."""
    return thicken(x) if task == "thick" else rotate(x)


def halves(n: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Two disjoint sets of indices into ``n`` pictures, each ``n // 2`` long (a seeded shuffle, split)."""
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    return perm[: n // 2], perm[n // 2 : 2 * (n // 2)]


def unpaired(images: torch.Tensor, labels: torch.Tensor, task: str, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Training pictures for an unpaired model: (n // 2, 2, H, W), channel 0 from half A as it is,
    channel 1 from half B in domain B (a different picture: the pairing means nothing and is
    reshuffled every batch), and half A's labels (n // 2,)."""
    a, b = halves(len(images), seed)
    return torch.cat([images[a], domain_b(task, images[b])], 1), labels[a]
