"""The line for training slots: when every slot is taken, an image run waits its turn instead of
being refused "busy".

A student's Start with every slot in use puts a :class:`Ticket` (the run's configs) at the back
of the :class:`Line`; the registry's upkeep thread starts the head's run the moment a slot frees
(:meth:`Queueing.admit`), and the page, polling :meth:`Queueing.in_line`, switches to it. The
page shows the place and an estimate: the k-th place starts when the k-th of the running runs
ends, by their own ETAs (a paused run never frees its slot, so it gives no estimate). A browser
holds at most one place, and none while a run of its own trains (a second cookie is a second
browser, and gets a place, never a slot). On Ray a full cluster answers the same way.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from gancore.base.config import ModelConfig, TrainConfig
from gancore.base.errors import ConfigError, NotTeacher, RegistryFull, RunError, SlotsBusy
from gancore.base.i18n import _
from gancore.models import catalog


@dataclass
class Ticket:
    """One place in line: whose, which run, since when; ``run_id`` once started, ``refused`` if
    its run could not start (the reason, in words)."""

    owner: str
    model_cfg: ModelConfig
    train_cfg: TrainConfig
    label: str
    since: float = field(default_factory=time.monotonic)
    run_id: str = ""
    refused: str = ""


@dataclass(frozen=True)
class Place:
    """Where a browser stands: ``number`` (1 = next) and ``eta_s`` (None: no estimate), or the
    run that started for it, or why it could not."""

    number: int = 0
    eta_s: float | None = None
    run_id: str = ""
    refused: str = ""


class Line:
    """First come, first served; one place per owner."""

    def __init__(self) -> None:
        self._tickets: list[Ticket] = []
        self._done: dict[str, Ticket] = {}  # owner -> their ticket once it left the line
        self._lock = threading.Lock()

    def join(self, ticket: Ticket) -> int:
        with self._lock:
            if any(t.owner == ticket.owner for t in self._tickets):
                raise RegistryFull(_("you are already waiting in line for a training slot; leave it first to wait for another run"))
            self._done.pop(ticket.owner, None)
            self._tickets.append(ticket)
            return len(self._tickets)

    def leave(self, owner: str) -> bool:
        with self._lock:
            kept = [t for t in self._tickets if t.owner != owner]
            left, self._tickets = len(kept) != len(self._tickets), kept
            self._done.pop(owner, None)
            return left

    def head(self) -> Ticket | None:
        with self._lock:
            return self._tickets[0] if self._tickets else None

    def served(self, ticket: Ticket) -> None:
        """The head left the line: started (``run_id``) or refused (``refused``)."""
        with self._lock:
            if self._tickets and self._tickets[0] is ticket:
                self._tickets.pop(0)
            self._done[ticket.owner] = ticket

    def place(self, owner: str) -> tuple[int, Ticket | None]:
        """(1-based place, None) while waiting; (0, the served ticket) once it left; (0, None) if never."""
        with self._lock:
            for i, t in enumerate(self._tickets):
                if t.owner == owner:
                    return i + 1, None
            return 0, self._done.get(owner)

    def __len__(self) -> int:
        with self._lock:
            return len(self._tickets)


class Queueing:
    """The registry's side of the line (mixed into :class:`gancore.runs.registry.Registry`)."""

    def wait_in_line(self, owner: str, model_cfg: ModelConfig, train_cfg: TrainConfig, *, label: str = "") -> Place:
        """Start now if a slot is free and nobody waits (the Place's ``run_id``), else take a place
        at the back of the line (its ``number`` and estimate)."""
        catalog.of(model_cfg).check_run(model_cfg, train_cfg)  # a run that could never start is refused now
        if any(self._holds_slot(r) for r in self._owned_runs(owner)):
            raise RegistryFull(_("you already have a run training; pause or stop it before you wait for another"))
        ticket = Ticket(owner, model_cfg, train_cfg, label)
        if not len(self.line):  # others wait already: no jumping the line
            try:
                return Place(run_id=self.create(owner, model_cfg, train_cfg, label=label).run_id)
            except SlotsBusy:
                pass
        number = self.line.join(ticket)
        return Place(number, self._eta(number))

    def set_limits(self, token: str, *, slots: int, max_steps: int) -> None:
        """The teacher's limits for the class: training slots (1-16) and steps per new run (0: none)."""
        if not self.roster.is_teacher(token):
            raise NotTeacher(_("only the teacher sets the class's limits"))
        if not (isinstance(slots, int) and 1 <= slots <= 16 and isinstance(max_steps, int) and 0 <= max_steps <= 10**7):
            raise ConfigError(
                _("slots are 1-16 and steps per run 0-10,000,000 (got {slots}, {max_steps})").format(slots=slots, max_steps=max_steps)
            )
        self.max_live, self.max_steps = slots, max_steps

    @property
    def toys_training(self) -> int:
        """Toy runs training on the toy host (they hold no slot)."""
        return self._toys.live_runs if self._toys is not None else 0

    def leave_line(self, owner: str) -> bool:
        return self.line.leave(owner)

    def in_line(self, owner: str) -> Place:
        """This browser's place and estimate, or the run started for it."""
        self.touch(owner)
        number, served = self.line.place(owner)
        if served is not None:
            return Place(run_id=served.run_id, refused=served.refused)
        return Place(number, self._eta(number)) if number else Place()

    def _eta(self, number: int) -> float | None:
        """When the ``number``-th slot frees: the number-th smallest ETA of the training runs."""
        etas = sorted(r.snapshot.eta_s for r in self._slot_runs() if r.status.training and r.snapshot.eta_s is not None)
        return etas[number - 1] if number <= len(etas) else None

    def _owned_runs(self, owner: str) -> list:
        with self._lock:
            return [e.run for e in self._runs.values() if e.owner == owner]

    def _slot_runs(self) -> list:
        with self._lock:
            return [e.run for e in self._runs.values() if self._holds_slot(e.run)]

    def admit(self) -> list[str]:
        """Start the runs at the head of the line while slots are free; their ids."""
        started = []
        while (ticket := self.line.head()) is not None:
            try:
                run = self.create(ticket.owner, ticket.model_cfg, ticket.train_cfg, label=ticket.label)
            except SlotsBusy:
                break  # still full: the head keeps its place
            except (RegistryFull, ConfigError, RunError) as exc:
                ticket.refused = str(exc)
            else:
                ticket.run_id = run.run_id
                started.append(run.run_id)
            self.line.served(ticket)
        return started
