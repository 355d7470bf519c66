"""Which browser is this? An owner token kept in a cookie, so a reload (F5) or a second tab of the
same browser is the same owner, and the runs it started come back with it.

The token (from ``secrets``, 22 URL-safe characters) is read from the cookie Streamlit received
with the session's first request; a session without one gets a fresh token and sets the cookie
with a line of JavaScript (Streamlit has no server-side cookie setter). The cookie is
``SameSite=Strict`` and lives a week. A watch link never carries it: students who open the
teacher's link are their own owners.
"""

from __future__ import annotations

import re

import streamlit as st

from gancore.runs.registry import Registry

COOKIE = "gan_explorer_owner"
MAX_AGE_S = 7 * 24 * 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def cookie(name: str) -> str | None:
    """The cookie ``name`` as the session's first request carried it (None without a browser)."""
    try:
        value = st.context.cookies.get(name)
    except Exception:  # no browser request behind this session (AppTest, scripts)
        return None
    return value if isinstance(value, str) else None


def set_cookie(name: str, value: str, max_age_s: int) -> None:
    """Have the browser keep ``name=value`` (Streamlit has no server-side setter: a line of
    JavaScript, an invisible element). ``value`` must be safe in a script: callers pass checked text."""
    st.html(
        f"<script>document.cookie = '{name}={value}; path=/; max-age={max_age_s}; SameSite=Strict';</script>",
        unsafe_allow_javascript=True,
    )


def _from_cookie() -> str | None:
    value = cookie(COOKIE)
    return value if value is not None and TOKEN_RE.match(value) else None


def token() -> str:
    """This browser's owner token: its cookie's, or a new one (remembered by :func:`remember`)."""
    if "owner" not in st.session_state:
        st.session_state["owner"] = _from_cookie() or Registry.new_token()
    return st.session_state["owner"]


def remember() -> None:
    """Set the cookie if the browser does not have this session's token yet (drawn in the sidebar:
    an invisible element)."""
    t = token()
    if _from_cookie() != t and TOKEN_RE.match(t):  # the token is ours: only safe characters reach the script
        set_cookie(COOKIE, t, MAX_AGE_S)
