"""Every toy run of a server on one toy host process: a class's runs all train at once, hold no
training slot, keep every control, match a run of the same seed, and outlive nothing."""

import pytest
import torch

from gancore import presets
from gancore.base.config import TrainConfig
from gancore.base.errors import RunError
from gancore.runs.host import HostedRun, host_count
from gancore.runs.registry import Registry
from tests.helpers import one_thread_history, wait_for, wait_snapshot, wait_status


@pytest.fixture(scope="module")
def reg():
    r = Registry(backend="process")
    yield r
    r.shutdown()
    assert all(w is None or not w.alive for w in r._toys._workers)


def toy(reg, owner="me", **kw):
    p = presets.get("d2l-toy")
    return reg.create(owner, p.model, TrainConfig(**{**p.train.__dict__, **kw}))


def test_a_class_of_toy_runs_trains_at_once_in_one_process_without_a_slot(reg):
    runs = [toy(reg, owner=f"student-{i}", epochs=10_000) for i in range(reg.max_live + 6)]  # more than the slots
    try:
        assert all(isinstance(r, HostedRun) for r in runs) and reg.slots_used() == 0
        for r in runs:
            wait_snapshot(r, lambda s: s.step > 0)
        assert len({r.worker.proc.pid for r in runs}) <= host_count()  # a host or two for the whole class, not a process each
        image = reg.create("teacher", *presets.compose("mlp-cpu", max_steps=10**6))  # the slots stay the image runs'
        wait_snapshot(image, lambda s: s.step > 0)
        assert reg.slots_used() == 1
        reg.remove(image.run_id, "teacher")
    finally:
        for i, r in enumerate(runs):
            reg.remove(r.run_id, f"student-{i}")


def test_a_toy_run_starts_while_every_image_slot_is_taken(reg):
    """The mixed class found it: with the teacher's and a student's image runs in both slots, a
    student pressing Start in the 2D lab was refused "2 runs are already training"."""
    images = [reg.create(f"img-{i}", *presets.compose("mlp-cpu", max_steps=10**6)) for i in range(reg.max_live)]
    try:
        assert reg.slots_used() == reg.max_live
        mine = toy(reg, owner="img-0", epochs=10_000)  # one whose own image run is training, too
        other = toy(reg, owner="student", epochs=10_000)
        for r in (mine, other):
            wait_snapshot(r, lambda s: s.step > 0)
        reg.remove(mine.run_id, "img-0")
        reg.remove(other.run_id, "student")
    finally:
        for i, r in enumerate(images):
            reg.remove(r.run_id, f"img-{i}")


def test_two_hosts_share_a_class_evenly():
    """On a bigger machine (a quarter of its cores), a new run goes to the host with the fewest."""
    assert host_count(2) == 1 and host_count(8) == 2 and host_count(16) == 4
    two = Registry(backend="process", toy_hosts=2)
    runs = [toy(two, owner=f"student-{i}", epochs=10_000) for i in range(4)]
    try:
        for r in runs:
            wait_snapshot(r, lambda s: s.step > 0)
        pids = [r.worker.proc.pid for r in runs]
        assert len(set(pids)) == 2 and sorted(pids.count(p) for p in set(pids)) == [2, 2]
    finally:
        two.shutdown()
    assert all(w is None or not w.alive for w in two._toys._workers)


def test_every_control_works_per_run(reg):
    a, b = toy(reg, owner="a", epochs=10_000), toy(reg, owner="b", epochs=10_000)
    try:
        wait_snapshot(a, lambda s: s.step > 0)
        snap = a.snapshot
        assert snap.grid.shape == (500, 2) and snap.g_state is not None
        a.pause()
        wait_status(a, "paused")
        with pytest.raises(RunError, match="already paused"):  # the run's own answer, across the host
            a.pause()
        step = a.snapshot.step
        a.step(3, "d")
        wait_snapshot(a, lambda s: s.step == step + 3)
        exported = a.export_state()
        assert exported.step == step + 3 and exported.exact
        assert a.status == "paused" and b.status == "running"  # the other run is not touched
        a.set_speed(5.0)
        a.set_hacks(a.train_cfg.hacks)
        a.resume()
        a.stop()
        wait_status(a, "stopped")
        with pytest.raises(RunError, match="stopped|ended"):
            a.resume()
    finally:
        reg.remove(a.run_id, "a")
        reg.remove(b.run_id, "b")


def test_a_hosted_run_trains_the_losses_of_a_run_of_the_same_seed(reg):
    model, train = presets.compose("d2l-toy", max_steps=60, seed=5)
    hosted = reg.create("me", model, train)
    wait_status(hosted, "finished")
    got, want = hosted.full_history(), one_thread_history(model, train)  # the host trains each run on one thread
    assert got["step"] == want["step"]
    assert torch.allclose(torch.tensor(got["d_loss"]), torch.tensor(want["d_loss"]), rtol=1e-4, atol=1e-6)
    reg.remove(hosted.run_id, "me")


def test_an_ended_run_keeps_its_state_and_leaves_the_host(reg):
    run = toy(reg, max_steps=30)
    wait_status(run, "finished")
    wait_for(lambda: run.run_id not in reg._toys._runs, 60)
    assert run.export_state().step == 30 and isinstance(run.frames(), list)
    with pytest.raises(RunError, match="finished"):
        run.resume()
    reg.remove(run.run_id, "me")


def test_a_killed_host_loses_its_runs_in_words_and_the_next_run_gets_a_new_one(reg):
    run = toy(reg, epochs=10_000)
    wait_snapshot(run, lambda s: s.step > 0)
    run.worker.proc.kill()
    lost = wait_status(run, "lost", timeout=30)
    assert "stopped unexpectedly" in lost.message
    with pytest.raises(RunError):
        run.pause()
    reg.remove(run.run_id, "me")
    again = toy(reg, epochs=10_000)
    wait_snapshot(again, lambda s: s.step > 0)
    reg.remove(again.run_id, "me")


def test_an_answer_that_comes_after_its_call_gave_up_is_not_read_as_the_next_calls():
    import itertools
    import pickle
    import threading
    from multiprocessing import Pipe
    from types import SimpleNamespace

    from gancore.runs.host import ToyHost

    ours, theirs = Pipe()
    worker = SimpleNamespace(jobs=ours, alive=True)
    host = ToyHost.__new__(ToyHost)  # no process: the channel's other end is this test
    host._seq = itertools.count(1)
    with pytest.raises(RunError, match="does not answer"):
        host._ask(worker, ("call", "r", "frames", ()), timeout=0.05)  # call 1 gives up
    theirs.recv_bytes()

    def child():
        theirs.send_bytes(pickle.dumps((1, ("ok", "late answer to call 1"))))
        seq, _ = pickle.loads(theirs.recv_bytes())
        theirs.send_bytes(pickle.dumps((seq, ("ok", "answer to call 2"))))

    threading.Thread(target=child, daemon=True).start()
    assert host._ask(worker, ("call", "r", "frames", ()), timeout=5) == ("ok", "answer to call 2")
