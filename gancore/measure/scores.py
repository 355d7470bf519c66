"""Honest numbers for generators, measured the way the papers did, with our own small classifier.

* classifier score - the Inception Score with a dataset's own CNN: exp E_x KL(p(y|x) || p(y)),
  between 1 (one class, or unsure) and 10 (confident and balanced);
* class histogram of samples: classes covered and KL(histogram || uniform) - mode collapse;
* Frechet distance in the classifier's 128-d feature space (its scale is that network's own,
  so real-vs-real and random-G references are reported beside it);
* conditional accuracy, InfoGAN category accuracy (best one-to-one matching), information
  term against ln 10, rank correlation of continuous codes with slant and width;
* nearest-neighbour distance of samples to the training set (memorisation).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment
from scipy.stats import spearmanr

from gancore.base.arrays import shape_moments
from gancore.base.paths import SHIPPED_DIR
from gancore.data import images as image_sets  # called through the module, so a test's patch of it reaches here
from gancore.measure import classifier as clf

LN10 = math.log(10)


def classifier_score(probs: torch.Tensor, eps: float = 1e-12) -> float:
    """exp(E_x[KL(p(y|x) || p(y))]) over samples' class probabilities (N, K)."""
    p_y = probs.mean(0, keepdim=True)
    kl = (probs * ((probs + eps).log() - (p_y + eps).log())).sum(1)
    return float(kl.mean().exp())


def class_histogram(probs: torch.Tensor) -> np.ndarray:
    """Counts of each predicted class (argmax), length K."""
    return np.bincount(probs.argmax(1).numpy(), minlength=probs.shape[1])


def classes_covered(hist: np.ndarray, min_share: float = 0.01) -> int:
    """Classes that get at least ``min_share`` of the samples (1%: a mode, not a stray sample)."""
    return int((hist / max(1, hist.sum()) >= min_share).sum())


def kl_to_uniform(hist: np.ndarray, eps: float = 1e-12) -> float:
    """KL(histogram || uniform) in nats: 0 for perfectly balanced, ln K when collapsed to one class."""
    p = hist / max(1, hist.sum())
    return float((p * (np.log(p + eps) + math.log(len(p)))).sum())


def frechet_distance(a: np.ndarray | torch.Tensor, b: np.ndarray | torch.Tensor) -> float:
    """||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)) between two feature sets.

    Tr((S_a S_b)^(1/2)) is the sum of the square roots of the eigenvalues of the symmetric
    R S_b R with R = S_a^(1/2): exact for covariance matrices, and no general ``sqrtm`` of a
    singular product (which warned and needed an offset when features have dead units).
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    w, v = np.linalg.eigh(s_a)
    root_a = (v * np.sqrt(w.clip(min=0))) @ v.T
    tr_covmean = np.sqrt(np.linalg.eigvalsh(root_a @ s_b @ root_a).clip(min=0)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(s_a) + np.trace(s_b) - 2 * tr_covmean)


def matched_accuracy(codes: np.ndarray, labels: np.ndarray, k: int = 10) -> tuple[float, list[int]]:
    """Accuracy of unsupervised categories as labels under the best one-to-one mapping.

    Returns (accuracy, mapping) where ``mapping[c]`` is the label category c stands for.
    """
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (np.asarray(codes), np.asarray(labels)), 1)
    rows, cols = linear_sum_assignment(-confusion)
    mapping = [0] * k
    for r, c in zip(rows, cols, strict=True):
        mapping[r] = int(c)
    return float(confusion[rows, cols].sum() / max(1, confusion.sum())), mapping


def image_moments(images: torch.Tensor) -> dict[str, np.ndarray]:
    """Per image (N, 1, H, W in [-1, 1]), in float64: ``slant`` (shear mu11 / mu02) and ``width`` (horizontal std)."""
    m = shape_moments(images.double().cpu())
    return {"slant": m["slant"].numpy(), "width": m["width"].numpy()}


def class_diversity(features: torch.Tensor, labels: np.ndarray | torch.Tensor, per_class: int = 200) -> float:
    """Within-class variety: the mean distance between two samples of the same class in the
    classifier's feature space, averaged over the classes present (up to ``per_class`` each).
    A model that draws every 7 alike scores low; real data's value is the reference."""
    labels = np.asarray(labels)
    means = []
    for c in np.unique(labels):
        f = features[torch.as_tensor(labels == c)][:per_class].float()
        if len(f) > 1:
            means.append(float(torch.pdist(f).mean()))
    return float(np.mean(means)) if means else 0.0


