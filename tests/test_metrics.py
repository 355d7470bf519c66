"""The metrics on inputs whose answers are known."""

import math

import numpy as np
import pytest
import torch

from gancore.data.images import load_images
from gancore.measure import scores
from gancore.models.catalog import build
from gancore.models.infogan import InfoGanConfig, infogan_codes


def one_hot(labels, k=10):
    return torch.nn.functional.one_hot(torch.as_tensor(labels), k).double()


def test_classifier_score_bounds():
    assert scores.classifier_score(one_hot(np.arange(1000) % 10)) == pytest.approx(10.0)  # sure and balanced
    assert scores.classifier_score(one_hot([3] * 100)) == pytest.approx(1.0)  # one class
    assert scores.classifier_score(torch.full((100, 10), 0.1)) == pytest.approx(1.0)  # unsure of everything


def test_histogram_coverage_and_kl():
    balanced = scores.class_histogram(one_hot(np.arange(1000) % 10))
    assert balanced.tolist() == [100] * 10
    assert scores.classes_covered(balanced) == 10 and scores.kl_to_uniform(balanced) == pytest.approx(0.0, abs=1e-9)
    collapsed = scores.class_histogram(one_hot([7] * 500))
    assert scores.classes_covered(collapsed) == 1 and scores.kl_to_uniform(collapsed) == pytest.approx(math.log(10))
    stray = np.array([995, 5, 0, 0, 0, 0, 0, 0, 0, 0])  # 0.5% is a stray sample, not a mode
    assert scores.classes_covered(stray) == 1


def test_frechet_distance_known_values():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4000, 8))
    assert scores.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)
    # Same covariance, mean moved by 2 in every one of 8 dimensions: 8 * 2^2 (plus sampling noise).
    assert scores.frechet_distance(a, a + 2.0) == pytest.approx(32.0, abs=1e-6)
    # N(0, I) against N(0, 4I): per dimension 1 + 4 - 2*2 = 1.
    assert scores.frechet_distance(a, rng.normal(size=(4000, 8)) * 2) == pytest.approx(8.0, rel=0.1)
    # Dead feature units (zero variance) make the covariances singular: still finite, no warning.
    dead = np.c_[a, np.zeros((4000, 3))]
    assert scores.frechet_distance(dead, dead + 1.0) == pytest.approx(11.0, abs=1e-6)


def test_matched_accuracy_finds_a_permutation():
    labels = np.arange(1000) % 10
    perm = np.random.default_rng(1).permutation(10)
    codes = perm[labels]  # category perm[d] always means digit d
    acc, mapping = scores.matched_accuracy(codes, labels)
    assert acc == 1.0 and all(mapping[perm[d]] == d for d in range(10))
    codes[:100] = 0  # 100 samples put in the wrong category (10 of them by chance right)
    acc, _ = scores.matched_accuracy(codes, labels)
    assert acc == pytest.approx(0.91 if perm[0] == 0 else 0.9, abs=0.011)


def stroke(shear: float, half_width: int) -> torch.Tensor:
    """A vertical bar leaning by ``shear`` pixels per row, in [-1, 1]."""
    img = -torch.ones(1, 28, 28)
    for y in range(4, 24):
        x = round(14 + shear * (y - 14))
        img[0, y, x - half_width : x + half_width + 1] = 1.0
    return img


def test_image_moments_slant_and_width():
    leaning = torch.stack([stroke(s, 1) for s in (-0.4, 0.0, 0.4)])
    slant = scores.image_moments(leaning)["slant"]
    assert slant[0] > 0 == pytest.approx(slant[1], abs=1e-9) and slant[2] < 0 and slant[0] == pytest.approx(-slant[2])
    widths = scores.image_moments(torch.stack([stroke(0.0, h) for h in (0, 1, 2)]))["width"]
    assert widths[0] < widths[1] < widths[2]


def test_rank_correlation():
    a = np.arange(50.0)
    assert scores.rank_correlation(a, a**3) == pytest.approx(1.0)
    assert scores.rank_correlation(a, -a) == pytest.approx(-1.0)
    assert scores.rank_correlation(a, np.ones(50)) == 0.0  # undefined (constant) reads as no correlation


def test_nearest_neighbour_distances():
    train = torch.rand(20, 1, 28, 28) * 2 - 1
    d = scores.nearest_neighbour_distances(torch.cat([train[:3], -torch.ones(1, 1, 28, 28)]), train, batch=2)
    assert d[:3].tolist() == pytest.approx([0.0] * 3, abs=1e-3) and d[3] > 0.1


def test_real_test_digits_score_near_the_reference_and_a_constant_generator_scores_one_class():
    real = load_images("mnist", train=False).images[:500]
    got = scores.evaluate_images(real, "mnist")
    assert got["classifier_score"] > 8.5 and got["classes_covered"] == 10
    constant = scores.evaluate_images(real[:1].repeat(200, 1, 1, 1), "mnist")
    assert constant["classes_covered"] == 1 and constant["classifier_score"] == pytest.approx(1.0)
    assert scores.evaluate_images(torch.zeros(4, 3, 64, 64), "mnist") == {}  # no classifier for that shape


def test_infogan_codes_reports_information_and_correlations():
    torch.manual_seed(0)
    cfg = InfoGanConfig(latent_dim=62, width=0.25)
    g, d = build(cfg)
    out = infogan_codes(g.eval(), d.eval(), cfg, n=200)
    assert out["information_max_nats"] == pytest.approx(math.log(10), abs=1e-4)
    assert out["information_nats"] <= out["information_max_nats"]
    assert {"c2_rho_slant", "c2_rho_width", "c3_rho_slant", "c3_rho_width"} <= set(out)
    assert all(-1 <= out[k] <= 1 for k in out if "rho" in k)
