"""Many toy GANs of one shape trained as one computation: ``torch.func.vmap`` over their weights.

A toy step is a few dozen tiny tensor operations, so its time is PyTorch's per-operation cost,
not arithmetic: thirty runs stepped one after another pay it thirty times. Runs whose networks,
loss and batch size match are stacked instead, and one vmapped
``grad_and_value`` computes every run's step at once, each run with its own weights, data, noise
and learning rates (per-run tensors). The objectives are :mod:`gancore.train.steps`' own:

    D:  min  L_D(D(x), D(G(z)))          (one-sided label smoothing as there)
    G:  min  L_G(D'(G(z)))               (the same z, D' = D after its update, as the kept fakes there)

Each run draws its batch and its noise from its own sampler and generator in the order a solo
step does, so a run's losses equal its solo run's to float rounding (``tests/test_together.py``).
Adam is the textbook update on the stacked tensors; the results are copied back into each run's
networks and optimiser state, so everything else (snapshots, checkpoints, a solo step next) sees
an ordinary run. What cannot be stacked (:func:`group_key` is None) is stepped alone.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.func import functional_call, grad_and_value, vmap

from gancore.base import losses
from gancore.base.config import HackConfig
from gancore.models import catalog
from gancore.train.steps import GANState

Params = dict[str, torch.Tensor]  # a network's parameters by name, stacked: (R, *shape)


def group_key(state: GANState, hacks: HackConfig, batch_size: int) -> tuple | None:
    """What runs must share to be stepped together, or None when this one must step alone: only
    the toy family (no BatchNorm), Adam with its state begun, float32, no weight average, and no
    hack that draws random numbers mid-step (noisy labels, instance noise) or needs a second
    derivative (WGAN-GP)."""
    cfg, opt_d = state.cfg, state.opt_d
    plain = (
        catalog.of(cfg).name == "toy"
        and not getattr(cfg, "g_batchnorm", True)
        and isinstance(opt_d, torch.optim.Adam)
        and state.amp is None
        and state.g_avg is None
        and hacks.loss != "wgan_gp"
        and hacks.label_flip == 0
        and hacks.instance_noise == 0
    )
    if not plain or not all("step" in opt.state.get(p, {}) for opt in (state.opt_g, opt_d) for p in _params(opt)):
        return None
    betas = tuple(o.param_groups[0]["betas"] + (o.param_groups[0]["eps"],) for o in (state.opt_g, opt_d))
    h = hacks
    return (cfg, h.loss, h.label_smoothing, h.scale_inputs, h.z_dist, h.d_steps, batch_size, str(state.device), betas)


def _params(opt: torch.optim.Optimizer) -> list[nn.Parameter]:
    return [p for group in opt.param_groups for p in group["params"]]


class _Side:
    """One player's networks and Adam state across the runs, stacked (R, ...), and how to write
    them back."""

    def __init__(self, nets: list[nn.Module], opts: list[torch.optim.Optimizer]) -> None:
        self.opts = opts
        names = [n for n, _p in nets[0].named_parameters()]  # the optimiser's order: parameter_groups
        per_run = [dict(zip(names, _params(o), strict=True)) for o in opts]  # name -> that run's Parameter
        self.own = {n: [run[n] for run in per_run] for n in names}
        with torch.no_grad():  # what torch.func.stack_module_state does, without walking 30 modules again
            self.params = {n: torch.stack(own) for n, own in self.own.items()}  # name -> (R, *shape)
        self.m = {n: torch.stack([o.state[run[n]]["exp_avg"] for o, run in zip(opts, per_run, strict=True)]) for n in names}
        self.v = {n: torch.stack([o.state[run[n]]["exp_avg_sq"] for o, run in zip(opts, per_run, strict=True)]) for n in names}
        self.steps = [o.state[run[n]]["step"] for o, run in zip(opts, per_run, strict=True) for n in names]
        first = [o.state[run[names[0]]]["step"] for o, run in zip(opts, per_run, strict=True)]
        self.t = torch.stack(first).to(torch.float64) + 1  # (R,) the update about to be made, per run
        group = [o.param_groups[0] for o in opts]
        self.lr = torch.tensor([g["lr"] for g in group], dtype=torch.float64)  # (R,) per-run learning rates
        (self.b1, self.b2), self.eps = group[0]["betas"], group[0]["eps"]

    @torch.no_grad()
    def adam(self, grads: Params) -> None:
        """Adam on every run at once: m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
        p <- p - lr / (1 - b1^t) * m / (sqrt(v / (1 - b2^t)) + eps)."""
        step_size = (self.lr / (1 - self.b1**self.t)).float()  # (R,)
        root2 = ((1 - self.b2**self.t) ** 0.5).float()  # (R,)
        for n, p in self.params.items():
            g, shape = grads[n], (-1,) + (1,) * (p.dim() - 1)
            self.m[n].lerp_(g, 1 - self.b1)
            self.v[n].mul_(self.b2).addcmul_(g, g, value=1 - self.b2)
            denom = (self.v[n].sqrt() / root2.view(shape)).add_(self.eps)
            p.sub_(self.m[n] / denom * step_size.view(shape))
        self.t += 1

    @torch.no_grad()
    def write_back(self, updates: int) -> None:
        """Copy weights and Adam's moments into each run's own tensors; count the updates."""
        for n, own in self.own.items():
            torch._foreach_copy_(own, list(self.params[n].unbind(0)))
            opt_state = [o.state[p] for o, p in zip(self.opts, own, strict=True)]
            torch._foreach_copy_([s["exp_avg"] for s in opt_state], list(self.m[n].unbind(0)))
            torch._foreach_copy_([s["exp_avg_sq"] for s in opt_state], list(self.v[n].unbind(0)))
        torch._foreach_add_(self.steps, float(updates))


def step_together(states: list[GANState], batches: list, hacks: HackConfig, batch_size: int) -> list[dict[str, torch.Tensor]]:
    """One training step (``hacks.d_steps`` D updates, then one G update) of every run in
    ``states`` (all of one :func:`group_key`); ``batches[i]()`` gives run i's next real batch.
    Returns each run's metrics, as :func:`gancore.train.steps.train_step` does."""
    fam, s0 = catalog.of(states[0].cfg), states[0]
    g_net, d_net = s0.g, s0.d  # templates: functional_call runs them on each run's stacked weights
    gs, ds = _Side([s.g for s in states], [s.opt_g for s in states]), _Side([s.d for s in states], [s.opt_d for s in states])
    real_t, fake_t = losses.real_fake_targets(
        batch_size // d_net.pack, batch_size // d_net.pack, hacks.label_smoothing, 0.0, None, s0.device
    )

    def d_objective(pd: Params, pg: Params, z: torch.Tensor, real: torch.Tensor):
        fake = functional_call(g_net, pg, (z,))  # (B, 2)
        real_logit, fake_logit = functional_call(d_net, pd, (real,)), functional_call(d_net, pd, (fake,))  # (B / pack,)
        loss = losses.d_loss(hacks.loss, real_logit, fake_logit, real_t, fake_t)
        return loss, (torch.sigmoid(real_logit).mean(), torch.sigmoid(fake_logit).mean())

    def g_objective(pg: Params, pd: Params, z: torch.Tensor):
        return losses.g_loss(hacks.loss, functional_call(d_net, pd, (functional_call(g_net, pg, (z,)),)))  # D'(G(z))

    d_grad, g_grad = vmap(grad_and_value(d_objective, has_aux=True)), vmap(grad_and_value(g_objective))
    for _ in range(hacks.d_steps):
        real = torch.stack([_real(b()[0], hacks) for b in batches])  # (R, B, 2), each run's own sampler
        z = torch.stack([fam.training_inputs(s.cfg, batch_size, s.gen, hacks.z_dist, device=s.device)["z"] for s in states])
        grads, (d_loss, (d_real, d_fake)) = d_grad(ds.params, gs.params, z, real)  # (R,) each
        ds.adam(grads)
    grads, g_loss = g_grad(gs.params, ds.params, z)  # the last D step's noise, as the kept fakes
    gs.adam(grads)
    gs.write_back(1)
    ds.write_back(hacks.d_steps)
    for s in states:
        s.step += 1
    d_loss, d_real, d_fake, g_loss = (t.detach() for t in (d_loss, d_real, d_fake, g_loss))
    return [{"d_loss": d_loss[i], "d_real": d_real[i], "d_fake": d_fake[i], "g_loss": g_loss[i]} for i in range(len(states))]


def _real(x: torch.Tensor, hacks: HackConfig) -> torch.Tensor:
    return x if hacks.scale_inputs else losses.lecture_slip(x)
