"""What the pages export: the 2D lab's film and points, captioned GIF frames, figure numbers as CSV."""

import csv
import io

import numpy as np
import plotly.graph_objects as go
import torch
from PIL import Image

from ui.common import pictures
from ui.learn import charts
from ui.toy import exports


def png_of(value: int) -> bytes:
    return pictures.png(np.full((20, 30, 3), value, dtype=np.uint8))


def test_the_film_keeps_at_most_100_frames_evenly_spread_over_the_run():
    session: dict = {}
    for step in range(0, 1000, 2):
        exports.remember(session, "run1", step, png_of(step % 256))
    film = session["toy.film"]
    assert len(film.frames) <= exports.MAX_FRAMES and film.frames[0][0] == 0 and film.frames[-1][0] >= 900
    gaps = {b[0] - a[0] for a, b in zip(film.frames, film.frames[1:], strict=False)}
    assert len(gaps) == 1  # even spacing: every other frame went each time the film filled up
    exports.remember(session, "run2", 0, png_of(1))
    assert session["toy.film"].run_id == "run2" and len(session["toy.film"].frames) == 1  # a new run, a new film


def test_the_training_gif_has_one_frame_per_kept_picture_with_its_step_burned_in():
    film = exports.Film("r", [(0, png_of(0)), (10, png_of(255))])
    gif = Image.open(io.BytesIO(exports.film_gif(film)))
    assert gif.format == "GIF" and gif.n_frames == 2
    assert gif.size[1] > 20  # the band with "step 10" under the picture
    band = np.asarray(gif.convert("RGB"))[22:, :]
    assert (band < 128).any()  # dark text on the white band


def test_a_film_of_plans_is_painted_only_when_downloaded():
    """The live view keeps each picture's plan (what the browser painted); the PNG and the GIF
    paint them with Pillow when asked."""
    from tests.test_plane_route import a_plan

    pl = a_plan()
    film = exports.Film("r", [(0, pl), (10, pl)])
    png = exports.png(film.frames[-1][1])
    assert Image.open(io.BytesIO(png)).size == (pl.width, pl.height)
    assert Image.open(io.BytesIO(exports.film_gif(film))).n_frames == 2


def test_points_csv_has_the_real_then_the_generated_points():
    rows = list(csv.reader(io.StringIO(exports.points_csv(torch.zeros(3, 2), torch.ones(2, 2)))))
    assert rows[0] == ["kind", "x", "y"] and [r[0] for r in rows[1:]] == ["real"] * 3 + ["generated"] * 2


def test_gif_labels_are_burned_in_and_must_match_the_frames():
    imgs = np.zeros((3, 8, 8, 1), dtype=np.uint8)
    plain, labelled = Image.open(io.BytesIO(pictures.gif(imgs))), Image.open(io.BytesIO(pictures.gif(imgs, labels=["a", "b", "c"])))
    assert labelled.size[1] > plain.size[1]
    try:
        pictures.gif(imgs, labels=["a"])
    except ValueError:
        pass
    else:
        raise AssertionError("three frames and one label should be refused")


def test_a_figures_numbers_as_csv_name_each_column_after_its_trace():
    fig = go.Figure(
        [
            go.Scatter(x=[0, 1], y=[2, 3], name="loss"),
            go.Scatter(x=[0], y=[5], name="loss"),
            go.Heatmap(x=[0, 1], y=[0], z=[[7, 8]], name="D"),
        ]
    )
    rows = list(csv.reader(io.StringIO(charts.figure_csv(fig))))
    assert rows[0] == ["loss: x", "loss: y", "loss [2]: x", "loss [2]: y", "D: x", "D: y", "D"]
    assert rows[1] == ["0", "2", "0", "5", "0", "0", "7"] and rows[2] == ["1", "3", "", "", "1", "0", "8"]
