"""GAN losses as small functions on logits, and the hacks that act on labels and inputs.

Notation: ``real`` / ``fake`` are D's raw outputs (logits) on data and on G(z). D(x) in the
papers is ``sigmoid(logit)``; the sigmoid lives inside ``binary_cross_entropy_with_logits``,
which is the numerically safe form of the same loss.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

LOG4 = math.log(4.0)  # D's loss at the equilibrium D = 1/2, summed over real and fake


def _bce(logits: torch.Tensor, target: torch.Tensor | float) -> torch.Tensor:
    if not torch.is_tensor(target):
        target = torch.full_like(logits, float(target))
    return F.binary_cross_entropy_with_logits(logits, target)


# ----------------------------------------------------------------------------- D losses


def d_loss_bce(real: torch.Tensor, fake: torch.Tensor, real_target=1.0, fake_target=0.0) -> torch.Tensor:
    """max_D E[log D(x)] + E[log(1 - D(G(z)))], as a sum of two BCEs to minimise.

    Targets may be tensors: label smoothing and noisy labels change them. At D = 1/2 the value
    is log 4 ~ 1.386.
    """
    return _bce(real, real_target) + _bce(fake, fake_target)


def d_loss_least_squares(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """LSGAN: 1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2] on D's raw scores."""
    return 0.5 * ((real - 1).pow(2).mean() + fake.pow(2).mean())


def d_loss_hinge(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """Hinge: E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))]."""
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()


def d_loss_wasserstein(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """WGAN critic: minimise E[D(G(z))] - E[D(x)] (add the gradient penalty separately)."""
    return fake.mean() - real.mean()


def gradient_penalty(d: nn.Module, real: torch.Tensor, fake: torch.Tensor, gen: torch.Generator, y=None) -> torch.Tensor:
    """WGAN-GP: E[(||grad_x D(x_hat)||_2 - 1)^2] on random points between real and fake."""
    shape = (real.shape[0],) + (1,) * (real.dim() - 1)
    eps = torch.rand(shape, generator=gen, device=real.device)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    out = d(x_hat, y)
    (grad,) = torch.autograd.grad(out.sum(), x_hat, create_graph=True)
    return (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()


# ----------------------------------------------------------------------------- G losses


def g_loss_minimax(fake: torch.Tensor) -> torch.Tensor:
    """The paper's saturating objective: min_G E[log(1 - D(G(z)))].

    When D confidently rejects the fakes (early training) its gradient vanishes.
    """
    return -_bce(fake, 0.0)


def g_loss_non_saturating(fake: torch.Tensor) -> torch.Tensor:
    """The practical objective: max_G E[log D(G(z))], i.e. BCE against the label 'real'."""
    return _bce(fake, 1.0)


def g_loss_least_squares(fake: torch.Tensor) -> torch.Tensor:
    """LSGAN: 1/2 E[(D(G(z)) - 1)^2]."""
    return 0.5 * (fake - 1).pow(2).mean()


def g_loss_adversarial(fake: torch.Tensor) -> torch.Tensor:
    """Hinge and WGAN generators: maximise the critic's score, min_G -E[D(G(z))]."""
    return -fake.mean()


G_LOSSES = {
    "minimax": g_loss_minimax,
    "non_saturating": g_loss_non_saturating,
    "least_squares": g_loss_least_squares,
    "hinge": g_loss_adversarial,
    "wgan_gp": g_loss_adversarial,
}


def d_loss(kind: str, real: torch.Tensor, fake: torch.Tensor, real_target=1.0, fake_target=0.0) -> torch.Tensor:
    """D's loss for a loss family; the targets only matter for the BCE family."""
    if kind in ("minimax", "non_saturating"):
        return d_loss_bce(real, fake, real_target, fake_target)
    if kind == "least_squares":
        return d_loss_least_squares(real, fake)
    if kind == "hinge":
        return d_loss_hinge(real, fake)
    return d_loss_wasserstein(real, fake)


def g_loss(kind: str, fake: torch.Tensor) -> torch.Tensor:
    return G_LOSSES[kind](fake)


# ----------------------------------------------------------------------------- InfoGAN


def info_loss(
    cat_logits: torch.Tensor, cat: torch.Tensor, cont_mean: torch.Tensor, cont: torch.Tensor, cont_loss: str = "gaussian"
) -> tuple[torch.Tensor, torch.Tensor]:
    """InfoGAN's variational bound L_I, as (categorical term, continuous term) to minimise.

    The category term is the cross-entropy of Q's logits against the code G received; its
    minimum is 0 and H(c) - it is the mutual-information lower bound (at most ln 10 nats).
    Continuous codes: Gaussian NLL with unit variance (= MSE / 2 + const) or plain MSE.
    """
    ce = F.cross_entropy(cat_logits, cat)
    if cont.numel() == 0:
        return ce, cat_logits.new_zeros(())
    if cont_loss == "mse":
        return ce, F.mse_loss(cont_mean, cont)
    return ce, 0.5 * (cont_mean - cont).pow(2).sum(1).mean()


# ----------------------------------------------------------------------------- ACGAN


def class_loss(class_logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """ACGAN's L_C as a loss: -E[log P(C = c | x)], the cross-entropy of the class head against
    the class (the data's label for a real image, the asked class for a fake). Both players minimise it."""
    return F.cross_entropy(class_logits, labels)


# ----------------------------------------------------------------------------- hacks


def real_fake_targets(
    n_real: int, n_fake: int, smoothing: float, flip: float, gen: torch.Generator, device=None
) -> tuple[torch.Tensor, torch.Tensor]:
    """D's targets with one-sided label smoothing and noisy (flipped) labels.

    Smoothing lowers only the real target to 1 - s (smoothing fakes would reward G's
    mistakes). Flipping swaps a random share ``flip`` of each side's labels.
    """
    real_t = torch.full((n_real,), 1.0 - smoothing, device=device)
    fake_t = torch.zeros(n_fake, device=device)
    if flip > 0:
        flip_r = torch.rand(n_real, generator=gen, device=device) < flip
        flip_f = torch.rand(n_fake, generator=gen, device=device) < flip
        real_t = torch.where(flip_r, torch.zeros_like(real_t), real_t)
        fake_t = torch.where(flip_f, torch.full_like(fake_t, 1.0 - smoothing), fake_t)
    return real_t, fake_t


def instance_noise_std(step: int, start: float, decay_steps: int) -> float:
    """Instance noise std at ``step``: linear decay from ``start`` to 0 over ``decay_steps``."""
    return max(0.0, start * (1.0 - step / decay_steps))


def add_instance_noise(x: torch.Tensor, std: float, gen: torch.Generator) -> torch.Tensor:
    """Blur both distributions with N(0, std^2) so their supports overlap (Sonderby et al.)."""
    if std <= 0:
        return x
    return x + std * torch.randn(x.shape, generator=gen, device=x.device, dtype=x.dtype)


def lecture_slip(x: torch.Tensor) -> torch.Tensor:
    """What ``X - 127.5 / 127.5`` does to pixels in [0, 255]: X - 1, a range of [-1, 254].

    Takes images already in [-1, 1] and returns the slipped version, so the switch can be
    flipped live without reloading data.
    """
    return (x + 1.0) * 127.5 - 1.0
