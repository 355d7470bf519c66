"""Child processes for training runs, started ahead of need.

A fresh interpreter per run (``python -m gancore.runs.process``) with two socket channels: jobs and
replies one way, snapshots the other. :class:`WarmPool` keeps one started and waiting (torch
imported, lazy imports paid), so Start answers in well under a second instead of the ~8 s a
cold ``import torch`` takes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

from gancore.base.paths import ROOT


def _pair() -> tuple[Connection, int]:
    """A socket pair: our end as a Connection, the child's end as a raw descriptor."""
    ours, theirs = socket.socketpair()
    return Connection(ours.detach()), theirs.detach()


class Worker:
    """A started child process (``python -m MODULE``: a run's, or the toy host's) and our ends of its two channels.

    A fresh interpreter rather than multiprocessing's spawn: spawn re-runs the parent's main
    module (here Streamlit's launcher or a test runner) in the child; fork would copy the
    server's threads and locks.
    """

    def __init__(self, module: str = "gancore.runs.process") -> None:
        self.jobs, jobs_fd = _pair()
        self.snaps, snaps_fd = _pair()
        cmd = [sys.executable, "-m", module, str(jobs_fd), str(snaps_fd)]
        root = str(ROOT)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        # OpenMP's threads sleep between parallel regions instead of spinning: two runs (2 threads
        # each) on two cores otherwise burn each other's time, and the server's, waiting.
        env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self.proc = subprocess.Popen(cmd, pass_fds=(jobs_fd, snaps_fd), env=env, cwd=root)
        os.close(jobs_fd)
        os.close(snaps_fd)
        self._closing = threading.Lock()
        self._closed = False

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        """End the child and close our ends, once: a run that ends closes its worker from its
        reader thread while the page removing it may close it too. Two closes of one descriptor
        at once failed with EBADF, or could close a socket that had just reused its number. A
        second caller waits for the first, so either returns with the child ended."""
        with self._closing:
            if self._closed:
                return
            with contextlib.suppress(OSError, ValueError):
                self.jobs.send_bytes(pickle.dumps(("close", ())))
            try:
                self.proc.wait(6)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(2)
            for conn in (self.jobs, self.snaps):
                conn.close()
            self._closed = True


class WarmPool:
    """Keeps ``spare`` children started and waiting, so a new run starts at once."""

    def __init__(self, spare: int = 1) -> None:
        self.spare, self._lock, self._ready = spare, threading.Lock(), []
        self._fill()

    def _fill(self) -> None:
        with self._lock:
            while len(self._ready) < self.spare:
                self._ready.append(Worker())

    def take(self) -> Worker:
        with self._lock:
            worker = self._ready.pop(0) if self._ready else None
        worker = worker if worker is not None and worker.alive else Worker()
        threading.Thread(target=self._fill, name="warm-pool", daemon=True).start()
        return worker

    def close(self) -> None:
        with self._lock:
            ready, self._ready = self._ready, []
        for w in ready:
            w.close()
