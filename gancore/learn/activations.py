"""Activation functions, their slopes, and a ReLU neuron that dies.

The slope is what backpropagation multiplies by. Sigmoid's is at most ¼ and tanh's at most 1,
and both fall to 0 for large |x| (saturation); ReLU's is exactly 1 for x > 0 and exactly 0 for
x < 0, so a neuron whose input is negative for every example gets no gradient at all and never
changes again: it is dead. LeakyReLU and ELU keep a small slope on the left so it can recover.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from gancore.base.i18n import _

NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")


def apply(name: str, x: torch.Tensor, slope: float = 0.2) -> torch.Tensor:
    """The activation ``name``; ``slope`` is LeakyReLU's left-hand slope (ELU uses α = 1)."""
    if not (math.isfinite(slope) and 0 <= slope <= 1):
        raise ValueError(_("LeakyReLU's slope must be between 0 and 1, not {slope}").format(slope=slope))
    fns = {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, slope),
        "elu": F.elu,
    }
    if name not in fns:
        raise ValueError(_("activation must be one of {join}, not {name!r}").format(join=", ".join(NAMES), name=name))
    return fns[name](x)


def curve(name: str, lo: float = -5.0, hi: float = 5.0, n: int = 401, slope: float = 0.2) -> dict[str, list[float]]:
    """x, f(x) and f'(x) on a grid; the slope is PyTorch's own autograd, as training sees it."""
    if not (2 <= n <= 100_001 and lo < hi):
        raise ValueError(_("need 2 to 100,001 points and lo < hi"))
    x = torch.linspace(lo, hi, n, dtype=torch.float64, requires_grad=True)  # (n,)
    y = apply(name, x, slope)  # (n,)
    (dy,) = torch.autograd.grad(y.sum(), x)  # (n,) elementwise, since y_i depends on x_i only
    return {"x": x.detach().tolist(), "y": y.detach().tolist(), "dy": dy.tolist()}


@dataclass(frozen=True)
class NeuronPath:
    """One neuron trained by gradient descent: its loss and its share of live inputs per step."""

    loss: list[float]
    active: list[float]  # share of inputs whose pre-activation is > 0
    w: float
    b: float


def dead_neuron(act: str, bias0: float, steps: int = 200, lr: float = 0.1, slope: float = 0.1, seed: int = 0) -> NeuronPath:
    """Fit a(w·x + b) to the target relu(1.5·x + 0.5) on 256 inputs x ~ U(−1, 1), from w = 1, b = bias0.

    With ``act="relu"`` and bias0 ≤ −1, w·x + b < 0 for every input: the output is 0, the
    gradient is exactly 0, and the neuron stays dead however long it trains. With
    ``leaky_relu`` the left-hand slope still passes a gradient, and the bias climbs back.
    """
    if not (1 <= steps <= 10_000 and 0 < lr <= 10 and math.isfinite(bias0) and abs(bias0) <= 100):
        raise ValueError(_("need 1 ≤ steps ≤ 10,000, 0 < lr ≤ 10 and a finite bias within ±100"))
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(256, generator=gen, dtype=torch.float64) * 2 - 1  # (256,)
    target = torch.relu(1.5 * x + 0.5)  # (256,)
    w = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(float(bias0), dtype=torch.float64, requires_grad=True)
    losses, active = [], []
    for _skip in range(steps):
        pre = w * x + b  # (256,)
        loss = ((apply(act, pre, slope) - target) ** 2).mean()
        gw, gb = torch.autograd.grad(loss, (w, b))
        losses.append(loss.item())
        active.append((pre > 0).double().mean().item())
        with torch.no_grad():
            w -= lr * gw
            b -= lr * gb
    return NeuronPath(losses, active, w.item(), b.item())
