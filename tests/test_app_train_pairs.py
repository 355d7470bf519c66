"""AppTest: the image-to-image presets in the Training Lab train live, with (edges | G | real) triples."""

import pytest

from tests import helpers
from tests.test_app_train import page, small_runs  # noqa: F401 (the fixture: tiny data, capped runs)


@pytest.mark.parametrize(
    ("preset", "family", "series", "says", "frames"),
    [
        ("pix2pix-l1-only", "pix2pix", "l1", "Test edges → G's picture", 18),  # its L1-only path; test_pix2pix covers both terms
        ("srgan-mnist", "srgan", "content", "Test 7×7 inputs → G's 28×28", 18),  # 6 fixed pairs: input, G's picture, the real one
        ("cyclegan-thick-mnist", "cyclegan", "cycle", "Test digit A → G_AB(A)", 32),  # 8 fixed digits: A, to B, back, the true B
    ],
)
def test_image_to_image_presets_train_live_with_their_series_and_triples(preset, family, series, says, frames):
    at = page()
    at.selectbox(key="setup.preset").select(preset).run()
    assert any(name in at.caption[0].value for name in ("Isola", "ablation", "Ledig", "Zhu"))
    assert at.selectbox(key=f"setup.{preset}.family").value == family
    at.button(key="setup.start").click().run()
    from ui.common.state import registry

    run = registry().owned(at.session_state["train.run"], at.session_state["owner"])
    helpers.wait_for(lambda: run.snapshot.step >= 10 and run.snapshot.grid is not None, 60)
    at.run()
    assert not at.exception and at.get("image")
    assert run.snapshot.grid.shape == (frames, 28, 28, 1)
    assert series in run.snapshot.history and len(run.snapshot.history[series]) >= 1
    assert any(says in c for i in at.get("image") for c in i.captions)


def test_pix2pix_on_another_dataset_is_refused_in_words():
    at = page()
    at.selectbox(key="setup.preset").select("pix2pix-edges-shoes").run()
    at.selectbox(key="setup.pix2pix-edges-shoes.dataset").select("fashion").run()
    at.button(key="setup.start").click().run()
    assert not at.exception and "train it on shoes" in " ".join(e.value for e in at.error)
