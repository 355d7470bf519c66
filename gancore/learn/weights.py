"""Weight initialisation: how the scale of the first weights shapes every layer's activations.

The experiment (after the lecture): 1,000 inputs drawn from N(0, 1), pushed through 5 fully
connected layers of 100 neurons with no bias, weights drawn once from N(0, std²). Whether the
activations stay spread out or pile up decides whether gradients can flow:

- std 1 with sigmoid: pre-activations are huge, sigmoid sits at 0 or 1, its slope ~0 → gradients vanish;
- std 0.01: pre-activations ~0, every neuron outputs ~σ(0) = 0.5 → 100 neurons behave like one;
- Xavier (Glorot), std = 1/√n: keeps the variance of a linear layer, good for sigmoid / tanh;
- He (Kaiming), std = √(2/n): ReLU zeroes half its inputs, so it needs twice the variance.

The lecture's slide writes He's std as 2/√n while its code uses √(2/n); √(2/n) is the right
one (He et al., 2015: Var(w) = 2/n).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from gancore.base.i18n import _

INITS = ("std1", "std0.01", "xavier", "he")
ACTS = ("sigmoid", "tanh", "relu")
LAYERS, WIDTH, SAMPLES = 5, 100, 1000


def init_std(init: str, fan_in: int) -> float:
    """The standard deviation each scheme draws weights with, for ``fan_in`` inputs per neuron."""
    stds = {"std1": 1.0, "std0.01": 0.01, "xavier": 1 / math.sqrt(fan_in), "he": math.sqrt(2 / fan_in)}
    if init not in stds:
        raise ValueError(_("init must be one of {join}, not {init!r}").format(join=", ".join(INITS), init=init))
    return stds[init]


def activate(act: str, x: torch.Tensor) -> torch.Tensor:
    if act not in ACTS:
        raise ValueError(_("activation must be one of {join}, not {act!r}").format(join=", ".join(ACTS), act=act))
    return {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[act](x)


def saturated_share(act: str, a: torch.Tensor) -> float:
    """Share of activations on the flat part of the curve, where the slope is (nearly) zero:
    sigmoid below 0.05 or above 0.95, tanh beyond ±0.95, ReLU exactly 0."""
    if act == "sigmoid":
        flat = (a < 0.05) | (a > 0.95)
    elif act == "tanh":
        flat = a.abs() > 0.95
    else:
        flat = a == 0
    return flat.double().mean().item()


@dataclass(frozen=True)
class InitResult:
    """One run of the experiment: each layer's activations (SAMPLES, WIDTH) and their summary."""

    init: str
    act: str
    batchnorm: bool
    activations: tuple[torch.Tensor, ...]  # LAYERS × (SAMPLES, WIDTH)

    def layers(self) -> list[dict]:
        return [{"mean": a.mean().item(), "std": a.std().item(), "saturated": saturated_share(self.act, a)} for a in self.activations]


def run_init(init: str, act: str, batchnorm: bool = False, seed: int = 0) -> InitResult:
    """Forward 1,000 standard-normal inputs through 5 layers of 100 neurons.

    With ``batchnorm`` each layer's pre-activations are normalised over the batch (zero mean,
    unit variance per neuron, γ = 1, β = 0) before the activation, which undoes a bad scale.
    """
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(SAMPLES, WIDTH, generator=gen, dtype=torch.float64)  # (1000, 100)
    std = init_std(init, WIDTH)
    outs = []
    for _skip in range(LAYERS):
        w = torch.randn(WIDTH, WIDTH, generator=gen, dtype=torch.float64) * std  # (100, 100)
        z = x @ w  # (1000, 100) pre-activations
        if batchnorm:
            z = (z - z.mean(0)) / torch.sqrt(z.var(0, unbiased=False) + 1e-5)
        x = activate(act, z)  # (1000, 100)
        outs.append(x)
    return InitResult(init, act, batchnorm, tuple(outs))


def histogram_range(act: str, result: InitResult) -> tuple[float, float]:
    """A common x range for every layer's histogram, so the panels compare at a glance."""
    if act == "sigmoid":
        return 0.0, 1.0
    if act == "tanh":
        return -1.0, 1.0
    top = max(a.max().item() for a in result.activations)
    return 0.0, max(top, 1e-6)


def histograms(result: InitResult, bins: int = 30) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """Bin edges (bins + 1,) and each layer's share of activations per bin (bins,)."""
    lo, hi = histogram_range(result.act, result)
    edges = torch.linspace(lo, hi, bins + 1, dtype=torch.float64)
    shares = []
    for a in result.activations:
        counts = torch.histc(a.clamp(lo, hi), bins=bins, min=lo, max=hi)
        shares.append(counts / counts.sum())
    return edges, shares
