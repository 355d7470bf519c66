"""Image runs in a child process each: the same commands and errors as a thread run, snapshots
across the pipe, a crash that becomes an error status, and no process left behind (toy runs share
one process: tests/test_toyhost.py)."""

import pytest

from gancore import presets
from gancore.base.config import TrainConfig
from gancore.base.errors import RunError
from gancore.runs.registry import Registry
from tests.helpers import wait_for


@pytest.fixture(scope="module")
def reg():
    r = Registry(backend="process")
    yield r
    r.shutdown()
    assert r._pool is not None and not r._pool._ready


def wait(pred, timeout=60.0):
    wait_for(pred, timeout)


def toy(reg, **kw):  # an image run: toy runs train on the toy host
    p = presets.get("mlp-cpu")
    return reg.create("me", p.model, TrainConfig(**{**p.train.__dict__, "publish_every": 1, **kw}))


def test_commands_snapshots_and_export_cross_the_process_boundary(reg):
    run = toy(reg)
    wait(lambda: run.snapshot.step > 0 and run.snapshot.g_state is not None)
    snap = run.snapshot
    assert snap.status == "running" and snap.g_state is not None
    run.pause()
    wait(lambda: run.status == "paused")
    with pytest.raises(RunError, match="already paused"):
        run.pause()
    step = run.snapshot.step
    run.step(3, "d")
    wait(lambda: run.snapshot.step == step + 3)
    exported = run.export_state()
    assert exported.step == step + 3 and set(exported.g) == set(snap.g_state) and exported.exact
    assert len(run.full_history()["step"]) >= 1
    run.set_speed(5.0)
    run.resume()
    run.stop()
    wait(lambda: run.status == "stopped")
    with pytest.raises(RunError, match="stopped"):
        run.resume()
    reg.remove(run.run_id, "me")
    assert not run._worker.alive


def test_an_error_in_the_child_becomes_an_error_status(reg):
    run = toy(reg, dataset="folder:nonexistent")
    wait(lambda: run.status == "error")
    assert "not found" in run.snapshot.message
    reg.remove(run.run_id, "me")


def test_a_killed_child_is_reported_not_fatal(reg):
    run = toy(reg, epochs=1_000)
    wait(lambda: run.snapshot.step > 0)
    run._worker.proc.kill()
    wait(lambda: run.status == "lost", timeout=10)
    assert "stopped unexpectedly" in run.snapshot.message and run.status.failed
    with pytest.raises(RunError):
        run.pause()
    reg.remove(run.run_id, "me")


def test_an_ended_run_keeps_its_state_here_and_its_process_ends(reg):
    run = toy(reg, max_steps=30)
    wait(lambda: run.status == "finished")
    wait(lambda: not run._worker.alive, 30)  # ~700 MB handed back: a class's finished runs would add up
    exported = run.export_state()
    assert exported.step == 30 and exported.exact
    assert len(run.full_history()["step"]) >= 1 and isinstance(run.frames(), list)
    with pytest.raises(RunError, match="finished"):
        run.resume()
    reg.remove(run.run_id, "me")


def test_a_worker_closed_from_two_threads_at_once_closes_each_descriptor_once():
    """A run that ends closes its worker from its reader thread while the page that removes it
    closes it too (the toy host test met EBADF so). Each close is slowed here so both threads are
    inside it at once: without the worker's own lock the second os.close fails."""
    import os
    import threading
    import time

    from gancore.runs.pool import Worker

    w = Worker("this")  # any module will do: the child prints the Zen of Python and ends
    closes = []

    def slowed(handle: int):
        def close():
            time.sleep(0.2)
            closes.append(handle)
            os.close(handle)

        return close

    for conn in (w.jobs, w.snaps):
        conn._close = slowed(conn.fileno())
    errors, gate = [], threading.Barrier(2)

    def close():
        gate.wait()
        try:
            w.close()
        except OSError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=close) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and len(closes) == 2 and w.jobs.closed and w.snaps.closed
    assert w.proc.poll() is not None
