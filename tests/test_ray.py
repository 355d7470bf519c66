"""The Ray backend on a local Ray (2 CPUs, no GPU: a GPU-asking actor would wait forever here):
the same losses as a local run, a full lifecycle through the registry, a killed actor, a full
cluster, and ownership checked by the actor itself."""

import os
import time

import pytest

ray = pytest.importorskip("ray")

from gancore import presets  # noqa: E402
from gancore.base.errors import NotOwner, RayUnavailable, RegistryFull, RunError  # noqa: E402
from gancore.io import checkpoints  # noqa: E402
from gancore.runs import raybackend  # noqa: E402
from gancore.runs.registry import Backend, Registry  # noqa: E402
from tests.helpers import one_thread_history, wait_for, wait_snapshot, wait_status  # noqa: E402


@pytest.fixture(scope="module")
def reg():
    with pytest.MonkeyPatch.context() as mp:  # a teacher's key and a saves folder the workers must not get
        mp.setenv("GAN_EXPLORER_TEACHER_KEY", "sesame")
        mp.setenv("GAN_EXPLORER_SAVED", "/tmp/not-for-workers")
        raybackend.connect(num_cpus=2, num_gpus=0)
    r = Registry(backend="ray")
    yield r
    r.shutdown()
    ray.shutdown()


def mlp(steps: int, **kw):
    return presets.compose("mlp-cpu", max_steps=steps, seed=3, **kw)


def test_the_registry_asks_the_cluster_for_its_device_and_cap(reg):
    assert reg.backend is Backend.RAY and reg.device.type == "cpu"
    assert reg.max_live == 2 and reg.max_live_per_owner == 1  # 2 CPUs, one per run
    assert reg.describe() == "Ray cluster · 1 node(s), 2 CPUs"
    with pytest.raises(ValueError, match="thread, process, ray"):
        Registry(backend="slurm")


def test_without_ray_the_backend_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(raybackend, "ray", None)
    with pytest.raises(RayUnavailable, match="requirements-ray.txt"):
        raybackend.connect()


def test_a_ray_run_trains_the_same_losses_as_a_local_one(reg):
    """Bit for bit at the same thread count: Ray gives a 1-CPU actor one thread (OMP_NUM_THREADS),
    and a matrix product summed by two threads differs in the 4th decimal."""
    model, train = mlp(60)
    local = one_thread_history(model, train)
    run = reg.create("same", model, train)
    try:
        wait_status(run, "finished", timeout=90)
        assert run.full_history()["d_loss"] == local["d_loss"]
        assert run.full_history()["g_loss"] == local["g_loss"]
        assert run.snapshot.node and run.snapshot.where.endswith("cpu")
    finally:
        reg.remove(run.run_id, "same")


def test_a_full_lifecycle_through_the_registry(reg, tmp_path):
    model, train = mlp(100_000)
    run = reg.create("alice", model, train)
    try:
        wait_snapshot(run, lambda s: s.step >= 20, timeout=90)
        versions, t0 = [run.snapshot.version], time.monotonic()
        while time.monotonic() - t0 < 2.0:  # snapshots arrive at >= 2 Hz
            versions.append(run.snapshot.version)
            time.sleep(0.05)
        assert len(set(versions)) >= 5
        assert run.snapshot.g_state is not None
        run.pause()
        paused = wait_status(run, "paused")
        run.step(4, "both")
        wait_snapshot(run, lambda s: s.step == paused.step + 4)
        run.set_optim(presets.compose("mlp-cpu", optim={"lr_g": 1e-3})[1].optim)
        assert wait_for(lambda: run.train_cfg.optim.lr_g == 1e-3)
        path = checkpoints.save(tmp_path / "alice", run.export_state(), run.model_cfg, run.train_cfg)
        saved = checkpoints.load(path)
        assert saved.step == paused.step + 4
        with pytest.raises(NotOwner):
            reg.control(run.run_id, "mallory")
        with pytest.raises(RunError, match="already paused"):
            run.pause()
        run.stop()
        wait_status(run, "stopped")
        wait_for(lambda: raybackend.capacity(1.0).free == 2, timeout=30, what="the ended run's CPU to come back")
        assert run.export_state().step == saved.step  # kept in this process after the actor went
        reg.remove(run.run_id, "alice")
        again = reg.create("alice", saved.model_cfg, saved.train_cfg, resume=saved.resume)
        resumed = wait_snapshot(again, lambda s: s.step > saved.step, timeout=90)
        assert resumed.history["step"][0] == run.full_history()["step"][0]  # the history came along
        reg.remove(again.run_id, "alice")
    finally:
        if reg.get(run.run_id) is not None:
            reg.remove(run.run_id, "alice")


