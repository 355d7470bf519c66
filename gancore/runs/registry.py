"""The process-wide registry of training runs: ids, owners, watchers and caps.

A browser session owns the runs it starts (its owner token, from ``secrets``). Ownership is a
capability checked here, not a hidden button: :meth:`Registry.get` gives anyone a
:class:`RunView`, which can be read but has no steering methods at all; only :meth:`control` and
:meth:`owned`, given the owner's token, hand out the run itself, and a refused token is logged.
Live runs are capped for the device and per owner, with a plain "busy" answer beyond either.
Owners who go away have their runs paused, then saved and removed (:mod:`gancore.runs.presence`,
:meth:`Registry.reap`). ``shutdown()`` stops every run (used on hot reload and at exit).
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import torch

from gancore.base.config import ModelConfig, TrainConfig
from gancore.base.device import describe, max_concurrent_runs, pick_device, warm_up
from gancore.base.errors import ConfigError, NotOwner, RunError
from gancore.base.i18n import _
from gancore.base.text import plain
from gancore.io import schema
from gancore.io.runstate import RunState
from gancore.models import catalog
from gancore.runs import raybackend
from gancore.runs.admission import Admission
from gancore.runs.classroom import Roster
from gancore.runs.engine import TrainingRun
from gancore.runs.host import HostedRun, ToyHost
from gancore.runs.keeper import Keeper, Upkeep
from gancore.runs.line import Line, Queueing
from gancore.runs.presence import Presence
from gancore.runs.process import ProcessRun, WarmPool
from gancore.runs.protocol import Backend, Run, RunView

RUN_ID = re.compile(r"[0-9a-f]{8}")
LOG = logging.getLogger("gancore.runs.registry")


@dataclass
class _Entry:
    run: Run
    owner: str
    label: str


@dataclass
class Registry(Upkeep, Queueing, Admission):
    """``backend``: see :class:`Backend`; with RAY, ``ray_address`` joins a cluster (None starts a
    local one), the device and the cap come from the cluster, and a run without GPUs takes
    ``cpus_per_run`` of its CPUs. ``max_steps`` (> 0) caps every run's length on this server: a
    teacher's limit for a lesson (``GAN_EXPLORER_MAX_STEPS``)."""

    device: torch.device = field(default_factory=pick_device)
    max_live: int | None = None
    backend: Backend | str = Backend.THREAD
    max_steps: int = 0
    ray_address: str | None = None
    cpus_per_run: float = 1.0
    roster: Roster = field(default_factory=Roster)
    presence: Presence = field(default_factory=Presence)
    on_expire: Callable[[str, str, Run], None] | None = None  # (owner, label, run) before an away owner's run is removed
    reap_every_s: float = 0.0  # > 0: a thread calls reap() this often (the app: 30 s)
    keeper: Keeper | None = None  # runs kept on disk as they train, given back after a restart
    line: Line = field(default_factory=Line)  # image runs waiting for a slot
    toy_hosts: int = 0  # processes that train the toy runs (0: runs.host.host_count())
    _runs: dict[str, _Entry] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pool: WarmPool | None = None
    _toys: ToyHost | None = None
    _described: tuple[float, str] = (-math.inf, "")

    def __post_init__(self) -> None:
        try:
            self.backend = Backend(self.backend)
        except ValueError:
            raise ValueError(
                _("backend must be one of {join}, not {backend!r}").format(join=", ".join(Backend), backend=self.backend)
            ) from None
        if self.backend is Backend.RAY:
            raybackend.connect(self.ray_address)
            cap = raybackend.capacity(self.cpus_per_run)
            self.device = cap.device
            self.max_live = self.max_live or cap.slots
        if self.max_live is None:
            self.max_live = max_concurrent_runs(self.device)
        if self.backend is Backend.PROCESS:
            self._pool, self._toys = WarmPool(spare=1), ToyHost(self.toy_hosts or None)
        else:
            warm_up()
        self._stop = threading.Event()
        self._start_upkeep()

    @staticmethod
    def new_token() -> str:
        """An owner token for a browser session."""
        return secrets.token_urlsafe(16)

    def create(
        self,
        owner: str,
        model_cfg: ModelConfig,
        train_cfg: TrainConfig,
        *,
        label: str = "",
        resume: RunState | None = None,
        paused: bool = False,
        run_id: str = "",
    ) -> Run:
        """Start a new run owned by ``owner`` (``paused``: it waits at step 0, its first picture drawn;
        ``run_id``: a kept run's own id, when free); RegistryFull when the device is busy,
        ConfigError when the family cannot train with these settings."""
        catalog.of(model_cfg).check_run(model_cfg, train_cfg)
        if (n := schema.parameter_count(model_cfg)) > schema.MAX_PARAMS:  # its checkpoint could not be read back
            raise ConfigError(
                _("this model has {n:,} parameters; the app trains at most {MAX_PARAMS:,} (a smaller width fits)").format(
                    n=n, MAX_PARAMS=schema.MAX_PARAMS
                )
            )
        self.touch(owner)
        if self.max_steps and not 0 < train_cfg.max_steps <= self.max_steps:
            train_cfg = replace(train_cfg, max_steps=self.max_steps)
        ray_wait = self.backend is Backend.RAY and self.slots_used() < self.max_live  # not when our own cap refuses anyway
        free = raybackend.wait_for_slot(self.cpus_per_run) if ray_wait else 1
        with self._lock:
            self._check_room(owner, model_cfg, free)
            run_id = run_id if run_id and run_id not in self._runs else secrets.token_hex(4)
            run = self._new_run(run_id, model_cfg, train_cfg, owner, resume=resume, paused=paused)
            self._runs[run_id] = _Entry(run, owner, plain(label or f"{model_cfg.family} on {train_cfg.dataset}"))
        run.start()
        return run

    def _new_run(self, run_id: str, model_cfg: ModelConfig, train_cfg: TrainConfig, owner: str, **kw) -> Run:
        """A run of this registry's backend, not started yet."""
        if self.backend is Backend.RAY:
            return raybackend.RayRun(run_id, model_cfg, train_cfg, device=self.device, cpus_per_run=self.cpus_per_run, **kw)
        if self._toys is not None and catalog.of(model_cfg).tiny:
            return HostedRun(run_id, model_cfg, train_cfg, host=self._toys, **kw)
        if self._pool is not None:
            return ProcessRun(run_id, model_cfg, train_cfg, device=self.device, pool=self._pool, **kw)
        return TrainingRun(run_id, model_cfg, train_cfg, device=self.device, **kw)

    def _holds_slot(self, run: Run) -> bool:
        """A training run holds one of the cap's slots; on Ray a paused one too (its actor keeps
        its CPUs or GPU until the run ends); a toy run on the toy host none."""
        if isinstance(run, HostedRun):
            return False
        return run.status.live if self.backend is Backend.RAY else run.status.training

    def describe(self) -> str:
        """Where runs train here, for the sidebar."""
        now = time.monotonic()  # every page's sidebar asks: the cluster is asked at most every 5 s
        if self.backend is Backend.RAY and now - self._described[0] > 5.0:
            self._described = (now, raybackend.capacity(self.cpus_per_run).describe())
        return self._described[1] if self.backend is Backend.RAY else describe(self.device)

    @property
    def max_live_per_owner(self) -> int:
        """One session may keep half the device's training slots busy (at least one)."""
        return max(1, (self.max_live or 1) // 2)

    def _entry(self, run_id: str) -> _Entry | None:
        with self._lock:
            return self._runs.get(run_id)

    @staticmethod
    def _owns(entry: _Entry, token: object) -> bool:
        """The one ownership check: a string token equal to the owner's (in constant time)."""
        return isinstance(token, str) and secrets.compare_digest(entry.owner, token)

    def get(self, run_id: str) -> RunView | None:
        """Anyone's read-only view of a run (a watch link's); None for unknown ids."""
        entry = self._entry(run_id)
        return RunView(entry.run) if entry else None

    def owned(self, run_id: str, token: str) -> Run | None:
        """The run itself if ``token`` owns it, else None (for a page's own session state)."""
        entry = self._entry(run_id)
        if entry is None or not self._owns(entry, token):
            return None
        self.touch(token)
        return entry.run

    def owner_name(self, run_id: str) -> str:
        """The run's owner as the class view names them (never their token)."""
        entry = self._entry(run_id)
        return self.roster.name(entry.owner) if entry else ""

    def slots_used(self) -> int:
        with self._lock:
            return sum(self._holds_slot(e.run) for e in self._runs.values())

    def label(self, run_id: str) -> str:
        entry = self._entry(run_id)
        return entry.label if entry else run_id

    def is_owner(self, run_id: str, token: str) -> bool:
        return self.owned(run_id, token) is not None

    def control(self, run_id: str, token: str) -> Run:
        """The run, if ``token`` owns it; NotOwner for watchers, RunError for unknown ids."""
        entry = self._entry(run_id)
        if entry is None:
            shown = repr(run_id) if RUN_ID.fullmatch(str(run_id)) else _("that id")  # a ?run= link is anyone's text
            raise RunError(_("no run with {shown} (it may have been removed or the server restarted)").format(shown=shown))
        if not self._owns(entry, token):
            LOG.warning("refused to steer run %s: the token is not its owner's", run_id)
            raise NotOwner(_("you are watching this run read-only; only the session that started it can steer it"))
        self.touch(token)
        return entry.run

    def runs(self, owner: str | None = None) -> list[tuple[str, RunView, str]]:
        """(id, read-only view, label) of every run, or of one owner's runs, oldest first."""
        with self._lock:
            items = list(self._runs.items())
        return [(rid, RunView(e.run), e.label) for rid, e in items if owner is None or e.owner == owner]

    def remove(self, run_id: str, token: str) -> None:
        run = self.control(run_id, token)
        with self._lock:
            self._runs.pop(run_id, None)
        if self.keeper is not None:
            self.keeper.forget(run_id)
        run.close()

    def restart(
        self,
        run_id: str,
        token: str,
        model_cfg: ModelConfig | None = None,
        train_cfg: TrainConfig | None = None,
        *,
        label: str = "",
        paused: bool = False,
    ) -> Run:
        """Replace the owner's run by a new one from step 0: the same configs and label (the toy lab's
        Reset, ``paused``), or new ones (Start again). The new configs are checked before anything is
        removed; the old run is removed before the new one is created, so it never counts against a cap."""
        old = self.control(run_id, token)
        model_cfg, train_cfg = model_cfg or old.model_cfg, train_cfg or old.train_cfg
        catalog.of(model_cfg).check_run(model_cfg, train_cfg)
        label = label or self.label(run_id)
        self.remove(run_id, token)
        return self.create(token, model_cfg, train_cfg, label=label, paused=paused)

    def touch(self, token: object) -> None:
        """The owner of ``token`` is here (a page of theirs ran, or polled their run)."""
        if isinstance(token, str) and token:
            self.presence.touch(token)
            if self.keeper is not None:
                self.give_back(token)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Keep every run's state (with a keeper), stop every live thread and forget all runs (no
        zombie threads after a reload)."""
        self._stop.set()
        if self.keeper is not None:
            self.keep_all()
        with self._lock:
            entries = list(self._runs.values())
            self._runs.clear()
        for e in entries:
            with contextlib.suppress(RunError):
                e.run.stop()
        for e in entries:
            e.run.join(timeout)
            e.run.close()
        if self._pool is not None:
            self._pool.close()
        if self._toys is not None:
            self._toys.close()
