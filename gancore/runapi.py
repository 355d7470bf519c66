"""The one interface of a training run, whichever way it trains.

:class:`gancore.engine.TrainingRun` (a thread in this process) and
:class:`gancore.worker.ProcessRun` (a child process) both satisfy :class:`Run`; a test checks
every member and signature. The methods marked :func:`remote` are the ones a run in another
process answers: the worker derives both its forwarders and the calls its child accepts from
this list, so a new command is added here once, not kept in step by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar, runtime_checkable

import numpy as np
import torch

from gancore.config import HackConfig, ModelConfig, OptimConfig, TrainConfig
from gancore.runstate import RunState
from gancore.snapshot import Snapshot, Status

F = TypeVar("F", bound=Callable)


def remote(fn: F) -> F:
    """Mark a method of :class:`Run` as answered by the run itself, wherever it lives."""
    fn.remote = True  # type: ignore[attr-defined]
    return fn


@runtime_checkable
class Run(Protocol):
    """A GAN being trained: commands in, immutable snapshots out."""

    run_id: str
    model_cfg: ModelConfig
    device: torch.device

    @property
    def train_cfg(self) -> TrainConfig: ...  # the live one: edits while training change it

    @property
    def snapshot(self) -> Snapshot: ...

    @property
    def status(self) -> Status: ...

    @property
    def alive(self) -> bool: ...

    def start(self) -> None: ...

    def join(self, timeout: float | None = None) -> None: ...

    def close(self) -> None: ...

    @remote
    def pause(self) -> None: ...

    @remote
    def resume(self) -> None: ...

    @remote
    def step(self, n: int = 1, mode: str = "both") -> None: ...

    @remote
    def stop(self) -> None: ...

    @remote
    def set_optim(self, optim: OptimConfig) -> None: ...

    @remote
    def set_hacks(self, hacks: HackConfig) -> None: ...

    @remote
    def set_speed(self, steps_per_s: float | None) -> None: ...

    @remote
    def export_state(self) -> RunState: ...

    @remote
    def frames(self) -> list[tuple[int, np.ndarray]]: ...

    @remote
    def full_history(self) -> dict[str, list[float]]: ...


REMOTE: frozenset[str] = frozenset(name for name, member in vars(Run).items() if getattr(member, "remote", False))