def test_the_actor_itself_refuses_a_stranger_and_never_sees_the_owners_token(reg):
    run = reg.create("bob", *mlp(100_000))
    try:
        wait_snapshot(run, lambda s: s.step > 0, timeout=90)
        for stranger in ("mallory", "bob"):  # the browser's own token is no key to the actor
            kind, why = ray.get(run._actor.call.remote(stranger, "pause", ()))
            assert kind == "err" and "only the session that started" in why
        assert run.status == "running"
        kind, _ = ray.get(run._actor.call.remote(run._key, "unknown_call", ()))
        assert kind == "err"
        assert ray.get(run._actor.call.remote(run._key, "pause", ()))[0] == "ok"
    finally:
        reg.remove(run.run_id, "bob")


def test_a_killed_actor_makes_the_run_lost_not_a_hung_page(reg):
    run = reg.create("carol", *mlp(100_000))
    wait_snapshot(run, lambda s: s.step > 0 and s.g_state is not None, timeout=90)
    ray.kill(run._actor)
    lost = wait_status(run, "lost", timeout=20)
    assert "lost this run" in lost.message and lost.step > 0 and lost.g_state is not None
    t0 = time.monotonic()
    with pytest.raises(RunError, match="no longer on the cluster"):
        run.pause()
    assert time.monotonic() - t0 < 60  # at once, not after CALL_TIMEOUT_S of waiting per call
    reg.remove(run.run_id, "carol")


def test_a_full_cluster_answers_busy_in_words(reg):
    hog = ray.remote(num_cpus=2)(lambda: time.sleep(60)).remote()  # someone else's job holds every CPU
    try:
        wait_for(lambda: raybackend.capacity(1.0).free == 0, timeout=30)
        with pytest.raises(RegistryFull, match="no free CPUs"):
            reg.create("dave", *mlp(10))
    finally:
        ray.cancel(hog, force=True)
    wait_for(lambda: raybackend.capacity(1.0).free == 2, timeout=30)
    a = reg.create("erin", *mlp(100_000))
    b = reg.create("frank", *mlp(100_000))
    try:
        wait_snapshot(a, lambda s: s.step > 0, timeout=90)
        a.pause()
        wait_status(a, "paused")
        with pytest.raises(RegistryFull, match="already training on this Ray cluster"):  # a paused actor keeps its CPU
            reg.create("grace", *mlp(10))
    finally:
        reg.remove(a.run_id, "erin")
        reg.remove(b.run_id, "frank")


def test_the_app_trains_on_ray_when_asked_and_says_so_when_it_cannot(reg, monkeypatch):
    from ui.common import state

    monkeypatch.setenv("GAN_EXPLORER_BACKEND", "ray")
    state.registry.clear()
    try:
        assert state.registry().backend is Backend.RAY and not state.BACKEND_NOTES
    finally:
        state.registry().shutdown()
        state.registry.clear()
    monkeypatch.setattr(raybackend, "ray", None)
    try:
        assert state.registry().backend is Backend.THREAD  # the tests train in-process (conftest)
        assert "requirements-ray.txt" in state.BACKEND_NOTES[-1] and "train on this machine" in state.BACKEND_NOTES[-1]
    finally:
        state.registry().shutdown()
        state.registry.clear()
        state.BACKEND_NOTES.clear()


def test_the_cli_trains_on_the_cluster_and_saves_here(reg, tmp_path, capsys):
    from gancore.cli.main import main

    assert main(["train", "--backend", "ray", "--steps", "20", "--out", str(tmp_path / "on-ray"), "--quiet"]) == 0
    assert "saved" in capsys.readouterr().out
    assert checkpoints.load(tmp_path / "on-ray.safetensors").step == 20


def test_workers_are_shipped_only_the_training_settings_and_run_at_normal_priority(reg):
    """What the job's runtime environment carries to every node (a local cluster's workers also
    inherit this process's environment, as any child does; a remote one's get only this)."""
    shipped = ray.get(ray.remote(lambda: ray.get_runtime_context().runtime_env.get("env_vars", {})).remote())
    assert shipped["GAN_EXPLORER_OFFLINE"] == os.environ["GAN_EXPLORER_OFFLINE"]  # the suite runs offline
    assert set(shipped) <= set(raybackend.WORKER_SETTINGS) | set(raybackend.RAY_SETTINGS)
    assert "sesame" not in repr(shipped) and "not-for-workers" not in repr(shipped)
    worker_pid = ray.get(ray.remote(lambda: os.getpid()).remote())
    assert os.getpriority(os.PRIO_PROCESS, worker_pid) == os.getpriority(os.PRIO_PROCESS, 0)


@pytest.mark.parametrize("address, why", [("127.0.0.1:1", "nothing answers"), ("nonsense", "host:port"), ("ray://:80", "host:port")])
def test_a_wrong_cluster_address_is_refused_at_once_not_after_minutes_of_retries(address, why):
    t0 = time.monotonic()
    with pytest.raises(RayUnavailable, match=why):
        raybackend._check_reachable(address)
    assert time.monotonic() - t0 < 60  # Ray's own retries take minutes
