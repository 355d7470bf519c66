"""Transposed convolution: an upsampling layer that is a convolution's matrix, transposed.

A 1D convolution is a matrix C (out × in) applied to the input. Its transpose Cᵀ (in × out)
maps a short signal to a long one: that is a transposed convolution, and it is why G's
``ConvTranspose2d`` layers grow a 7×7 map to 14×14. Each input value stamps a copy of the kernel
on the output, ``stride`` pixels apart; where the stamps overlap unevenly (kernel size not a
multiple of the stride), some output pixels collect more stamps than their neighbours — in 2D a
regular grid of brighter pixels, the checkerboard artifacts of Odena et al. (2016). Resizing
first and then convolving covers every pixel the same number of times.
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from gancore.base.i18n import _

KINDS = ("deconv-k3", "deconv-k4", "resize-conv")


def output_size(size: int, kernel: int, stride: int, padding: int = 0, output_padding: int = 0) -> int:
    """Length of a transposed convolution's output: (in − 1)·stride − 2·padding + kernel + output_padding."""
    return (size - 1) * stride - 2 * padding + kernel + output_padding


def conv_matrix(size: int, kernel: torch.Tensor, stride: int, padding: int = 0) -> torch.Tensor:
    """The (out, in) matrix C of ``conv1d(x, kernel, stride, padding)``, read off PyTorch by
    convolving each unit vector: column j is C·e_j."""
    eye = torch.eye(size, dtype=kernel.dtype).unsqueeze(1)  # (in, 1, in): one unit vector per row
    cols = F.conv1d(eye, kernel.view(1, 1, -1), stride=stride, padding=padding)  # (in, 1, out)
    return cols.squeeze(1).T.contiguous()  # (out, in)


def coverage_1d(size: int, kernel: int, stride: int, padding: int = 0) -> torch.Tensor:
    """How many kernel stamps land on each output pixel: a transposed convolution of ones by ones."""
    ones = torch.ones(1, 1, size, dtype=torch.float64)
    return F.conv_transpose1d(ones, torch.ones(1, 1, kernel, dtype=torch.float64), stride=stride, padding=padding)[0, 0]


def coverage_2d(size: int, kernel: int, stride: int, padding: int = 0) -> torch.Tensor:
    """The same in 2D (size × size input, kernel × kernel ones): the product of two 1D coverages."""
    ones = torch.ones(1, 1, size, size, dtype=torch.float64)
    k = torch.ones(1, 1, kernel, kernel, dtype=torch.float64)
    return F.conv_transpose2d(ones, k, stride=stride, padding=padding)[0, 0]


def interior(t: torch.Tensor, kernel: int, padding: int) -> torch.Tensor:
    """Drop the border pixels that fewer stamps can reach (kernel − 1 − padding on each side)."""
    m = max(kernel - 1 - padding, 0)
    if t.dim() == 1:
        return t[m : t.shape[0] - m] if t.shape[0] > 2 * m else t[:0]
    return t[m : t.shape[0] - m, m : t.shape[1] - m] if t.shape[0] > 2 * m else t[:0, :0]


def unevenness(t: torch.Tensor) -> float | None:
    """max/min coverage of the interior: 1 is even; None when some pixel gets no stamp (a gap)."""
    if t.numel() == 0:
        return None
    lo, hi = t.min().item(), t.max().item()
    return None if lo == 0 else hi / lo


def coverage_summary(kernel: int, stride: int, padding: int = 0, size: int = 8) -> dict:
    """The figure's numbers: the 1D coverage and the interior's max/min ratio in 1D and 2D."""
    if not (1 <= kernel <= 16 and 1 <= stride <= 16 and 0 <= padding <= 16 and 1 <= size <= 64):
        raise ValueError(_("need kernel and stride from 1 to 16, padding from 0 to 16 and an input size from 1 to 64"))
    if output_size(size, kernel, stride, padding) < 1:
        raise ValueError(_("padding {padding} crops the whole output of a kernel of {kernel}").format(padding=padding, kernel=kernel))
    c1 = coverage_1d(size, kernel, stride, padding)
    c2 = coverage_2d(size, kernel, stride, padding)
    r1, r2 = unevenness(interior(c1, kernel, padding)), unevenness(interior(c2, kernel, padding))
    return {
        "kernel": kernel,
        "stride": stride,
        "padding": padding,
        "input_size": size,
        "output_size": output_size(size, kernel, stride, padding),
        "coverage_1d": [int(v) for v in c1.tolist()],
        "ratio_1d": r1,
        "ratio_2d": r2,
        "gaps": r1 is None,
    }


def untrained_generator(kind: str, channels: int = 8, seed: int = 0) -> nn.Sequential:
    """Three ×2 upsampling stages (4×4 → 32×32) of an untrained G, PyTorch's default initialisation:
    transposed convolutions with kernel 3 or 4 and stride 2, or nearest-neighbour resize + 3×3 conv."""
    if kind not in KINDS:
        raise ValueError(_("kind must be one of {join}, not {kind!r}").format(join=", ".join(KINDS), kind=kind))
    layers: list[nn.Module] = []
    for i in range(3):
        out = 1 if i == 2 else channels
        if kind == "deconv-k3":
            layers.append(nn.ConvTranspose2d(channels, out, 3, stride=2, padding=1, output_padding=1))
        elif kind == "deconv-k4":
            layers.append(nn.ConvTranspose2d(channels, out, 4, stride=2, padding=1))
        else:
            layers += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(channels, out, 3, padding=1)]
        if i < 2:
            layers.append(nn.ReLU())
    net = nn.Sequential(*layers).double()
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():  # PyTorch's default init U(±1/√fan_in), drawn from our generator, not the global one
        for m in net:
            if isinstance(m, nn.Conv2d | nn.ConvTranspose2d):
                fan_in, _skip = nn.init._calculate_fan_in_and_fan_out(m.weight)
                for p in (m.weight, m.bias):
                    p.copy_((torch.rand(p.shape, generator=gen, dtype=p.dtype) * 2 - 1) / fan_in**0.5)
    return net


def constant_response(kind: str, seed: int = 0) -> tuple[torch.Tensor, float]:
    """What the untrained G draws for a constant input (1, 8, 4, 4) of ones: its (32, 32) output and
    the checkerboard strength — mean |difference| between neighbouring interior pixels over the
    interior's spread (0 for a flat picture)."""
    net = untrained_generator(kind, seed=seed)
    with torch.no_grad():
        y = net(torch.ones(1, 8, 4, 4, dtype=torch.float64))[0, 0]  # (32, 32)
    core = y[8:-8, 8:-8]  # (16, 16): zero padding reaches 7 pixels in after three stages
    spread = (core.max() - core.min()).item()
    steps = torch.cat([(core[1:] - core[:-1]).abs().flatten(), (core[:, 1:] - core[:, :-1]).abs().flatten()])
    mean_y = y.abs().mean().item()
    strength = steps.mean().item() / max(mean_y, 1e-12) if spread > 1e-9 * max(mean_y, 1e-12) else 0.0
    return y, strength
