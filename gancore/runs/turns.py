"""One thread that trains many small runs in turn: a step of each, round and round.

Thirty toy runs as thirty threads of one process spent most of their time handing the GIL to
each other: measured here (2 cores, d2l's Gaussian, one torch thread), 30 threads made 187 steps
a second between them, while one loop stepping the same 30 runs in turn made 917. A
:class:`Turns` is that loop for :class:`gancore.runs.engine.TrainingRun`: each run keeps its own
commands, status, speed limit and snapshots (``run.turn()`` is the body of its own thread's
loop), so every control answers as before. The turns are fair by construction: one step per run
per round, and a run slowed down for watching or paused gives its turn away until it is due.

Runs of one shape whose steps are due in the same round are stepped as one computation
(:mod:`gancore.train.together`, ``torch.func.vmap``): 30 d2l runs take 6.7 ms a round instead of
35 ms one by one. A group too small to gain, a run taking single steps (Step D / Step G), or one
whose hacks cannot be stacked, steps alone.

The thread sleeps while no run is due and wakes when a command comes in (``run._wake``).
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time

from gancore.runs.engine import TrainingRun
from gancore.train import together

log = logging.getLogger(__name__)

# Stepping runs together costs a fixed ~4.6 ms plus ~0.08 ms a run; one toy step alone ~1.1 ms
# (d2l's Gaussian, one thread, this 2-core machine): together pays from about 5 runs on.
MIN_GROUP = 5


class Turns:
    """Trains the runs handed to it (``run.start_with(turns.add)``) in one daemon thread."""

    def __init__(self, name: str = "toy-turns") -> None:
        self._bell = threading.Condition()
        self._new: list[TrainingRun] = []
        self._due: dict[TrainingRun, float] = {}  # each run's next turn (time.monotonic; inf: a command)
        self._rung: set[TrainingRun] = set()  # runs a command came in for since the last round
        threading.Thread(target=self._main, name=name, daemon=True).start()

    def add(self, run: TrainingRun) -> None:
        """Take ``run`` into the rota; its first turn loads it (:meth:`TrainingRun.begin`)."""
        run._wake = lambda: self._ring(run)
        with self._bell:
            self._new.append(run)
            self._bell.notify()

    def _ring(self, run: TrainingRun) -> None:
        """A command came in for ``run``: its next turn is now, even if it is paused."""
        with self._bell:
            self._rung.add(run)
            self._bell.notify()

    @property
    def runs(self) -> int:
        """How many runs are in the rota (loading, training or paused)."""
        with self._bell:
            return len(self._due) + len(self._new)

    def _main(self) -> None:
        while True:
            with self._bell:
                for run in self._new:
                    self._due[run] = -1.0  # not begun: its first turn loads it
                self._new.clear()
                for run in self._rung & self._due.keys():
                    self._due[run] = min(self._due[run], 0.0)
                self._rung.clear()
                now = time.monotonic()
                due = [(run, at) for run, at in self._due.items() if at <= now]
                if not due:
                    soonest = min(self._due.values(), default=math.inf)
                    self._bell.wait(None if soonest == math.inf else soonest - now)
                    continue
            self._round([run for run, at in due if at < 0], [run for run, at in due if at >= 0])

    def _round(self, new: list[TrainingRun], due: list[TrainingRun]) -> None:
        """New runs load; due runs apply their commands; the ones with a step to take take it,
        together where :data:`MIN_GROUP` or more share a group, else alone."""
        for run in new:
            self._next(run, 0.0 if run.guarded(run.begin) else None)
        groups: dict[tuple | None, list[TrainingRun]] = {}
        for run in due:
            wait = run.guarded(run.ready)
            if wait == 0.0:
                groups.setdefault(run.group(), []).append(run)
            else:
                self._next(run, wait)
        for key, runs in groups.items():
            if key is not None and len(runs) >= MIN_GROUP and self._together(runs):
                continue
            for run in runs:
                self._next(run, run.guarded(run.step_alone))

    def _together(self, runs: list[TrainingRun]) -> bool:
        """One step of ``runs`` as one computation; False (nothing changed) if it failed."""
        cfg = runs[0].train_cfg
        with contextlib.ExitStack() as locks:
            for run in runs:
                locks.enter_context(run.state_lock)
            try:
                metrics = together.step_together([r.state for r in runs], [r._next_batch for r in runs], cfg.hacks, cfg.batch_size)
            except Exception:
                log.exception("runs could not be stepped together; stepping them alone")
                return False
        for run, m in zip(runs, metrics, strict=True):
            self._next(run, run.guarded(lambda r=run, m=m: r.stepped(m)))
        return True

    def _next(self, run: TrainingRun, wait: float | None) -> None:
        """When ``run``'s next turn is due (None: it has ended and leaves the rota)."""
        with self._bell:
            if wait is None:
                del self._due[run]
                run._ended.set()
            else:
                self._due[run] = time.monotonic() + wait  # a command that rings meanwhile makes it due again
