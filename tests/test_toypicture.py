"""The toy lab's live plane as an image: colours, ticks and layers."""

import io

import numpy as np
import torch
from PIL import Image

from gancore.base.config import HackConfig
from gancore.data import points2d
from gancore.models.catalog import build
from gancore.presets import PRESETS
from gancore.toy import frames
from ui.toy import figures, live_png, plan


def test_colour_scale_ends_and_middle_match_the_plotly_scale():
    rgb = plan.colour(np.array([-1.0, 0.0, 0.5, 1.0, 2.0]))
    assert rgb.tolist() == [[247, 247, 247], [247, 247, 247], [253, 233, 201], [59, 139, 194], [59, 139, 194]]


def test_ticks_are_round_and_inside_the_range():
    assert plan.ticks(-1.3, 1.3).tolist() == [-1.0, 0.0, 1.0]
    assert plan.ticks(-4.2, 13.7).tolist() == [0.0, 5.0, 10.0]
    assert plan.ticks(0.0, 0.9).tolist() == [0.0, 0.2, 0.4, 0.6, 0.8]


def picture(layers: set[str]) -> np.ndarray:
    p = PRESETS["toy-mixture"]
    g, d = build(p.model)
    data = points2d.load_points(p.train.dataset, seed=0)
    box = frames.bounds(data.points, torch.zeros(1, 2), margin=0.3)
    fr = frames.frame(p.model, HackConfig(), g, d, data, box)
    png = live_png.plane_png(fr, data.points, layers, box, height=300)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def near(img: np.ndarray, rgb: tuple[int, int, int], tol: int = 40) -> int:
    return int((np.abs(img.astype(int) - np.array(rgb)).sum(-1) < tol).sum())


def tinted(img: np.ndarray, channel: int) -> int:
    """Pixels where one channel clearly leads the others (the translucent dots on white)."""
    x = img.astype(int)
    others = np.delete(x, channel, axis=-1).max(-1)
    return int((x[..., channel] > others + 40).sum())


def test_layers_show_and_hide():
    every = picture(set(figures.LAYERS))
    only_d = picture({"D(x)"})
    nothing = picture(set())
    assert every.shape[0] == only_d.shape[0] and every.shape[1] > only_d.shape[1]  # D* adds a second panel
    assert near(nothing, (253, 233, 201), 30) == 0 and near(only_d, (253, 233, 201), 60) > 1000  # the heatmap
    assert tinted(picture({"Real"}), 2) > 100 and tinted(nothing, 2) == 0  # blue dots: the data
    assert tinted(picture({"Generated"}), 0) > 10 and tinted(nothing, 0) == 0  # orange dots: G's samples


def test_the_loss_charts_words_and_ticks_stay_off_the_curves():
    """The 2D lab's equilibrium labels stand right of the plot, not on the curves' start; the
    Training Lab's D-output axis has its own round ticks, not the loss grid's 0.029 / 0.294 / ..."""
    from ui.train import panels

    spec = figures.losses(
        {"step": [1, 2], "d_loss": [1.4, 1.3], "g_loss": [0.7, 0.8], "d_real": [0.5, 0.6], "d_fake": [0.5, 0.4]}
    ).to_dict()
    notes = spec["layout"]["annotations"]
    assert {a["text"].split(":")[0] for a in notes} == {"log 4", "log 2", "½"}
    assert all(a["x"] >= 1 and a["xanchor"] == "left" for a in notes)  # in the right margin
    assert spec["layout"]["margin"]["r"] >= 6 * max(len(a["text"]) for a in notes)  # ~6 px a character at 10 px
    snap = type("S", (), {"history": {"step": [1, 2], "d_loss": [1.4, 1.3], "d_real": [0.6, 0.7]}, "events": []})()
    axis = panels.loss_chart([("run", snap)]).layout.yaxis2
    assert list(axis.tickvals) == [0, 0.25, 0.5, 0.75, 1] and tuple(axis.range) == (0, 1)
