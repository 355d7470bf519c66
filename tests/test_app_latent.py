"""AppTest: the Latent space page — interpolation, vector arithmetic (by slant, by class for the
conditional models), the memorisation check, and a live run as its source."""

import pytest

from gancore.base.config import TrainConfig
from gancore.models.mlp import MlpConfig
from tests.test_app_explore import images, page, pick_model, tiny_shipped  # noqa: F401 (the fixture: tiny checkpoints and data)

pytestmark = pytest.mark.usefixtures("tiny_shipped")


def test_latent_page_interpolation_arithmetic_and_memorisation():
    at = page("latent")
    assert at.selectbox(key="lat.source").value.startswith("dcgan-mnist")
    at.selectbox(key="lat.a").set_value(2).run()
    at.selectbox(key="lat.b").set_value(5).run()
    at.slider(key="lat.steps").set_value(4).run()
    at.radio(key="lat.method").set_value("lerp").run()
    assert any("4 steps from #2 to #5 by lerp" in c for i in images(at) for c in i.captions)
    assert not any("Pick at least one" in i.value for i in at.info)  # the arithmetic view is not shown yet
    at.segmented_control(key="lat.view").set_value("➕ Vector arithmetic").run()
    at.multiselect(key="lat.ga").set_value([0]).run()
    at.slider(key="lat.scale").set_value(0.5).run()
    at.multiselect(key="lat.gb").set_value([]).run()
    assert any("Pick at least one" in i.value for i in at.info)
    at.segmented_control(key="lat.view").set_value("🔍 Memorisation check").run()
    at.selectbox(key="lat.mem").set_value(3).run()
    at.button(key="lat.reroll").click().run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Nearest in pixels" in text and "Nearest in classifier features" in text


def test_latent_page_chooses_arithmetic_groups_by_slant():
    at = pick_model(page("latent"), "lat.source", "dcgan-mnist")
    at.segmented_control(key="lat.view").set_value("➕ Vector arithmetic").run()
    at.button(key="lat.byslant").click().run()
    groups = [at.multiselect(key=f"lat.g{x}").value for x in "abc"]
    assert all(len(gr) == 3 for gr in groups) and not set(groups[0]) & set(groups[1])
    assert any("lean right" in c.value for c in at.caption)
    at.multiselect(key="lat.ga").set_value([0]).run()  # the user's own groups: the explanation goes
    assert not any("lean right" in c.value for c in at.caption) and not at.exception


@pytest.mark.parametrize("model", ["cgan-mnist", "acgan-mnist"])
def test_latent_page_conditional_model_offers_same_style_other_digit(model):
    at = pick_model(page("latent"), "lat.source", model)
    at.segmented_control(key="lat.view").set_value("➕ Vector arithmetic").run()
    at.selectbox(key="lat.style").set_value(4).run()
    assert not at.exception
    assert "Same style, other digit" in " ".join(m.value for m in at.markdown)
    # arithmetic by class: A and B one digit (slant alone), C another, the result drawn as C's class
    assert [at.selectbox(key=f"lat.k{x}").value for x in "abc"] == [7, 7, 1]
    at.selectbox(key="lat.kc").set_value(3).run()
    at.button(key="lat.byslant").click().run()
    shown = [c for i in images(at) for c in i.captions]
    assert any("as 7s" in c for c in shown) and any("C: " in c and "as 3s" in c for c in shown)
    assert any("the result as C's (3)" in c for c in shown)
    assert any("slant alone" in c.value for c in at.caption) and not at.exception


def test_latent_page_follows_a_live_run(monkeypatch, tiny_images):
    import gancore.runs.engine as engine
    from ui.common.state import registry

    monkeypatch.setattr(engine, "load_dataset", lambda *a, **k: tiny_images)
    reg = registry()
    run = reg.create("someone", MlpConfig(), TrainConfig(dataset="mnist", batch_size=16, max_steps=5), label="tiny mlp")
    try:
        for _ in range(200):
            if run.snapshot.g_state is not None and run.snapshot.status != "loading":
                break
            run.join(0.05)
        at = pick_model(page("latent"), "lat.source", f"live run {run.run_id}")
        assert any("live run" in c.value for c in at.caption)
    finally:
        reg.shutdown()
