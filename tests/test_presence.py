"""Owners who leave: their runs are paused after a grace period, then saved and removed; a
returning owner (the same browser token) finds them where they were."""

from __future__ import annotations

import logging

import pytest
import torch

from gancore.base.config import TrainConfig
from gancore.models.mlp import MlpConfig
from gancore.runs.presence import PAUSE_AFTER_S, REMOVE_AFTER_S, Away, Presence
from gancore.runs.registry import Registry
from tests.helpers import wait_status

CPU = torch.device("cpu")


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def setup(tiny_images, monkeypatch):
    import gancore.runs.engine as engine

    monkeypatch.setattr(engine, "load_dataset", lambda *a, **k: tiny_images)
    clock, expired = Clock(), []
    reg = Registry(device=CPU, max_live=4, presence=Presence(clock=clock), on_expire=lambda o, label, run: expired.append((o, run.run_id)))
    yield reg, clock, expired
    reg.shutdown()


def start(reg, owner):
    run = reg.create(owner, MlpConfig(), TrainConfig(dataset="tiny", batch_size=16, max_steps=100_000))
    wait_status(run, "running")
    return run


def test_the_verdict_follows_the_numbers():
    clock = Clock()
    p = Presence(clock=clock)
    assert p.verdict("never-seen") is Away.HERE
    p.touch("a")
    clock.t += PAUSE_AFTER_S - 1
    assert p.verdict("a") is Away.HERE
    clock.t += 1
    assert p.verdict("a") is Away.PAUSE
    clock.t += REMOVE_AFTER_S - PAUSE_AFTER_S
    assert p.verdict("a") is Away.REMOVE
    assert "10 minutes" in p.describe() and "2 hours" in p.describe()


def test_an_away_owners_run_is_paused_then_saved_and_removed(setup):
    reg, clock, expired = setup
    alice, bob = "alice-token-0123456789", "bob-token-0123456789ab"
    a, b = start(reg, alice), start(reg, bob)
    clock.t += PAUSE_AFTER_S + 1
    reg.touch(bob)  # bob's page is still polling
    assert reg.reap() == ([a.run_id], [])
    wait_status(a, "paused")
    assert b.status == "running"
    clock.t += REMOVE_AFTER_S
    reg.touch(bob)
    paused, removed = reg.reap()
    assert removed == [a.run_id] and expired == [(alice, a.run_id)]
    assert reg.get(a.run_id) is None and reg.get(b.run_id) is not None


def test_a_returning_owner_finds_the_paused_run_and_resumes_it(setup):
    reg, clock, _ = setup
    alice = "alice-token-0123456789"
    a = start(reg, alice)
    clock.t += PAUSE_AFTER_S + 1
    reg.reap()
    wait_status(a, "paused")
    assert reg.owned(a.run_id, alice) is a  # asking for one's own run counts as being here
    assert reg.presence.verdict(alice) is Away.HERE
    reg.control(a.run_id, alice).resume()
    wait_status(a, "running")
    assert reg.reap() == ([], [])


def test_a_failing_save_is_logged_and_the_run_is_kept_paused_not_lost(tiny_images, monkeypatch, caplog):
    import gancore.runs.engine as engine

    monkeypatch.setattr(engine, "load_dataset", lambda *a, **k: tiny_images)
    clock = Clock()

    def broken(owner, label, run):
        raise OSError("disk full")

    reg = Registry(device=CPU, max_live=4, presence=Presence(clock=clock), on_expire=broken)
    try:
        a = start(reg, "alice-token-0123456789")
        clock.t += REMOVE_AFTER_S + 1
        with caplog.at_level(logging.ERROR, logger="gancore.runs.keeper"):
            assert reg.reap()[1] == []  # its work would be lost: it stays
        assert "could not save run" in caplog.text
        wait_status(a, "paused")
        assert reg.label(a.run_id).endswith("(kept here: its autosave failed)")
    finally:
        reg.shutdown()


def test_the_reaper_thread_runs_and_stops_with_the_registry():
    import threading

    reg = Registry(device=CPU, max_live=2, reap_every_s=0.05)
    assert any(t.name == "gan-reaper" for t in threading.enumerate())
    reg.shutdown()
    threading.Event().wait(0.2)
    assert not any(t.name == "gan-reaper" and t.is_alive() for t in threading.enumerate())
