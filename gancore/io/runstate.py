"""A run's whole state between two steps, as one typed value.

``TrainingRun.export_state()`` returns it, :func:`gancore.io.checkpoints.save` writes it,
``Checkpoint.resume`` reads it back and a new run starts from it — one type across the engine,
the worker pipe, checkpoints, the CLI and the pages, instead of a dict each layer spells.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import torch

from gancore.base.arrays import cpu_copy
from gancore.io.schema import load_optimizer_state
from gancore.train.steps import apply_optim

Tensors = dict[str, torch.Tensor]


@dataclass(frozen=True)
class RunState:
    """Weights always; the optimisers' moments, the run's random generator and the data sampler's
    position when training is to continue *exactly* (a full checkpoint, not a half-size one)."""

    g: Tensors
    d: Tensors
    step: int = 0
    g_avg: Tensors | None = None  # G's weight average (OptimConfig.ema), when the run keeps one
    opt_g: dict | None = None  # torch optimiser state_dicts, on the CPU
    opt_d: dict | None = None
    gen: torch.Tensor | None = None  # torch.Generator state
    sampler: dict | None = None  # IndexSampler.state_dict()
    history: dict[str, list[float]] = field(default_factory=dict)
    events: tuple[tuple[int, str], ...] = ()
    paused: bool = False  # a run started from it waits for Resume

    @property
    def exact(self) -> bool:
        """Everything is here to continue as if never interrupted."""
        return self.opt_g is not None and self.opt_d is not None and self.gen is not None and self.sampler is not None

    def paused_copy(self) -> RunState:
        return replace(self, paused=True)


def capture(state, sampler, history: dict[str, list[float]], events) -> RunState:
    """A CPU copy of a live run (``steps.GANState`` and its ``IndexSampler``), between two steps."""

    return RunState(
        g=cpu_copy(state.g),
        d=cpu_copy(state.d),
        step=state.step,
        g_avg=cpu_copy(state.g_avg) if state.g_avg is not None else None,
        opt_g=_cpu_opt(state.opt_g.state_dict()),
        opt_d=_cpu_opt(state.opt_d.state_dict()),
        gen=state.gen.get_state().cpu(),
        sampler=sampler.state_dict(),
        history=history,
        events=tuple(events),
    )


def restore(rs: RunState, state, sampler, optim) -> None:
    """Put ``rs`` into a freshly built run: weights, the average, the optimisers' moments (their
    options stay the config's, never the file's), the random generator, the sampler and the step."""

    state.g.load_state_dict(rs.g)
    state.d.load_state_dict(rs.d)
    if rs.opt_g is not None:
        load_optimizer_state(state.opt_g, rs.opt_g)
        load_optimizer_state(state.opt_d, rs.opt_d)
        apply_optim(state, optim)
    if state.g_avg is not None:  # no average saved (averaging newly on): start it from the restored G
        state.g_avg.load_state_dict(rs.g_avg if rs.g_avg is not None else rs.g)
    if rs.gen is not None:
        state.gen.set_state(rs.gen)
    if rs.sampler is not None:
        sampler.load_state_dict(rs.sampler)
    state.step = int(rs.step)


def _cpu_opt(sd: dict) -> dict:
    state = {k: {n: (v.detach().cpu().clone() if torch.is_tensor(v) else v) for n, v in s.items()} for k, s in sd["state"].items()}
    return {"state": state, "param_groups": sd["param_groups"]}
