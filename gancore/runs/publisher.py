"""A run's record and the snapshots made from it: metrics averaged between publishes, the loss
history, the change events, the grid's frames over time, the measured speed and G's last copy.

Owned by the run's thread; pages only ever see the immutable :class:`Snapshot` it builds.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import torch

from gancore.base.arrays import to_uint8_grid
from gancore.base.config import ModelConfig, TrainConfig
from gancore.base.i18n import N_
from gancore.runs.snapshot import Divergence, Snapshot, Status, downsample, history_keys

MAX_FRAMES = 120


def fixed_picture(family, g: torch.nn.Module, fixed: dict[str, torch.Tensor], is_image: bool) -> np.ndarray:
    """G's output for the run's fixed inputs, in eval mode: a uint8 grid of images, or the points."""
    was_training = g.training
    g.eval()
    try:
        with torch.inference_mode():
            out = family.picture(g, fixed)
    finally:
        g.train(was_training)
    return to_uint8_grid(out) if is_image else out.float().cpu().numpy()


@dataclass
class RunFacts:
    """What a snapshot says beside the record: where the run is and what it is."""

    run_id: str
    status: Status
    step: int
    total_steps: int
    steps_per_epoch: int
    model_cfg: ModelConfig
    train_cfg: TrainConfig
    device: str
    data_source: str = ""
    data_fallback: bool = False
    node: str = ""


@dataclass
class Publisher:
    """The run's record (:meth:`record`, :meth:`event`, :meth:`frame`) and its speed window."""

    family_metrics: tuple[str, ...] = ()
    history: dict[str, list[float]] = field(default_factory=dict)
    events: list[tuple[int, str]] = field(default_factory=list)
    frames: list[tuple[int, np.ndarray]] = field(default_factory=list)
    sums: dict[str, torch.Tensor | float] = field(default_factory=dict)
    count: int = 0
    g_copy: tuple[int, dict] | None = None
    g_copy_time: float = 0.0
    t_window: float = field(default_factory=time.perf_counter)
    steps_window: int = 0
    rate: float = 0.0  # steps per second, measured over windows of at least half a second
    version: int = 0

    def __post_init__(self) -> None:
        if not self.history:
            self.history = {k: [] for k in history_keys(self.family_metrics)}

    # ------------------------------------------------------------------ between publishes

    def accumulate(self, metrics: dict[str, torch.Tensor]) -> None:
        """Add one step's metrics (tensors: no device sync until :meth:`take_means`)."""
        for k, v in metrics.items():
            self.sums[k] = self.sums.get(k, 0.0) + v
        self.count += 1
        self.steps_window += 1

    def take_means(self) -> dict[str, float]:
        """The window's averaged metrics; the window starts afresh."""
        means = {k: float(v) / self.count for k, v in self.sums.items()} if self.count else {}
        self.sums, self.count = {}, 0
        return means

    def record(self, step: int, means: dict[str, float]) -> None:
        """One point of every history series (NaN where the window lacks a metric)."""
        self.history["step"].append(float(step))
        for k in list(self.history)[1:]:
            self.history[k].append(means.get(k, math.nan))

    def event(self, step: int, text: str) -> None:
        if text:
            self.events.append((step, text))

    def frame(self, step: int, grid: np.ndarray) -> None:
        """Keep the grid of ``step`` for the animation: at most MAX_FRAMES, thinned evenly, first kept."""
        if not self.frames or self.frames[-1][0] != step:
            self.frames.append((step, grid))
            if len(self.frames) > MAX_FRAMES:
                del self.frames[1::2]

    def restart_window(self) -> None:
        self.t_window, self.steps_window = time.perf_counter(), 0

    def measure_rate(self, now: float) -> None:
        elapsed = now - self.t_window
        if elapsed > 0.5 and self.steps_window:
            self.rate = self.steps_window / elapsed
            self.t_window, self.steps_window = now, 0

    def full_history(self) -> dict[str, list[float]]:
        return {k: list(v) for k, v in self.history.items()}

    # ------------------------------------------------------------------ the snapshot

    def snapshot(
        self, facts: RunFacts, message: str, grid=None, detail: str = "", divergence: Divergence | None = None, d_state=None
    ) -> Snapshot:
        """The one place a Snapshot is built (the worker's first one too, via :func:`loading`)."""
        self.version += 1
        t = facts.train_cfg
        running = facts.status is Status.RUNNING
        return Snapshot(
            run_id=facts.run_id,
            version=self.version,
            status=facts.status,
            step=facts.step,
            total_steps=facts.total_steps,
            epoch=facts.step * t.hacks.d_steps / max(1, facts.steps_per_epoch),
            examples_per_s=self.rate * t.batch_size * t.hacks.d_steps,
            eta_s=(facts.total_steps - facts.step) / self.rate if self.rate > 0 and running else None,
            history={k: downsample(v) for k, v in self.history.items()},
            events=tuple(self.events),
            grid=grid,
            message=message,
            model_cfg=facts.model_cfg,
            train_cfg=t,
            data_source=facts.data_source,
            data_fallback=facts.data_fallback,
            device=facts.device,
            g_state=self.g_copy[1] if self.g_copy else None,
            g_state_step=self.g_copy[0] if self.g_copy else 0,
            d_state=d_state,
            detail=detail,
            divergence=divergence,
            node=facts.node,
            frames=len(self.frames),
        )


LOADING_MESSAGE = N_("Loading data and building the networks…")  # shown translated: i18n.shown


def loading(run_id: str, model_cfg: ModelConfig, train_cfg: TrainConfig, device: str, family_metrics: tuple[str, ...] = ()) -> Snapshot:
    """A run's first snapshot, before its data and networks exist."""
    facts = RunFacts(run_id, Status.LOADING, 0, 0, 1, model_cfg, train_cfg, device)
    return Publisher(family_metrics).snapshot(facts, LOADING_MESSAGE)
