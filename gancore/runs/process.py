"""Training runs in their own process, so a page redrawing never steals the training loop's GIL.

A :class:`TrainingRun` thread inside the Streamlit server shares the GIL with every page that
redraws: measured on 2 cores, the MLP GAN fell from 85 steps/s to 6, and a toy GAN from ~800
to ~30. :class:`ProcessRun` satisfies the same :class:`gancore.runs.protocol.Run` protocol but runs the
TrainingRun in a child process:

* commands are remote calls over a pipe, answered by the child's own TrainingRun, so their
  checks and errors are exactly the thread version's; the calls (and ProcessRun's forwarders)
  are the protocol's ``@remote`` methods, not a list kept by hand;
* snapshots flow back on a second pipe through a latest-only mailbox: the training loop never
  waits for the parent, and G's weights travel only when they changed;
* a :class:`gancore.runs.pool.WarmPool` keeps one child started ahead (torch imported, lazy imports paid), so
  Start answers in well under a second instead of the ~8 s a cold ``import torch`` takes.

Messages are pickled by value (our own processes on both ends; no shared-memory handles).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import threading
import time
from dataclasses import replace
from multiprocessing.connection import Connection

import torch

from gancore.base.config import ModelConfig, TrainConfig
from gancore.base.device import warm_up
from gancore.base.errors import RunError
from gancore.base.i18n import _, phrase
from gancore.data import sampler
from gancore.io.runstate import RunState
from gancore.models import catalog
from gancore.runs.engine import TrainingRun
from gancore.runs.pool import WarmPool
from gancore.runs.protocol import RemoteReads, add_forwarders, answer
from gancore.runs.publisher import loading
from gancore.runs.snapshot import LOST_KEPT, Snapshot, Status, dumps, keep_weights, without_known_weights

# ----------------------------------------------------------------------------- child side


class _Mailbox:
    """Holds the newest snapshot for a sender thread: the training loop never blocks on IPC."""

    def __init__(self, conn) -> None:
        self.conn, self.cond, self.latest, self.closed = conn, threading.Condition(), None, False
        self.sent_g_step: int | None = None
        threading.Thread(target=self._send_loop, name="snapshot-sender", daemon=True).start()

    def put(self, snap: Snapshot) -> None:
        with self.cond:
            self.latest = snap
            self.cond.notify()

    def _send_loop(self) -> None:
        while True:
            with self.cond:
                while self.latest is None and not self.closed:
                    self.cond.wait()
                if self.latest is None:
                    return
                snap, self.latest = self.latest, None
            snap, self.sent_g_step = without_known_weights(snap, self.sent_g_step, catalog.of(snap.model_cfg).tiny), snap.g_state_step
            try:
                self.conn.send_bytes(dumps(snap))
            except (OSError, ValueError):
                return


class ChildRun(TrainingRun):
    mailbox: _Mailbox | None = None

    def _publish(self, message: str, detail: str = "") -> None:
        super()._publish(message, detail)
        if self.mailbox is not None:
            self.mailbox.put(self.snapshot)


TRAINING_NICE = 10  # below the server: a page waiting for an answer goes before a training step


def _child_main(jobs, snaps) -> None:
    """The child process: warm up, wait for a run, then answer remote calls until closed.

    It lowers its own priority first: on a machine the server shares with training (a
    classroom's two cores), a slider's redraw must not queue behind a step that can wait."""
    with contextlib.suppress(OSError):
        os.nice(TRAINING_NICE)
    warm_up()
    with contextlib.suppress(Exception):  # most runs use the default data: have it parsed already
        sampler.load_dataset("mnist", (1, 28, 28), 0)
    try:
        job = pickle.loads(jobs.recv_bytes())
    except (EOFError, OSError):
        return
    if job[0] != "run":  # a spare worker closed unused
        return
    _skip, run_id, model_cfg, train_cfg, device, resume, paused = job
    if catalog.of(model_cfg).tiny:  # tiny nets gain nothing from a second thread; leave it to the page
        torch.set_num_threads(1)
    run = ChildRun(run_id, model_cfg, train_cfg, device=torch.device(device), resume=resume, paused=paused)
    run.mailbox = _Mailbox(snaps)
    run.mailbox.put(run.snapshot)
    run.start()
    while True:
        try:
            name, args = pickle.loads(jobs.recv_bytes())
        except (EOFError, OSError):
            name, args = "close", ()
        if name == "close":
            with contextlib.suppress(RunError):
                run.stop()
            run.join(5)
            time.sleep(0.1)  # let the last snapshot go out
            return
        jobs.send_bytes(dumps(answer(run, name, args)))


# ----------------------------------------------------------------------------- parent side


@add_forwarders
class ProcessRun(RemoteReads):
    """The TrainingRun API, with the training in a child process (see the module docstring)."""

    def __init__(
        self,
        run_id: str,
        model_cfg: ModelConfig,
        train_cfg: TrainConfig,
        *,
        device,
        resume: RunState | None = None,
        pool: WarmPool,
        paused: bool = False,
    ) -> None:
        self.run_id, self.model_cfg, self.device = run_id, model_cfg, device
        self._resume, self._pool, self._worker, self._paused = resume, pool, None, paused
        self._rpc = threading.Lock()
        self._kept: dict = {}  # an ended run's state, frames and history, read once from its process
        self._harvested = threading.Event()
        self.snapshot = loading(run_id, model_cfg, train_cfg, str(device), catalog.of(model_cfg).metrics)

    @property
    def status(self) -> Status:
        return self.snapshot.status

    @property
    def train_cfg(self) -> TrainConfig:
        return self.snapshot.train_cfg

    @property
    def alive(self) -> bool:
        return self._worker is not None and self._worker.alive and self.status.live

    def start(self) -> None:
        if self._worker is not None:
            raise RunError(_("this run has already been started"))
        self._worker = self._pool.take()
        job = ("run", self.run_id, self.model_cfg, self.snapshot.train_cfg, str(self.device), self._resume, self._paused)
        self._worker.jobs.send_bytes(pickle.dumps(job))
        self._resume = None
        threading.Thread(target=self._receive, name=f"gan-run-{self.run_id}", daemon=True).start()

    def _receive(self) -> None:
        conn = self._worker.snaps
        while True:
            try:
                snap = pickle.loads(conn.recv_bytes())
            except (EOFError, OSError):
                break
            self.snapshot = keep_weights(self.snapshot, snap)
            if not self.snapshot.status.live:
                self._harvest()
                return
        self._harvested.set()
        if self.snapshot.status.live:  # the child died without saying goodbye
            code = self._worker.proc.poll()
            self.snapshot = replace(
                self.snapshot,
                status=Status.LOST,
                message=phrase("The training process stopped unexpectedly (exit code {code}). {kept}", code=code, kept=LOST_KEPT),
            )

    def _call(self, name: str, *args, timeout: float = 30.0):
        if self._worker is None:
            raise RunError(_("the run has not been started"))
        with self._rpc:
            try:
                self._worker.jobs.send_bytes(pickle.dumps((name, args)))
                if not self._worker.jobs.poll(timeout):
                    raise RunError(_("the training process does not answer; remove this run and start a new one"))
                kind, value = pickle.loads(self._worker.jobs.recv_bytes())
            except (EOFError, OSError, BrokenPipeError) as exc:
                raise RunError(
                    _("the training process has ended ({status}); save it or start a new run").format(status=self.status)
                ) from exc
        if kind == "err":
            raise RunError(value)
        return value

    def _harvest(self) -> None:
        """The run ended (finished, stopped, failed): keep what saving and the pages need here and
        end its process. A classroom's thirty finished runs would otherwise hold ~700 MB each."""
        for name in ("export_state", "frames", "full_history"):
            with contextlib.suppress(RunError):
                self._kept[name] = self._call(name, timeout=120)
        self._harvested.set()
        self._worker.close()

    def close(self) -> None:
        """Stop the run and end its process (the run is gone afterwards)."""
        self._harvested.set()
        if self._worker is not None:
            self._worker.close()


if __name__ == "__main__":  # the child: python -m gancore.runs.process JOBS_FD SNAPSHOTS_FD
    _child_main(Connection(int(sys.argv[1])), Connection(int(sys.argv[2])))
