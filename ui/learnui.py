"""Small pieces shared by the Learn pages: a Plotly chart with the app's settings, and the CLI
line that reproduces a figure's numbers."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st


def cached(fn):
    """``fn`` memoised across reruns and sessions: every Learn figure is a pure, seeded function,
    so a class moving the same sliders computes each setting once."""
    return st.cache_data(show_spinner=False, max_entries=512)(fn)


CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def figure(fig: go.Figure, key: str) -> None:
    """A figure full width, with a stable key so its element is not rebuilt on every rerun."""
    st.plotly_chart(fig, key=key, config=CHART_CONFIG, width="stretch")


def cli_hint(args: str) -> None:
    """The command that prints this figure's numbers, for a teacher's slides."""
    st.caption(f"Numbers for your slides: `python -m gancore learn {args} --json`")