def asked_class(predicted: np.ndarray, asked: np.ndarray, features: torch.Tensor, name: str = "conditional_accuracy") -> dict:
    """A conditional model's two measures: how often the classifier sees the asked class
    (as ``name``), and the within-class variety of its samples."""
    return {name: round(float((predicted == asked).mean()), 4), "within_class_diversity": round(class_diversity(features, asked), 3)}


@torch.inference_mode()
def translation_scores(fam, g, inputs: dict, predicted: np.ndarray, features: torch.Tensor, dataset: str) -> dict:
    """An image-to-image model against its ground truth: how often the classifier sees the source's
    class in the output (``label_agreement``; ``target_accuracy`` is its score on the real targets),
    the mean L1 to the target (the input's own L1 beside it) and the Frechet distance between the
    classifier's features of the outputs and of the targets (low: outputs look like real ones)."""
    target, labels = inputs["target"].float(), inputs["labels"].numpy()
    out = torch.cat([fam.generate(g, {k: v[i : i + 500] for k, v in inputs.items()}).float() for i in range(0, len(target), 500)])
    model, _ = load_classifier(dataset)
    probs_t, feats_t = clf.predict(model, target)
    scores = {
        "label_agreement": round(float((predicted == labels).mean()), 4),
        "target_accuracy": round(float((probs_t.argmax(1).numpy() == labels).mean()), 4),
        "l1_to_target": round(float((out - target).abs().mean()), 4),
        "fd_to_targets": round(frechet_distance(features, feats_t), 3),
    }
    if inputs["y"].shape == target.shape:  # an edge map, not a smaller picture
        scores["input_l1_to_target"] = round(float((inputs["y"].float() - target).abs().mean()), 4)
    return scores


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rho; 0 when either side is constant (undefined: no relation to report)."""
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    rho = spearmanr(a, b).statistic
    return float(rho) if np.isfinite(rho) else 0.0


def nearest_neighbour_distances(samples: torch.Tensor, train: torch.Tensor, batch: int = 256) -> torch.Tensor:
    """RMS pixel distance (in [-1, 1] units) of each sample to its nearest training image."""
    s, t = samples.flatten(1).float(), train.flatten(1).float()
    out = []
    for i in range(0, len(s), batch):
        out.append(torch.cdist(s[i : i + batch], t).min(1).values)
    return torch.cat(out) / math.sqrt(s.shape[1])


@lru_cache(maxsize=4)
def load_classifier(dataset: str):
    """The shipped classifier for ``mnist`` / ``fashion`` (``shoes`` too: a part of it), or None."""
    path = SHIPPED_DIR / f"classifier-{'fashion' if dataset == 'shoes' else dataset}.safetensors"
    return clf.load(path) if path.is_file() else None


def evaluate_images(images: torch.Tensor, dataset: str) -> dict:
    """Classifier-based metrics of a batch of samples (N, 1, 28, 28) against ``dataset``."""
    loaded = load_classifier(dataset)
    if loaded is None or images.shape[1:] != (1, 28, 28):
        return {}
    model, _ = loaded
    probs, feats = clf.predict(model, images)
    hist = class_histogram(probs)
    return {
        "classifier_score": round(classifier_score(probs), 3),
        "classes_covered": classes_covered(hist),
        "histogram_kl": round(kl_to_uniform(hist), 4),
        "histogram": hist.tolist(),
        "_probs": probs,
        "_features": feats,
    }


@lru_cache(maxsize=4)
def reference_values(dataset: str, n: int = 2000) -> dict:
    """Real test data's own score and FD to the train split: what 'perfect' reads as here."""

    loaded = load_classifier(dataset)
    if loaded is None:
        return {}
    model, info = loaded
    tr, te = image_sets.load_images(dataset), image_sets.load_images(dataset, train=False)
    p_te, f_te = clf.predict(model, te.images[:n])
    _, f_tr = clf.predict(model, tr.images[:n])
    noise = torch.rand(min(n, len(te)), 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    _, f_noise = clf.predict(model, noise)
    hist = class_histogram(p_te)
    labels_te = te.labels[:n].numpy()
    return {
        "real_within_class_diversity": round(class_diversity(f_te, labels_te), 3),
        "real_classifier_score": round(classifier_score(p_te), 3),
        "real_histogram_kl": round(kl_to_uniform(hist), 4),
        "fd_real_vs_real": round(frechet_distance(f_te, f_tr), 3),
        "fd_noise_vs_real": round(frechet_distance(f_noise, f_tr), 3),
        "classifier_test_accuracy": info["test_accuracy"],
        "_train_features": f_tr,
    }
