"""The 2D lab's numbers: densities on a grid and the optimal discriminator D*, KL and JS,
a Gaussian's recovery (closed form for a linear G) and mode coverage of a mixture.

Pure functions of point tensors (N, 2) and grids, on the CPU.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

EPS = 1e-12


# ----------------------------------------------------------------------------- densities and D*


def gaussian_pdf(pts: torch.Tensor, mean: torch.Tensor, cov: torch.Tensor) -> torch.Tensor:
    """N(mean, cov) density at each point (N, 2); a tiny ridge keeps a degenerate cov usable."""
    cov = cov + 1e-6 * torch.eye(2)
    diff = pts - mean
    m = torch.einsum("ni,ij,nj->n", diff, torch.linalg.inv(cov), diff)
    return torch.exp(-0.5 * m) / (2 * math.pi * torch.linalg.det(cov).clamp(min=EPS).sqrt())


def kde(samples: torch.Tensor, pts: torch.Tensor, bandwidth: float | None = None) -> torch.Tensor:
    """Gaussian kernel density estimate at ``pts`` (Scott's rule bandwidth by default)."""
    n = len(samples)
    h = bandwidth or float(samples.std(0).mean().clamp(min=1e-3)) * n ** (-1 / 6)
    sq = torch.cdist(pts, samples).pow(2)
    return torch.exp(-0.5 * sq / h**2).mean(1) / (2 * math.pi * h**2)


def d_star(p_data: torch.Tensor, p_g: torch.Tensor) -> torch.Tensor:
    """The optimal discriminator for a fixed G: p_data / (p_data + p_g) (½ where both vanish)."""
    total = p_data + p_g
    return torch.where(total > EPS, p_data / total.clamp(min=EPS), torch.full_like(total, 0.5))


NEGLIGIBLE = 1e-3  # below this share of its peak, p_data + p_g counts as "no mass here"


def d_star_where_defined(p_data: torch.Tensor, p_g: torch.Tensor, floor: float = NEGLIGIBLE) -> torch.Tensor:
    """D* = p_data / (p_data + p_g), NaN where p_data + p_g is below ``floor`` times its peak.

    D* is the best answer to "real or fake?" at x, and no training example ever asks it about an x
    where neither density has mass: there the ratio of two tiny kernel-estimate tails paints
    confident colours that mean nothing. The lab draws those cells grey."""
    total = p_data + p_g
    return torch.where(total >= floor * total.max(), d_star(p_data, p_g), torch.full_like(total, float("nan")))


def kl_js(p: torch.Tensor, q: torch.Tensor) -> tuple[float, float]:
    """KL(p ‖ q) and JS(p, q) in nats for two densities on the same grid (normalised here).

    JS is bounded by log 2 ~ 0.693 (disjoint supports); the GAN's ideal D turns G's loss into
    2 JS - log 4, which is why D's loss sits near log 4 at the equilibrium.
    """
    p = p.flatten().double() / p.sum().clamp(min=EPS)
    q = q.flatten().double() / q.sum().clamp(min=EPS)
    kl = float((p * ((p + EPS) / (q + EPS)).log()).sum())
    m = 0.5 * (p + q)
    js = 0.5 * float((p * ((p + EPS) / (m + EPS)).log()).sum()) + 0.5 * float((q * ((q + EPS) / (m + EPS)).log()).sum())
    return kl, js


# ----------------------------------------------------------------------------- Gaussian recovery


def moments(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Sample mean (2,) and covariance (2, 2)."""
    return x.mean(0), torch.cov(x.T)


def linear_g_moments(g: nn.Module) -> tuple[torch.Tensor, torch.Tensor] | None:
    """For d2l's G = Linear(2, 2) and z ~ N(0, I), G(z) = W z + b is exactly N(b, W Wᵀ)
    (the book writes X A + b with A = Wᵀ, so the covariance is AᵀA). None for other G's."""
    layers = [m for m in g.modules() if isinstance(m, nn.Linear)]
    if len(layers) != 1 or not isinstance(g.net[0], nn.Linear) or len(g.net) != 1:
        return None
    w, b = layers[0].weight.detach(), layers[0].bias.detach()
    return b.clone(), w @ w.T


def recovery(mean_g, cov_g, mean_data, cov_data) -> tuple[float, float]:
    """(‖mean_g − mean_data‖, relative Frobenius error of the covariance)."""
    return float((mean_g - mean_data).norm()), float((cov_g - cov_data).norm() / cov_data.norm())


# ----------------------------------------------------------------------------- mode coverage


@dataclass(frozen=True)
class Modes:
    captured: int  # modes nearest to at least ``min_count`` high-quality samples
    total: int
    high_quality: float  # share of samples within 3 std of their nearest mode
    counts: tuple[int, ...]  # high-quality samples per mode


def mode_coverage(samples: torch.Tensor, centres: torch.Tensor, std: float, min_count: int = 1) -> Modes:
    """VEEGAN / PacGAN's measure: a sample is *high quality* within 3 std of the nearest mode;
    a mode is *captured* when at least ``min_count`` high-quality samples fall to it."""
    dist = torch.cdist(samples, centres)  # (N, M)
    near, idx = dist.min(1)
    good = near <= 3 * std
    counts = torch.bincount(idx[good], minlength=len(centres))
    return Modes(int((counts >= min_count).sum()), len(centres), float(good.float().mean()), tuple(counts.tolist()))
