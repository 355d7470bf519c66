"""Small pieces shared by the Learn pages: a Plotly chart with the app's settings, and the CLI
line that reproduces a figure's numbers."""

from __future__ import annotations

import csv
import io
from itertools import zip_longest

import plotly.graph_objects as go
import streamlit as st

from gancore.base.i18n import _


def cached(fn):
    """``fn`` memoised across reruns and sessions: every Learn figure's numbers come from a pure,
    seeded function, so a class moving the same sliders computes each setting once. They are
    numbers only (the words are added where the figure is drawn), so one entry serves both languages."""
    return st.cache_data(show_spinner=False, max_entries=512)(fn)


CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def figure(fig: go.Figure, key: str) -> None:
    """A figure full width, with a stable key so its element is not rebuilt on every rerun, and its
    numbers as a CSV download (the camera in its toolbar saves the picture)."""
    st.plotly_chart(fig, key=key, config=CHART_CONFIG, width="stretch")
    st.download_button(
        _("Numbers (CSV)"), lambda: figure_csv(fig), f"{key.replace('.', '-')}.csv", "text/csv",
        key=f"{key}.csv", icon=":material/download:", type="tertiary", on_click="ignore",
    )  # fmt: skip


def figure_csv(fig: go.Figure) -> str:
    """Every trace's x and y (or its heatmap's cells) as CSV columns named after the trace."""
    columns: list[tuple[str, list]] = []
    seen: set[str] = set()
    for i, trace in enumerate(fig.data):
        name = trace.name or _("trace {value}").format(value=i + 1)
        name = f"{name} [{i + 1}]" if name in seen else name  # the same curve in two panels
        seen.add(name)
        if getattr(trace, "z", None) is not None and trace.type == "heatmap":
            xs, ys, z = list(trace.x or []), list(trace.y or []), trace.z
            cells = [(x, y, z[r][c]) for r, y in enumerate(ys) for c, x in enumerate(xs)]
            columns += [(f"{name}: x", [c[0] for c in cells]), (f"{name}: y", [c[1] for c in cells]), (name, [c[2] for c in cells])]
        elif getattr(trace, "y", None) is not None:
            if trace.x is not None:
                columns.append((f"{name}: x", list(trace.x)))
            columns.append((f"{name}: y" if trace.x is not None else name, list(trace.y)))
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow([n for n, _v in columns])
    out.writerows(zip_longest(*(v for _n, v in columns), fillvalue=""))
    return buf.getvalue()


def cli_hint(args: str) -> None:
    """The command that prints this figure's numbers, for a teacher's slides."""
    st.caption(_("Numbers for your slides: `python -m gancore learn {args} --json`").format(args=args))
