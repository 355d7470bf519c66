"""Every 2D toy run of a server in a toy host process or two: thirty students train at once.

A toy GAN has a few thousand parameters, yet a process of its own (~750 MB: an interpreter with
torch) and a training slot each left 28 of a class of 30 refused at step 1. A :class:`ToyHost`
child holds toy runs as :class:`TrainingRun` objects stepped in turn by one thread
(:class:`gancore.runs.turns.Turns`, one torch thread); :func:`host_count` hosts share a class
(the least busy one takes a new run), and toy runs hold no slot of the image runs' cap. Each run
keeps every control of the lab:
the same TrainingRun answers the same calls (:func:`gancore.runs.protocol.answer`), so pause, Step
D / G with narration, speed, live edits and exports work as in a process of its own, and a run's
losses are those of a run of the same seed anywhere at one thread.

* Calls carry their run's id over a host's jobs channel (its lock takes them in turn); snapshots
  come back on a second channel, the newest per run, sent by one thread and handed to their run.
* A run that ends keeps its state, frames and history here and is dropped from its host.
* A host that dies makes its runs :attr:`Status.LOST` (the last snapshot kept); the next toy run
  placed there starts a new one.
"""

from __future__ import annotations

import contextlib
import itertools
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
from gancore.io.runstate import RunState
from gancore.models import catalog
from gancore.runs.pool import Worker
from gancore.runs.process import ChildRun
from gancore.runs.protocol import RemoteReads, add_forwarders, answer
from gancore.runs.publisher import loading
from gancore.runs.snapshot import LOST_KEPT, Snapshot, Status, dumps, keep_weights, without_known_weights
from gancore.runs.turns import Turns

# Below the server and below the image runs (nice 10): toy runs stepped together need about a fifth of
# a core for 30 students, and beside the teacher's run they took its pace (31% of alone at N = 30).
TOY_NICE = 15
SEND_EVERY = 0.2  # seconds between two rounds of snapshots: a canvas asks every 200 ms after an answer

# ----------------------------------------------------------------------------- child side


class _Outbox:
    """The newest snapshot of each run, sent by one thread at most every :data:`SEND_EVERY` seconds
    per round: runs stepped together publish far more often than a canvas asks (30 runs made 39
    steps/s each, 230 snapshots/s, and unpickling them cost the server its pictures' time)."""

    def __init__(self, conn) -> None:
        self.conn, self.cond = conn, threading.Condition()
        self.latest: dict[str, Snapshot] = {}
        self.sent_g: dict[str, int | None] = {}
        threading.Thread(target=self._send_loop, name="toy-snapshots", daemon=True).start()

    def put(self, run_id: str, snap: Snapshot) -> None:
        with self.cond:
            self.latest[run_id] = snap
            self.cond.notify()

    def _send_loop(self) -> None:
        while True:
            with self.cond:
                while not self.latest:
                    self.cond.wait()
                batch, self.latest = self.latest, {}
            for run_id, snap in batch.items():
                slim = without_known_weights(snap, self.sent_g.get(run_id), True)
                self.sent_g[run_id] = snap.g_state_step
                try:
                    self.conn.send_bytes(dumps((run_id, slim)))
                except (OSError, ValueError):
                    return
            time.sleep(SEND_EVERY)  # what is published meanwhile waits; only each run's newest goes


class _Slot:
    """One run's mailbox on the shared outbox: what a process run's ``ChildRun`` publishes to."""

    def __init__(self, outbox: _Outbox, run_id: str) -> None:
        self.outbox, self.run_id = outbox, run_id

    def put(self, snap: Snapshot) -> None:
        self.outbox.put(self.run_id, snap)


