"""The process-wide registry of training runs: ids, owners, watchers and a cap.

A browser session owns the runs it starts (its owner token); anyone with a run's id may watch
it read-only. The number of live runs is capped for the device, with a plain "busy" answer
beyond it. ``shutdown()`` stops every thread (used on hot reload and at exit).
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from dataclasses import dataclass, field

import torch

from gancore.config import ModelConfig, TrainConfig
from gancore.device import max_concurrent_runs, pick_device
from gancore.engine import RunError, TrainingRun, warm_up
from gancore.worker import ProcessRun, WarmPool

MAX_STORED_RUNS = 24


class RegistryFull(RunError):
    """No room for another run; the message says how to make room."""


class NotOwner(RunError):
    """A session tried to steer a run it only watches."""


@dataclass
class _Entry:
    run: TrainingRun
    owner: str
    label: str


@dataclass
class Registry:
    """``backend`` 'process' trains each run in its own process (the app: pages cannot starve
    it of the GIL); 'thread' keeps it in this process (tests, and the CLI's single run)."""

    device: torch.device = field(default_factory=pick_device)
    max_live: int | None = None
    backend: str = "thread"
    _runs: dict[str, _Entry] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pool: WarmPool | None = None

    def __post_init__(self) -> None:
        if self.max_live is None:
            self.max_live = max_concurrent_runs(self.device)
        if self.backend not in ("thread", "process"):
            raise ValueError("backend must be 'thread' or 'process'")
        if self.backend == "process":
            self._pool = WarmPool(spare=1)
        else:
            warm_up()

    @staticmethod
    def new_token() -> str:
        """An owner token for a browser session."""
        return secrets.token_urlsafe(16)

    def create(
        self, owner: str, model_cfg: ModelConfig, train_cfg: TrainConfig, *, label: str = "", resume: dict | None = None, start: bool = True
    ) -> TrainingRun:
        """Start a new run owned by ``owner``; RegistryFull when the device is busy."""
        with self._lock:
            live = [e for e in self._runs.values() if e.run.status in ("loading", "running")]
            if len(live) >= self.max_live:
                raise RegistryFull(
                    f"{len(live)} runs are already training on this {self.device.type.upper()} "
                    f"(the limit here is {self.max_live}). Pause or stop one, or wait for it to finish."
                )
            if len(self._runs) >= MAX_STORED_RUNS:
                raise RegistryFull(f"{MAX_STORED_RUNS} runs are kept in memory. Save the ones you need and remove finished ones first.")
            run_id = secrets.token_hex(4)
            if self._pool is not None:
                run = ProcessRun(run_id, model_cfg, train_cfg, device=self.device, resume=resume, pool=self._pool)
            else:
                run = TrainingRun(run_id, model_cfg, train_cfg, device=self.device, resume=resume)
            self._runs[run_id] = _Entry(run, owner, label or f"{model_cfg.family} on {train_cfg.dataset}")
        if start:
            run.start()
        return run

    def get(self, run_id: str) -> TrainingRun | None:
        with self._lock:
            entry = self._runs.get(run_id)
        return entry.run if entry else None

    def label(self, run_id: str) -> str:
        with self._lock:
            entry = self._runs.get(run_id)
        return entry.label if entry else run_id

    def is_owner(self, run_id: str, token: str) -> bool:
        with self._lock:
            entry = self._runs.get(run_id)
        return entry is not None and secrets.compare_digest(entry.owner, token)

    def control(self, run_id: str, token: str) -> TrainingRun:
        """The run, if ``token`` owns it; NotOwner for watchers, RunError for unknown ids."""
        run = self.get(run_id)
        if run is None:
            raise RunError(f"no run with id {run_id!r} (it may have been removed or the server restarted)")
        if not self.is_owner(run_id, token):
            raise NotOwner("you are watching this run read-only; only the session that started it can steer it")
        return run

    def runs(self, owner: str | None = None) -> list[tuple[str, TrainingRun, str]]:
        """(id, run, label) of every run, or of one owner's runs, oldest first."""
        with self._lock:
            items = list(self._runs.items())
        return [(rid, e.run, e.label) for rid, e in items if owner is None or e.owner == owner]

    def remove(self, run_id: str, token: str) -> None:
        run = self.control(run_id, token)
        with self._lock:
            self._runs.pop(run_id, None)
        run.close()

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop every live thread and forget all runs (no zombie threads after a reload)."""
        with self._lock:
            entries = list(self._runs.values())
            self._runs.clear()
        for e in entries:
            with contextlib.suppress(RunError):
                e.run.stop()
        for e in entries:
            e.run.join(timeout)
            e.run.close()
        if self._pool is not None:
            self._pool.close()
