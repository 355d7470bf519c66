"""One thread trains many toy runs in turn (gancore.runs.turns), stepping same-shaped ones together."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
import torch

from gancore.base.config import HackConfig, OptimConfig, TrainConfig
from gancore.models.toy import ToyConfig
from gancore.runs import turns as turns_mod
from gancore.runs.engine import TrainingRun
from gancore.runs.snapshot import Status
from gancore.train import together

CPU = torch.device("cpu")
MODEL = ToyConfig()
TRAIN = TrainConfig(dataset="gaussian", batch_size=8, max_steps=200, optim=OptimConfig(lr_g=0.005, lr_d=0.05, beta1=0.9), publish_every=5)


def _wait(cond, what: str, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.01)


@pytest.fixture
def spy(monkeypatch):
    """Counts the runs stepped together."""
    seen: list[int] = []
    real = together.step_together

    def counting(states, *args):
        seen.append(len(states))
        return real(states, *args)

    monkeypatch.setattr(together, "step_together", counting)
    return seen


def test_runs_in_turns_match_runs_of_their_own_thread(spy):
    """Same seeds, same losses: six runs (learning rates of their own) trained by one Turns, most
    steps taken together, against the same six each trained alone in its own thread, one after
    another (threads that build networks at the same moment share torch's global seed)."""
    trains = [replace(TRAIN, seed=i, optim=replace(TRAIN.optim, lr_g=0.002 * (i + 1))) for i in range(6)]
    alone = [TrainingRun(f"a{i}", MODEL, t, device=CPU) for i, t in enumerate(trains)]
    for run in alone:
        run.start()
        run.join(120)
    rota = turns_mod.Turns()
    shared = [TrainingRun(f"t{i}", MODEL, t, device=CPU) for i, t in enumerate(trains)]
    for run in shared:
        run.start_with(rota.add)
    for run in alone + shared:
        run.join(120)
        assert run.status is Status.FINISHED, run.snapshot.message
    assert sum(spy) > 6 * 100  # most steps were taken together
    for a, s in zip(alone, shared, strict=True):
        ha, hs = a.full_history(), s.full_history()
        assert ha["step"] == hs["step"]
        for key in ("d_loss", "g_loss", "d_real", "d_fake"):
            assert hs[key] == pytest.approx(ha[key], rel=1e-3, abs=1e-4), key
        for p1, p2 in zip(a.state.g.parameters(), s.state.g.parameters(), strict=True):
            torch.testing.assert_close(p2, p1, rtol=1e-3, atol=1e-4)


def test_every_control_answers_per_run(spy):
    """Pause one, single-step another's D, slow a third: the rest train on together."""
    rota = turns_mod.Turns()
    long = replace(TRAIN, max_steps=10**7)
    runs = [TrainingRun(f"r{i}", MODEL, replace(long, seed=i), device=CPU) for i in range(8)]
    for run in runs:
        run.start_with(rota.add)
    _wait(lambda: all(r.snapshot.step >= 20 for r in runs), "every run to train")
    paused, stepped, slow = runs[0], runs[1], runs[2]
    paused.pause()
    stepped.pause()
    slow.set_speed(2.0)
    _wait(lambda: paused.status is Status.PAUSED and stepped.status is Status.PAUSED, "the pauses")
    at = stepped.state.step
    g_before = [p.clone() for p in stepped.state.g.parameters()]
    stepped.step(3, "d")
    _wait(lambda: stepped.snapshot.step == at + 3, "three D steps")
    assert all(torch.equal(a, b) for a, b in zip(g_before, stepped.state.g.parameters(), strict=True))  # D alone moved
    still, slow_at, others, t0 = paused.state.step, slow.state.step, runs[3].state.step, time.monotonic()
    _wait(lambda: runs[3].state.step > others + 20, "the others to train on")  # however busy the machine
    assert paused.state.step == still and stepped.state.step == at + 3
    assert slow.state.step - slow_at <= 2 * (time.monotonic() - t0) + 2  # two steps a second (and one due at once)
    paused.resume()
    _wait(lambda: paused.state.step > still + 4, "the resumed run to train")
    for run in runs:
        run.stop()
    for run in runs:
        run.join(30)
        assert run.status is Status.STOPPED
    assert rota.runs == 0


def test_a_run_that_cannot_join_a_group_trains_alone_beside_it(spy):
    rota = turns_mod.Turns()
    noisy = replace(TRAIN, hacks=HackConfig(label_flip=0.1))  # draws random labels mid-step: alone
    runs = [TrainingRun(f"r{i}", MODEL, replace(TRAIN, seed=i), device=CPU) for i in range(5)]
    odd = TrainingRun("odd", MODEL, noisy, device=CPU)
    for run in [*runs, odd]:
        run.start_with(rota.add)
    for run in [*runs, odd]:
        run.join(120)
        assert run.status is Status.FINISHED
    assert spy and max(spy) == 5


def test_a_failing_run_ends_alone_as_an_error():
    rota = turns_mod.Turns()
    broken = TrainingRun("bad", MODEL, replace(TRAIN, dataset="no-such-set"), device=CPU)
    fine = TrainingRun("ok", MODEL, TRAIN, device=CPU)
    broken.start_with(rota.add)
    fine.start_with(rota.add)
    broken.join(60)
    fine.join(120)
    assert broken.status is Status.ERROR and "no-such-set" in broken.snapshot.message
    assert fine.status is Status.FINISHED
