"""What a run will cost on this machine, measured before it starts.

A preset's recipe says "50 epochs", not "25 minutes": on a classroom laptop the same words can
mean a coffee break or an afternoon. :func:`measure` trains the run's real networks on its real
data for about a second through the engine's own step (``steps.train_step``) and times it; the
set-up page shows the rate and the time to the last step before anyone presses Start.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import torch

from gancore.base.device import one_thread
from gancore.base.i18n import _
from gancore.data.sampler import IndexSampler, load_dataset
from gancore.models import catalog
from gancore.train.steps import new_state, train_step


@dataclass(frozen=True)
class Cost:
    """A short measurement of one set-up: how fast it trains here, and how long it will take."""

    examples_per_s: float  # as the live view counts them: batch x D steps per G step, per second
    seconds_per_step: float  # one G step with its D steps, after the first
    first_step_s: float  # the first step alone (kernels warming up)
    examples: int  # the dataset's size, which sets the steps per epoch
    load_s: float  # reading the data (once per server: cached afterwards)

    def seconds(self, steps: int) -> float:
        """Seconds from Start to step ``steps``, at the measured rate."""
        return self.first_step_s + self.seconds_per_step * max(0, steps - 1)


def total_steps(train_cfg, n_examples: int) -> int:
    """G steps of a run over ``n_examples``, as the engine counts them."""
    if train_cfg.max_steps:
        return train_cfg.max_steps
    per_epoch = max(1, n_examples // train_cfg.batch_size)
    return max(1, math.ceil(train_cfg.epochs * per_epoch / train_cfg.hacks.d_steps))


def measure(model_cfg, train_cfg, device: torch.device | None = None, budget_s: float = 1.0, max_steps: int = 50) -> Cost:
    """Time a few real training steps of this set-up (at least two, at most ``max_steps`` or about
    ``budget_s`` seconds after the first). Raises what the engine would (bad data, batch too big)."""
    device = device or torch.device("cpu")
    start = time.perf_counter()
    ds = load_dataset(train_cfg.dataset, model_cfg.image_shape if model_cfg.is_image else None, train_cfg.seed)
    ds = catalog.of(model_cfg).training_data(model_cfg, ds)  # what the run draws from (CycleGAN: two halves as channels)
    load_s = time.perf_counter() - start
    x = (ds.images if model_cfg.is_image else ds.points).to(device)  # (N, C, H, W) or (N, 2)
    y = ds.labels.to(device) if model_cfg.is_image else None  # (N,) class ids
    sampler = IndexSampler(len(x), train_cfg.batch_size, train_cfg.seed)

    def next_batch():
        idx = sampler.next()
        return x[idx], None if y is None else y[idx]

    # One thread, and the process's RNG left alone. Timed on two threads in the app's server beside
    # two trainings, the MLP measured 75-244 examples/s against 4,058 on one: the second thread's
    # hand-offs wait for a busy core. A run trains in its own process; one core is the honest unit.
    with one_thread(), torch.random.fork_rng(devices=[]):
        state = new_state(model_cfg, train_cfg.optim, train_cfg.hacks, train_cfg.seed, device)
        t0 = time.perf_counter()
        train_step(state, next_batch, train_cfg.hacks, train_cfg.batch_size)
        first = time.perf_counter() - t0
        n, t1 = 0, time.perf_counter()
        while n < 2 or (n < max_steps and time.perf_counter() - t1 < budget_s):
            train_step(state, next_batch, train_cfg.hacks, train_cfg.batch_size)
            n += 1
        per_step = (time.perf_counter() - t1) / n
    rate = train_cfg.batch_size * train_cfg.hacks.d_steps / per_step
    return Cost(rate, per_step, first, len(x), load_s)


def duration(seconds: float) -> str:
    """'45 s', '12 min', '2.5 h' — the size of a wait, in words a student plans with."""
    if seconds < 90:
        return _("{seconds:.0f} s").format(seconds=seconds)
    if seconds < 90 * 60:
        return _("{minutes:.0f} min").format(minutes=seconds / 60)
    return _("{hours:.1f} h").format(hours=seconds / 3600)
