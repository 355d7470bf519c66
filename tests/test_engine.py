import time
from dataclasses import replace

import pytest
import torch

from gancore import presets
from gancore.base.config import HackConfig, OptimConfig, TrainConfig
from gancore.base.errors import NotOwner, RegistryFull, RunError
from gancore.models.dcgan import DcganConfig
from gancore.models.mlp import MlpConfig
from gancore.runs import engine
from gancore.runs.engine import TrainingRun
from gancore.runs.registry import Registry
from gancore.runs.snapshot import downsample
from tests.helpers import wait_snapshot

MLP = MlpConfig()
CPU = torch.device("cpu")


wait_for = wait_snapshot


def mlp_run(tiny_images, run_id="r", **train):
    cfg = TrainConfig(dataset="tiny", batch_size=16, epochs=1000, publish_every=5, **train)
    return TrainingRun(run_id, MLP, cfg, device=CPU, dataset=tiny_images)


def test_lifecycle_and_commands_in_every_state(tiny_images):
    run = mlp_run(tiny_images)
    run.start()
    with pytest.raises(RunError, match="already been started"):
        run.start()
    snap = wait_for(run, lambda s: s.status == "running" and s.step >= 10)
    assert snap.training and snap.live
    assert snap.grid.shape == (16, 28, 28, 1) and snap.grid.dtype.name == "uint8"
    assert snap.history["d_loss"] and snap.g_state is not None and "synthetic" in snap.data_source
    with pytest.raises(RunError, match="already running"):
        run.resume()
    with pytest.raises(RunError, match="pause the run first"):
        run.step(3)
    run.pause()
    snap = wait_for(run, lambda s: s.status == "paused")
    assert snap.live and not snap.training  # paused: still there, no steps
    with pytest.raises(RunError, match="already paused"):
        run.pause()
    before = snap.step
    time.sleep(0.2)
    assert run.snapshot.step == before  # paused means no training
    run.step(3)
    wait_for(run, lambda s: s.step == before + 3)
    with pytest.raises(RunError, match="between 1 and"):
        run.step(0)
    with pytest.raises(RunError, match="mode"):
        run.step(1, "x")
    run.resume()
    wait_for(run, lambda s: s.status == "running" and s.step > before + 5)
    run.stop()
    run.join(5)
    assert not run.alive and run.snapshot.status == "stopped"
    assert not run.snapshot.training and not run.snapshot.live
    for verb in (run.resume, run.pause, run.stop):
        with pytest.raises(RunError, match="stopped"):
            verb()


def test_live_edits_apply_and_are_marked(tiny_images):
    run = mlp_run(tiny_images)
    run.start()
    wait_for(run, lambda s: s.step >= 5)
    run.set_optim(OptimConfig(lr_g=1e-3, lr_d=2e-4, beta1=0.5))
    run.set_hacks(HackConfig(loss="minimax", g_slope=0.1))
    snap = wait_for(run, lambda s: len(s.events) >= 2)
    assert snap.events[0][1] == "G's learning rate 0.0002 → 0.001"  # in words, as the chart shows it
    assert snap.events[1][1] == "loss non-saturating → saturating (minimax); G's LeakyReLU slope 0.2 → 0.1"
    assert snap.train_cfg.hacks.loss == "minimax"
    assert run.state.opt_g.param_groups[0]["lr"] == 1e-3
    with pytest.raises(RunError, match="new run"):
        run.set_optim(OptimConfig(optimizer="sgd"))
    run.stop()
    run.join(5)


def test_runs_finish_and_publish_progress(tiny_images):
    run = mlp_run(tiny_images, max_steps=12)
    run.start()
    snap = wait_for(run, lambda s: s.status == "finished")
    run.join(5)
    assert snap.step == 12 and snap.progress == 1.0 and len(snap.history["step"]) >= 2
    assert len(run.frames()) >= 2 and run.snapshot.frames == len(run.frames())  # the page reads the count, not the frames


def test_nan_guard_rolls_back_and_pauses(tiny_images):
    hacks = HackConfig(scale_inputs=False)  # the lecture's slip: pixels up to 254
    cfg = TrainConfig(dataset="tiny", batch_size=16, epochs=1000, publish_every=1, optim=OptimConfig("sgd", 10.0, 10.0), hacks=hacks)
    run = TrainingRun("nan", MLP, cfg, device=CPU, dataset=tiny_images)
    run.start()
    snap = wait_for(run, lambda s: s.status == "paused" and "diverged" in s.message, timeout=60)
    assert "learning rate" in snap.message and "rolled back" in snap.message
    assert all(torch.isfinite(p).all() for p in run.state.g.parameters())
    run.stop()
    run.join(5)


def test_exceptions_become_an_error_status(tiny_images, monkeypatch):
    import gancore.runs.engine as engine

    def boom(*a, **k):
        raise ValueError("the model exploded")

    monkeypatch.setattr(engine, "train_step", boom)
    run = mlp_run(tiny_images)
    run.start()
    snap = wait_for(run, lambda s: s.status == "error")
    assert "the model exploded" in snap.message and "Traceback" in snap.detail
    run.join(5)
    assert not run.alive


def test_bad_dataset_is_an_error_not_a_crash():
    run = TrainingRun("bad", MLP, TrainConfig(dataset="cifar"), device=CPU)
    run.start()
    snap = wait_for(run, lambda s: s.status == "error")
    run.join(5)
    assert "unknown image dataset" in snap.message


