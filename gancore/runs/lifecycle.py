r"""The front of a run's state machine: which command is allowed in which status, and the queue
that carries allowed ones to the run's thread. Called from any thread (pages, the CLI, the
worker's pipe); the thread that trains applies the commands between two steps.

    loading --start--> running <--pause/resume--> paused      (step n: only while paused)
       \___________________\______________________/--stop--> stopped
    running --last step--> finished        any --exception--> error
"""

from __future__ import annotations

import contextlib
import queue
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable

from gancore.base.config import HackConfig, OptimConfig, TrainConfig
from gancore.base.errors import RunError
from gancore.base.i18n import N_, _
from gancore.runs.snapshot import Status

LIVE = (Status.LOADING, Status.RUNNING, Status.PAUSED)
# What each command needs the run to be doing: the one rule for refusing a command here and for
# greying its button in the pages.
ALLOWED: dict[str, tuple[Status, ...]] = {
    # the verbs are words of the refusals too (N_: translated where a refusal is written)
    N_("pause"): (Status.RUNNING, Status.LOADING),
    N_("resume"): (Status.PAUSED,),
    N_("step"): (Status.PAUSED,),
    N_("stop"): LIVE,
    N_("change settings"): LIVE,
    N_("change speed"): LIVE,
}


def allowed(verb: str, status: Status) -> bool:
    """Whether a run in ``status`` accepts the command ``verb`` (a key of :data:`ALLOWED`)."""
    return status in ALLOWED[verb]


class Commands(ABC):
    """Command methods of :class:`gancore.runs.engine.TrainingRun`; a subclass provides ``_main``."""

    run_id: str
    train_cfg: TrainConfig

    def __init__(self) -> None:
        self._commands: queue.Queue = queue.Queue()
        self._lock = threading.Lock()  # guards status transitions and command validation
        self._status = Status.LOADING
        self._thread: threading.Thread | None = None
        self._started, self._ended = False, threading.Event()  # set once the run has left its loop
        self._wake: Callable[[], None] | None = None  # a driver's bell, rung when a command comes in

    @abstractmethod
    def _main(self) -> None:
        """The run's thread: apply commands between steps until the run ends."""

    def _set_status(self, status: Status) -> None:
        with self._lock:
            self._status = status

    @property
    def status(self) -> Status:
        return self._status

    def start(self) -> None:
        """Train in a thread of the run's own."""
        self._begin_once()
        self._thread = threading.Thread(target=self._main, name=f"gan-run-{self.run_id}", daemon=True)
        self._thread.start()

    def start_with(self, driver: Callable[[Commands], None]) -> None:
        """Hand the run to ``driver`` instead (:meth:`gancore.runs.turns.Turns.add`: one thread
        that trains many runs in turn)."""
        self._begin_once()
        driver(self)

    def _begin_once(self) -> None:
        with self._lock:
            if self._started:
                raise RunError(_("this run has already been started"))
            self._started = True

    def _send(self, verb: str, *cmd) -> None:
        with self._lock:
            if not allowed(verb, self._status):
                raise RunError(self._refusal(verb))
            self._commands.put(cmd)
        if self._wake is not None:
            self._wake()

    def _refusal(self, verb: str) -> str:
        s = self._status
        if s.ended:
            return _("cannot {verb}: the run is {status}. Start a new run, or load its checkpoint to continue training.").format(
                verb=_(verb), status=s.words
            )
        if s is Status.PAUSED and verb == "pause":
            return _("the run is already paused")
        if s is Status.RUNNING and verb == "resume":
            return _("the run is already running")
        if s is Status.RUNNING and verb == "step":
            return _("pause the run first; single steps are for a paused run")
        return _("cannot {verb} while the run is {status}").format(verb=_(verb), status=s.words)

    def pause(self) -> None:
        self._send("pause", "pause")

    def resume(self) -> None:
        self._send("resume", "resume")

    def step(self, n: int = 1, mode: str = "both") -> None:
        if mode not in ("both", "d", "g"):
            raise RunError(_("mode must be 'both', 'd' (discriminator only) or 'g' (generator only)"))
        if not 1 <= n <= 100_000:
            raise RunError(_("the number of steps must be between 1 and 100,000"))
        self._send("step", "step", n, mode)

    def stop(self) -> None:
        self._send("stop", "stop")

    def set_optim(self, optim: OptimConfig) -> None:
        if optim.optimizer != self.train_cfg.optim.optimizer:
            raise RunError(_("switching between Adam and SGD needs a new run (the optimiser state differs)"))
        self._send("change settings", "optim", optim)

    def set_hacks(self, hacks: HackConfig) -> None:
        self._send("change settings", "hacks", hacks)

    def set_speed(self, steps_per_s: float | None) -> None:
        """Slow training down to at most ``steps_per_s`` (None: as fast as the device goes)."""
        if steps_per_s is not None and not 0.1 <= steps_per_s <= 10_000:
            raise RunError(_("speed must be between 0.1 and 10,000 steps per second"))
        self._send("change speed", "speed", steps_per_s)

    def join(self, timeout: float | None = None) -> None:
        if self._started:
            self._ended.wait(timeout)

    @property
    def alive(self) -> bool:
        return self._started and not self._ended.is_set()

    def close(self) -> None:
        """Stop the run if it is live and wait for its thread (the run is gone afterwards)."""
        with contextlib.suppress(RunError):
            if self._status.live:
                self.stop()
        self.join(5)
