"""Translations: every sentence a person reads goes through :func:`_` (or :func:`ngettext`).

The catalogues are gettext ``.po`` files under ``locales/<lang>/LC_MESSAGES/messages.po``,
kept with Babel (``bash scripts/i18n.sh`` extracts and updates them). They are compiled in
memory the first time a language is used, so no binary ``.mo`` file is committed. English is the
source language: its "translation" is the message itself.

Which language a call speaks, first match wins:
1. :func:`use_language` — the language set for this thread's current work (a ``ContextVar``);
2. the resolver a front end registered with :func:`set_resolver` (the app's: the browser
   session's choice), when it answers;
3. :func:`default_language` — ``GAN_EXPLORER_LANG``; the CLI also follows ``LANG``.

Messages that are defined once but shown later (tables of labels, the course's text) are marked
with :func:`N_` where they are defined and translated with :func:`_` where they are shown.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import io
import os
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

LANGUAGES = ("en", "ko")  # the first is the source language
NAMES = {"en": "English", "ko": "한국어"}
LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"  # the checkout's (base sits below paths)

_ACTIVE: ContextVar[str | None] = ContextVar("gan_explorer_language", default=None)
_RESOLVER: list[Callable[[], str | None]] = []  # at most one: set by the front end at start-up


def normalise(lang: str | None) -> str | None:
    """``ko``, ``ko_KR.UTF-8`` or ``KO`` → ``ko``; anything not offered → None."""
    if not lang:
        return None
    code = lang.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in LANGUAGES else None


def default_language(follow_locale: bool = False) -> str:
    """The server's language: ``GAN_EXPLORER_LANG`` (``en`` when unset). The CLI passes
    ``follow_locale=True`` to fall back to the shell's ``LC_ALL`` / ``LC_MESSAGES`` / ``LANG``."""
    names = ["GAN_EXPLORER_LANG"] + (["LC_ALL", "LC_MESSAGES", "LANG"] if follow_locale else [])
    for name in names:
        if lang := normalise(os.environ.get(name)):
            return lang
    return LANGUAGES[0]


def set_resolver(resolver: Callable[[], str | None]) -> None:
    """Register the front end's way to find the current user's language (None: not known here)."""
    _RESOLVER[:] = [resolver]


def current_language() -> str:
    """The language this call speaks (see the module's docstring for the order)."""
    if lang := _ACTIVE.get():
        return lang
    for resolver in _RESOLVER:
        with contextlib.suppress(Exception):  # a resolver outside its front end's context
            if lang := normalise(resolver()):
                return lang
    return default_language()


@contextlib.contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Speak ``lang`` inside the ``with`` block (this thread or task only)."""
    token = _ACTIVE.set(normalise(lang) or LANGUAGES[0])
    try:
        yield
    finally:
        _ACTIVE.reset(token)


@functools.cache
def catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (a missing file reads as no translations)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == LANGUAGES[0] or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as f:
        cat = read_po(f, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)  # a fuzzy entry is not a translation yet
    buf.seek(0)
    return Translations(fp=buf)


def _(message: str) -> str:
    """``message`` in the current language (itself when it has no translation)."""
    return catalogue(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that fits the count ``n`` (Korean has one form, English two)."""
    return catalogue(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (it is shown later via _)."""
    return message


def in_language(lang: str, message: str) -> str:
    """``message`` in a named language, whatever the current one is (tests and the glossary)."""
    return catalogue(normalise(lang) or LANGUAGES[0]).gettext(message)


class Phrase(str):
    """A message made where nobody reads it (a training process, a Ray worker) that can still be
    shown in each reader's language: it reads as the current language's sentence, and keeps its
    English template and values (numbers, names) so :func:`shown` can translate it again later.
    It pickles with them, so it survives the trip from a worker to the page."""

    template: str
    values: dict

    def __new__(cls, template: str, values: dict) -> Phrase:
        self = super().__new__(cls, _rendered(template, values))
        self.template, self.values = template, values
        return self

    def __reduce__(self):
        return (Phrase, (self.template, self.values))


def phrase(template: str, **values) -> Phrase:
    """``_(template).format(**values)`` now, re-translatable later (see :class:`Phrase`)."""
    return Phrase(template, values)


def shown(text: object) -> str:
    """``text`` for the current reader: a :class:`Phrase` in their language, a plain message that
    the catalogue knows translated, anything else as it is."""
    if isinstance(text, Phrase):
        return _rendered(text.template, text.values)
    if isinstance(text, str) and text:
        return _(text)
    return text if isinstance(text, str) else str(text)


def _rendered(template: str, values: dict) -> str:
    """A phrase in the current language: its template translated, its texts (phrases too) shown in
    that language, its numbers as they are."""
    return _(template).format(**{k: shown(v) if isinstance(v, str) else v for k, v in values.items()})
