import json
import pickle
from dataclasses import replace

import pytest
import torch

from gancore.base.config import OptimConfig, TrainConfig
from gancore.base.errors import CheckpointError
from gancore.io import checkpoints
from gancore.models.dcgan import DcganConfig
from gancore.runs.engine import TrainingRun
from tests.forge import rewrite
from tests.helpers import wait_status

CPU = torch.device("cpu")
CFG = DcganConfig(width=0.125)


def finished_run(tiny_images, steps, resume=None, run_id="a", optim=None):
    train = TrainConfig(dataset="tiny", batch_size=16, max_steps=steps, publish_every=1, seed=11, optim=optim or OptimConfig())
    run = TrainingRun(run_id, CFG, train, device=CPU, dataset=tiny_images, resume=resume)
    run.start()
    wait_status(run, "finished", timeout=30)
    run.join(5)
    assert run.snapshot.status == "finished"
    return run


@pytest.fixture
def saved(tiny_images, tmp_path):
    run = finished_run(tiny_images, 4)
    path = checkpoints.save(tmp_path / "ck", run.export_state(), CFG, run.train_cfg, dataset="tiny", metrics={"score": 1.5})
    return path, run


def test_round_trip(saved):
    path, run = saved
    assert path.name == "ck.safetensors" and path.with_suffix(".json").is_file()
    ck = checkpoints.load(path)
    assert ck.model_cfg == CFG and ck.step == 4 and ck.meta["metrics"] == {"score": 1.5}
    g = checkpoints.generator(ck)
    z = torch.randn(3, 100)
    run.state.g.eval()
    with torch.no_grad():
        assert torch.allclose(g(z), run.state.g(z))
    assert checkpoints.list_checkpoints(path.parent)[0][0] == path


def test_resume_gives_the_same_losses_as_an_uninterrupted_run(tiny_images, tmp_path):
    straight = finished_run(tiny_images, 8, run_id="s").full_history()["g_loss"]
    first = finished_run(tiny_images, 4, run_id="f")
    path = checkpoints.save(tmp_path / "half", first.export_state(), CFG, first.train_cfg)
    ck = checkpoints.load(path)
    resumed = finished_run(tiny_images, 8, resume=ck.resume, run_id="r").full_history()["g_loss"]
    assert resumed == straight  # optimiser, RNG and sampler state all came back


def test_the_weight_average_is_saved_sampled_from_and_resumed(tiny_images, tmp_path):
    averaging = OptimConfig(ema=0.9)
    straight = finished_run(tiny_images, 8, run_id="s", optim=averaging)
    first = finished_run(tiny_images, 4, run_id="f", optim=averaging)
    path = checkpoints.save(tmp_path / "avg", first.export_state(), CFG, first.train_cfg)
    ck = checkpoints.load(path)
    assert ck.g_avg is not None and ck.sampling_g is ck.g_avg
    z = torch.randn(3, 100)
    with torch.no_grad():
        sampled = checkpoints.generator(ck)(z)
        assert torch.allclose(sampled, first.state.g_avg(z))
        first.state.g.eval()
        assert not torch.allclose(sampled, first.state.g(z))  # the average, not G itself
    resumed = finished_run(tiny_images, 8, resume=ck.resume, run_id="r", optim=averaging)
    assert resumed.full_history()["g_loss"] == straight.full_history()["g_loss"]
    for a, b in zip(resumed.state.g_avg.parameters(), straight.state.g_avg.parameters(), strict=True):
        assert torch.equal(a, b)  # the average came back too, not restarted from G
    small = checkpoints.load(checkpoints.save(tmp_path / "avg-half", first.export_state(), CFG, first.train_cfg, half=True))
    assert small.g_avg is not None and small.resume is None


def test_the_safetensors_file_alone_is_a_checkpoint(saved):
    path, _ = saved
    ck = checkpoints.load_bytes(path.read_bytes(), "upload.safetensors")
    assert ck.step == 4 and ck.resume is not None


