"""Runs on a Ray cluster: each run a Ray actor, wherever the cluster has room.

A Ray actor is exactly what a run needs — a Python object with state in its own process, on
whichever node has the resources — so there is no scheduler of ours: :class:`RayRun` asks Ray
for an actor (one GPU when the cluster has GPUs, else ``cpus_per_run`` CPUs) and the actor holds
an ordinary :class:`gancore.runs.engine.TrainingRun`; the same code trains as in a local process.

* Commands are actor calls answered by :func:`gancore.runs.protocol.answer` (the local worker's
  dispatcher), and each carries the run's own key, made when the run starts (never the owner's
  browser token, which stays on the server that checks it): the actor checks the key too, so a
  process that gets hold of the actor handle still cannot steer the run.
* The workers get only the settings a training needs (:data:`WORKER_SETTINGS`; never the
  teacher's key) and run at normal priority (:data:`RAY_SETTINGS`).
* Snapshots are pulled, latest-only: :meth:`RunActor.latest` waits (up to a second) for a newer
  snapshot than the caller has and leaves G's weights out when they did not change.
* A killed actor or a lost node makes the run :attr:`Status.LOST`, with its last snapshot kept.

Ray is optional (``requirements-ray.txt``); without it :func:`connect` says how to get it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from gancore.base.config import ModelConfig, TrainConfig
from gancore.base.device import warm_up
from gancore.base.errors import RayUnavailable, RunError
from gancore.base.i18n import _, phrase
from gancore.base.paths import PACKAGE
from gancore.io.runstate import RunState
from gancore.models import catalog
from gancore.runs.engine import TrainingRun
from gancore.runs.protocol import RemoteReads, add_forwarders, answer
from gancore.runs.publisher import loading
from gancore.runs.snapshot import LOST_KEPT, Snapshot, Status, keep_weights, without_known_weights

try:
    import ray
except ImportError:  # optional: the local backends need nothing of it
    ray = None

NAMESPACE = "gan-explorer"
POLL_WAIT_S = 1.0  # how long one snapshot pull waits for something new
CALL_TIMEOUT_S = 30.0
# the app's settings a training reads; the others (the teacher's key, where saves go, the
# server's limits) stay on the server
WORKER_SETTINGS = ("GAN_EXPLORER_DATA", "GAN_EXPLORER_DATA_ROOT", "GAN_EXPLORER_OFFLINE", "GAN_EXPLORER_DEVICE")
# Ray starts its workers at niceness 15; on a machine also serving the app (or a busy CI) they
# then waited minutes for a CPU, so a run is an ordinary process, like a local run's worker
RAY_SETTINGS = {"RAY_worker_niceness": "0"}


def connect(address: str | None = None, *, num_cpus: int | None = None, num_gpus: int | None = None) -> None:
    """Join the Ray cluster at ``address`` ('auto', 'ray://host:10001', 'host:6379'), or start a
    local one when None. The actors get this checkout's ``gancore`` package (Ray ships it to
    every node) and this process's :data:`WORKER_SETTINGS`. Idempotent."""
    if ray is None:
        raise RayUnavailable(_("the Ray backend needs Ray: pip install -r requirements-ray.txt"))
    if ray.is_initialized():
        return
    if address and address != "auto":
        _check_reachable(address)
        if (Path.home() / ".ray" / "auth_token").is_file() or os.environ.get("RAY_AUTH_TOKEN"):
            # Ray >= 2.59 guards clusters with a token, but a driver given an address sends it
            # only in token mode (with 'auto' it finds out itself)
            os.environ.setdefault("RAY_AUTH_MODE", "token")
    env = {k: os.environ[k] for k in WORKER_SETTINGS if k in os.environ} | RAY_SETTINGS
    runtime_env = {"py_modules": [str(PACKAGE)], "env_vars": env}
    kwargs = {} if address else {"num_cpus": num_cpus, "num_gpus": num_gpus}
    try:
        ray.init(
            address=address,
            namespace=NAMESPACE,
            runtime_env=runtime_env,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
            **kwargs,
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise RayUnavailable(_("cannot reach the Ray cluster at {address!r}: {exc}").format(address=address, exc=exc)) from exc


def _check_reachable(address: str, timeout_s: float = 5.0) -> None:
    """Refuse at once an address nothing answers on (Ray itself retries for minutes)."""
    host, _skip, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise RayUnavailable(_("a Ray address is host:port or ray://host:port (or 'auto'), not {address!r}").format(address=address))
    try:
        socket.create_connection((host, int(port)), timeout=timeout_s).close()
    except OSError as exc:
        raise RayUnavailable(
            _("nothing answers at the Ray address {address!r} ({value})").format(address=address, value=exc.strerror or exc)
        ) from exc


@dataclass(frozen=True)
class Capacity:
    """What the cluster can train at once, and how much of it is free now."""

    slots: int  # runs the whole cluster holds at once
    free: int  # runs that could start now
    nodes: int
    cpus: float
    gpus: float

    @property
    def device(self) -> torch.device:
        """Where a new run trains: a GPU of some node when the cluster has any."""
        return torch.device("cuda" if self.gpus >= 1 else "cpu")

    def describe(self) -> str:
        if self.gpus:
            return phrase("Ray cluster · {nodes} node(s), {cpus:g} CPUs, {gpus:g} GPU(s)", nodes=self.nodes, cpus=self.cpus, gpus=self.gpus)
        return phrase("Ray cluster · {nodes} node(s), {cpus:g} CPUs", nodes=self.nodes, cpus=self.cpus)


def capacity(cpus_per_run: float) -> Capacity:
    """The cluster's slots: one per GPU when it has GPUs, else one per ``cpus_per_run`` CPUs."""
    total, free = ray.cluster_resources(), ray.available_resources()
    gpus, cpus = total.get("GPU", 0.0), total.get("CPU", 0.0)
    nodes = sum(1 for n in ray.nodes() if n.get("Alive"))
    if gpus >= 1:
        slots, left = int(gpus), int(free.get("GPU", 0.0))
    else:
        slots, left = int(cpus // cpus_per_run), int(free.get("CPU", 0.0) // cpus_per_run)
    return Capacity(slots, max(0, left), nodes, cpus, gpus)


def wait_for_slot(cpus_per_run: float, wait_s: float = 5.0) -> int:
    """Free slots now, waiting up to ``wait_s`` for one: an actor just ended (a Stop then Start
    again) gives its CPUs or GPU back to the cluster a moment after it is killed."""
    end = time.monotonic() + wait_s
    while (free := capacity(cpus_per_run).free) < 1 and time.monotonic() < end:
        time.sleep(0.1)
    return free


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class RunActor:
    """The actor's object: a TrainingRun on this node, steered only with the run's key."""

    def __init__(self, key_digest: bytes, run_id, model_cfg, train_cfg, device: str, resume, paused: bool = False) -> None:
        warm_up()
        self._key = key_digest
        self.run = TrainingRun(run_id, model_cfg, train_cfg, device=torch.device(device), resume=resume, paused=paused)
        self.run.start()

    def latest(self, have_version: int, have_g_step: int | None, wait_s: float = POLL_WAIT_S) -> Snapshot | None:
        """A snapshot newer than ``have_version`` (None if none came within ``wait_s``); G's
        weights are left out when the caller already has them (``have_g_step``)."""
        end = time.monotonic() + wait_s
        snap = self.run.snapshot
        while snap.version <= have_version and time.monotonic() < end:
            time.sleep(0.02)
            snap = self.run.snapshot
        if snap.version <= have_version:
            return None
        return without_known_weights(snap, have_g_step, catalog.of(snap.model_cfg).tiny)

    def call(self, key: str, name: str, args: tuple) -> tuple[str, object]:
        """One command of the run interface, if ``key`` is the run's."""
        if not (isinstance(key, str) and secrets.compare_digest(_digest(key), self._key)):
            return "err", "only the session that started this run can steer it"
        return answer(self.run, name, args)

    def close(self) -> None:
        with contextlib.suppress(RunError):
            self.run.stop()
        self.run.join(5)


@add_forwarders
class RayRun(RemoteReads):
    """The run interface, with the training in a Ray actor (see the module docstring)."""

    def __init__(
        self,
        run_id: str,
        model_cfg: ModelConfig,
        train_cfg: TrainConfig,
        *,
        device: torch.device,
        resume: RunState | None = None,
        cpus_per_run: float = 1.0,
        paused: bool = False,
    ) -> None:
        self.run_id, self.model_cfg, self.device = run_id, model_cfg, device
        # the owner's token is checked by the registry here; the actor only ever sees this key
        self._key, self._resume, self._cpus, self._paused = secrets.token_hex(16), resume, cpus_per_run, paused
        self._actor, self._released, self._kept = None, False, {}
        self._closed, self._harvested = threading.Event(), threading.Event()
        self.snapshot: Snapshot = loading(run_id, model_cfg, train_cfg, str(device), catalog.of(model_cfg).metrics)
        self.snapshot = replace(self.snapshot, message=phrase("Waiting for a place on the Ray cluster…"))

    status = property(lambda self: self.snapshot.status)
    train_cfg = property(lambda self: self.snapshot.train_cfg)

    @property
    def alive(self) -> bool:
        return self._actor is not None and self.status.live

    def start(self) -> None:
        if self._actor is not None:
            raise RunError(_("this run has already been started"))
        gpu = self.device.type == "cuda"
        actor_cls = ray.remote(RunActor).options(
            num_cpus=0 if gpu else self._cpus, num_gpus=1 if gpu else 0, max_concurrency=4, max_restarts=0
        )
        args = (_digest(self._key), self.run_id, self.model_cfg, self.snapshot.train_cfg, str(self.device), self._resume, self._paused)
        self._actor, self._resume = actor_cls.remote(*args), None
        threading.Thread(target=self._receive, name=f"gan-run-{self.run_id}-ray", daemon=True).start()

    def _receive(self) -> None:
        while not self._closed.is_set():
            try:
                snap = ray.get(self._actor.latest.remote(self.snapshot.version, self.snapshot.g_state_step), timeout=60)
            except ray.exceptions.GetTimeoutError:
                continue  # still waiting for resources, or a slow node: the loading snapshot stays
            except ray.exceptions.RayError as exc:
                if not self._closed.is_set():
                    self._lost(exc)
                self._harvested.set()
                return
            if snap is not None:
                self.snapshot = keep_weights(self.snapshot, snap)
            if not self.snapshot.status.live:
                self._harvest()
                return

    def _harvest(self) -> None:
        """The run ended (finished, stopped, failed): keep what saving and the pages need here
        and give its actor's slot back to the cluster at once."""
        kept = {}
        for name in ("export_state", "frames", "full_history"):
            with contextlib.suppress(RunError):
                kept[name] = self._call(name, timeout=120)
        self._kept = kept
        self._harvested.set()
        self._release()

    def _lost(self, exc: Exception) -> None:
        why = "its actor was killed or its node went away" if isinstance(exc, ray.exceptions.RayActorError) else str(exc)
        self.snapshot = replace(
            self.snapshot, status=Status.LOST, message=phrase("The Ray cluster lost this run ({why}). {kept}", why=str(why), kept=LOST_KEPT)
        )

    def _call(self, name: str, *args, timeout: float = CALL_TIMEOUT_S):
        if self._actor is None:
            raise RunError(_("the run has not been started"))
        if self._released:
            raise RunError(_("this run has ended ({status}); its actor is gone").format(status=self.status))
        try:
            kind, value = ray.get(self._actor.call.remote(self._key, name, args), timeout=timeout)
        except ray.exceptions.GetTimeoutError as exc:
            raise RunError(_("the Ray actor does not answer; remove this run and start a new one")) from exc
        except ray.exceptions.RayError as exc:
            if self.status.live:
                self._lost(exc)
            raise RunError(_("the run is no longer on the cluster ({status}); start a new run").format(status=self.status)) from exc
        if kind == "err":
            raise RunError(value)
        return value

    def close(self) -> None:
        """Stop the run and end its actor (its resources go back to the cluster)."""
        self._closed.set()
        self._harvested.set()
        self._release()

    def _release(self) -> None:
        if self._actor is not None and not self._released:
            self._released = True
            with contextlib.suppress(Exception):
                ray.get(self._actor.close.remote(), timeout=10)
            with contextlib.suppress(Exception):
                ray.kill(self._actor)
