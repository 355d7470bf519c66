"""What the 2D lab shows of a run's snapshot, computed once per version and kept for whoever asks:
the page (its numbers, the interactive plane when paused) and the picture route
(``ui/toy/plane_route.py``, which the browser's canvas polls while the run trains).

Plain thread-safe caches, not ``st.cache_resource``: the route answers outside any script run.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import torch

from gancore.base import device
from gancore.base.i18n import _, use_language
from gancore.data import points2d
from gancore.toy import frames
from ui.toy import plan


class Recent:
    """The ``size`` most recently used values, each made once by its key's maker (callers of one
    key that is being made wait for it instead of making it again)."""

    def __init__(self, size: int) -> None:
        self.size, self.lock = size, threading.Lock()
        self.values: OrderedDict[Hashable, object] = OrderedDict()
        self.making: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, make: Callable[[], object]):
        with self.lock:
            if key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
            mine = self.making.setdefault(key, threading.Lock())
        with mine:
            with self.lock:
                if key in self.values:
                    return self.values[key]
            value = make()
            with self.lock:
                self.values[key] = value
                self.making.pop(key, None)
                while len(self.values) > self.size:
                    self.values.popitem(last=False)
            return value


POINTS, DENSITY = Recent(16), Recent(16)  # per dataset: fixed while a run lives
NEWEST: OrderedDict[str, tuple[Hashable, int, tuple]] = OrderedDict()  # run id -> (set-up, version, view) last made
NEWEST_KEPT, NEWEST_LOCK = 64, threading.Lock()
NETWORKS = Recent(64)  # per run: a class of 30 fits, a few kB each
FRAMES, PLANS = Recent(64), Recent(64)  # per snapshot version (and layers, language)


def points_of(dataset: str, seed: int) -> points2d.PointData:
    """The run's data, read once (a CSV can hold 200,000 rows; the picture redraws 4 times a second)."""
    return POINTS.get((dataset, seed), lambda: points2d.load_points(dataset, seed=seed))


def density(dataset: str, seed: int):
    """The view box and p_data on its grid: fixed for a dataset, so computed once."""

    def make():
        data = points_of(dataset, seed)
        box = frames.bounds(data.points, torch.zeros(1, 2), margin=0.1)  # square: a little room around the larger extent
        return box, frames.data_density(data, box)

    return DENSITY.get((dataset, seed), make)


def view(run_id: str, snap):
    """(data, box, frame) of one snapshot: everything its picture and numbers need."""

    def make():
        data = points_of(snap.train_cfg.dataset, snap.train_cfg.seed)
        box, p_data = density(snap.train_cfg.dataset, snap.train_cfg.seed)
        nets = NETWORKS.get((run_id, repr(snap.model_cfg)), lambda: frames.Networks(snap.model_cfg))
        with device.one_thread(), nets.lock:
            g, d = nets.load(snap.train_cfg.hacks, snap.g_state, snap.d_state)
            made = data, box, frames.frame(snap.model_cfg, snap.train_cfg.hacks, g, d, data, box, p_data=p_data)
        with NEWEST_LOCK:
            kept = NEWEST.get(run_id)
            if kept is None or kept[0] != _setup(snap) or kept[1] < snap.version:
                NEWEST[run_id] = (_setup(snap), snap.version, made)
                NEWEST.move_to_end(run_id)
                while len(NEWEST) > NEWEST_KEPT:
                    NEWEST.popitem(last=False)
        return made

    return FRAMES.get((run_id, snap.version), make)


def _setup(snap) -> Hashable:
    """What a run's pictures depend on besides its weights: a reset with another network or data
    starts its versions again."""
    return repr(snap.model_cfg), snap.train_cfg.dataset, snap.train_cfg.seed


def recent_view(run_id: str, snap, versions: int = 5):
    """A view of the run at most ``versions`` snapshots older than ``snap`` (about a second of
    training) while it trains, as made for whoever asked first, else ``snap``'s own (paused, a step
    of D or G must show its own numbers). The numbers under the plane,
    redrawn once a second, read the frame the canvas's picture route made a moment before instead
    of making one more: at 30 students the frames were the bulk of the server's CPU, and the
    numbers' own were a quarter of them."""
    with NEWEST_LOCK:
        kept = NEWEST.get(run_id)
    if snap.training and kept is not None and kept[0] == _setup(snap) and snap.version - versions <= kept[1] <= snap.version:
        return kept[2]
    return view(run_id, snap)


def plane_plan(run_id: str, snap, layers: tuple[str, ...], lang: str) -> plan.Plan:
    """The picture of one snapshot with these layers, its words in ``lang``, laid out once."""

    def make():
        data, box, fr = view(run_id, snap)
        with use_language(lang):
            return plan.plan(fr, data.points, set(layers), box)

    return PLANS.get((run_id, snap.version, tuple(sorted(layers)), lang), make)


def step_label(step: int, lang: str) -> str:
    """The picture's name for a screen reader, in ``lang``."""
    with use_language(lang):
        return _("The plane at step {step:,}").format(step=step)
