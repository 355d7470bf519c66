"""Who is still here: when each owner (a browser, by its owner token) was last seen.

Every page run and every poll of an owner's own run counts as being seen. An owner away
longer than :data:`PAUSE_AFTER_S` has their training runs paused (a closed laptop should not
keep a classroom's training slot); away longer than :data:`REMOVE_AFTER_S`, their runs are
saved to their checkpoints by the app and removed from memory. A returning owner (the same
browser: the token lives in a cookie) finds paused runs where they left them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from gancore.base.i18n import _

PAUSE_AFTER_S = 10 * 60
REMOVE_AFTER_S = 2 * 60 * 60


class Away(Enum):
    """What to do with an owner's runs, given how long they have been away."""

    HERE = "here"
    PAUSE = "pause"  # away long enough to free the training slot
    REMOVE = "remove"  # gone: save and forget their runs


@dataclass
class Presence:
    """Last-seen times per owner, on an injectable clock (tests move it by hand)."""

    clock: Callable[[], float] = time.monotonic
    pause_after_s: float = PAUSE_AFTER_S
    remove_after_s: float = REMOVE_AFTER_S
    _seen: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def touch(self, owner: str) -> None:
        with self._lock:
            self._seen[owner] = self.clock()

    def away_s(self, owner: str) -> float:
        """Seconds since ``owner`` was last seen (0 for an owner never seen: not away yet)."""
        with self._lock:
            seen = self._seen.get(owner)
        return 0.0 if seen is None else max(0.0, self.clock() - seen)

    def verdict(self, owner: str) -> Away:
        away = self.away_s(owner)
        if away >= self.remove_after_s:
            return Away.REMOVE
        return Away.PAUSE if away >= self.pause_after_s else Away.HERE

    def forget(self, owner: str) -> None:
        with self._lock:
            self._seen.pop(owner, None)

    def describe(self) -> str:
        """The rule in words, for the app's sidebar."""
        return _(
            "Runs whose browser has been away {minutes:.0f} minutes are paused; after {hours:.0f} hours they are saved "
            "as that browser's autosaves and removed."
        ).format(minutes=self.pause_after_s / 60, hours=self.remove_after_s / 3600)
