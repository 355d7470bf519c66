"""The one interface of a training run, whichever way it trains.

:class:`gancore.runs.engine.TrainingRun` (a thread in this process) and
:class:`gancore.runs.process.ProcessRun` (a child process) both satisfy :class:`Run`; a test checks
every member and signature. The methods marked :func:`remote` are the ones a run in another
process answers: the worker derives both its forwarders and the calls its child accepts from
this list, so a new command is added here once, not kept in step by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum
from typing import Protocol, TypeVar, runtime_checkable

import numpy as np
import torch

from gancore.base.config import HackConfig, ModelConfig, OptimConfig, TrainConfig
from gancore.base.errors import RunError
from gancore.base.i18n import _
from gancore.io.runstate import RunState
from gancore.runs.snapshot import Snapshot, Status

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


class RunView:
    """A run as a watcher sees it: its snapshots, configs, frames and history — nothing that steers."""

    __slots__ = ("_run",)

    def __init__(self, run: Run) -> None:
        self._run = run

    run_id = property(lambda self: self._run.run_id)
    snapshot = property(lambda self: self._run.snapshot)
    status = property(lambda self: self._run.status)
    model_cfg = property(lambda self: self._run.model_cfg)
    train_cfg = property(lambda self: self._run.train_cfg)

    def frames(self) -> list:
        return self._run.frames()

    def full_history(self) -> dict:
        return self._run.full_history()


class Backend(StrEnum):
    """Where runs train: a thread of this process, a child process each, or a Ray actor each."""

    THREAD = "thread"  # tests, and the CLI's single run
    PROCESS = "process"  # the app's default: pages cannot starve training of the GIL
    RAY = "ray"  # a Ray cluster (gancore.runs.raybackend): a class's runs on a department's machines


def answer(run: Run, name: str, args: tuple) -> tuple[str, object]:
    """Answer a remote call on the run that trains here: ("ok", value), or ("err", message) for
    an unknown call, a refused one (RunError) or any failure, which never ends the run. The one
    dispatcher of every backend whose runs live in another process."""
    if name not in REMOTE:
        return "err", f"unknown call {name!r}"
    try:
        return "ok", getattr(run, name)(*args)
    except RunError as exc:
        return "err", str(exc)
    except Exception as exc:
        return "err", f"{type(exc).__name__}: {exc}"


def add_forwarders(cls: type) -> type:
    """Give ``cls`` every remote call of :class:`Run` it does not write out itself, each one
    ``self._call(name, *args)`` with the protocol's signature and docstring (the parent side of
    a run in another process)."""
    import inspect

    def forwarder(name: str):
        proto = getattr(Run, name)

        def call(self, *args):
            return self._call(name, *args)

        call.__name__, call.__qualname__, call.__doc__ = name, f"{cls.__name__}.{name}", proto.__doc__
        call.__signature__ = inspect.signature(proto)
        return call

    for name in REMOTE:
        if not any(name in vars(base) for base in cls.__mro__[:-1]):  # written by the class or a mixin
            setattr(cls, name, forwarder(name))
    return cls


class RemoteReads:
    """The reading calls of a run trained in another process, each through ``self._read``: the
    remote call while the run is live, what its harvest kept once it ended; when neither can
    answer, there are no frames and the history is the last snapshot's. And ``join``."""

    def _read(self, name: str):
        if not self.status.live:
            return self._kept_read(name)
        return self._call(name, timeout=120)

    def join(self, timeout: float | None = None) -> None:
        """Wait until the run has finished, stopped or failed (or ``timeout`` seconds)."""
        end = None if timeout is None else time.monotonic() + timeout
        while self.alive and (end is None or time.monotonic() < end):
            time.sleep(0.02)

    def _kept_read(self, name: str):
        """An ended run's reading call: what its harvest kept here (``self._kept``, complete once
        ``self._harvested`` is set), since its process or actor is gone."""
        self._harvested.wait(150)
        if name in self._kept:
            return self._kept[name]
        raise RunError(_("this run has ended ({status}); nothing more can be read from it").format(status=self.status))

    def export_state(self) -> RunState:
        return self._read("export_state")

    def frames(self) -> list[tuple[int, np.ndarray]]:
        try:
            return self._read("frames")
        except RunError:
            return []

    def full_history(self) -> dict[str, list[float]]:
        try:
            return self._read("full_history")
        except RunError:
            return {k: list(v) for k, v in self.snapshot.history.items()}
