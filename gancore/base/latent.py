"""Latent-space math as pure functions on tensors; randomness only through a torch.Generator."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from gancore.base.i18n import _


def sample_z(n: int, dim: int, gen: torch.Generator, dist: str = "normal", device=None) -> torch.Tensor:
    """(n, dim) noise: N(0, I) or U(-1, 1)."""
    if dist == "normal":
        return torch.randn(n, dim, generator=gen, device=device)
    if dist == "uniform":
        return torch.rand(n, dim, generator=gen, device=device) * 2 - 1
    raise ValueError(_("unknown z distribution {dist!r}: use normal or uniform").format(dist=dist))


def truncate(z: torch.Tensor, psi: float) -> torch.Tensor:
    """The truncation trick (StyleGAN's ψ): pull z toward the noise's mean, 0, by the factor ψ.
    ψ = 1 leaves z alone; smaller ψ keeps G near the likeliest inputs, where it drew most often
    in training: cleaner samples, less variety; ψ = 0 gives every sample the same z."""
    if not 0.0 <= psi <= 1.0:
        raise ValueError(_("truncation ψ must be between 0 and 1 (got {psi})").format(psi=psi))
    return z * psi


def sample_labels(n: int, num_classes: int, gen: torch.Generator, balanced: bool = False, device=None) -> torch.Tensor:
    """(n,) class labels: uniform at random, or cycling 0, 1, ..., k-1 when ``balanced``."""
    if balanced:
        return torch.arange(n, device=device) % num_classes
    return torch.randint(num_classes, (n,), generator=gen, device=device)


def infogan_latent(noise: torch.Tensor, cat: torch.Tensor, cont: torch.Tensor, n_cat: int) -> torch.Tensor:
    """Concatenate InfoGAN's input: [noise (B, 62), one-hot c1 (B, 10), continuous (B, 2)]."""
    return torch.cat([noise, F.one_hot(cat, n_cat).to(noise.dtype), cont.to(noise.dtype)], 1)


def lerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor | float) -> torch.Tensor:
    """Straight line from a (t=0) to b (t=1)."""
    return a + (b - a) * t


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor | float, eps: float = 1e-6) -> torch.Tensor:
    """Spherical interpolation along the great circle between a and b (last dim).

    Keeps the norm near that of typical Gaussian samples, where lerp's midpoint shrinks
    towards the low-density origin. Falls back to lerp for (anti)parallel vectors.
    """
    a_n, b_n = F.normalize(a, dim=-1), F.normalize(b, dim=-1)
    cos = (a_n * b_n).sum(-1, keepdim=True).clamp(-1 + eps, 1 - eps)
    omega = torch.acos(cos)
    so = torch.sin(omega)
    t = torch.as_tensor(t, dtype=a.dtype, device=a.device)
    if t.dim() > 0:
        t = t.reshape(*t.shape, *([1] * (a.dim())))  # (T, 1, ...) to broadcast over a
    res = (torch.sin((1 - t) * omega) / so) * a + (torch.sin(t * omega) / so) * b
    parallel = (so.abs() < 1e-4).expand_as(res)
    return torch.where(parallel, lerp(a, b, t), res)


def interpolate(a: torch.Tensor, b: torch.Tensor, steps: int, method: str = "slerp") -> torch.Tensor:
    """(steps, dim) points from a to b inclusive."""
    if steps < 2:
        raise ValueError(_("interpolation needs at least 2 steps"))
    t = torch.linspace(0, 1, steps, dtype=a.dtype)
    if method == "lerp":
        return lerp(a[None], b[None], t[:, None])
    if method == "slerp":
        return slerp(a, b, t)
    raise ValueError(_("unknown interpolation {method!r}: use lerp or slerp").format(method=method))


def group_mean(z: torch.Tensor, idx: list[int] | torch.Tensor) -> torch.Tensor:
    """Mean of the rows ``idx`` of z: the DCGAN paper averages 3 samples per concept."""
    idx = torch.as_tensor(idx, dtype=torch.long)
    if idx.numel() == 0:
        raise ValueError(_("pick at least one sample for each group"))
    return z[idx].mean(0)


def arithmetic(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """Latent vector arithmetic a - b + c (e.g. smiling woman - woman + man)."""
    return a - b + c


def neighbours(z: torch.Tensor, n: int, scale: float, gen: torch.Generator) -> torch.Tensor:
    """(n, dim): z itself first, then n-1 points of small Gaussian noise around it."""
    noise = torch.randn(n - 1, z.shape[-1], generator=gen, dtype=z.dtype) * scale
    return torch.cat([z[None], z[None] + noise], 0)


def traversal(
    noise: torch.Tensor, n_cat: int, n_cont: int, code: int, values: torch.Tensor, base_cont: torch.Tensor | None = None
) -> dict[str, torch.Tensor]:
    """InfoGAN traversal grid (the paper's Figure 2): rows = categories, columns = code values.

    ``noise`` (dim,) is shared by every cell; continuous code ``code`` sweeps ``values`` while
    the others stay at ``base_cont`` (zeros by default). Returns row-major ``z``, ``cat``, ``cont``.
    """
    if not 0 <= code < n_cont:
        raise ValueError(_("code must be between 0 and {value}").format(value=n_cont - 1))
    cols = values.numel()
    cat = torch.arange(n_cat).repeat_interleave(cols)  # (rows * cols,)
    cont = (base_cont if base_cont is not None else torch.zeros(n_cont)).repeat(n_cat * cols, 1)
    cont[:, code] = values.repeat(n_cat)
    z = infogan_latent(noise[None].expand(n_cat * cols, -1), cat, cont, n_cat)
    return {"z": z, "cat": cat, "cont": cont}
