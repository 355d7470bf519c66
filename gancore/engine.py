"""A training run in a background thread: commands in through a queue, immutable snapshots out.

The thread loops ``apply pending commands -> train_step -> every K steps publish``. Nothing else
touches the live networks: pages and the CLI send commands and read ``run.snapshot``, an
immutable value swapped in atomically, so reading it costs a pointer load.
"""

from __future__ import annotations

import contextlib
import math
import queue
import threading
import time
import traceback
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from gancore import divergence
from gancore.batches import IndexSampler, SamplerError, load_dataset
from gancore.ckschema import load_optimizer_state
from gancore.config import ConfigError, HackConfig, ModelConfig, OptimConfig, TrainConfig
from gancore.device import pick_device
from gancore.models import family
from gancore.snapshot import Divergence, Snapshot, cpu_copy, downsample, history_keys, to_uint8_grid
from gancore.steps import GANState, apply_hacks, apply_optim, lr_scale, make_optimizers, new_state, train_step

__all__ = ["IndexSampler", "RunError", "Snapshot", "TrainingRun", "downsample", "load_dataset", "to_uint8_grid"]

MAX_FRAMES = 120


class RunError(RuntimeError):
    """A command that does not fit the run's state; the message says what to do instead."""


@dataclass
class _Live:
    """Mutable bookkeeping owned by the run thread."""

    history: dict[str, list[float]] = field(default_factory=dict)  # history_keys(): step, losses, the family's
    events: list[tuple[int, str]] = field(default_factory=list)
    frames: list[tuple[int, np.ndarray]] = field(default_factory=list)
    pending_steps: int = 0
    pending_mode: str = "both"
    sums: dict[str, float] = field(default_factory=dict)
    count: int = 0
    last_good: tuple[int, dict, dict] | None = None
    divergence: Divergence | None = None  # the guard's last pause, until the run resumes
    g_copy: tuple[int, dict] | None = None
    g_copy_time: float = 0.0
    t_window: float = 0.0
    steps_window: int = 0
    rate: float = 0.0
    speed: float | None = None  # steps per second when slowed down for watching
    next_due: float = 0.0


def warm_up() -> None:
    """Pay PyTorch's one-off lazy imports now (the first optimiser imports torch._dynamo and
    sympy: about 3 s, far longer when a run thread does it while pages redraw and both fight
    for the GIL and the import lock). Call once per process before the first run."""
    torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])


