"""Dropout and BatchNorm: two layers that behave differently while training and at test time.

Dropout zeroes each unit with probability p while training. "Inverted" dropout (what PyTorch
and Keras do) multiplies the survivors by 1/(1 − p), so every unit's expected output is its
input and nothing needs rescaling at test time, when dropout is simply off.

BatchNorm normalises each feature with the *batch's* mean and variance while training and with
running averages of them at test time. A small batch estimates those statistics badly, so the
same example comes out differently depending on its batch-mates; with 2 examples the outputs are
always exactly −1 and +1, whatever the inputs.
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from gancore.base.i18n import _


def dropout_demo(p: float, units: int = 20, masks: int = 2000, seed: int = 0) -> dict:
    """One mask on ``units`` activations, and the average output over ``masks`` masks.

    Returns the input, one train-time mask and its output (kept × 1/(1 − p)), the mean output
    over many masks (→ the input: inverted dropout is unbiased), the mean of plain, unscaled
    dropout (→ (1 − p) × input: it would need rescaling at test time), and the test-time output.
    """
    if not (0.0 <= p < 1.0 and 1 <= units <= 10_000 and 1 <= masks <= 100_000):
        raise ValueError(_("the drop probability must be in [0, 1), not {p}").format(p=p))
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(units, generator=gen, dtype=torch.float64) + 0.5  # (units,) positive, easy to read
    keep = torch.rand(masks, units, generator=gen, dtype=torch.float64) >= p  # (masks, units)
    scaled = keep * x / (1 - p)  # (masks, units): inverted dropout
    layer = nn.Dropout(p).eval()
    return {
        "p": p,
        "input": x.tolist(),
        "mask": keep[0].int().tolist(),
        "train_output": scaled[0].tolist(),
        "mean_inverted": scaled.mean(0).tolist(),
        "mean_unscaled": (keep * x).mean(0).tolist(),
        "test_output": layer(x).tolist(),
        "kept_share": keep.double().mean().item(),
    }


def batchnorm_demo(batch: int, batches: int = 500, mean: float = 3.0, std: float = 2.0, seed: int = 0) -> dict:
    """Feed one fixed example x₀ = mean + std (true normalised value: exactly 1) through a
    ``BatchNorm1d`` in train mode inside ``batches`` random batches of size ``batch`` drawn from
    N(mean, std²), then in eval mode with the running statistics those batches left.

    Returns x₀'s train-mode outputs (one per batch), their spread, the eval-mode output, and the
    running mean / variance against the true ones.
    """
    if not 2 <= batch <= 4096:
        raise ValueError(
            _("the batch size must be from 2 (BatchNorm needs two examples to measure a spread) to 4,096, not {batch}").format(batch=batch)
        )
    gen = torch.Generator().manual_seed(seed)
    bn = nn.BatchNorm1d(1, affine=False, momentum=0.1).double().train()
    x0 = torch.tensor([[mean + std]], dtype=torch.float64)  # (1, 1)
    outs = []
    for _skip in range(batches):
        data = mean + std * torch.randn(batch, 1, generator=gen, dtype=torch.float64)  # (batch, 1)
        bn(data)  # a training step: the running statistics move towards this batch's
        with_x0 = torch.cat([x0, data[1:]])  # (batch, 1): x₀ takes one example's seat
        y = F.batch_norm(with_x0, None, None, training=True, eps=bn.eps)  # normalised by this batch's stats
        outs.append(y[0, 0].item())
    bn.eval()
    with torch.no_grad():
        test = bn(x0)[0, 0].item()
    t = torch.tensor(outs)
    return {
        "batch": batch,
        "train_outputs": outs,
        "train_mean": t.mean().item(),
        "train_std": t.std().item(),
        "eval_output": test,
        "true_output": 1.0,
        "running_mean": bn.running_mean.item(),
        "running_var": bn.running_var.item(),
        "true_mean": mean,
        "true_var": std**2,
    }


def batch_noise_curve(sizes: tuple[int, ...] = (2, 4, 8, 16, 32, 64, 128, 256), batches: int = 300, seed: int = 0) -> dict:
    """The spread of x₀'s train-mode output for each batch size: it shrinks about as 1/√batch."""
    return {"sizes": list(sizes), "train_std": [batchnorm_demo(b, batches, seed=seed)["train_std"] for b in sizes]}
