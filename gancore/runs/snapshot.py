"""What a page may read about a run: an immutable snapshot, and the helpers that fill it."""

from __future__ import annotations

import io
import pickle
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import torch

from gancore.base.config import ModelConfig, TrainConfig
from gancore.base.i18n import N_, _

HISTORY_KEYS = ("d_loss", "g_loss", "d_real", "d_fake")  # every family's; a family adds its own (Family.metrics)


def history_keys(family_metrics: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The series a run records: 'step', the four every GAN has, then the family's own."""
    return ("step", *HISTORY_KEYS, *family_metrics)


MAX_PLOT_POINTS = 400
LOST_KEPT = N_(
    "Its last samples and G are kept here: explore them on the Explore pages, or start a new run "
    "(a saved checkpoint resumes where it was saved)."
)


class Status(StrEnum):
    """Where a run is in its life: loading -> running <-> paused -> finished / stopped / error / lost."""

    LOADING = "loading"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"  # reached its last step
    STOPPED = "stopped"  # stopped by its owner
    ERROR = "error"  # failed; the message says why
    LOST = "lost"  # the process or cluster node training it went away; the last snapshot is kept

    @property
    def live(self) -> bool:
        """Still steerable: loading, running or paused."""
        return self in (Status.LOADING, Status.RUNNING, Status.PAUSED)

    @property
    def training(self) -> bool:
        """Taking steps (or about to): loading or running."""
        return self in (Status.LOADING, Status.RUNNING)

    @property
    def ended(self) -> bool:
        return not self.live

    @property
    def failed(self) -> bool:
        """Ended by an error or a lost trainer, not by its owner or its last step."""
        return self in (Status.ERROR, Status.LOST)

    @property
    def words(self) -> str:
        """The status as a person reads it, in the current language."""
        return _(STATUS_WORDS[self])


STATUS_WORDS = {
    Status.LOADING: N_("loading"),
    Status.RUNNING: N_("running"),
    Status.PAUSED: N_("paused"),
    Status.FINISHED: N_("finished"),
    Status.STOPPED: N_("stopped"),
    Status.ERROR: N_("error"),
    Status.LOST: N_("lost"),
}


@dataclass(frozen=True)
class Divergence:
    """Why a run was paused by the divergence guard (:mod:`gancore.runs.divergence`)."""

    step: int  # where it blew up
    reason: str  # e.g. "D's loss reached 5.43e+08 (healthy losses stay within a few tens)"
    rolled_back_to: int  # the step whose weights were restored


@dataclass(frozen=True)
class Snapshot:
    """What a page may read about a run: an immutable picture taken between two steps."""

    run_id: str
    version: int
    status: Status
    step: int
    total_steps: int
    epoch: float
    examples_per_s: float
    eta_s: float | None
    history: dict[str, tuple[float, ...]]  # history_keys(): 'step', the losses, the family's series; downsampled
    events: tuple[tuple[int, str], ...]  # (step, what changed) for live edits
    grid: np.ndarray | None  # (n, H, W, C) uint8 fixed-seed samples, or (n, 2) float points
    message: str
    model_cfg: ModelConfig
    train_cfg: TrainConfig
    data_source: str
    data_fallback: bool
    device: str
    g_state: dict[str, torch.Tensor] | None = None  # a CPU copy of G for exploration
    g_state_step: int = 0
    d_state: dict[str, torch.Tensor] | None = None  # toy runs only: D for the heatmap
    detail: str = ""
    divergence: Divergence | None = None  # set while a run is paused by the divergence guard
    node: str = ""  # the machine it trains on (its host name)
    frames: int = 0  # how many grids the run keeps for its animation (Run.frames() fetches them)

    @property
    def where(self) -> str:
        """'node · device', e.g. 'gpu-2 · cuda:0'."""
        return " · ".join(x for x in (self.node, self.device) if x)

    @property
    def progress(self) -> float:
        return min(1.0, self.step / self.total_steps) if self.total_steps else 0.0

    @property
    def live(self) -> bool:
        return self.status.live

    @property
    def training(self) -> bool:
        """Steps are being taken (or about to be): not paused, finished, stopped or failed."""
        return self.status.training


def without_known_weights(snap: Snapshot, have_g_step: int | None, tiny: bool) -> Snapshot:
    """``snap`` to send to a process that already holds G's weights of step ``have_g_step``:
    without them when they are unchanged (:func:`keep_weights` puts them back there); tiny nets
    always travel whole."""
    if snap.g_state is not None and snap.g_state_step == have_g_step and not tiny:
        return replace(snap, g_state=None)
    return snap


def keep_weights(prev: Snapshot, new: Snapshot) -> Snapshot:
    """``new`` as received from another process, which leaves G out when it is unchanged since
    the last one sent: put the copy we already hold back in."""
    if new.g_state is None and prev.g_state is not None and new.g_state_step == prev.g_state_step:
        return replace(new, g_state=prev.g_state)
    return new


def downsample(values: list[float], n: int = MAX_PLOT_POINTS) -> tuple[float, ...]:
    """At most ``n`` points: bucket means, so spikes still move the curve. NaNs (a metric a step
    did not produce) are left out of their bucket's mean; a bucket of only NaNs stays NaN."""
    if len(values) <= n:
        return tuple(values)
    arr = np.asarray(values, dtype=np.float64)
    starts = np.linspace(0, len(arr), n + 1).astype(int)[:-1]  # strictly increasing: len > n
    finite = ~np.isnan(arr)
    sums = np.add.reduceat(np.where(finite, arr, 0.0), starts)
    counts = np.add.reduceat(finite.astype(np.int64), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        return tuple((sums / counts).tolist())


class _NumpyPickler(pickle.Pickler):
    def reducer_override(self, obj):
        if type(obj) is torch.Tensor and obj.device.type == "cpu" and not obj.requires_grad and obj.dtype != torch.bfloat16:
            return torch.from_numpy, (obj.resolve_conj().resolve_neg().numpy(),)
        return NotImplemented  # everything else as pickle does it


def dumps(message) -> bytes:
    """A message between our own processes (a snapshot, a call's answer), its CPU tensors as numpy
    arrays: ``pickle.loads`` of torch's own tensor format took 489 µs per toy snapshot, of numpy's
    47 µs, and a server receives 150 toy snapshots a second from a class of 30."""
    out = io.BytesIO()
    _NumpyPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(message)
    return out.getvalue()
