"""Who is who in a class: each owner's nickname on the class view, the teacher, the pinned run.

An owner is named by a friendly default drawn from their token (the same name on every reload)
until they choose one. The teacher is whoever presents the server's teacher key
(``GAN_EXPLORER_TEACHER_KEY``; none set: nobody is); only the teacher pins a run for the whole
class to watch. Tokens never leave this object: pages see names.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from dataclasses import dataclass, field

from gancore.base.errors import BadName, NotTeacher
from gancore.base.i18n import _

ADJECTIVES = ("Brave", "Calm", "Clever", "Curious", "Eager", "Gentle", "Happy", "Keen",
              "Lively", "Lucky", "Merry", "Nimble", "Quick", "Quiet", "Swift", "Witty")  # fmt: skip
ANIMALS = ("Badger", "Crane", "Dolphin", "Falcon", "Fox", "Gecko", "Heron", "Koala",
           "Lynx", "Otter", "Owl", "Panda", "Puffin", "Robin", "Seal", "Wombat")  # fmt: skip
NAME_RE = re.compile(r"^[\w][\w .'-]{0,23}$")  # letters of any script, digits, space . ' - _


def default_name(token: str, taken: frozenset[str] | set[str] = frozenset()) -> str:
    """A stable friendly name for a token, e.g. 'Swift Otter', not one of ``taken``: the token's
    own pick of the 256 pairs, else the next free pair after it (30 students drew a shared name
    four times in five), else the pick with a number."""
    h = hashlib.sha256(token.encode()).digest()
    start = h[0] % len(ADJECTIVES) * len(ANIMALS) + h[1] % len(ANIMALS)
    for i in range(len(ADJECTIVES) * len(ANIMALS)):
        a, b = divmod((start + i) % (len(ADJECTIVES) * len(ANIMALS)), len(ANIMALS))
        if (name := f"{ADJECTIVES[a]} {ANIMALS[b]}") not in taken:
            return name
    a, b = divmod(start, len(ANIMALS))
    return next(f"{ADJECTIVES[a]} {ANIMALS[b]} {n}" for n in range(2, len(taken) + 3) if f"{ADJECTIVES[a]} {ANIMALS[b]} {n}" not in taken)


def check_name(name: str) -> str:
    """The nickname, trimmed, if it is 1-24 letters, digits, spaces or . ' - _."""
    name = " ".join(str(name).split())
    if not NAME_RE.match(name):
        raise BadName(_("a name is 1 to 24 letters, digits, spaces or . ' - _, starting with a letter or digit"))
    return name


@dataclass
class Roster:
    teacher_key: str = ""
    _names: dict[str, str] = field(default_factory=dict)  # chosen nicknames
    _defaults: dict[str, str] = field(default_factory=dict)  # names handed out, one per owner seen, all distinct
    _teachers: set[str] = field(default_factory=set)
    _pinned: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def name(self, token: str) -> str:
        """The owner's nickname, or their default one: the same on every reload, and no one else's."""
        with self._lock:
            if token in self._names:
                return self._names[token]
            if token not in self._defaults:
                self._defaults[token] = default_name(token, {*self._names.values(), *self._defaults.values()})
            return self._defaults[token]

    def rename(self, token: str, name: str) -> str:
        """Set ``token``'s nickname (checked by :func:`check_name`); returns it."""
        name = check_name(name)
        with self._lock:
            self._names[token] = name
        return name

    def claim_teacher(self, token: str, key: object) -> bool:
        """Make ``token`` the teacher if ``key`` is the server's teacher key (compared in constant time)."""
        ok = bool(self.teacher_key) and isinstance(key, str) and secrets.compare_digest(key.encode(), self.teacher_key.encode())
        if ok:
            with self._lock:
                self._teachers.add(token)
        return ok

    def is_teacher(self, token: str) -> bool:
        with self._lock:
            return token in self._teachers

    @property
    def pinned(self) -> str | None:
        return self._pinned

    def pin(self, token: str, run_id: str | None) -> None:
        """Pin ``run_id`` for the whole class (None unpins); only the teacher may."""
        if not self.is_teacher(token):
            raise NotTeacher(_("only the teacher pins a run for the class (open the class view with the teacher's link)"))
        with self._lock:
            self._pinned = run_id
