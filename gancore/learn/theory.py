"""GAN theory in one dimension: the optimal D, the Jensen–Shannon divergence, and G's two losses.

For a fixed G, D's best answer at each x maximises p_data(x)·log D + p_g(x)·log(1 − D), which
gives D*(x) = p_data(x) / (p_data(x) + p_g(x)). Put back into the value function,
V(D*, G) = −log 4 + 2·JSD(p_data ‖ p_g): with a perfect D, G minimises the Jensen–Shannon
divergence, whose minimum (0, so V = −log 4) is reached only at p_g = p_data, where D* ≡ ½.

Densities here are mixtures of Gaussians evaluated on a fine grid; integrals are trapezoid sums.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from gancore.base.i18n import _

LOG4 = math.log(4.0)
GRID = torch.linspace(-10.0, 10.0, 4001, dtype=torch.float64)  # (4001,) x values for every 1D integral


@dataclass(frozen=True)
class Mixture:
    """A 1D mixture of Gaussians: weights (normalised here), means, standard deviations."""

    weights: tuple[float, ...]
    means: tuple[float, ...]
    stds: tuple[float, ...]

    def __post_init__(self) -> None:
        if not (len(self.weights) == len(self.means) == len(self.stds) >= 1):
            raise ValueError(_("a mixture needs as many weights, means and standard deviations, at least one each"))
        if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
            raise ValueError(_("mixture weights must be non-negative and not all zero"))
        if not all(math.isfinite(v) for v in (*self.weights, *self.means, *self.stds)):
            raise ValueError(_("mixture weights, means and standard deviations must be finite numbers"))
        if any(not 1e-3 <= s <= 10 for s in self.stds) or any(abs(m) > 100 for m in self.means):
            raise ValueError(_("standard deviations must be between 0.001 and 10 and means within ±100"))

    def pdf(self, x: torch.Tensor) -> torch.Tensor:
        total = sum(self.weights)
        out = torch.zeros_like(x)
        for w, m, s in zip(self.weights, self.means, self.stds, strict=True):
            out += (w / total) * torch.exp(-0.5 * ((x - m) / s) ** 2) / (s * math.sqrt(2 * math.pi))
        return out


def _xlogy(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a·log(b) with 0·log(0) = 0 (no NaN where a density vanishes)."""
    return torch.where(a > 0, a * torch.log(b.clamp_min(1e-300)), torch.zeros_like(a))


def d_star(p_data: torch.Tensor, p_g: torch.Tensor) -> torch.Tensor:
    """The optimal discriminator p_data / (p_data + p_g); ½ where both densities are 0 (undefined there)."""
    total = p_data + p_g
    return torch.where(total > 0, p_data / total.clamp_min(1e-300), torch.full_like(total, 0.5))


def value_at_optimum(p_data: torch.Tensor, p_g: torch.Tensor, x: torch.Tensor = GRID) -> float:
    """V(D*, G) = ∫ p_data·log D* + p_g·log(1 − D*) dx."""
    d = d_star(p_data, p_g)
    return torch.trapezoid(_xlogy(p_data, d) + _xlogy(p_g, 1 - d), x).item()


def kl(p: torch.Tensor, q: torch.Tensor, x: torch.Tensor = GRID) -> float:
    """KL(p ‖ q) = ∫ p·log(p/q) dx in nats (q floored at 1e-300 where p has mass and q has none)."""
    return torch.trapezoid(_xlogy(p, p) - _xlogy(p, q), x).item()


def jsd(p: torch.Tensor, q: torch.Tensor, x: torch.Tensor = GRID) -> float:
    """JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2, in nats (between 0 and log 2)."""
    m = (p + q) / 2
    kl = lambda a: torch.trapezoid(_xlogy(a, a) - _xlogy(a, m), x)  # noqa: E731
    return (0.5 * kl(p) + 0.5 * kl(q)).item()


def blend(p_data: Mixture, p_g: Mixture, t: float, x: torch.Tensor = GRID) -> tuple[torch.Tensor, torch.Tensor]:
    """p_data and G's density slid a share ``t`` of the way onto it: (1 − t)·p_g + t·p_data."""
    if not 0.0 <= t <= 1.0:
        raise ValueError(_("t must be between 0 and 1, not {t}").format(t=t))
    for m in (p_data, p_g):  # the grid: −10 … 10 in steps of 0.005
        if min(m.stds) < 0.05 or max(abs(v) for v in m.means) > 8:
            raise ValueError(_("for the D* figure, standard deviations must be at least 0.05 and means within ±8"))
    pd = p_data.pdf(x)
    return pd, (1 - t) * p_g.pdf(x) + t * pd


def dstar_figure(p_data: Mixture, p_g: Mixture, t: float, steps: int = 21, floor: float = 1e-3) -> dict:
    """Everything the D* figure shows: both densities, D* (None where p_data + p_g is below
    ``floor`` × its peak: no data, no fakes, nothing for D to learn there), V and JSD at ``t``,
    and V and JSD along t = 0 … 1."""
    pd, pg = blend(p_data, p_g, t)
    d = d_star(pd, pg)
    mass = pd + pg
    shown = mass >= floor * mass.max()
    ts = [i / (steps - 1) for i in range(steps)]
    path = [blend(p_data, p_g, s) for s in ts]
    return {
        "t": t,
        "x": GRID.tolist(),
        "p_data": pd.tolist(),
        "p_g": pg.tolist(),
        "d_star": [v if ok else None for v, ok in zip(d.tolist(), shown.tolist(), strict=True)],
        "value": value_at_optimum(pd, pg),
        "jsd": jsd(pd, pg),
        "path": {"t": ts, "value": [value_at_optimum(a, b) for a, b in path], "jsd": [jsd(a, b) for a, b in path]},
    }


