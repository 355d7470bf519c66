"""AppTest: every widget of the three explore pages, on tiny checkpoints and on the shipped ones."""

from pathlib import Path

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from gancore.base.config import ModelConfig, TrainConfig
from gancore.io import checkpoints
from gancore.io.runstate import RunState
from gancore.models.acgan import AcganConfig
from gancore.models.catalog import build
from gancore.models.cgan import CganConfig
from gancore.models.dcgan import DcganConfig
from gancore.models.infogan import InfoGanConfig
from gancore.models.mlp import MlpConfig
from gancore.models.text2digit import Text2DigitConfig
from gancore.models.toy import ToyConfig
from ui.common import state

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = {
    "infogan-mnist": InfoGanConfig(latent_dim=62, width=0.125),
    "cgan-mnist": CganConfig(width=0.125),
    "dcgan-mnist": DcganConfig(width=0.125),
    "mlp-mnist": MlpConfig(),
    "acgan-mnist": AcganConfig(width=0.125),
    "text2digit-mnist": Text2DigitConfig(width=0.125),
}


def make_checkpoint(folder: Path, name: str, cfg: ModelConfig, dataset: str = "mnist") -> Path:
    torch.manual_seed(0)
    g, d = build(cfg)
    return checkpoints.save(
        folder / name, RunState(g.state_dict(), d.state_dict(), step=7), cfg, TrainConfig(dataset=dataset), dataset=dataset
    )


@pytest.fixture
def tiny_shipped(monkeypatch, tmp_path, tiny_images):
    """Untrained small checkpoints of each family stand in for the shipped ones; data is tiny."""
    import gancore.data.images
    import gancore.data.sampler
    import ui.common.state

    shipped, saved = tmp_path / "shipped", tmp_path / "saved"
    for name, cfg in FAMILIES.items():
        make_checkpoint(shipped, name, cfg)
    monkeypatch.setattr(ui.common.state, "SHIPPED_DIR", shipped)
    monkeypatch.setenv("GAN_EXPLORER_SAVED", str(saved))
    monkeypatch.setattr(gancore.data.sampler, "load_dataset", lambda *a, **k: tiny_images)
    monkeypatch.setattr(gancore.data.images, "load_images", lambda *a, **k: tiny_images)
    from gancore.explore import sampling

    sampling.training_pool.cache_clear()
    yield shipped
    sampling.training_pool.cache_clear()