class TrainingRun:
    """One GAN being trained by a background thread.

    Create it, call :meth:`start`; steer it with :meth:`pause`, :meth:`resume`, :meth:`step`,
    :meth:`stop`, :meth:`set_optim`, :meth:`set_hacks`; read :attr:`snapshot`.
    """

    def __init__(
        self,
        run_id: str,
        model_cfg: ModelConfig,
        train_cfg: TrainConfig,
        *,
        device: torch.device | None = None,
        resume: dict | None = None,
        dataset=None,
    ) -> None:
        self.run_id = run_id
        self.model_cfg = model_cfg
        self.family = family.of(model_cfg)
        self.train_cfg = train_cfg
        self.device = device or pick_device()
        self._resume = resume
        self._dataset = dataset
        self._commands: queue.Queue = queue.Queue()
        self._lock = threading.Lock()  # guards status transitions and command validation
        self.state_lock = threading.Lock()  # held by the thread while it changes the networks
        self._status = "loading"
        self._thread: threading.Thread | None = None
        self._live = _Live(history={k: [] for k in history_keys(self.family.metrics)})
        self._version = 0
        self.state: GANState | None = None
        self.sampler: IndexSampler | None = None
        self.data_x: torch.Tensor | None = None
        self.data_y: torch.Tensor | None = None
        self.total_steps = 0
        self._fixed: dict[str, torch.Tensor] = {}
        self._source = ("", False)
        self.snapshot = self._make_snapshot(message="Loading data and building the networks…")

    # ------------------------------------------------------------------ commands (any thread)

    @property
    def status(self) -> str:
        return self._status

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                raise RunError("this run has already been started")
            self._thread = threading.Thread(target=self._main, name=f"gan-run-{self.run_id}", daemon=True)
            self._thread.start()

    def _send(self, allowed: tuple[str, ...], verb: str, *cmd) -> None:
        with self._lock:
            if self._status not in allowed:
                raise RunError(self._refusal(verb))
            self._commands.put(cmd)

    def _refusal(self, verb: str) -> str:
        s = self._status
        if s in ("finished", "stopped", "error"):
            return f"cannot {verb}: the run is {s}. Start a new run, or load its checkpoint to continue training."
        if s == "paused" and verb == "pause":
            return "the run is already paused"
        if s == "running" and verb == "resume":
            return "the run is already running"
        if s == "running" and verb == "step":
            return "pause the run first; single steps are for a paused run"
        return f"cannot {verb} while the run is {s}"

    def pause(self) -> None:
        self._send(("running", "loading"), "pause", "pause")

    def resume(self) -> None:
        self._send(("paused",), "resume", "resume")

    def step(self, n: int = 1, mode: str = "both") -> None:
        if mode not in ("both", "d", "g"):
            raise RunError("mode must be 'both', 'd' (discriminator only) or 'g' (generator only)")
        if not 1 <= n <= 100_000:
            raise RunError("the number of steps must be between 1 and 100,000")
        self._send(("paused",), "step", "step", n, mode)

    def stop(self) -> None:
        self._send(("loading", "running", "paused"), "stop", "stop")

    def set_optim(self, optim: OptimConfig) -> None:
        if optim.optimizer != self.train_cfg.optim.optimizer:
            raise RunError("switching between Adam and SGD needs a new run (the optimiser state differs)")
        self._send(("loading", "running", "paused"), "change settings", "optim", optim)

    def set_hacks(self, hacks: HackConfig) -> None:
        self._send(("loading", "running", "paused"), "change settings", "hacks", hacks)

    def set_speed(self, steps_per_s: float | None) -> None:
        """Slow training down to at most ``steps_per_s`` (None: as fast as the device goes)."""
        if steps_per_s is not None and not 0.1 <= steps_per_s <= 10_000:
            raise RunError("speed must be between 0.1 and 10,000 steps per second")
        self._send(("loading", "running", "paused"), "change speed", "speed", steps_per_s)

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def close(self) -> None:
        """Stop the run if it is live and wait for its thread (the run is gone afterwards)."""
        with contextlib.suppress(RunError):
            if self._status in ("loading", "running", "paused"):
                self.stop()
        self.join(5)

    def frames(self) -> list[tuple[int, np.ndarray]]:
        """The fixed-seed grid over time (step, grid), for an animated GIF."""
        return list(self._live.frames)

    def full_history(self) -> dict[str, list[float]]:
        return {k: list(v) for k, v in self._live.history.items()}

    # ------------------------------------------------------------------ the thread

    def _set_status(self, status: str) -> None:
        with self._lock:
            self._status = status

    def _main(self) -> None:
        try:
            self._setup()
            self._set_status("running" if self._resume is None or not self._resume.get("paused") else "paused")
            self._publish(message="")
            self._loop()
        except Exception as exc:
            self._set_status("error")
            self._publish(message=f"The run stopped with an error: {exc}", detail=traceback.format_exc())

    def _setup(self) -> None:
        m, t = self.model_cfg, self.train_cfg
        ds = self._dataset or load_dataset(t.dataset, m.image_shape if m.is_image else None, t.seed)
        if m.is_image:
            self.data_x, self.data_y = ds.images.to(self.device), ds.labels.to(self.device)
        else:
            self.data_x, self.data_y = ds.points.to(self.device), None
        self._source = (ds.source, getattr(ds, "fallback", False))
        n = len(ds)
        try:
            self.family.check_run(m, t)
        except ConfigError as exc:
            raise RunError(str(exc)) from exc
        try:
            self.sampler = IndexSampler(n, t.batch_size, t.seed)
        except SamplerError as exc:
            raise RunError(str(exc)) from exc
        self.total_steps = t.max_steps or max(1, math.ceil(t.epochs * self.sampler.steps_per_epoch / t.hacks.d_steps))
        self.state = new_state(m, t.optim, t.hacks, t.seed, self.device)
        fixed_gen = torch.Generator(device=self.device).manual_seed(t.seed + 12345)
        n_fixed = self.family.grid_count(m, t)
        self._fixed = self.family.sample_inputs(m, n_fixed, fixed_gen, t.hacks.z_dist, balanced=True, device=self.device)
        if self._resume is not None:
            self._restore(self._resume)
        st = self.state  # what a blow-up before the first publish rolls back to
        self._live.last_good = (st.step, cpu_copy(st.g), cpu_copy(st.d))

    def _restore(self, ck: dict) -> None:
        st = self.state
        st.g.load_state_dict(ck["g"])
        st.d.load_state_dict(ck["d"])
        if ck.get("opt_g") is not None:
            load_optimizer_state(st.opt_g, ck["opt_g"])
            load_optimizer_state(st.opt_d, ck["opt_d"])
            apply_optim(st, self.train_cfg.optim)
        if st.g_avg is not None:  # no average saved (averaging newly on): start it from the restored G
            st.g_avg.load_state_dict(ck["g_avg"] if ck.get("g_avg") is not None else ck["g"])
        if ck.get("gen") is not None:
            st.gen.set_state(ck["gen"])
        if ck.get("sampler") is not None:
            self.sampler.load_state_dict(ck["sampler"])
        st.step = int(ck.get("step", 0))
        for k, v in ck.get("history", {}).items():
            if k in self._live.history:
                self._live.history[k] = list(v)
        self._live.events = [tuple(e) for e in ck.get("events", [])]
        self.total_steps = max(self.total_steps, st.step)

    def _next_batch(self):
        idx = self.sampler.next().to(self.device)
        return self.data_x[idx], (self.data_y[idx] if self.data_y is not None else None)

    def _apply(self, cmd: tuple) -> None:
        kind = cmd[0]
        st = self.state
        if kind == "pause":
            self._live.pending_steps = 0
            self._set_status("paused")
            self._publish(message="Paused.")
        elif kind == "resume":
            self._live.divergence = None
            self._set_status("running")
            self._live.t_window, self._live.steps_window = time.perf_counter(), 0
            self._publish(message="")
        elif kind == "step":
            self._live.pending_steps += cmd[1]
            self._live.pending_mode = cmd[2]
        elif kind == "stop":
            self._set_status("stopped")
        elif kind == "optim":
            old, new = self.train_cfg.optim, cmd[1]
            apply_optim(st, new)
            self.train_cfg = replace(self.train_cfg, optim=new)
            self._event(_diff(old, new))
        elif kind == "speed":
            self._live.speed, self._live.next_due = cmd[1], time.perf_counter()
        elif kind == "hacks":
            old, new = self.train_cfg.hacks, cmd[1]
            apply_hacks(st, new)
            self.train_cfg = replace(self.train_cfg, hacks=new)
            self._event(_diff(old, new))

    def _event(self, text: str) -> None:
        if text:
            self._live.events.append((self.state.step, text))

    def _loop(self) -> None:
        live = self._live
        live.t_window = time.perf_counter()
        while True:
            block = self._status == "paused" and live.pending_steps == 0
            try:
                while True:
                    self._apply(self._commands.get(block, 0.25) if block else self._commands.get_nowait())
                    block = False
            except queue.Empty:
                pass
            if self._status == "stopped":
                self._publish(message="Stopped. Save it as a checkpoint to keep it, or start a new run.")
                return
            stepping = self._status == "paused" and live.pending_steps > 0
            if self._status != "running" and not stepping:
                continue
            if live.speed and not stepping:  # slowed down: wait for the next slot, still listening
                wait = live.next_due - time.perf_counter()
                if wait > 0:
                    with contextlib.suppress(queue.Empty):
                        self._apply(self._commands.get(True, min(wait, 0.25)))
                    continue
                live.next_due = max(live.next_due + 1 / live.speed, time.perf_counter() - 0.5)
            mode = live.pending_mode if stepping else "both"
            with self.state_lock:
                optim = self.train_cfg.optim
                if optim.lr_decay:
                    apply_optim(self.state, optim, lr_scale(optim, self.state.step, self.total_steps))
                metrics = train_step(self.state, self._next_batch, self.train_cfg.hacks, self.train_cfg.batch_size, mode)
            self._accumulate(metrics)
            live.steps_window += 1
            if stepping:
                live.pending_steps -= 1
            done = self.state.step >= self.total_steps and not stepping
            slow = live.speed is not None and live.speed <= 50  # slowed down: show every step
            due = self.state.step % self.train_cfg.publish_every == 0 or done or slow or (stepping and live.pending_steps == 0)
            if due and not self._publish_checked():
                continue  # diverged: rolled back and paused
            if done:
                self._set_status("finished")
                self._publish(message=f"Finished: {self.state.step:,} steps.")
                return

    def _accumulate(self, metrics: dict[str, torch.Tensor]) -> None:
        live = self._live
        for k, v in metrics.items():
            live.sums[k] = live.sums.get(k, 0.0) + v  # tensors: no sync until publish
        live.count += 1

    def _publish_checked(self) -> bool:
        """Publish the averaged metrics; if they or the weights blew up (:mod:`gancore.divergence`),
        roll back, pause and explain. False if diverged."""
        live, st = self._live, self.state
        means = {k: float(v) / live.count for k, v in live.sums.items()}
        live.sums, live.count = {}, 0
        why = divergence.reason(means, [*st.g.parameters(), *st.d.parameters()])
        if why is not None:
            good = live.last_good
            with self.state_lock:
                if good is not None:
                    st.g.load_state_dict(good[1])
                    st.d.load_state_dict(good[2])
                st.opt_g, st.opt_d = make_optimizers(st.g, st.d, self.model_cfg, self.train_cfg.optim)
                if st.g_avg is not None:  # the average has taken in the NaNs too: restart it from the restored G
                    st.g_avg.load_state_dict(st.g.state_dict())
            bad_step = st.step
            self._event(f"diverged at step {bad_step}; rolled back")
            live.pending_steps = 0
            self._set_status("paused")
            live.divergence = Divergence(bad_step, why, good[0] if good else 0)
            self._publish(message=divergence.message(why, bad_step, live.divergence.rolled_back_to))
            return False
        hist = live.history
        hist["step"].append(float(st.step))
        for k in list(hist)[1:]:
            hist[k].append(means.get(k, math.nan))
        live.last_good = (st.step, cpu_copy(st.g), cpu_copy(st.d))
        self._publish(message="")
        return True

    def _render_fixed(self) -> np.ndarray:
        g = self.state.sampling_g
        was_training = g.training
        g.eval()
        try:
            with torch.inference_mode():
                out = self.family.generate(g, self._fixed)
        finally:
            g.train(was_training)
        return to_uint8_grid(out) if self.model_cfg.is_image else out.float().cpu().numpy()

    def _publish(self, message: str, detail: str = "") -> None:
        live = self._live
        now = time.perf_counter()
        elapsed = now - live.t_window
        if elapsed > 0.5 and live.steps_window:
            live.rate = live.steps_window / elapsed
            live.t_window, live.steps_window = now, 0
        grid = None
        if self.state is not None:
            with self.state_lock:
                grid = self._render_fixed()
                if self.model_cfg.is_image and (not live.frames or live.frames[-1][0] != self.state.step):
                    live.frames.append((self.state.step, grid))
                    if len(live.frames) > MAX_FRAMES:
                        del live.frames[1::2]  # thin evenly, keep the first frame
                if self.family.tiny or live.g_copy is None or now - live.g_copy_time > 1.0 or self._status != "running":
                    live.g_copy, live.g_copy_time = (self.state.step, cpu_copy(self.state.sampling_g)), now
        self.snapshot = self._make_snapshot(message, grid, detail)

    def _make_snapshot(self, message: str, grid=None, detail: str = "") -> Snapshot:
        live, st = self._live, self.state
        self._version += 1
        step = st.step if st else 0
        t = self.train_cfg
        examples = live.rate * t.batch_size * t.hacks.d_steps
        eta = (self.total_steps - step) / live.rate if live.rate > 0 and self._status == "running" else None
        spe = self.sampler.steps_per_epoch if self.sampler else 1
        return Snapshot(
            run_id=self.run_id,
            version=self._version,
            status=self._status,
            step=step,
            total_steps=self.total_steps,
            epoch=step * t.hacks.d_steps / max(1, spe),
            examples_per_s=examples,
            eta_s=eta,
            history={k: downsample(v) for k, v in live.history.items()},
            events=tuple(live.events),
            grid=grid,
            message=message,
            model_cfg=self.model_cfg,
            train_cfg=t,
            data_source=self._source[0],
            data_fallback=self._source[1],
            device=str(self.device),
            g_state=live.g_copy[1] if live.g_copy else None,
            g_state_step=live.g_copy[0] if live.g_copy else 0,
            d_state=cpu_copy(st.d) if st is not None and self.family.tiny else None,
            detail=detail,
            divergence=live.divergence,
        )

    # ------------------------------------------------------------------ checkpoint support

    def export_state(self) -> dict:
        """A consistent copy of everything a checkpoint needs, taken between two steps."""
        if self.state is None:
            raise RunError("the run has not finished loading yet")
        with self.state_lock:
            st = self.state
            return {
                "g": cpu_copy(st.g),
                "g_avg": cpu_copy(st.g_avg) if st.g_avg is not None else None,
                "d": cpu_copy(st.d),
                "opt_g": _cpu_opt(st.opt_g.state_dict()),
                "opt_d": _cpu_opt(st.opt_d.state_dict()),
                "gen": st.gen.get_state().cpu(),
                "sampler": self.sampler.state_dict(),
                "step": st.step,
                "history": self.full_history(),
                "events": list(self._live.events),
            }


def _cpu_opt(sd: dict) -> dict:
    state = {k: {n: (v.detach().cpu().clone() if torch.is_tensor(v) else v) for n, v in s.items()} for k, s in sd["state"].items()}
    return {"state": state, "param_groups": sd["param_groups"]}


def _diff(old, new) -> str:
    """'lr_g 0.0002→0.001, loss minimax→non_saturating' for the chart's event markers."""
    parts = []
    for f in old.__dataclass_fields__:
        a, b = getattr(old, f), getattr(new, f)
        if a != b:
            parts.append(f"{f} {a}→{b}")
    return ", ".join(parts)
