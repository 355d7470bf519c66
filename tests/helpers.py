"""Waiting helpers shared by every test: the one place a test polls for something to happen."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def poll(pred: Callable[[], T], timeout: float = 30.0, every: float = 0.02) -> T | None:
    """``pred()``'s first truthy value within ``timeout`` seconds (an exception counts as not
    yet: a page still loading may raise), or None."""
    end = time.monotonic() + timeout
    while True:
        try:
            value = pred()
            if value:
                return value
        except Exception:
            pass
        if time.monotonic() >= end:
            return None
        time.sleep(every)


def wait_for(pred: Callable[[], T], timeout: float = 120.0, what: str = "") -> T:
    """Like :func:`poll`, but a timeout fails the test (saying ``what`` it waited for)."""
    value = poll(pred, timeout)
    assert value, f"timed out after {timeout:.0f} s waiting for {what or 'the condition'}"
    return value


def wait_snapshot(run, pred: Callable, timeout: float = 120.0):
    """The first snapshot of ``run`` for which ``pred(snapshot)`` holds; on timeout the failure
    shows the last one's status, step and message."""
    snap = poll(lambda: run.snapshot if pred(run.snapshot) else None, timeout)
    last = run.snapshot
    assert snap is not None, f"timed out; last snapshot: {last.status} step {last.step} {last.message}"
    return snap


def wait_status(run, *want: str, timeout: float = 120.0):
    """The first snapshot whose status is one of ``want``."""
    return wait_snapshot(run, lambda s: s.status in want, timeout)


def one_thread_history(model_cfg, train_cfg, timeout: float = 60.0) -> dict[str, list[float]]:
    """The history of a run of these configs trained here on one torch thread — what a Ray actor
    of one CPU and the toy host give each run: the reference their losses must match."""
    import torch

    from gancore.runs.engine import TrainingRun

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        run = TrainingRun("reference", model_cfg, train_cfg)
        run.start()
        run.join(timeout)
    finally:
        torch.set_num_threads(threads)
    return run.full_history()
