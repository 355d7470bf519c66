"""Divergence is caught for what it is: explosions without NaN pause the run too, the rollback
target exists from the first step, and a diverged run saves a file that loads."""

import math

import pytest
import torch

from gancore.base.config import OptimConfig, TrainConfig
from gancore.io import checkpoints
from gancore.models.mlp import MlpConfig
from gancore.runs import divergence
from gancore.runs.engine import TrainingRun
from tests.test_engine import wait_for

CPU = torch.device("cpu")
MLP = MlpConfig()


def test_reason_names_nan_explosions_and_huge_weights():
    ok = [torch.ones(3, 3)]
    assert divergence.reason({"d_loss": 0.7, "g_loss": 2.1}, ok) is None
    assert "NaN" in divergence.reason({"d_loss": math.nan}, ok)
    assert "infinite" in divergence.reason({"g_loss": math.inf}, ok)
    assert "G's loss reached 3.2e+11" in divergence.reason({"g_loss": 3.2e11}, ok)
    assert "weight reached" in divergence.reason({"d_loss": 0.5}, [torch.tensor([1.0, -2e6])])
    assert "NaN" in divergence.reason({"d_loss": 0.5}, [torch.tensor([math.nan])])
    text = divergence.message("D's loss reached 1e+12", 340, 330)
    assert "step 340" in text and "rolled back to step 330" in text and "learning rate" in text


def test_an_explosion_without_nan_pauses_the_run_and_the_save_loads(tiny_images, tmp_path):
    """Adam at lr 1: losses grow by orders of magnitude long before anything is NaN."""
    cfg = TrainConfig(dataset="tiny", batch_size=16, epochs=1000, publish_every=5, optim=OptimConfig(lr_g=1.0, lr_d=1.0))
    run = TrainingRun("boom", MLP, cfg, device=CPU, dataset=tiny_images)
    run.start()
    snap = wait_for(run, lambda s: s.status == "paused" and "diverged" in s.message, timeout=60)
    assert "reached" in snap.message  # caught as an explosion, before anything is NaN
    d = snap.divergence  # the same, as a typed field of the snapshot
    assert d.step == snap.step and "reached" in d.reason and d.rolled_back_to < d.step
    assert all(p.abs().max() < divergence.WEIGHT_LIMIT for p in run.state.g.parameters())
    path = checkpoints.save(tmp_path / "diverged", run.export_state(), MLP, cfg)
    run.stop()
    run.join(5)
    assert checkpoints.load(path).step == snap.step


def test_a_nan_before_the_first_publish_rolls_back_to_the_starting_weights(tiny_images, monkeypatch, tmp_path):
    import gancore.runs.engine as engine

    real_step = engine.train_step

    def poisoned(state, *args, **kwargs):
        out = real_step(state, *args, **kwargs)
        with torch.no_grad():
            for p in state.g.parameters():
                p.fill_(math.nan)
        return {**out, "g_loss": torch.tensor(math.nan)}

    monkeypatch.setattr(engine, "train_step", poisoned)
    cfg = TrainConfig(dataset="tiny", batch_size=16, epochs=1000, publish_every=50)
    run = TrainingRun("nan0", MLP, cfg, device=CPU, dataset=tiny_images)
    run.start()
    snap = wait_for(run, lambda s: s.status == "paused" and "diverged" in s.message, timeout=60)
    assert "rolled back to step 0" in snap.message and snap.divergence.rolled_back_to == 0
    assert all(torch.isfinite(p).all() for p in run.state.g.parameters())  # the real starting weights
    path = checkpoints.save(tmp_path / "early", run.export_state(), MLP, cfg)
    run.stop()
    run.join(5)
    checkpoints.load(path)  # loads: no NaN weights were written


@pytest.mark.parametrize("limit", [divergence.LOSS_LIMIT, divergence.WEIGHT_LIMIT])
def test_limits_leave_room_for_healthy_training(limit):
    assert limit >= 1e4  # BCE with a confident D is ~10-100; WGAN critics stay within thousands


def test_resuming_clears_the_divergence(tiny_images):
    cfg = TrainConfig(dataset="tiny", batch_size=16, epochs=1000, publish_every=5, optim=OptimConfig(lr_g=1.0, lr_d=1.0))
    run = TrainingRun("again", MLP, cfg, device=CPU, dataset=tiny_images)
    run.start()
    wait_for(run, lambda s: s.divergence is not None, timeout=60)
    run.resume()
    wait_for(run, lambda s: s.status == "running" and s.divergence is None, timeout=30)
    run.stop()
    run.join(5)
