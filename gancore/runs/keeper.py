"""What keeps a class's runs through a restart and through owners leaving.

* :class:`Keeper` writes each run's state to disk as it trains (atomically, a checkpoint per run,
  every ``every_s`` seconds when its step moved, and at shutdown), outside every quota. A server
  started again on the same folder finds those files and gives each back to its owner — the
  first time a session with the same token (the browser's cookie) asks for anything — paused at
  the step last kept. A file records a hash of the owner's token, never the token.
* :class:`Upkeep` is the registry's side of it, and of owners who leave: a thread pauses their
  runs, then saves (``on_expire``) and removes them; a run whose save failed is kept, paused,
  with a label that says so, and tried again at the next round.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from gancore.base.errors import CheckpointError, ConfigError, DataError, RegistryFull, RunError
from gancore.io import checkpoints, savedfiles
from gancore.runs.presence import Away

LOG = logging.getLogger("gancore.runs.keeper")
UNSAVED = " (kept here: its autosave failed)"


@dataclass
class Keeper:
    """Run states on disk in ``folder`` (see the module doc); ``every_s`` between two keeps."""

    folder: Path
    every_s: float = 60.0
    _kept: dict[str, int] = field(default_factory=dict)  # run id -> step last written
    _waiting: dict[str, list[Path]] = field(default_factory=dict)  # owner tag -> files of an earlier server
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        if not self.folder.is_dir():
            return
        savedfiles.clean_up(self.folder)  # the autosaves' rule: a week, then the oldest
        for path, meta in checkpoints.list_checkpoints(self.folder):
            tag = meta.get("owner")
            if isinstance(tag, str):
                self._waiting.setdefault(tag, []).append(path)

    def path(self, run_id: str) -> Path:
        return self.folder / f"run-{run_id}.safetensors"

    def keep(self, run_id: str, owner: str, label: str, run) -> bool:
        """Write the run's state if its step moved since the last write; True when written."""
        step = run.snapshot.step
        if step <= 0 or self._kept.get(run_id) == step or run.status.failed:
            return False
        try:
            state = run.export_state()
        except RunError:  # still loading, or its process just ended: next round
            return False
        extra = {"owner": savedfiles.owner_tag(owner), "label": label[:200], "run_id": run_id}
        checkpoints.save(self.path(run_id), state, run.model_cfg, run.train_cfg, dataset=run.train_cfg.dataset, extra=extra)
        self._kept[run_id] = int(state.step)
        return True

    def forget(self, run_id: str) -> None:
        """The run is gone on purpose (removed, or autosaved): its kept state too."""
        self._kept.pop(run_id, None)
        for p in (self.path(run_id), self.path(run_id).with_suffix(".json")):
            p.unlink(missing_ok=True)

    def claim(self, token: str) -> list[checkpoints.Checkpoint]:
        """The kept runs of this token's owner from before the restart (each file once)."""
        if not self._waiting:
            return []
        with self._lock:
            paths = self._waiting.pop(savedfiles.owner_tag(token), [])
        found = []
        for path in paths:
            try:
                found.append(checkpoints.load(path))
            except CheckpointError:
                LOG.warning("a kept run state cannot be read and is skipped: %s", path.name)
        return found

    def put_back(self, token: str, path: Path) -> None:
        with self._lock:
            self._waiting.setdefault(savedfiles.owner_tag(token), []).append(path)


class Upkeep:
    """The registry's upkeep threads (mixed into :class:`gancore.runs.registry.Registry`)."""

    def _start_upkeep(self) -> None:
        if self.reap_every_s > 0:
            threading.Thread(target=self._every, args=(self.reap_every_s, self.reap), name="gan-reaper", daemon=True).start()
        if self.keeper is not None:
            threading.Thread(target=self._every, args=(self.keeper.every_s, self.keep_all), name="gan-keeper", daemon=True).start()
        threading.Thread(target=self._every, args=(0.5, self.admit), name="gan-line", daemon=True).start()

    def _every(self, seconds: float, job) -> None:
        while not self._stop.wait(seconds):
            try:
                job()
            except Exception:
                LOG.exception("%s failed", job.__name__)

    def keep_all(self) -> int:
        """Write every run's state whose step moved (the keeper's round; also at shutdown)."""
        with self._lock:
            items = list(self._runs.items())
        written = 0
        for rid, e in items:
            try:
                written += self.keeper.keep(rid, e.owner, e.label, e.run)
            except (CheckpointError, OSError):
                LOG.exception("could not keep the state of run %s", rid)
        return written

    def give_back(self, token: str) -> None:
        """After a restart: this owner's kept runs, recreated paused at their kept step."""
        for ck in self.keeper.claim(token):
            label, run_id = str(ck.meta.get("label") or ck.name), str(ck.meta.get("run_id") or "")
            try:
                self.create(token, ck.model_cfg, ck.train_cfg, label=label, resume=ck.start_state(), paused=True, run_id=run_id)
            except RegistryFull:
                self.keeper.put_back(token, ck.path)  # no room now: at the next visit
            except (ConfigError, DataError, RunError) as exc:
                LOG.warning("a kept run cannot be restarted (%s): %s", exc, ck.path.name)

    def reap(self) -> tuple[list[str], list[str]]:
        """Pause the training runs of owners away too long; save (``on_expire``) and remove the
        runs of owners gone; a run whose save fails stays, paused. Returns (paused, removed) ids."""
        with self._lock:
            items = list(self._runs.items())
        paused, removed = [], []
        for rid, e in items:
            verdict = self.presence.verdict(e.owner)
            if verdict is Away.PAUSE and e.run.status.training:
                with contextlib.suppress(RunError):
                    e.run.pause()
                    paused.append(rid)
            elif verdict is Away.REMOVE:
                if self.on_expire is not None:
                    try:
                        self.on_expire(e.owner, e.label, e.run)
                    except Exception:  # never lose the work: keep the run, paused, and say so
                        LOG.exception("could not save run %s of an owner who left; it is kept", rid)
                        with contextlib.suppress(RunError):
                            e.run.pause()
                        e.label = e.label if e.label.endswith(UNSAVED) else e.label + UNSAVED
                        continue
                with self._lock:
                    self._runs.pop(rid, None)
                if self.keeper is not None:
                    self.keeper.forget(rid)
                e.run.close()
                removed.append(rid)
        return paused, removed