def test_half_precision_exploration_checkpoints(saved, tmp_path):
    _, run = saved
    path = checkpoints.save(tmp_path / "small", run.export_state(), CFG, run.train_cfg, half=True)
    ck = checkpoints.load(path)
    assert ck.resume is None and ck.g["net.0.weight"].dtype == torch.float32
    assert ck.g_avg is None and ck.sampling_g is ck.g  # a run without averaging samples from G
    assert path.stat().st_size < checkpoints.load(tmp_path / "ck").path.stat().st_size / 2


def test_rejects_truncated(saved):
    path, _ = saved
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(CheckpointError, match="truncated|corrupted"):
        checkpoints.load(path)


def test_rejects_flipped_bytes(saved):
    path, _ = saved
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(CheckpointError, match="corrupted"):
        checkpoints.load(path)


def test_rejects_random_bytes(tmp_path):
    path = tmp_path / "junk.safetensors"
    path.write_bytes(torch.randint(0, 256, (5000,), dtype=torch.uint8).numpy().tobytes())
    with pytest.raises(CheckpointError):
        checkpoints.load(path)
    with pytest.raises(CheckpointError):
        checkpoints.load_bytes(path.read_bytes())


def test_rejects_pickles_without_running_them(tmp_path):
    class Evil:
        def __reduce__(self):
            return (exec, ("open('/tmp/gan_explorer_pwned', 'w').write('x')",))

    path = tmp_path / "evil.safetensors"
    path.write_bytes(pickle.dumps(Evil()))
    torch.save({"g": torch.zeros(2)}, tmp_path / "torch.safetensors")
    for p in (path, tmp_path / "torch.safetensors"):
        with pytest.raises(CheckpointError):
            checkpoints.load(p)
        with pytest.raises(CheckpointError):
            checkpoints.load_bytes(p.read_bytes())
    import os

    assert not os.path.exists("/tmp/gan_explorer_pwned")


def test_rejects_a_config_that_does_not_fit_the_weights(saved):
    path, _ = saved
    rewrite(path, edit_meta=lambda m: m["model"].update(width=0.25))  # the embedded metadata: what load reads
    with pytest.raises(CheckpointError, match="shape"):
        checkpoints.load(path)


def test_rejects_foreign_safetensors(tmp_path):
    from safetensors.torch import save_file

    save_file({"w": torch.zeros(3)}, tmp_path / "other.safetensors")
    with pytest.raises(CheckpointError, match="not a GAN Explorer checkpoint"):
        checkpoints.load(tmp_path / "other.safetensors")


def test_a_crash_mid_save_keeps_the_old_checkpoint(saved, monkeypatch):
    path, run = saved
    before = path.read_bytes()

    def crash(*a, **k):
        raise OSError("disk full")

    import gancore.base.atomic

    monkeypatch.setattr(gancore.base.atomic.os, "replace", crash)
    with pytest.raises(OSError):
        checkpoints.save(path, run.export_state(), CFG, run.train_cfg)
    assert path.read_bytes() == before and checkpoints.load(path).step == 4
    assert not list(path.parent.glob(".*.tmp"))  # no temp files left behind


def test_bad_names():
    for name in ("", "../evil", "a b", "x" * 70):
        with pytest.raises(CheckpointError, match="name"):
            checkpoints.check_name(name)


def test_averaging_switched_on_at_a_resume_starts_from_the_restored_g(saved, tiny_images):
    path, _ = saved  # saved without an average
    ck = checkpoints.load(path)
    run = TrainingRun(
        "on",
        CFG,
        replace(ck.train_cfg, optim=OptimConfig(ema=0.999)),
        device=CPU,
        dataset=tiny_images,
        resume=ck.start_state(),
    )
    run.start()
    wait_status(run, "paused", timeout=30)
    avg = run.state.g_avg.state_dict()
    run.close()
    assert avg.keys() == ck.g.keys() and all(torch.equal(avg[k], ck.g[k]) for k in avg)


def test_the_json_copy_is_never_read_back(saved):
    path, _ = saved
    meta = json.loads(path.with_suffix(".json").read_text())
    meta["model"]["width"] = 0.25
    path.with_suffix(".json").write_text(json.dumps(meta))  # a stale or edited copy changes nothing
    assert checkpoints.load(path).model_cfg.width == CFG.width and checkpoints.read_meta(path)["model"]["width"] == CFG.width