def _host_main(jobs, snaps) -> None:
    """The host process: answer each message (a new run, a call, a drop) until closed."""
    with contextlib.suppress(OSError):
        os.nice(TOY_NICE)
    torch.set_num_threads(1)
    warm_up()
    outbox, runs, turns = _Outbox(snaps), {}, Turns()
    while True:
        try:
            seq, msg = pickle.loads(jobs.recv_bytes())
        except (EOFError, OSError):
            seq, msg = 0, ("close",)
        if seq == "close" or msg[0] == "close":  # the pool's ("close", ()) or the end of the channel
            for run in runs.values():
                with contextlib.suppress(RunError):
                    run.stop()
            return
        if msg[0] == "run":
            _skip, run_id, model_cfg, train_cfg, resume, paused = msg
            run = ChildRun(run_id, model_cfg, train_cfg, device=torch.device("cpu"), resume=resume, paused=paused)
            run.mailbox = _Slot(outbox, run_id)
            runs[run_id] = run
            outbox.put(run_id, run.snapshot)
            run.start_with(turns.add)
        elif msg[0] == "drop" and (run := runs.pop(msg[1], None)) is not None:
            with contextlib.suppress(RunError):
                run.stop()
            run.join(5)
        if msg[0] in ("run", "drop"):
            reply = ("ok", None)
        else:  # ("call", run_id, name, args)
            run = runs.get(msg[1])
            reply = answer(run, msg[2], msg[3]) if run is not None else ("err", phrase("this run is no longer trained here"))
        jobs.send_bytes(dumps((seq, reply)))


# ----------------------------------------------------------------------------- parent side