# ----------------------------------------------------------------- which G each divergence prefers
COLLAPSE_DATA = Mixture((0.5, 0.5), (-2.0, 2.0), (0.5, 0.5))
COLLAPSE_GS = {
    "collapsed": Mixture((1.0,), (2.0,), (0.5,)),  # all of G's mass on one of the two bumps
    "smeared": Mixture((1.0,), (0.0,), (2.2,)),  # covers both bumps, and the gap between them
    "both": Mixture((0.5, 0.5), (-2.0, 2.0), (0.6, 0.6)),  # nearly right
}


def collapse_table() -> dict:
    """Two bumps of data and three Gs, scored by three divergences:

    - KL(p_data ‖ p_g) (what maximum likelihood minimises) explodes where data has mass and G has
      none: a G that drops a mode is punished hardest;
    - KL(p_g ‖ p_data) explodes where G has mass and data has none: a G on one mode costs only log 2;
    - JS, the GAN's divergence against a perfect D, sits between and rates the two bad Gs alike.
    """
    pd = COLLAPSE_DATA.pdf(GRID)
    rows = {}
    for name, g in COLLAPSE_GS.items():
        pg = g.pdf(GRID)
        rows[name] = {"js": jsd(pd, pg), "kl_data_g": kl(pd, pg), "kl_g_data": kl(pg, pd), "p_g": pg[::4].tolist()}
    return {"x": GRID[::4].tolist(), "p_data": pd[::4].tolist(), "gs": rows}


# ----------------------------------------------------------------- G's two losses
def g_losses(d_fake: float) -> dict:
    """G's two objectives at D(G(z)) = ``d_fake`` and their gradients with respect to D's logit l.

    - saturating (the paper's minimax): minimise log(1 − D(G(z)));  ∂/∂l = −D        (→ 0 as D → 0)
    - non-saturating (the "modified" loss): minimise −log D(G(z));  ∂/∂l = −(1 − D)  (→ −1 as D → 0)

    Early in training D easily rejects fakes (D(G(z)) ≈ 0): the saturating loss then gives G
    almost no gradient, the non-saturating one its strongest. Gradients are autograd's.
    """
    if not 0.0 < d_fake < 1.0:
        raise ValueError(_("D(G(z)) must be strictly between 0 and 1, not {d_fake}").format(d_fake=d_fake))
    logit = torch.logit(torch.tensor(d_fake, dtype=torch.float64)).requires_grad_(True)
    out = {"d": d_fake}
    for name, loss_fn in (
        ("saturating", lambda z: torch.log1p(-torch.sigmoid(z))),  # log(1 − σ(l))
        ("non_saturating", lambda z: -torch.nn.functional.logsigmoid(z)),  # −log σ(l)
    ):
        loss = loss_fn(logit)
        (grad,) = torch.autograd.grad(loss, logit)
        out[name] = {"loss": loss.item(), "grad_logit": grad.item()}
    return out


def g_loss_curves(n: int = 199) -> dict:
    """Both losses and |∂loss/∂logit| for D(G(z)) from 0.005 to 0.995 (log-spaced near 0)."""
    ds = torch.logspace(math.log10(0.005), math.log10(0.995), n, dtype=torch.float64).tolist()
    rows = [g_losses(d) for d in ds]
    return {
        "d": ds,
        **{f"{k}_loss": [r[k]["loss"] for r in rows] for k in ("saturating", "non_saturating")},
        **{f"{k}_grad": [abs(r[k]["grad_logit"]) for r in rows] for k in ("saturating", "non_saturating")},
    }


# ----------------------------------------------------------------- JS's blind spot
def parallel_lines(theta: float, width: float = 0.01) -> dict:
    """Arjovsky et al.'s (2017) example: real points on the line x = 0, fakes on x = θ (both with
    y uniform on [0, 1]). The y coordinate is shared, so every divergence is the one between
    the x coordinates; each line is given a thickness ``width`` (a narrow Gaussian in x) so the
    integrals are finite. As width → 0: JS = log 2 for every θ ≠ 0 — flat, no gradient telling G
    which way to move — while the Wasserstein-1 distance is |θ| for any width."""
    if not (0 < width <= 1 and math.isfinite(theta) and abs(theta) <= 100):
        raise ValueError(_("the lines' width must be in (0, 1] and θ a finite number within ±100"))
    x = torch.linspace(min(0.0, theta) - 8 * width, max(0.0, theta) + 8 * width, 8001, dtype=torch.float64)
    p, q = Mixture((1.0,), (0.0,), (width,)).pdf(x), Mixture((1.0,), (theta,), (width,)).pdf(x)
    return {"theta": theta, "width": width, "js": jsd(p, q, x), "log2": math.log(2), "wasserstein": float(abs(theta))}


def parallel_lines_curve(width: float = 0.01, n: int = 81, lim: float = 1.0) -> dict:
    """JS and W for θ from −lim to lim (n values): the JS curve is a flat plateau with a notch at 0."""
    thetas = torch.linspace(-lim, lim, n, dtype=torch.float64).tolist()
    rows = [parallel_lines(t, width) for t in thetas]
    return {"theta": thetas, "js": [r["js"] for r in rows], "w": [r["wasserstein"] for r in rows]}
