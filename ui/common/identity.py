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


def _from_cookie() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser request behind this session (AppTest, scripts)
        return None
    return value if isinstance(value, str) and TOKEN_RE.match(value) else None


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
        st.html(
            f"<script>document.cookie = '{COOKIE}={t}; path=/; max-age={MAX_AGE_S}; SameSite=Strict';</script>",
            unsafe_allow_javascript=True,
        )