def host_count(cores: int | None = None) -> int:
    """Toy hosts: each trains on one core (its threads take turns by the GIL). A quarter of the cores:
    on 2 cores a second host took CPU from the pages (poll p95 195 -> 379 ms) for 10% more steps."""
    return max(1, (cores or os.cpu_count() or 1) // 4)


class ToyHost:
    """The server's side of the toy hosts: starts them (again after one died), places each run on the
    host with the fewest runs, sends each host's calls in turn, hands each snapshot to its run."""

    def __init__(self, hosts: int | None = None) -> None:
        n = hosts or host_count()
        self._locks = [threading.Lock() for _ in range(n)]
        self._workers: list[Worker | None] = [None] * n
        self._runs: dict[str, HostedRun] = {}
        self._seq = itertools.count(1)  # messages are numbered across hosts (next() is atomic)
        for lane in range(n):  # started now: torch is imported by the time a student presses Start
            self._ensure(lane)

    def _ensure(self, lane: int) -> Worker:
        worker = self._workers[lane]
        if worker is None or not worker.alive:
            worker = self._workers[lane] = Worker("gancore.runs.host")
            threading.Thread(target=self._receive, args=(worker,), name=f"toy-host-{lane}", daemon=True).start()
        return worker

    def add(self, run: HostedRun, job: tuple) -> None:
        busy = [0] * len(self._workers)  # the least busy host takes the run
        for other in list(self._runs.values()):
            busy[other.lane] += other.status.live
        lane = busy.index(min(busy))
        with self._locks[lane]:
            worker = self._ensure(lane)
            self._runs[run.run_id] = run
            run.worker, run.lane = worker, lane
            self._ask(worker, ("run", run.run_id, *job), 60.0)

    def call(self, run: HostedRun, name: str, args: tuple, timeout: float) -> tuple[str, object]:
        with self._locks[run.lane]:
            return self._ask(run.worker, ("call", run.run_id, name, args), timeout)

    def drop(self, run: HostedRun) -> None:
        self._runs.pop(run.run_id, None)
        with self._locks[run.lane], contextlib.suppress(RunError):
            self._ask(run.worker, ("drop", run.run_id), 30.0)

    def _ask(self, worker: Worker | None, msg: tuple, timeout: float) -> tuple[str, object]:
        """Send one message and wait for its own answer: answers are numbered, so one that comes
        after its call gave up is dropped instead of being read as the next call's."""
        if worker is None or not worker.alive:
            raise RunError(_("the toy runs' process has ended; start a new run. {LOST_KEPT}").format(LOST_KEPT=_(LOST_KEPT)))
        seq, end = next(self._seq), time.monotonic() + timeout
        try:
            worker.jobs.send_bytes(pickle.dumps((seq, msg)))
            while worker.jobs.poll(max(0.0, end - time.monotonic())):
                got, reply = pickle.loads(worker.jobs.recv_bytes())
                if got == seq:
                    return reply
        except (EOFError, OSError, BrokenPipeError) as exc:
            raise RunError(_("the toy runs' process has ended; start a new run. {LOST_KEPT}").format(LOST_KEPT=_(LOST_KEPT))) from exc
        raise RunError(_("the toy runs' process does not answer; remove this run and start a new one"))

    def _receive(self, worker: Worker) -> None:
        while True:
            try:
                run_id, snap = pickle.loads(worker.snaps.recv_bytes())
            except (EOFError, OSError):
                break
            run = self._runs.get(run_id)
            if run is not None:
                run.deliver(snap)
        code = worker.proc.poll()
        for run in [r for r in list(self._runs.values()) if r.worker is worker]:
            run.lost(phrase("The toy runs' process stopped unexpectedly (exit code {code}). {kept}", code=code, kept=LOST_KEPT))

    @property
    def live_runs(self) -> int:
        return sum(r.status.live for r in list(self._runs.values()))

    def close(self) -> None:
        for lock, worker in zip(self._locks, self._workers, strict=True):
            with lock:
                if worker is not None:
                    worker.close()


@add_forwarders
class HostedRun(RemoteReads):
    """The run interface, with the training on the server's :class:`ToyHost`."""

    def __init__(
        self,
        run_id: str,
        model_cfg: ModelConfig,
        train_cfg: TrainConfig,
        *,
        host: ToyHost,
        device=None,
        resume: RunState | None = None,
        paused: bool = False,
    ) -> None:
        self.run_id, self.model_cfg, self.device = run_id, model_cfg, torch.device("cpu")
        self._host, self._resume, self._paused, self.worker, self.lane = host, resume, paused, None, 0
        self._kept: dict = {}
        self._harvested, self._dropped = threading.Event(), False
        self.snapshot = loading(run_id, model_cfg, train_cfg, "cpu", catalog.of(model_cfg).metrics)

    status = property(lambda self: self.snapshot.status)
    train_cfg = property(lambda self: self.snapshot.train_cfg)

    @property
    def alive(self) -> bool:
        return self.worker is not None and self.worker.alive and self.status.live

    def start(self) -> None:
        if self.worker is not None:
            raise RunError(_("this run has already been started"))
        self._host.add(self, (self.model_cfg, self.snapshot.train_cfg, self._resume, self._paused))
        self._resume = None

    def deliver(self, snap: Snapshot) -> None:
        """A snapshot from the host (its receiving thread): kept; an ended run is harvested."""
        was_live = self.snapshot.status.live
        self.snapshot = keep_weights(self.snapshot, snap)
        if was_live and not self.snapshot.status.live:
            threading.Thread(target=self._harvest, name=f"gan-run-{self.run_id}-harvest", daemon=True).start()

    def lost(self, message: str) -> None:
        if self.snapshot.status.live:
            self.snapshot = replace(self.snapshot, status=Status.LOST, message=message)
        self._harvested.set()

    def _call(self, name: str, *args, timeout: float = 30.0):
        if self.worker is None:
            raise RunError(_("the run has not been started"))
        ended = _("this run has ended ({status}); it no longer trains")
        if self._dropped:
            raise RunError(ended.format(status=self.status))
        kind, value = self._host.call(self, name, args, timeout)
        if kind == "err":  # one that left the host while this call waited its turn has ended too
            raise RunError(ended.format(status=self.status) if self._dropped else value)
        return value

    def _harvest(self) -> None:
        """The run ended: keep what saving and the pages need here, and free its place on the host."""
        for name in ("export_state", "frames", "full_history"):
            with contextlib.suppress(RunError):
                self._kept[name] = self._call(name, timeout=120)
        self._harvested.set()
        self.close()

    def close(self) -> None:
        """Stop the run and free its place on the host."""
        if self.worker is not None and not self._dropped:
            self._dropped = True
            self._host.drop(self)
        self._harvested.set()


if __name__ == "__main__":  # the host: python -m gancore.runs.host JOBS_FD SNAPSHOTS_FD
    _host_main(Connection(int(sys.argv[1])), Connection(int(sys.argv[2])))
