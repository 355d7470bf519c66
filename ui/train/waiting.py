"""The Training Lab while this browser waits in line for a training slot (``gancore.runs.line``)."""

from __future__ import annotations

import streamlit as st
from babel import Locale

from gancore.base.i18n import LANGUAGES, _, current_language

ENGLISH = Locale("en")
SUFFIXES = {"one": "st", "two": "nd", "few": "rd"}  # CLDR's English ordinal categories; "other": th


def ordinal(n: int) -> str:
    """A place in line as the reader's language writes it: "1st", "22nd" in English (Babel's CLDR
    ordinal rules); the number alone in Korean, whose sentence says 번째 itself."""
    if current_language() != LANGUAGES[0]:
        return f"{n}"
    return f"{n}{SUFFIXES.get(ENGLISH.ordinal_form(n), 'th')}"


def about(seconds: float | None) -> str:
    """An estimate in words: 'about 40 s', 'about 3 min', or why there is none."""
    if seconds is None:
        return _("no estimate yet: the runs ahead are paused or just starting")
    return (
        _("about {value:.0f} s").format(value=max(5, round(seconds / 5) * 5))
        if seconds < 90
        else _("about {value:.0f} min").format(value=seconds / 60)
    )


def view(reg, me: str) -> bool:
    """True while this browser waits (the page shows its place and nothing else); its run,
    once started, becomes the page's run; a refusal is said once."""
    place = reg.in_line(me)
    if place.run_id or place.refused:
        reg.leave_line(me)  # served: the place is forgotten
        if place.run_id:
            st.session_state["train.run"] = place.run_id
            st.rerun()
        st.error(_("Your run could not start: {refused}").format(refused=place.refused), icon="⚠️")
        return False
    if not place.number:
        return False
    st.fragment(run_every=2.0)(_panel)(reg, me)
    return True


def _panel(reg, me: str) -> None:
    place = reg.in_line(me)
    if not place.number:  # started, refused or left: the whole page again
        st.rerun(scope="app")
    st.info(
        _(
            "Every training slot is in use, so your run waits its turn: you are **{ordinal} in line** ({about}). It starts by itself when a slot frees; keep this page open."
        ).format(ordinal=ordinal(place.number), about=about(place.eta_s)),
        icon="⏳",
    )
    if st.button(_("Leave the line"), key="line.leave"):
        reg.leave_line(me)
        st.rerun(scope="app")