def test_same_seed_same_losses_through_the_engine(tiny_images):
    histories = []
    for i in range(2):
        run = TrainingRun(
            f"d{i}",
            DcganConfig(width=0.125),
            TrainConfig(dataset="tiny", batch_size=16, max_steps=6, publish_every=1, seed=3),
            device=CPU,
            dataset=tiny_images,
        )
        run.start()
        wait_for(run, lambda s: s.status == "finished")
        run.join(5)
        histories.append(run.full_history()["g_loss"])
    assert histories[0] == histories[1] and len(histories[0]) == 6


def test_decaying_learning_rates_fall_linearly_to_the_last_step(tiny_images, monkeypatch):
    run = mlp_run(tiny_images, max_steps=10, optim=OptimConfig(lr_g=1e-3, lr_d=2e-3, lr_decay=True))
    seen, real_step = [], engine.train_step

    def recording_step(st, *args, **kwargs):
        seen.append((st.opt_g.param_groups[0]["lr"], st.opt_d.param_groups[0]["lr"]))
        return real_step(st, *args, **kwargs)

    monkeypatch.setattr(engine, "train_step", recording_step)
    run.start()
    wait_for(run, lambda s: s.status == "finished")
    run.join(5)
    assert seen[0] == pytest.approx((1e-3, 2e-3)) and seen[-1] == pytest.approx((1e-4, 2e-4))
    assert [g for g, _ in seen] == pytest.approx([1e-3 * (10 - i) / 10 for i in range(10)])


def test_toy_runs_publish_points_and_d():
    p = presets.get("d2l-toy")
    run = TrainingRun("toy", p.model, replace(p.train, max_steps=30), device=CPU)
    run.start()
    snap = wait_for(run, lambda s: s.status == "finished")
    run.join(5)
    assert snap.grid.shape == (500, 2) and snap.d_state is not None


def test_downsample_keeps_length_bounded():
    assert downsample(list(range(10))) == tuple(float(i) for i in range(10))
    out = downsample([float(i) for i in range(10000)], 100)
    assert len(out) == 100 and out[0] < out[-1]


def test_downsample_skips_nans_quietly():
    import math
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Mean of empty slice" from a bucket of NaNs
        out = downsample([math.nan] * 500 + [1.0, 3.0] * 250, 10)
    assert all(math.isnan(v) for v in out[:5]) and out[5:] == (2.0,) * 5


def test_registry_cap_ownership_and_shutdown(tiny_images, monkeypatch, caplog):
    import gancore.runs.engine as engine

    monkeypatch.setattr(engine, "load_dataset", lambda *a, **k: tiny_images)
    reg = Registry(device=CPU, max_live=2)
    alice, bob, carol = reg.new_token(), reg.new_token(), reg.new_token()
    cfg = TrainConfig(dataset="tiny", batch_size=16, epochs=1000)
    r1 = reg.create(alice, MLP, cfg)
    with pytest.raises(RegistryFull, match="your share"):  # one session cannot take every slot
        reg.create(alice, MLP, cfg)
    r2 = reg.create(bob, MLP, cfg)
    with pytest.raises(RegistryFull, match="limit here is 2"):
        reg.create(carol, MLP, cfg)
    assert reg.control(r1.run_id, alice) is r1 and reg.owned(r1.run_id, alice) is r1
    with caplog.at_level("WARNING", logger="gancore.runs.registry"), pytest.raises(NotOwner, match="read-only"):
        reg.control(r1.run_id, bob)
    assert "refused to steer run" in caplog.text  # forged or foreign tokens are logged
    for forged in ("", "x" * 22, None):
        with pytest.raises(NotOwner):
            reg.control(r1.run_id, forged)
    assert reg.owned(r1.run_id, bob) is None and reg.owned(r1.run_id, None) is None and not reg.is_owner(r1.run_id, 42)
    view = reg.get(r1.run_id)  # watchers may read, and only read
    assert view.run_id == r1.run_id and view.snapshot.step >= 0 and view.model_cfg == MLP
    for verb in ("pause", "resume", "stop", "step", "set_optim", "set_hacks", "export_state", "close"):
        assert not hasattr(view, verb), verb
    with pytest.raises(RunError, match="no run"):
        reg.control("nope", alice)
    assert len(reg.runs(alice)) == 1 and reg.runs(carol) == []
    wait_for(r1, lambda s: s.status == "running")
    r1.pause()
    wait_for(r1, lambda s: s.status == "paused")
    r3 = reg.create(carol, MLP, cfg)  # a paused run frees its slot
    fresh = reg.restart(r2.run_id, bob)  # Reset: same configs from step 0, never over the cap
    assert fresh.run_id != r2.run_id and reg.get(r2.run_id) is None and fresh.model_cfg == MLP
    with pytest.raises(NotOwner):
        reg.restart(fresh.run_id, alice)
    reg.remove(r1.run_id, alice)
    assert reg.get(r1.run_id) is None and not r1.alive
    reg.shutdown()
    assert not r3.alive and not r2.alive and not fresh.alive and reg.runs() == []


def test_networks_built_in_threads_at_once_get_their_own_seeds_weights():
    """torch's default generator is the process's: runs built at the same moment in one process
    (AppTest's thread runs, the cost line's measurement beside a run) drew each other's seeds
    until new_state built one at a time."""
    import threading

    from gancore.train.steps import new_state

    model, train = presets.compose("mlp-cpu")

    def weights(seed: int) -> torch.Tensor:
        state = new_state(model, train.optim, train.hacks, seed, torch.device("cpu"))
        return torch.cat([p.detach().flatten() for p in state.g.parameters()])

    expected = {seed: weights(seed) for seed in range(4)}
    got, gate = {}, threading.Barrier(4)

    def build(seed: int) -> None:
        gate.wait()
        got[seed] = [weights(seed) for _ in range(6)]

    threads = [threading.Thread(target=build, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(torch.equal(w, expected[s]) for s, ws in got.items() for w in ws) and len(got) == 4
