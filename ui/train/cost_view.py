"""The Training Lab's cost line: what a set-up costs on this machine, measured before Start.

The measurement trains a few steps here (about a second and a half of CPU for the default
preset on 2 cores) and is kept per set-up. The default preset's is taken in the background from
the server's first visit, so the first of a class to open the lab does not wait for it."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import replace

import streamlit as st

from gancore import presets
from gancore.base.device import pick_device
from gancore.base.i18n import _
from gancore.runs import cost


def _for_measuring(train):
    return replace(train, epochs=1.0, max_steps=0)  # one measurement for every length


@st.cache_data(max_entries=64, show_spinner=False)  # the spinner is the caller's, in the reader's language
def _measured(model, train) -> cost.Cost:
    return cost.measure(model, train, pick_device())


def cost_line(model, train) -> None:
    """The set-up's measured cost before Start: its rate here and the time to its last step."""
    try:
        with st.spinner(_("Measuring what this set-up costs on this machine (a few seconds, once)…")):
            c = _measured(model, _for_measuring(train))
    except Exception as exc:  # data that cannot be read, a batch larger than the data: Start says it too
        st.caption(_("⏱ Not measured: {exc}").format(exc=exc))
        return
    steps = cost.total_steps(train, c.examples)
    st.caption(
        _(
            "⏱ Measured on one core of this machine just now: about **{examples_per_s:,.0f} examples/s**, so {steps:,} steps take about **{duration}** (the first step alone {first_step_s:.1f} s). Other runs training here at the same time slow it down."
        ).format(examples_per_s=c.examples_per_s, steps=steps, duration=cost.duration(c.seconds(steps)), first_step_s=c.first_step_s)
    )


@st.cache_resource(show_spinner=False)
def warm_default_cost() -> threading.Thread:
    """Measure the default preset's cost once per server, in the background (the page's own
    call then finds it; a set-up that differs in any setting is measured when it is shown)."""
    model, train = presets.compose(presets.DEFAULT_PRESET, max_steps=0)

    def measure() -> None:
        with contextlib.suppress(Exception):  # the page says what went wrong, when it is opened
            _measured(model, _for_measuring(train))

    worker = threading.Thread(target=measure, name="warm-cost", daemon=True)
    worker.start()
    return worker
