"""AppTest: every widget of the Image to image page, on tiny pix2pix checkpoints and on the shipped ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from gancore.base.paths import SHIPPED_DIR
from gancore.data import tasks
from gancore.models.cyclegan import CycleConfig
from gancore.models.dcgan import DcganConfig
from gancore.models.pix2pix import Pix2PixConfig
from gancore.models.srgan import SrganConfig
from tests.test_app_explore import make_checkpoint, page


@pytest.fixture
def tiny_pix2pix(monkeypatch, tmp_path, tiny_images):
    """Untrained tiny pix2pix checkpoints stand in for the shipped pair; every image set is tiny."""
    import gancore.data.images
    import ui.common.state

    shipped = tmp_path / "shipped"
    make_checkpoint(shipped, "pix2pix-mnist", Pix2PixConfig(width=0.125))
    make_checkpoint(shipped, "pix2pix-mnist-l1", Pix2PixConfig(width=0.125, objective="l1"))
    make_checkpoint(shipped, "srgan-mnist", SrganConfig(width=0.125, blocks=1))
    make_checkpoint(shipped, "cyclegan-mnist", CycleConfig(width=0.125, blocks=1))
    monkeypatch.setattr(ui.common.state, "SHIPPED_DIR", shipped)
    monkeypatch.setenv("GAN_EXPLORER_SAVED", str(tmp_path / "saved"))
    monkeypatch.setattr(gancore.data.images, "load_images", lambda *a, **k: tiny_images)
    tasks._test_set.cache_clear()
    yield shipped
    tasks._test_set.cache_clear()


def captions(at) -> list[str]:
    """Every caption on the page: st.caption's and the pictures' own."""
    return [c.value for c in at.caption] + [c for i in at.get("image") for c in i.captions]


def test_a_test_image_beside_pix2pix_and_l1_alone(tiny_pix2pix):
    at = page("img2img")
    assert at.selectbox(key="img2img.source").value.startswith("pix2pix-mnist")
    shown = " ".join(captions(at))
    assert "L1 distance to the real picture" in shown and "8 dropout masks" in shown
    assert len(at.get("image")) >= 5  # input, pix2pix, the real one, L1 alone, the 8 re-rolls
    at.button(key="img2img.next").click().run()
    assert at.number_input(key="img2img.index").value == 1 and not at.exception
    at.number_input(key="img2img.index").set_value(255).run()
    at.button(key="img2img.next").click().run()
    assert at.number_input(key="img2img.index").value == 0  # wraps at the end of the test set
    assert "What to conclude" in " ".join(s.value for s in at.success)
    before = [c for c in captions(at) if "dropout masks" in c]
    at.number_input(key="img2img.seed").set_value(7).run()  # G's noise, re-rolled
    assert before and [c for c in captions(at) if "dropout masks" in c] and not at.exception


def test_draw_and_upload_start_with_a_way_forward(tiny_pix2pix):
    at = page("img2img")
    at.radio(key="img2img.how").set_value("draw").run()
    assert not at.exception and any("canvas is empty" in i.value for i in at.info)
    at.radio(key="img2img.how").set_value("upload").run()
    assert not at.exception and any("Upload a photo" in i.value for i in at.info)
    at.radio(key="img2img.kind").set_value("an edge drawing").run()
    assert not at.exception


def test_a_model_of_another_kind_gets_a_message(tiny_pix2pix):
    make_checkpoint(tiny_pix2pix, "dcgan-mnist", DcganConfig(width=0.125))
    at = page("img2img")
    labels = at.selectbox(key="img2img.source").options
    at.selectbox(key="img2img.source").set_value(next(x for x in labels if x.startswith("dcgan"))).run()
    assert any("needs a pix2pix model" in w.value for w in at.warning) and not at.exception


def test_srgan_shows_bicubic_srresnet_and_srgan_with_psnr_and_ssim(tiny_pix2pix, monkeypatch):
    from gancore.explore import superres
    from gancore.models.catalog import build

    base, _ = build(SrganConfig(width=0.125, blocks=1, objective="mse"))
    monkeypatch.setattr(superres, "shipped_generator", lambda name: base.eval())
    at = page("img2img")
    srgan = next(x for x in at.selectbox(key="img2img.source").options if x.startswith("srgan-mnist"))
    at.selectbox(key="img2img.source").set_value(srgan).run()
    shown = captions(at)
    assert not at.exception
    for name in ("bicubic —", "SRResNet (MSE) —", "SRGAN —", "shrunk to 7 × 7", "The original"):
        assert any(name in c for c in shown), name
    assert sum("dB · SSIM" in c for c in shown) == 3
    at.radio(key="img2img.how").set_value("draw").run()
    assert not at.exception and any("thick brush" in c for c in shown + captions(at))


def test_cyclegan_shows_the_round_trip_both_ways(tiny_pix2pix):
    at = page("img2img")
    cyc = next(x for x in at.selectbox(key="img2img.source").options if x.startswith("cyclegan-mnist"))
    at.selectbox(key="img2img.source").set_value(cyc).run()
    assert not at.exception
    for name in ("Input: test image 0", "To thick", "Back to thin", "True thick (unseen)"):
        assert any(name in c for c in captions(at)), name
    assert any("Cycle error" in c and "translation" in c for c in captions(at))
    at.radio(key="img2img.direction").set_value(at.radio(key="img2img.direction").options[1]).run()
    for name in ("To thin", "Back to thick", "True thin (unseen)"):
        assert any(name in c for c in captions(at)), name
    at.radio(key="img2img.how").set_value("upload").run()
    assert not at.exception and not any("It is" in r.label for r in at.radio)  # no outline question for CycleGAN
    at.radio(key="img2img.how").set_value("draw").run()
    assert not at.exception and any("canvas is empty" in i.value for i in at.info)


@pytest.mark.skipif(not (SHIPPED_DIR / "pix2pix-mnist.safetensors").is_file(), reason="the shipped pix2pix checkpoints")
def test_shipped_checkpoints_open_the_page():
    at = page("img2img")
    assert not at.exception and Path(at.selectbox(key="img2img.source").value).stem.startswith("pix2pix-mnist")
    shoes = next(x for x in at.selectbox(key="img2img.source").options if "pix2pix-shoes" in x)
    at.selectbox(key="img2img.source").set_value(shoes).run()
    assert not at.exception and any("Sneaker" in c or "Sandal" in c or "Ankle boot" in c for c in captions(at))
