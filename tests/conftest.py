import os
import socket
import tempfile
import threading

import pytest
import torch

os.environ.setdefault("GAN_EXPLORER_OFFLINE", "1")
# the data root (folder: and csv: datasets, saved point sets) of every test and every server it starts
os.environ.setdefault("GAN_EXPLORER_DATA_ROOT", tempfile.mkdtemp(prefix="gan-explorer-data-"))
# and of saves (a server's kept run states among them): never the checkout's saved/
os.environ.setdefault("GAN_EXPLORER_SAVED", tempfile.mkdtemp(prefix="gan-explorer-saved-"))
os.environ.setdefault("GAN_EXPLORER_RUNS", "thread")  # AppTest patches data in-process; test_worker covers processes
torch.set_num_threads(2)


@pytest.fixture
def no_network(monkeypatch):
    """Block every outgoing connection, as on a machine with no network."""

    def refuse(*args, **kwargs):
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.delenv("GAN_EXPLORER_OFFLINE", raising=False)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """``tmp_path`` as the data root: the one folder a ``folder:`` or ``csv:`` name is read from."""
    monkeypatch.setenv("GAN_EXPLORER_DATA_ROOT", str(tmp_path))
    return tmp_path


@pytest.fixture
def ck_path(tiny_images, tmp_path):
    """A small resumable checkpoint on disk (a 4-step DCGAN run on tiny data), to edit into a hostile one."""
    from gancore.io import checkpoints
    from tests.test_checkpoints import CFG, finished_run

    run = finished_run(tiny_images, 4)
    return checkpoints.save(tmp_path / "ck", run.export_state(), CFG, run.train_cfg, dataset="tiny")


@pytest.fixture
def tiny_images():
    """A small labelled image set (MNIST-shaped), fast to train on."""
    from gancore.data.images import ImageData

    g = torch.Generator().manual_seed(0)
    x = torch.rand(256, 1, 28, 28, generator=g) * 2 - 1
    y = torch.arange(256) % 10
    return ImageData("tiny", x, y, tuple(str(i) for i in range(10)), "synthetic test images", False)


@pytest.fixture
def tiny_pairs(monkeypatch, tiny_images):
    """Every image set is the tiny synthetic one (train and test), so image-to-image pairs come fast."""
    import gancore.data.images
    from gancore.data import tasks

    monkeypatch.setattr(gancore.data.images, "load_images", lambda *a, **k: tiny_images)
    tasks._test_set.cache_clear()
    yield tiny_images
    tasks._test_set.cache_clear()


@pytest.fixture
def app_env(monkeypatch, tmp_path):
    """An AppTest's surroundings: saved checkpoints go to a temp folder; every run is stopped afterwards."""
    monkeypatch.setenv("GAN_EXPLORER_SAVED", str(tmp_path))
    yield tmp_path
    from ui.common.state import registry

    registry().shutdown()


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """Every test must stop the run threads it started (no zombies)."""
    before = {t.ident for t in threading.enumerate()}
    yield
    for _ in range(50):
        leaked = [t for t in threading.enumerate() if t.ident not in before and t.name.startswith("gan-run-")]
        if not leaked:
            return
        threading.Event().wait(0.1)
    pytest.fail(f"run threads left alive: {[t.name for t in leaked]}")
