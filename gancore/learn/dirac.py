"""The Dirac-GAN (Mescheder, Geiger & Nowozin, 2018, "Which training methods for GANs do actually
converge?"): the smallest GAN that shows why training oscillates.

The data is a single point at 0; G puts its single point at θ; D is linear, D(x) = ψ·x. With
f(t) = −log(1 + e^(−t)) the GAN objective is

    L(θ, ψ) = f(ψ·θ) + f(0)        D ascends L in ψ, G descends it in θ,

and the only equilibrium is (θ, ψ) = (0, 0). There the gradient field is a pure rotation (its
Jacobian has eigenvalues ±i·f'(0)): simultaneous gradient steps spiral outwards, alternating
steps circle, and only a regulariser that damps ψ — the zero-centred gradient penalty
R₁ = γ/2·ψ², or instance noise — turns the spiral inwards. WGAN (f(t) = t) rotates too, clipped or
penalised. Every update here is the exact gradient in float64: no sampling, fully reproducible.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from gancore.base.i18n import _

UPDATES = ("simultaneous", "alternating")
REGS = ("none", "gp", "wgan-clip", "wgan-gp", "instance-noise")
# Gauss–Hermite nodes for E[g(ε)], ε ~ N(0, σ²): instance noise's expectation, exactly and deterministically
_NODES, _WEIGHTS = (torch.tensor(a, dtype=torch.float64) for a in np.polynomial.hermite_e.hermegauss(40))
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def _df(t: torch.Tensor, wgan: bool) -> torch.Tensor:
    """f'(t): σ(−t) for the GAN's f(t) = −log(1 + e^(−t)); 1 for WGAN's f(t) = t."""
    return torch.ones_like(t) if wgan else torch.sigmoid(-t)


def field(theta, psi, reg: str = "none", gamma: float = 0.3, noise: float = 0.5) -> tuple[torch.Tensor, torch.Tensor]:
    """The update directions (dθ, dψ) = (−∂L/∂θ, +∂L/∂ψ − regulariser's gradient), elementwise
    over tensors of θ and ψ (any matching shape)."""
    theta, psi = torch.as_tensor(theta, dtype=torch.float64), torch.as_tensor(psi, dtype=torch.float64)
    wgan = reg in ("wgan-clip", "wgan-gp")
    if reg == "instance-noise":  # L = E_ε[f(ψ(θ + ε))] + E_ε[f(ψ·ε)], ε ~ N(0, noise²)
        e = (_NODES * noise).view(-1, *([1] * theta.dim()))  # (40, ...)
        w = _WEIGHTS.view(-1, *([1] * theta.dim()))
        fake, real = _df(psi * (theta + e), False), _df(psi * e, False)
        return -(w * psi * fake).sum(0), (w * ((theta + e) * fake + e * real)).sum(0)
    slope = _df(psi * theta, wgan)
    d_theta, d_psi = -psi * slope, theta * slope
    if reg == "gp":  # R₁ = γ/2·|∇ₓD(0)|² = γ/2·ψ²
        d_psi = d_psi - gamma * psi
    elif reg == "wgan-gp":  # γ/2·(|∇ₓD| − 1)² = γ/2·(|ψ| − 1)²
        d_psi = d_psi - gamma * (psi.abs() - 1) * torch.sign(psi)
    return d_theta, d_psi


def simulate(
    update: str = "simultaneous",
    reg: str = "none",
    h: float = 0.2,
    steps: int = 500,
    start: tuple[float, float] = (1.0, 1.0),
    gamma: float = 0.3,
    clip: float = 1.0,
    noise: float = 0.5,
) -> dict:
    """Gradient steps of size ``h`` from ``start`` = (θ, ψ): both players at once (simultaneous) or
    D first and then G with D's new ψ (alternating, as a training loop does). Returns the path
    [[θ, ψ], …] (steps + 1 points) and the final distance from the equilibrium (0, 0)."""
    if update not in UPDATES:
        raise ValueError(_("update must be one of {join}, not {update!r}").format(join=", ".join(UPDATES), update=update))
    if reg not in REGS:
        raise ValueError(_("reg must be one of {join}, not {reg!r}").format(join=", ".join(REGS), reg=reg))
    if not (0 < h <= 2 and 1 <= steps <= 100_000 and 0 <= gamma <= 100 and 0 < clip <= 100 and 0 < noise <= 100):
        raise ValueError(_("need 0 < h ≤ 2, 1 ≤ steps ≤ 100,000, 0 ≤ γ ≤ 100, 0 < clip ≤ 100 and 0 < noise ≤ 100"))
    if not all(math.isfinite(v) and abs(v) <= 100 for v in start):
        raise ValueError(_("the starting point (θ, ψ) must be finite numbers within ±100"))
    theta, psi = (torch.tensor(v, dtype=torch.float64) for v in start)
    clamp = (lambda p: p.clamp(-clip, clip)) if reg == "wgan-clip" else (lambda p: p)
    path = [[theta.item(), psi.item()]]
    for _skip in range(steps):
        if update == "simultaneous":
            dt, dp = field(theta, psi, reg, gamma, noise)
            theta, psi = theta + h * dt, clamp(psi + h * dp)
        else:
            psi = clamp(psi + h * field(theta, psi, reg, gamma, noise)[1])
            theta = theta + h * field(theta, psi, reg, gamma, noise)[0]
        if not (math.isfinite(theta.item()) and math.isfinite(psi.item())):
            break
        path.append([theta.item(), psi.item()])
    return {"update": update, "reg": reg, "h": h, "steps": steps, "final_radius": math.hypot(*path[-1]), "path": path}


def field_grid(reg: str, lim: float, n: int = 15, gamma: float = 0.3, noise: float = 0.5) -> dict:
    """The vector field on an n × n grid over [−lim, lim]², for the phase portrait's arrows."""
    axis = torch.linspace(-lim, lim, n, dtype=torch.float64)
    t, p = torch.meshgrid(axis, axis, indexing="xy")  # (n, n) each
    dt, dp = field(t, p, reg, gamma, noise)
    return {"theta": t.flatten().tolist(), "psi": p.flatten().tolist(), "d_theta": dt.flatten().tolist(), "d_psi": dp.flatten().tolist()}
