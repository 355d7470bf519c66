"""Image to image at inference: pictures from a drawing or an upload (untrusted), and G's dropout
noise on request without touching the shared G."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
from PIL import Image

from gancore.base.errors import PictureError
from gancore.explore import translate
from gancore.models.catalog import build
from gancore.models.common import Dropout, set_hacks
from gancore.models.pix2pix import Pix2PixConfig


@pytest.fixture
def g():
    torch.manual_seed(0)
    g, d = build(Pix2PixConfig(width=0.25))
    set_hacks(g, d, g_slope=0.0, d_slope=0.2, g_dropout=0.5)
    return g.eval()


def png(array: np.ndarray, mode: str = "L") -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array, mode).save(buf, "PNG")
    return buf.getvalue()


def source() -> torch.Tensor:
    x = -torch.ones(1, 1, 28, 28)
    x[0, 0, 6:22, 8] = x[0, 0, 6:22, 19] = 1
    return x


def test_a_drawing_becomes_an_edge_map():
    assert translate.from_drawing(None) is None
    assert translate.from_drawing(np.zeros((280, 280, 4), np.uint8)) is None  # an empty canvas
    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[..., 3] = 255
    canvas[40:240, 60:74, :3] = 255  # one white stroke 14 px wide: 1.4 cells at 28 x 28
    pic = translate.from_drawing(canvas)
    assert pic.shape == (1, 1, 28, 28) and pic.min() == -1 and pic.max() == 1
    e = translate.as_edge_map(pic)
    assert set(e.unique().tolist()) == {-1.0, 1.0}
    assert (e[0, 0, 4:24, 6] == 1).all() and (e[0, 0, :, 20] == -1).all()


def test_uploads_are_read_inverted_and_edged():
    ink_on_paper = np.full((56, 56), 255, np.uint8)
    ink_on_paper[10:46, 20:36] = 0  # a dark block on white paper
    picture = translate.from_upload(png(ink_on_paper))
    assert picture[0, 0, 14, 14] == 1  # inverted: light ink on dark, as MNIST
    as_picture = translate.source_for(picture, "mnist", edge_map=False)
    assert as_picture.shape == (1, 1, 28, 28)
    assert as_picture[0, 0, 14, 9] == 1 and as_picture[0, 0, 14, 14] == -1  # the outline, not the (inverted) ink
    as_edges = translate.source_for(picture, "mnist", edge_map=True)
    assert as_edges[0, 0, 14, 14] == 1  # taken as it is (after inverting)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"not a picture at all", "not a picture"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a picture"),
        (b"x" * (translate.MAX_UPLOAD_BYTES + 1), "MB"),
    ],
)
def test_bad_uploads_are_refused_in_words(data, said):
    with pytest.raises(PictureError, match=said) as refused:
        translate.from_upload(data)
    assert "object at" not in str(refused.value) and "<" not in str(refused.value)  # the app's words, no Python repr


def test_a_decompression_bomb_is_refused_before_decoding():
    big = Image.new("1", (5000, 5000))  # 25 M pixels in a few KB
    buf = io.BytesIO()
    big.save(buf, "PNG")
    assert len(buf.getvalue()) < 100_000
    with pytest.raises(PictureError, match="5,000 x 5,000"):
        translate.from_upload(buf.getvalue())


def test_dropout_noise_is_seeded_and_leaves_the_shared_g_alone(g):
    x = source()
    plain = translate.translate(g, x)
    assert torch.equal(plain, translate.translate(g, x))  # dropout off: one answer
    a, b = translate.translate(g, x, seed=1), translate.translate(g, x, seed=2)
    assert torch.equal(a, translate.translate(g, x, seed=1)) and not torch.equal(a, b)
    assert all(not m.training for m in g.modules() if isinstance(m, Dropout))  # the cached G never changes
    outs, spread = translate.rerolls(g, x, [1, 2, 3])
    assert outs.shape == (3, 1, 28, 28) and torch.equal(outs[0:1], a) and spread > 0
    assert translate.rerolls(g, x, [4])[1] == 0.0


def test_cycle_runs_the_round_trip_either_way():
    class Shift(torch.nn.Module):
        def __init__(self, by: float) -> None:
            super().__init__()
            self.by = by

        def forward(self, x):
            return x + self.by

    g = torch.nn.Module()
    g.ab, g.ba = Shift(0.5), Shift(-0.25)
    x = torch.zeros(2, 1, 28, 28)
    there, back = translate.cycle(g, x)
    assert torch.allclose(there, x + 0.5) and torch.allclose(back, x + 0.25)  # A -> B -> A
    there, back = translate.cycle(g, x, forward=False)
    assert torch.allclose(there, x - 0.25) and torch.allclose(back, x + 0.25)  # B -> A -> B