def page(name: str) -> AppTest:
    """The page inside the real app frame (navigation and sidebar), as a user reaches it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def images(at) -> list:
    return list(at.get("image"))


def pick_model(at, key: str, stem: str) -> AppTest:
    box = at.selectbox(key=key)
    label = next(o for o in box.options if o.startswith(stem))
    box.set_value(label).run()
    assert not at.exception, at.exception
    return at


# ----------------------------------------------------------------------------- InfoGAN page


def test_infogan_page_opens_on_its_checkpoint_and_every_widget_works(tiny_shipped):
    at = page("infogan")
    assert at.selectbox(key="info.source").value.startswith("infogan-mnist")
    assert at.selectbox(key="info.cat").options[0].startswith("c1 = 0 (looks like")  # the classifier's reading
    n_images = len(images(at))
    assert n_images >= 3  # the batch and two traversals
    at.selectbox(key="info.cat").set_value(3).run()
    at.slider(key="info.c2").set_value(-2.0).run()
    at.slider(key="info.c3").set_value(1.5).run()
    assert not at.exception
    seed = at.number_input(key="info.seed").value
    at.button(key="info.reroll").click().run()
    assert at.number_input(key="info.seed").value == seed + 1
    at.number_input(key="info.seed").set_value(42).run()
    assert not at.exception and len(images(at)) == n_images


@pytest.mark.parametrize(
    ("page_name", "key", "stem", "needs"),
    [("infogan", "info", "mlp-mnist", "an InfoGAN"), ("conditional", "cond", "dcgan-mnist", "a conditional GAN")],
)
def test_wrong_kind_of_model_gets_a_message_and_a_way_forward(tiny_shipped, page_name, key, stem, needs):
    at = pick_model(page(page_name), f"{key}.source", stem)
    text = " ".join(w.value for w in at.warning)
    assert needs in text and "Training Lab" in text
    assert not images(at)


def test_toy_checkpoint_is_refused_on_the_latent_page(tiny_shipped):
    make_checkpoint(tiny_shipped, "toy-gauss", ToyConfig(latent_dim=2), dataset="gaussian")
    at = pick_model(page("latent"), "lat.source", "toy-gauss")
    assert "2D toy GAN" in " ".join(w.value for w in at.warning)


def test_no_checkpoints_at_all_says_where_to_get_them(tiny_shipped, monkeypatch, tmp_path):
    import ui.common.state

    monkeypatch.setattr(ui.common.state, "SHIPPED_DIR", tmp_path / "empty")
    at = page("conditional")
    assert "No checkpoints found" in at.warning[0].value


# ----------------------------------------------------------------------------- conditional page


def test_conditional_page_all_classes_and_one_class(tiny_shipped):
    at = page("conditional")
    assert at.selectbox(key="cond.source").value.startswith("cgan-mnist")
    assert at.selectbox(key="cond.class").value == "*"  # shown as "All classes"
    assert at.metric[0].label.startswith("Classifier agrees")
    at.selectbox(key="cond.class").set_value("7").run()
    assert any("of class '7'" in c for i in images(at) for c in i.captions)
    at.slider(key="cond.cols").set_value(5).run()
    at.button(key="cond.reroll").click().run()
    assert at.number_input(key="cond.seed").value == 1
    assert not at.exception


def test_conditional_page_sets_cgan_beside_acgan_on_the_same_class(tiny_shipped):
    at = page("conditional")
    assert at.selectbox(key="cond.cgan.source").value.startswith("cgan-mnist")
    assert at.selectbox(key="cond.acgan.source").value.startswith("acgan-mnist")
    labels = [m.label for m in at.metric]
    assert labels.count("Classifier agrees") == 2 and labels.count("Variety") == 2 and labels.count("Its D agrees") == 2
    d_agrees = [m.value for m in at.metric if m.label == "Its D agrees"]
    assert d_agrees[0] == "–" and d_agrees[1].endswith("%")  # only ACGAN's D names classes
    assert any("vs real" in (m.delta or "") for m in at.metric if m.label == "Variety")
    before = len(images(at))
    at.selectbox(key="cond.cmp.class").set_value("3").run()
    at.slider(key="cond.cmp.n").set_value(16).run()
    at.number_input(key="cond.cmp.seed").set_value(5).run()
    at.slider(key="cond.psi").set_value(0.5).run()  # truncation: the main grid and both columns
    assert not at.exception and len(images(at)) == before
    assert len(at.get("download_button")) == 3  # the grid and each column, as PNG
    assert any("16 × '3'" in c for i in images(at) for c in i.captions)


def test_conditional_page_takes_an_acgan_as_its_main_model_and_refuses_a_mixed_pair(tiny_shipped):
    at = pick_model(page("conditional"), "cond.source", "acgan-mnist")
    assert at.metric[0].label.startswith("Classifier agrees") and not at.exception
    make_checkpoint(tiny_shipped, "acgan-fashion", AcganConfig(width=0.125), dataset="fashion")
    at = pick_model(page("conditional"), "cond.acgan.source", "acgan-fashion")
    assert "different data" in " ".join(w.value for w in at.warning)
    at = pick_model(page("conditional"), "cond.acgan.source", "cgan-mnist")
    assert "an ACGAN" in " ".join(w.value for w in at.warning)


# ----------------------------------------------------------------------------- text to digit page


def test_text_page_draws_a_sentence_and_says_what_it_read(tiny_shipped):
    at = page("text2digit")
    assert at.selectbox(key="text.source").value.startswith("text2digit-mnist")
    assert at.text_input(key="text.sentence").value == "a thick 7 leaning right"
    assert len(images(at)) == 2  # the samples and the strip
    assert any("Read:" in c.value and "**thick**" in c.value for c in at.caption)
    assert at.metric[0].label == "Classifier sees a 7"
    at.text_input(key="text.sentence").set_value("please draw a skinny seven").run()
    assert any("ignored (unknown): please, draw" in c.value for c in at.caption)
    at.slider(key="text.n").set_value(8).run()
    at.slider(key="text.psi").set_value(0.4).run()
    assert len(at.get("download_button")) == 2  # the drawings (PNG) and the strip (GIF)
    at.button(key="text.reroll").click().run()
    assert at.number_input(key="text.seed").value == 1 and not at.exception
    assert any("8 drawings" in c for i in images(at) for c in i.captions)


@pytest.mark.parametrize(
    ("sentence", "kind", "says"),
    [
        ("bonjour le monde", "warning", "none of these words"),
        ("the a an", "warning", "none of these words"),
        ("a thick one leaning left", "metric", "Classifier sees a 1"),
        ("thick and leaning right", "info", "No digit named"),
        ("a 3 and an 8", "info", "Several digits named (3, 8)"),
    ],
)
def test_text_page_answers_every_kind_of_sentence_in_words(tiny_shipped, sentence, kind, says):
    at = page("text2digit")
    at.text_input(key="text.sentence").set_value(sentence).run()
    assert not at.exception
    found = [m.label for m in at.metric] if kind == "metric" else [w.value for w in getattr(at, kind)]
    assert any(says in f for f in found), found


def test_text_page_interpolates_between_two_sentences(tiny_shipped):
    at = page("text2digit")
    at.slider(key="text.steps").set_value(5).run()
    at.text_input(key="text.to").set_value("a bold 4 tilted right").run()
    assert any("→ “a bold 4 tilted right”" in c for i in images(at) for c in i.captions)
    at.text_input(key="text.from").set_value("xyz").run()
    assert "cannot read one of them" in at.warning[0].value and len(images(at)) == 1  # the samples still show
    assert not at.exception


# ----------------------------------------------------------------------------- the shipped checkpoints


@pytest.mark.parametrize(
    ("name", "key", "default"),
    [
        ("infogan", "info", "infogan-mnist"),
        ("latent", "lat", "dcgan-mnist"),
        ("conditional", "cond", "cgan-mnist"),
        ("conditional", "cond.acgan", "acgan-mnist"),
        ("text2digit", "text", "text2digit-mnist"),
    ],
)
def test_pages_open_on_the_shipped_checkpoints(name, key, default):
    if not (ROOT / "checkpoints" / f"{default}.safetensors").is_file():
        pytest.fail(f"checkpoints/{default}.safetensors is missing: run scripts/train_checkpoints.sh")
    at = page(name)
    assert at.selectbox(key=f"{key}.source").value.startswith(f"{default} (shipped")
    assert images(at)
    assert np.all([not w.value for w in at.warning])


def test_the_first_visit_loads_the_shipped_mnist_checkpoints_once_in_the_background():
    """The exploring pages open on shipped MNIST checkpoints: the app's first run starts loading them,
    once per server, so a class that opens the InfoGAN page together does not wait for its first reader."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    worker = state.warm_shipped()
    worker.join(120)
    loaded = {Path(path).name for path, _mtime in state._loaded_once()}
    assert {"infogan-mnist.safetensors", "dcgan-mnist.safetensors"} <= loaded
    assert state.warm_shipped() is worker  # the same thread: once per server
    at.run()
    assert state.warm_shipped() is worker
