"""A training run in a background thread: commands in through a queue, immutable snapshots out.

The thread loops ``apply pending commands -> train_step -> every K steps publish``. Nothing else
touches the live networks: pages and the CLI send commands and read ``run.snapshot``, an
immutable value swapped in atomically, so reading it costs a pointer load.

The run knows no model family: what differs between families is asked of the family object
(:mod:`gancore.models.family`). Its parts are separate ideas: the state machine and commands
(here), the record and snapshots (:mod:`gancore.runs.publisher`), the divergence guard
(:mod:`gancore.runs.divergence`) and the step itself (:mod:`gancore.train.steps`).
"""

from __future__ import annotations

import contextlib
import math
import platform
import queue
import threading
import time
import traceback
from dataclasses import replace

import numpy as np
import torch

from gancore.base.arrays import cpu_copy
from gancore.base.config import ModelConfig, TrainConfig
from gancore.base.device import pick_device
from gancore.base.errors import ConfigError, RunError, SamplerError
from gancore.base.i18n import _, phrase
from gancore.data.sampler import IndexSampler, load_dataset
from gancore.io import runstate
from gancore.io.runstate import RunState
from gancore.models import catalog
from gancore.runs import changelog, divergence
from gancore.runs.lifecycle import Commands
from gancore.runs.publisher import LOADING_MESSAGE, Publisher, RunFacts, fixed_picture
from gancore.runs.snapshot import Divergence, Snapshot, Status
from gancore.train import together
from gancore.train.steps import GANState, apply_hacks, apply_optim, lr_scale, new_state, train_step


