"""One GAN training step, separate from any loop: k discriminator updates, then one for G.

    D:  min  L_D(D(x), D(G(z)))           (targets shaped by label smoothing / noisy labels)
    G:  min  L_G(D(G(z))) + the family's own terms  (InfoGAN: lambda L_I, Q must recover G's codes)

The functions know nothing about snapshots or the UI; the engine and the CLI call them.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from dataclasses import dataclass

import torch
from torch import nn

from gancore.base import device as devices  # called through the module, so a test's patch of it reaches here
from gancore.base import losses
from gancore.base.config import HackConfig, ModelConfig, OptimConfig
from gancore.models import catalog
from gancore.models.common import set_hacks
from gancore.train.augment import augment


@dataclass
class GANState:
    """The mutable part of a run: networks, optimisers and the random generator."""

    cfg: ModelConfig
    g: nn.Module
    d: nn.Module
    opt_g: torch.optim.Optimizer
    opt_d: torch.optim.Optimizer
    gen: torch.Generator
    device: torch.device
    step: int = 0
    g_avg: nn.Module | None = None  # the averaged copy of G (OptimConfig.ema), None when off
    ema: float = 0.0
    amp: torch.dtype | None = None  # the forward passes' autocast type (OptimConfig.fast_math), None: float32
    scalers: dict | None = None  # float16 only: a gradient scaler per optimiser, so small gradients survive

    @property
    def d_only_params(self) -> list[nn.Parameter]:
        return [p for group in self.opt_d.param_groups for p in group["params"]]

    @property
    def sampling_g(self) -> nn.Module:
        """The generator samples come from: the average when there is one, else G."""
        return self.g_avg if self.g_avg is not None else self.g


def set_ema(state: GANState, ema: float) -> None:
    """Turn weight averaging on (starting from G's current weights), off, or change its rate."""
    if not ema or state.g_avg is None:
        state.g_avg = copy.deepcopy(state.g).requires_grad_(False).eval() if ema else None  # only ever sampled
    state.ema = ema


@torch.no_grad()
def update_ema(state: GANState) -> None:
    """avg <- r avg + (1 - r) G, with r = min(ema, (1 + t) / (10 + t)) for the t-th update.

    The ramp (TensorFlow's ExponentialMovingAverage with num_updates) lets the average follow a
    fast-changing young G instead of dragging 1,000 steps of random weights along. BatchNorm's
    running statistics are copied, not averaged: they describe G's current activations.
    """
    avg, g, t = state.g_avg, state.g, state.step
    rate = min(state.ema, (1 + t) / (10 + t))
    for pa, pg in zip(avg.parameters(), g.parameters(), strict=True):
        pa.lerp_(pg, 1 - rate)
    for ba, bg in zip(avg.buffers(), g.buffers(), strict=True):
        ba.copy_(bg)


def set_fast_math(state: GANState, on: bool, dtype: torch.dtype | None = None) -> bool:
    """Turn bfloat16 / float16 autocast on or off (``dtype``: force one, for tests); True when it
    is on, False when asked for where the device has no fast type (training stays float32)."""

    state.amp = (dtype or devices.fast_math_dtype(state.device)) if on else None
    if state.amp == torch.float16:
        state.scalers = state.scalers or {id(o): torch.amp.GradScaler(state.device.type) for o in (state.opt_g, state.opt_d)}
    else:
        state.scalers = None
    return state.amp is not None or not on


def _forward(state: GANState):
    """The context a step's forward pass runs in: autocast when fast math is on."""
    if state.amp is None:
        return contextlib.nullcontext()
    return torch.autocast(state.device.type, dtype=state.amp)


def _update(state: GANState, opt: torch.optim.Optimizer, loss: torch.Tensor) -> None:
    """zero_grad, backward, step: through the optimiser's gradient scaler under float16."""
    opt.zero_grad(set_to_none=True)
    scaler = state.scalers and state.scalers[id(opt)]
    if not scaler:
        loss.backward()
        opt.step()
        return
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()


def make_optimizers(g: nn.Module, d: nn.Module, cfg: ModelConfig, optim: OptimConfig):
    """Adam or SGD for each player, over the parameters the family gives each (InfoGAN's Q: G's)."""
    g_params, d_params = catalog.of(cfg).parameter_groups(g, d)
    if optim.optimizer == "sgd":
        return torch.optim.SGD(g_params, lr=optim.lr_g), torch.optim.SGD(d_params, lr=optim.lr_d)
    betas = (optim.beta1, optim.beta2)
    # The fused kernel updates all of a group's tensors in one pass instead of ~10 small ops per
    # tensor (Adam was 30% of an MLP step on the CPU in the profiler); same maths.
    fused = all(p.device.type in ("cpu", "cuda") for p in g_params + d_params)
    return tuple(torch.optim.Adam(ps, lr=lr, betas=betas, fused=fused) for ps, lr in ((g_params, optim.lr_g), (d_params, optim.lr_d)))


def lr_scale(optim: OptimConfig, step: int, total: int) -> float:
    """The factor on both learning rates for the update that follows ``step`` of ``total``:
    1 without ``lr_decay``; with it 1 for the first update, falling linearly to 1 / total."""
    return max(total - step, 1) / total if optim.lr_decay and total > 0 else 1.0


def apply_optim(state: GANState, optim: OptimConfig, scale: float = 1.0) -> None:
    """Change learning rates (times ``scale``), betas and weight averaging in place (a live edit;
    the optimiser type is fixed)."""
    if optim.ema != state.ema:
        set_ema(state, optim.ema)
    if optim.fast_math != (state.amp is not None):
        set_fast_math(state, optim.fast_math)
    for opt, lr in ((state.opt_g, optim.lr_g), (state.opt_d, optim.lr_d)):
        for group in opt.param_groups:
            group["lr"] = lr * scale
            if "betas" in group:
                group["betas"] = (optim.beta1, optim.beta2)


_SEEDED_BUILD = threading.Lock()  # torch's default generator is the process's: one seeded build at a time


def new_state(cfg: ModelConfig, optim: OptimConfig, hacks: HackConfig, seed: int, device: torch.device) -> GANState:
    """Build networks (weights drawn from ``seed``), optimisers and the run's generator."""
    with _SEEDED_BUILD, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        g, d = catalog.build(cfg)
    g, d = g.to(device), d.to(device)
    opt_g, opt_d = make_optimizers(g, d, cfg, optim)
    gen = torch.Generator(device=device).manual_seed(seed)
    state = GANState(cfg, g, d, opt_g, opt_d, gen, device)
    set_ema(state, optim.ema)
    set_fast_math(state, optim.fast_math)
    apply_hacks(state, hacks)
    return state


def apply_hacks(state: GANState, hacks: HackConfig) -> None:
    set_hacks(state.g, state.d, g_slope=hacks.g_slope, d_slope=hacks.d_slope, g_dropout=hacks.g_dropout)
    if state.g_avg is not None:  # the average computes with the same slopes as G
        set_hacks(state.g_avg, state.d, g_slope=hacks.g_slope, d_slope=hacks.d_slope, g_dropout=hacks.g_dropout)
    for m in list(state.g.modules()) + list(state.d.modules()):
        if isinstance(m, nn.Dropout):
            m.generator = state.gen  # models.common.Dropout draws masks from the run's generator


def _real_input(x: torch.Tensor, hacks: HackConfig) -> torch.Tensor:
    return x if hacks.scale_inputs else losses.lecture_slip(x)


def _d_input(x: torch.Tensor, noise_std: float, hacks: HackConfig, gen: torch.Generator) -> torch.Tensor:
    """What D sees of an image batch: instance noise, then DiffAugment's shifts and cut-outs."""
    return augment(losses.add_instance_noise(x, noise_std, gen), hacks.augment, gen)


def _d_outputs(state: GANState, fam, real, y_real, fake, y_fake, hacks: HackConfig):
    """D's (logits, auxiliary output) for the real and the fake batch: two passes, or one joint
    batch (BatchNorm then measures both together) when "separate batches" is off and the family
    allows it."""
    if hacks.separate_batches or not fam.joint_d_batch(state.cfg):
        return fam.discriminate(state.d, real, y_real), fam.discriminate(state.d, fake, y_fake)
    # labels go to D only when G drew its fakes for labels too (a conditional model): the data's
    # labels alone mean nothing to an unconditional D, and None cannot be concatenated
    y = None if y_real is None or y_fake is None else torch.cat([y_real, y_fake])
    both, aux = fam.discriminate(state.d, torch.cat([real, fake]), y)
    n = real.shape[0]
    aux_r, aux_f = (None, None) if aux is None else (aux[:n], aux[n:])
    return (both[:n], aux_r), (both[n:], aux_f)


def d_step(
    state: GANState, real: torch.Tensor, y_real: torch.Tensor | None, hacks: HackConfig, keep: dict | None = None
) -> dict[str, torch.Tensor]:
    """One discriminator update on a real batch and a fresh fake batch.

    With ``keep`` (a dict), G's forward pass is recorded and the fakes left in it, so the
    G step that follows can reuse them instead of running G again (the textbook trick).
    """
    with _forward(state):
        loss, logged = _d_loss(state, real, y_real, hacks, keep)
    _update(state, state.opt_d, loss)
    return {"d_loss": loss.detach(), **logged}


def _d_loss(state: GANState, real, y_real, hacks: HackConfig, keep: dict | None) -> tuple[torch.Tensor, dict]:
    """D's loss on a real batch and a fresh fake one, and what to log (d_real, d_fake, the family's)."""
    n = real.shape[0]
    fam = catalog.of(state.cfg)
    if fam.paired:  # G translates this batch's own images (pix2pix)
        lat = fam.batch_inputs(state.cfg, real, y_real, state.gen)
    else:
        lat = fam.training_inputs(state.cfg, n, state.gen, hacks.z_dist, device=state.device)
    y_fake = lat.get("y")
    y_real = fam.condition_real(state.cfg, real, y_real, state.gen)  # labels, or captions made from them
    with torch.set_grad_enabled(keep is not None):
        fake = fam.generate(state.g, lat)
    if keep is not None:
        keep.update(lat=lat, fake=fake)
        fake = fake.detach()
    std = losses.instance_noise_std(state.step, hacks.instance_noise, hacks.noise_decay_steps)
    real_in = _d_input(_real_input(real, hacks), std, hacks, state.gen)
    fake_in = _d_input(fake, std, hacks, state.gen)
    (real_logit, aux_real), (fake_logit, aux_fake) = _d_outputs(state, fam, real_in, y_real, fake_in, y_fake, hacks)
    wrong = fam.mismatched(state.d, real_in, y_real, state.gen)  # real images, captions not theirs
    judged_fake = fake_logit if wrong is None else torch.cat([fake_logit, wrong])  # (B,) or (2B,)
    real_t, fake_t = losses.real_fake_targets(
        real_logit.shape[0], judged_fake.shape[0], hacks.label_smoothing, hacks.label_flip, state.gen, state.device
    )
    loss = losses.d_loss(hacks.loss, real_logit, judged_fake, real_t, fake_t)
    if hacks.loss == "wgan_gp":
        loss = loss + hacks.gp_weight * losses.gradient_penalty(state.d, real_in, fake_in, state.gen, y_real)
    aux_loss, logged = fam.d_aux_loss(state.cfg, aux_real, y_real, aux_fake, lat)
    if aux_loss is not None:
        loss = loss + aux_loss
    d_real, d_fake = torch.sigmoid(real_logit.detach()).mean(), torch.sigmoid(fake_logit.detach()).mean()
    return loss, {"d_real": d_real, "d_fake": d_fake, **logged}


def g_step(
    state: GANState, batch_size: int, hacks: HackConfig, kept: dict | None = None, batch: tuple | None = None
) -> dict[str, torch.Tensor]:
    """One generator update (and of whatever the family trains with G); D's weights get no gradient here.

    G minimises  w * L_G(D(G(z)))  + the family's reconstruction term (pix2pix: lambda L1), where w
    is the family's adversarial weight (0 for an "L1 alone" ablation: D is then not consulted).
    A paired family's G needs a real ``batch`` (images, labels) when no D step ``kept`` one.
    """
    fam = catalog.of(state.cfg)
    if kept:
        lat, fake = kept["lat"], kept["fake"]
    elif fam.paired:
        lat = fam.batch_inputs(state.cfg, *batch, state.gen)
    else:
        lat = fam.training_inputs(state.cfg, batch_size, state.gen, hacks.z_dist, device=state.device)
    frozen = state.d_only_params
    for p in frozen:
        p.requires_grad_(False)
    try:
        with _forward(state):
            if not kept:
                fake = fam.generate(state.g, lat)
            std = losses.instance_noise_std(state.step, hacks.instance_noise, hacks.noise_decay_steps)
            weight = fam.adversarial_weight(state.cfg)
            if weight:
                fake_in = _d_input(fake, std, hacks, state.gen)
                loss, out = fam.g_loss(state.d, fake_in, lat, lambda logits: losses.g_loss(hacks.loss, logits), hacks)
                loss = weight * loss  # x 1.0 is exact: the unconditional families' losses are unchanged
            else:
                loss, out = fake.new_zeros(()), {}
            extra, logged = fam.reconstruction(state.cfg, fake, lat, state.g)
            loss = loss if extra is None else loss + extra
            out.update(logged)
        _update(state, state.opt_g, loss)
    finally:
        for p in frozen:
            p.requires_grad_(True)
    return {"g_loss": loss.detach(), **out}


def train_step(state: GANState, next_batch, hacks: HackConfig, batch_size: int, mode: str = "both") -> dict[str, torch.Tensor]:
    """``hacks.d_steps`` D updates then one G update. ``mode`` 'd' or 'g' updates one side only.

    ``next_batch()`` returns ``(real, labels_or_None)`` on the state's device.
    """
    metrics: dict[str, torch.Tensor] = {}
    kept: dict | None = {} if mode == "both" else None  # reuse the last D step's fakes for G
    if mode in ("both", "d"):
        for i in range(hacks.d_steps):
            real, y = next_batch()
            metrics = d_step(state, real, y, hacks, keep=kept if i == hacks.d_steps - 1 else None)
    if mode in ("both", "g"):
        batch = next_batch() if mode == "g" and catalog.of(state.cfg).paired else None  # G alone still needs pairs
        metrics.update(g_step(state, batch_size, hacks, kept, batch))
        if state.g_avg is not None:
            update_ema(state)
    state.step += 1
    return metrics
