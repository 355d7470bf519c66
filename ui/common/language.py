"""Which language this browser reads: 한국어 or English, switchable in the sidebar of every page.

The choice is kept three ways, so it survives what a class does to a browser:
- in the URL (``?lang=ko``), so a teacher's link opens in Korean and a reload keeps it;
- in a cookie beside the owner cookie, so a new tab of the same browser keeps it;
- in the session, so fragments and callbacks (which run without the page's script) speak it too.

A link's ``?lang=`` wins over the cookie; without either, the server's default
(``GAN_EXPLORER_LANG``, English when unset).
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from gancore.base import i18n
from gancore.base.i18n import _
from ui.common import identity

COOKIE = "gan_explorer_lang"
KEY = "lang"  # the session's choice
WIDGET = "lang.switch"
MAX_AGE_S = 365 * 24 * 3600


def _session_language() -> str | None:
    if get_script_run_ctx(suppress_warning=True) is None:  # a training thread, not a page
        return None
    return st.session_state.get(KEY)


def _from_cookie() -> str | None:
    return i18n.normalise(identity.cookie(COOKIE))


def choose() -> str:
    """Settle this run's language (the URL's, else the session's, else the cookie's, else the
    server's) and register the session as where :func:`gancore.base.i18n._` looks."""
    i18n.set_resolver(_session_language)
    asked = i18n.normalise(st.query_params.get("lang"))
    lang = asked or st.session_state.get(KEY) or _from_cookie() or i18n.default_language()
    st.session_state[KEY] = lang
    if asked is None and "lang" in st.query_params:
        del st.query_params["lang"]  # a language we do not offer: drop it rather than echo it
    return lang


def _switched() -> None:
    lang = i18n.normalise(st.session_state.get(WIDGET)) or i18n.LANGUAGES[0]
    st.session_state[KEY] = lang
    st.query_params["lang"] = lang


def switch() -> None:
    """The sidebar's switch, and the cookie that remembers it for this browser."""
    lang = st.session_state.get(KEY, i18n.default_language())
    st.session_state[WIDGET] = lang
    st.radio(
        _("Language"),
        list(i18n.LANGUAGES),
        format_func=i18n.NAMES.get,
        key=WIDGET,
        horizontal=True,
        on_change=_switched,
    )
    if _from_cookie() != lang:  # one of i18n.LANGUAGES: safe in the script
        identity.set_cookie(COOKIE, lang, MAX_AGE_S)
