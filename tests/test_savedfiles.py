"""The shared folder of saved checkpoints: nobody overwrites or deletes what another session saved."""

import json

import pytest

from gancore.base.errors import CheckpointError
from gancore.io import checkpoints, savedfiles
from tests.test_checkpoints import CFG, finished_run


@pytest.fixture
def export(tiny_images):
    run = finished_run(tiny_images, 2)
    return run.export_state(), run.train_cfg


def test_a_session_cannot_overwrite_or_delete_anothers_checkpoint(export, tmp_path):
    state, train = export
    alice, bob = "alice-token-" + "a" * 10, "bob-token-" + "b" * 12
    path = savedfiles.save(tmp_path, "mine", alice, state, CFG, train)
    with pytest.raises(CheckpointError, match="saved by someone else"):
        savedfiles.save(tmp_path, "mine", bob, state, CFG, train)
    with pytest.raises(CheckpointError, match="cannot delete"):
        savedfiles.delete(path, bob)
    savedfiles.save(tmp_path, "mine", alice, state, CFG, train)  # her own: overwriting is fine
    assert savedfiles.owned_by(tmp_path, alice) == [path] and savedfiles.owned_by(tmp_path, bob) == []
    text = path.with_suffix(".json").read_text()
    assert alice not in text and json.loads(text)["owner"] == savedfiles.owner_tag(alice)  # a hash, never the token
    savedfiles.delete(path, alice)
    assert not path.exists() and not path.with_suffix(".json").exists()


def test_files_without_an_owner_belong_to_nobody(export, tmp_path):
    state, train = export
    checkpoints.save(tmp_path / "cli-run", state, CFG, train)  # as the CLI saves
    with pytest.raises(CheckpointError, match="someone else"):
        savedfiles.save(tmp_path, "cli-run", "any-session-token", state, CFG, train)


def test_each_session_keeps_at_most_its_share(export, tmp_path, monkeypatch):
    state, train = export
    monkeypatch.setattr(savedfiles, "MAX_PER_OWNER", 2)
    for name in ("a", "b"):
        savedfiles.save(tmp_path, name, "t1", state, CFG, train)
    with pytest.raises(CheckpointError, match="delete one first"):
        savedfiles.save(tmp_path, "c", "t1", state, CFG, train)
    savedfiles.save(tmp_path, "a", "t1", state, CFG, train)  # replacing one of yours is not a new file
    savedfiles.save(tmp_path, "c", "t2", state, CFG, train)  # another session has its own share
    with pytest.raises(CheckpointError):
        savedfiles.save(tmp_path, "../evil", "t2", state, CFG, train)