class TrainingRun(Commands):
    """One GAN being trained by a background thread.

    Create it, call :meth:`start`; steer it with :meth:`pause`, :meth:`resume`, :meth:`step`,
    :meth:`stop`, :meth:`set_optim`, :meth:`set_hacks`, :meth:`set_speed`; read :attr:`snapshot`.
    """

    def __init__(
        self,
        run_id: str,
        model_cfg: ModelConfig,
        train_cfg: TrainConfig,
        *,
        device: torch.device | None = None,
        resume: RunState | None = None,
        dataset=None,
        paused: bool = False,
    ) -> None:
        super().__init__()
        self.run_id, self.model_cfg, self.train_cfg = run_id, model_cfg, train_cfg
        self.family = catalog.of(model_cfg)
        self.device = device or pick_device()
        self._resume, self._dataset = resume, dataset
        self._start_paused = paused or (resume is not None and resume.paused)  # at its first step, waiting
        self.state_lock = threading.Lock()  # held by the thread while it changes the networks
        self.state: GANState | None = None
        self.sampler: IndexSampler | None = None
        self.data_x: torch.Tensor | None = None
        self.data_y: torch.Tensor | None = None
        self.total_steps = 0
        self._fixed: dict[str, torch.Tensor] = {}
        self._source = ("", False)
        self._record = Publisher(self.family.metrics)
        self._guard = divergence.Guard()
        self._divergence: Divergence | None = None  # the guard's last pause, until the run resumes
        self._pending_steps, self._pending_mode, self._mode, self._stepping = 0, "both", "both", False
        self._speed: float | None = None  # steps per second when slowed down for watching
        self._next_due = 0.0
        self._node = platform.node()  # the machine it trains on, for the snapshots
        self.snapshot = self._snapshot(LOADING_MESSAGE)

    def frames(self) -> list[tuple[int, np.ndarray]]:
        """The fixed-seed grid over time (step, grid), for an animated GIF."""
        return list(self._record.frames)

    def full_history(self) -> dict[str, list[float]]:
        return self._record.full_history()

    def export_state(self) -> RunState:
        """A consistent copy of everything a checkpoint needs, taken between two steps."""
        if self.state is None:
            raise RunError(_("the run has not finished loading yet"))
        with self.state_lock:
            return runstate.capture(self.state, self.sampler, self.full_history(), self._record.events)

    # ------------------------------------------------------------------ the thread

    def _main(self) -> None:
        if self.guarded(self.begin):
            self.guarded(self._loop)
        self._ended.set()

    def guarded(self, work):
        """``work()``, or None after an exception, which ends the run as an error that says why."""
        try:
            return work()
        except Exception as exc:
            self._set_status(Status.ERROR)
            self._publish(message=phrase("The run stopped with an error: {exc}", exc=str(exc)), detail=traceback.format_exc())
            return None

    def begin(self) -> bool:
        """Load the data, build the networks, publish the first snapshot (the run's first turn)."""
        self._setup()
        self._set_status(Status.PAUSED if self._start_paused else Status.RUNNING)
        self._publish(message="")
        self._record.restart_window()
        return True

    def _setup(self) -> None:
        m, t = self.model_cfg, self.train_cfg
        ds = self.family.training_data(m, self._dataset or load_dataset(t.dataset, m.image_shape if m.is_image else None, t.seed))
        self.data_x = (ds.images if m.is_image else ds.points).to(self.device)
        self.data_y = ds.labels.to(self.device) if m.is_image else None
        self._source = (ds.source, getattr(ds, "fallback", False))
        try:
            self.family.check_run(m, t)
            self.sampler = IndexSampler(len(ds), t.batch_size, t.seed)
        except (ConfigError, SamplerError) as exc:
            raise RunError(str(exc)) from exc
        self.total_steps = t.max_steps or max(1, math.ceil(t.epochs * self.sampler.steps_per_epoch / t.hacks.d_steps))
        self.state = new_state(m, t.optim, t.hacks, t.seed, self.device)
        self._note_fast_math(t.optim)
        fixed_gen = torch.Generator(device=self.device).manual_seed(t.seed + 12345)
        self._fixed = self.family.sample_inputs(
            m, self.family.grid_count(m, t), fixed_gen, t.hacks.z_dist, balanced=True, device=self.device
        )
        if self._resume is not None:
            self._restore(self._resume)
        self._guard.keep(self.state)  # what a blow-up before the first publish rolls back to

    def _restore(self, rs: RunState) -> None:
        runstate.restore(rs, self.state, self.sampler, self.train_cfg.optim)
        for k, v in rs.history.items():
            if k in self._record.history:
                self._record.history[k] = list(v)
        self._record.events = [tuple(e) for e in rs.events]
        self.total_steps = max(self.total_steps, self.state.step)

    def _next_batch(self):
        idx = self.sampler.next().to(self.device)
        return self.data_x[idx], (self.data_y[idx] if self.data_y is not None else None)

    def _apply(self, cmd: tuple) -> None:
        kind, st = cmd[0], self.state
        if kind == "pause":
            self._pending_steps = 0
            self._set_status(Status.PAUSED)
            self._publish(message=phrase("Paused."))
        elif kind == "resume":
            self._divergence = None
            self._set_status(Status.RUNNING)
            self._record.restart_window()
            self._publish(message="")
        elif kind == "step":
            self._pending_steps += cmd[1]
            self._pending_mode = cmd[2]
        elif kind == "stop":
            self._set_status(Status.STOPPED)
        elif kind == "speed":
            self._speed, self._next_due = cmd[1], time.perf_counter()
        elif kind in ("optim", "hacks"):
            old, new = getattr(self.train_cfg, kind), cmd[1]
            (apply_optim if kind == "optim" else apply_hacks)(st, new)
            self.train_cfg = replace(self.train_cfg, **{kind: new})
            self._record.event(st.step, changelog.describe(old, new))
            if kind == "optim" and new.fast_math != old.fast_math:  # said once, when it is switched on
                self._note_fast_math(new)
            if self._status is Status.PAUSED:  # no step will publish it soon: watchers see the edit now
                self._publish(message=self.snapshot.message)

    def _note_fast_math(self, optim) -> None:
        if optim.fast_math and self.state.amp is None:
            self._record.event(
                self.state.step, phrase("fast math: no fast 16-bit type on this {device}, so float32", device=self.device.type)
            )

    def _loop(self) -> None:
        """A thread of the run's own: turn after turn, waiting for a command while none is due."""
        while (wait := self.turn()) is not None:
            if wait > 0:
                with contextlib.suppress(queue.Empty):
                    self._apply(self._commands.get(True, min(wait, 0.25)))

    def turn(self) -> float | None:
        """One turn: apply the commands that came in, then train one step if one is due. None once
        the run has ended, else the seconds until its next turn is due: 0 now, the wait of a
        slowed-down run, ``math.inf`` while only a command can move it (paused)."""
        wait = self.ready()
        return wait if wait != 0.0 else self.step_alone()

    def step_alone(self) -> float | None:
        """After :meth:`ready` said 0: train the step (not with others) and :meth:`stepped`."""
        with self.state_lock:
            metrics = train_step(self.state, self._next_batch, self.train_cfg.hacks, self.train_cfg.batch_size, self._mode)
        return self.stepped(metrics)

    def ready(self) -> float | None:
        """Apply the commands that came in; 0.0 when a step is due now (its learning rates set),
        else what :meth:`turn` returns. The step itself may be taken with others (:meth:`group`)."""
        with contextlib.suppress(queue.Empty):
            while True:
                self._apply(self._commands.get_nowait())
        if self._status is Status.STOPPED:
            self._publish(message=phrase("Stopped. Save it as a checkpoint to keep it, or start a new run."))
            return None
        stepping = self._status is Status.PAUSED and self._pending_steps > 0
        if self._status is not Status.RUNNING and not stepping:
            return math.inf
        if self._speed and not stepping:  # slowed down for watching: one step per 1 / speed seconds
            wait = self._next_due - time.perf_counter()
            if wait > 0:
                return wait
            self._next_due = max(self._next_due + 1 / self._speed, time.perf_counter() - 0.5)
        self._mode, self._stepping = (self._pending_mode if stepping else "both"), stepping
        optim = self.train_cfg.optim
        if optim.lr_decay:
            with self.state_lock:
                apply_optim(self.state, optim, lr_scale(optim, self.state.step, self.total_steps))
        return 0.0

    def group(self) -> tuple | None:
        """After :meth:`ready`: the key of the runs this step can be taken together with
        (:func:`gancore.train.together.group_key`), or None to take it alone."""
        if self._mode != "both":
            return None
        return together.group_key(self.state, self.train_cfg.hacks, self.train_cfg.batch_size)

    def stepped(self, metrics: dict) -> float | None:
        """After the step: record it, publish when due, finish at the last step."""
        stepping = self._stepping
        self._record.accumulate(metrics)
        if stepping:
            self._pending_steps -= 1
        done = self.state.step >= self.total_steps and not stepping
        slow = self._speed is not None and self._speed <= 50  # slowed down: show every step
        due = self.state.step % self.train_cfg.publish_every == 0 or done or slow or (stepping and self._pending_steps == 0)
        if due and not self._publish_checked():
            return 0.0  # diverged: rolled back and paused
        if done:
            self._set_status(Status.FINISHED)
            self._publish(message=phrase("Finished: {steps:,} steps.", steps=self.state.step))
            return None
        return 0.0

    def _publish_checked(self) -> bool:
        """Publish the averaged metrics; if they or the weights blew up (:mod:`gancore.runs.divergence`),
        roll back, pause and explain. False if diverged."""
        st = self.state
        means = self._record.take_means()
        why = divergence.reason(means, [*st.g.parameters(), *st.d.parameters()])
        if why is None:
            self._record.record(st.step, means)
            self._guard.keep(st)
            self._publish(message="")
            return True
        with self.state_lock:
            good = self._guard.roll_back(st, self.model_cfg, self.train_cfg.optim)
        self._record.event(st.step, phrase("diverged at step {step}; rolled back", step=st.step))
        self._pending_steps = 0
        self._set_status(Status.PAUSED)
        self._divergence = Divergence(st.step, why, good)
        self._publish(message=divergence.message(why, st.step, good))
        return False

    def _publish(self, message: str, detail: str = "") -> None:
        rec, now = self._record, time.perf_counter()
        rec.measure_rate(now)
        grid = None
        if self.state is not None:
            with self.state_lock:
                grid = fixed_picture(self.family, self.state.sampling_g, self._fixed, self.model_cfg.is_image)
                if self.model_cfg.is_image:
                    rec.frame(self.state.step, grid)
                if self.family.tiny or rec.g_copy is None or now - rec.g_copy_time > 1.0 or self._status is not Status.RUNNING:
                    rec.g_copy, rec.g_copy_time = (self.state.step, cpu_copy(self.state.sampling_g)), now
        self.snapshot = self._snapshot(message, grid, detail)

    def _snapshot(self, message: str, grid=None, detail: str = "") -> Snapshot:
        st = self.state
        facts = RunFacts(
            self.run_id, self._status, st.step if st else 0, self.total_steps, self.sampler.steps_per_epoch if self.sampler else 1,
            self.model_cfg, self.train_cfg, str(self.device), *self._source, self._node,
        )  # fmt: skip
        d_state = cpu_copy(st.d) if st is not None and self.family.tiny else None  # tiny nets: D for the heatmap
        return self._record.snapshot(facts, message, grid, detail, self._divergence, d_state)
