"""The Training Lab's live charts as SVG (ui/train/live_svg.py), and the panel that shows them:
the light chart by default, Plotly's zoomable one on a switch."""

import math
import re

import numpy as np

from tests import helpers
from tests.test_app_train import (
    small_runs,  # noqa: F401  (the autouse fixture: tiny runs, temp saves)
    started,
    wait_status,
)
from ui.train import live_svg, panels

STEPS = [float(s) for s in range(0, 500, 10)]


def history(**overrides) -> dict:
    h = {"step": STEPS, "d_loss": [1.2] * 50, "g_loss": [0.8 + s / 500 for s in STEPS], "d_real": [1.0] * 50, "d_fake": [0.0] * 50}
    return {**h, **overrides}


def polylines(svg: str) -> list[list[tuple[float, float]]]:
    return [[tuple(map(float, p.split(","))) for p in pts.split()] for pts in re.findall(r'<polyline[^>]* points="([^"]*)"', svg)]


def test_ticks_are_round_numbers_that_cover_the_range():
    assert live_svg.nice_ticks(0.61, 1.83) == [0.5, 1.0, 1.5, 2.0]
    assert live_svg.nice_ticks(0, 600, 6) == [0, 200, 400, 600]
    ticks = live_svg.nice_ticks(-3.7, 41.2)
    assert ticks[0] <= -3.7 and ticks[-1] >= 41.2 and len(set(np.diff(ticks).round(9))) == 1
    assert live_svg.nice_ticks(3, 3) == [3] and live_svg.nice_ticks(math.nan, 1) == []


def test_the_loss_chart_draws_each_series_on_its_axis():
    svg = live_svg.loss_svg(history(), panels.SERIES)
    lines = polylines(svg)
    assert len(lines) == 4 and all(len(pts) == 50 for pts in lines)
    d_real, d_fake = lines[2], lines[3]  # D's outputs on the right axis, 0 at the bottom and 1 at the top
    assert {y for _x, y in d_real} == {live_svg.TOP} and {y for _x, y in d_fake} == {live_svg.H - live_svg.BOTTOM}
    g = lines[1]
    assert g[0][0] == live_svg.LEFT and g[-1][0] == live_svg.W - live_svg.RIGHT  # the steps span the plot
    assert g[-1][1] < g[0][1]  # a rising loss goes up the picture
    for name in ("D loss", "G loss", "D(x)", "D(G(z))", "D output (mean)"):
        assert f">{name}<" in svg
    assert "\n" not in svg and svg.startswith("<div><svg")  # one markdown HTML block


def test_a_value_that_is_not_finite_leaves_a_gap_and_events_are_numbered():
    g = [0.9] * 50
    g[20] = math.nan
    svg = live_svg.loss_svg(history(g_loss=g, d_loss=[math.inf] + [1.2] * 49), panels.SERIES, [(100, "lr"), (300, "hack"), (900, "later")])
    counts = [len(pts) for pts in polylines(svg)]
    assert counts == [49, 20, 29, 50, 50]  # D's loss without its infinite point; G's in two pieces
    assert svg.count('stroke-dasharray="3,3"') == 2  # the events within the plotted steps, numbered 1 and 2
    assert ">1</text>" in svg and ">2</text>" in svg and ">3</text>" not in svg


def test_an_empty_history_is_an_empty_plot_and_words_are_escaped():
    empty = live_svg.loss_svg({"step": []}, panels.SERIES)
    assert "<polyline" not in empty and empty.endswith("</svg></div>")
    series = (("d_loss", "<b>D & co</b>", "#000"),)
    svg = live_svg.loss_svg(history(), series)
    assert "&lt;b&gt;D &amp; co&lt;/b&gt;" in svg and "<b>" not in svg


def test_the_bars_show_each_classs_count():
    svg = live_svg.bars_svg(np.array([0, 10, 40, 0, 0, 0, 0, 0, 5, 1]), 1234)
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert len(heights) == 10 and heights[2] == max(heights) and heights[0] == 0
    assert "class 2: 40 samples" in svg and "1,234" in svg


def test_the_live_panel_draws_the_light_chart_and_plotlys_on_a_switch():
    at, run = started()
    at = wait_status(at, run, ("running", "finished"))
    helpers.wait_for(lambda: len(run.snapshot.history["step"]) >= 2, 30)
    at.run()
    assert not at.exception
    assert any("<svg" in m.value and "<polyline" in m.value for m in at.markdown)
    assert not at.get("plotly_chart")  # no 4.6 MB of chart code for every open lab
    at.toggle(key=f"zoom.{run.run_id}").set_value(True).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1 and not any("<polyline" in m.value for m in at.markdown)
