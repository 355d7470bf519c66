"""Untrusted input and faults, round two, on the side of runs and disk: reaping never loses a run,
a server killed mid-lesson gives every owner their run back, what a class leaves on disk is
bounded, and text from users reaches pages as plain words."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import torch

from gancore import presets
from gancore.base.errors import CheckpointError, RunError
from gancore.data import points2d
from gancore.io import checkpoints, savedfiles
from gancore.runs.keeper import UNSAVED, Keeper
from gancore.runs.presence import Presence
from gancore.runs.registry import Registry
from tests.helpers import wait_snapshot, wait_status

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- 2. reaping never loses a run
def away_registry(on_expire):
    clock = [0.0]
    presence = Presence(pause_after_s=10, remove_after_s=20, clock=lambda: clock[0])
    return Registry(on_expire=on_expire, presence=presence), clock


def test_a_run_whose_autosave_fails_is_kept_paused_and_says_so(tiny_images, monkeypatch):
    from gancore.runs import engine

    monkeypatch.setattr(engine, "load_dataset", lambda *a, **k: tiny_images)

    def full_disk(owner, label, run):
        raise OSError(28, "No space left on device")

    reg, clock = away_registry(full_disk)
    run = reg.create("alice", *presets.compose("mlp-cpu", max_steps=100_000, seed=1), label="mine")
    wait_snapshot(run, lambda s: s.step > 0)
    clock[0] = 30.0
    assert reg.reap()[1] == []  # nothing removed
    wait_status(run, "paused")
    ((rid, view, label),) = reg.runs("alice")
    assert rid == run.run_id and label.endswith(UNSAVED)
    reg.shutdown()


def test_autosaves_are_outside_the_quota_and_a_classmate_cannot_block_them(ck_path, tmp_path):
    ck = checkpoints.load(ck_path)
    folder = tmp_path / "saved"
    for i in range(savedfiles.MAX_PER_OWNER):  # alice's quota is full
        savedfiles.save(folder, f"mine-{i}", "alice", ck.start_state(), ck.model_cfg, ck.train_cfg)
    savedfiles.save(folder, "autosave-abcd1234", "mallory", ck.start_state(), ck.model_cfg, ck.train_cfg)  # the name taken
    path = savedfiles.autosave(folder, "alice", "abcd1234", ck.start_state(), ck.model_cfg, ck.train_cfg)
    assert path.parent == folder / savedfiles.AUTOSAVES and checkpoints.read_meta(path)["owner"] == savedfiles.owner_tag("alice")
    with pytest.raises(CheckpointError):
        savedfiles.save(folder, "autosaves/x", "mallory", ck.start_state(), ck.model_cfg, ck.train_cfg)  # no '/' in a name
    old = time.time() - (savedfiles.KEEP_DAYS + 1) * 86400
    os.utime(path, (old, old))
    assert savedfiles.clean_up(path.parent) == [path]


# ---------------------------------------------------------------- 5. quotas with totals
def test_point_sets_are_per_session_with_a_total(data_dir, monkeypatch):
    monkeypatch.setattr(points2d, "POINTS_PER_OWNER", 3)
    names = [points2d.save_owned_points(torch.randn(5, 2) + i, "alice", "drawn") for i in range(5)]
    assert len(points2d.points_files(names[0].removeprefix("csv:").rsplit("/", 1)[0])) == 3
    points2d.load_points(names[-1])  # the newest is kept
    monkeypatch.setattr(points2d, "POINTS_TOTAL_BYTES", 1)
    bob = points2d.save_owned_points(torch.randn(5, 2), "bob", "upload")
    assert [p.name for p in (data_dir / "points").glob("*/*.csv")] == [Path(bob).name]


def test_saved_checkpoints_have_byte_totals(ck_path, tmp_path, monkeypatch):
    ck = checkpoints.load(ck_path)
    folder = tmp_path / "saved"
    savedfiles.save(folder, "one", "alice", ck.start_state(), ck.model_cfg, ck.train_cfg)
    monkeypatch.setattr(savedfiles, "MAX_BYTES_PER_OWNER", 1)
    with pytest.raises(CheckpointError, match="the most one session may keep"):
        savedfiles.save(folder, "two", "alice", ck.start_state(), ck.model_cfg, ck.train_cfg)
    monkeypatch.setattr(savedfiles, "MAX_BYTES_ALL", 1)
    with pytest.raises(CheckpointError, match="the class's saves"):
        savedfiles.save(folder, "three", "bob", ck.start_state(), ck.model_cfg, ck.train_cfg)


# ---------------------------------------------------------------- 6. a restart loses no run
SERVER = textwrap.dedent(
    """
    import sys, time
    from gancore import presets
    from gancore.runs.keeper import Keeper
    from gancore.runs.registry import Registry
    reg = Registry(max_live=3, keeper=Keeper(sys.argv[1], every_s=0.5))
    runs = [reg.create(t, *presets.compose("mlp-cpu", max_steps=10**6, seed=i), label=t) for i, t in enumerate(sys.argv[2:])]
    while not all(reg.keeper._kept.get(r.run_id, 0) > 0 for r in runs):
        time.sleep(0.1)
    print("kept", flush=True)
    time.sleep(600)
    """
)


def test_sigkill_of_the_server_then_a_restart_gives_each_owner_their_run_paused(tmp_path):
    owners = ["tok-ann", "tok-ben", "tok-cho"]
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(tmp_path), *owners], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert server.stdout.readline().strip() == "kept"
        time.sleep(1.0)  # a few more keeps while the runs train
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    kept = {checkpoints.read_meta(p)["label"]: checkpoints.read_meta(p)["step"] for p in tmp_path.glob("run-*.safetensors")}
    assert set(kept) == set(owners) and min(kept.values()) > 0
    reg = Registry(keeper=Keeper(tmp_path))
    try:
        reg.touch("tok-stranger")
        assert reg.runs() == []  # nobody else is given anyone's run
        for owner in owners:
            reg.touch(owner)  # the owner's first request after the restart
            ((rid, view, label),) = reg.runs(owner)
            wait_status(view, "paused")
            assert label == owner and view.snapshot.step == kept[owner]
        assert len(reg.runs()) == 3
    finally:
        reg.shutdown()


def test_the_keeper_writes_when_the_step_moves_and_forgets_removed_runs(tiny_images, tmp_path, monkeypatch):
    from gancore.runs import engine

    monkeypatch.setattr(engine, "load_dataset", lambda *a, **k: tiny_images)
    reg = Registry(keeper=Keeper(tmp_path, every_s=3600))
    run = reg.create("alice", *presets.compose("mlp-cpu", max_steps=20, seed=1))
    wait_status(run, "finished")
    assert reg.keep_all() == 1 and reg.keep_all() == 0  # nothing new: nothing written
    assert json.loads((tmp_path / f"run-{run.run_id}.json").read_text())["step"] == 20
    reg.remove(run.run_id, "alice")
    assert not list(tmp_path.glob("run-*"))
    reg.shutdown()


# ---------------------------------------------------------------- 7. labels from users
def test_labels_and_ids_from_users_render_as_plain_text(tiny_images, monkeypatch):
    from gancore.runs import engine

    monkeypatch.setattr(engine, "load_dataset", lambda *a, **k: tiny_images)
    reg = Registry()
    run = reg.create("alice", *presets.compose("mlp-cpu", max_steps=5), label="**x** [click](http://evil) <img src=y>")
    assert not set("*[]<>") & set(reg.label(run.run_id))
    with pytest.raises(RunError) as info:
        reg.control("[link](http://evil)", "alice")
    assert "evil" not in str(info.value)
    reg.shutdown()
