"""AppTest: every widget of the Building blocks and GAN theory pages, and the links between pages."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gancore import presets

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.usefixtures("app_env")


def page(path: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def chart(at, key: str) -> dict:
    """A Plotly chart's spec, found by its key (the element id ends with it)."""
    import json

    for el in at.get("plotly_chart"):
        if el.proto.id.endswith(key):
            return json.loads(el.proto.spec)
    raise AssertionError(f"no chart {key}")


def changed(at, widget, value, key: str) -> AppTest:
    """Set a widget, rerun, and return the app: no exception, and the chart ``key`` is redrawn differently."""
    before = chart(at, key)
    widget.set_value(value).run()
    assert not at.exception, at.exception
    assert chart(at, key) != before, f"{key} did not change"
    return at


# ---------------------------------------------------------------- Building blocks
def test_init_widgets_change_the_histograms_and_the_lecture_results_show():
    at = page("pages/blocks.py")
    assert at.radio(key="blocks.init").value == "std1" and at.radio(key="blocks.init_act").value == "sigmoid"
    assert all(int(metric(at, f"Layer {i}").rstrip("%")) > 60 for i in range(1, 6))  # piled at 0 and 1
    changed(at, at.radio(key="blocks.init"), "std0.01", "blocks.init_chart")
    assert all(metric(at, f"Layer {i}") == "0%" for i in range(1, 6))
    changed(at, at.radio(key="blocks.init_act"), "relu", "blocks.init_chart")
    changed(at, at.radio(key="blocks.init"), "he", "blocks.init_chart")
    changed(at, at.toggle(key="blocks.init_bn"), True, "blocks.init_chart")
    assert any("√(2/n)" in c.value and "2/√n" in c.value for c in at.caption)  # the lecture's slip, named


def test_activation_and_dead_neuron_widgets():
    at = page("pages/blocks.py")
    changed(at, at.slider(key="blocks.slope"), 0.4, "blocks.act_chart")
    assert metric(at, "ReLU: final loss") == "0.8301"  # bias −2: dead from the first step, loss never moves
    assert float(metric(at, "LeakyReLU: final loss")) < 0.01
    changed(at, at.slider(key="blocks.bias"), 0.5, "blocks.dead_chart")
    assert float(metric(at, "ReLU: final loss")) < 0.01  # alive: it learns
    at.slider(key="blocks.bias").set_value(-2.0).run()
    changed(at, at.slider(key="blocks.dead_slope"), 0.01, "blocks.dead_chart")


def test_transposed_convolution_widgets_and_ratios():
    at = page("pages/blocks.py")
    assert metric(at, "Uneven overlap in 1D (max/min stamps)") == "2×" and metric(at, "Uneven overlap in 2D") == "4×"
    changed(at, at.slider(key="blocks.kernel"), 4, "blocks.coverage_chart")
    assert metric(at, "Uneven overlap in 2D") == "1×"
    changed(at, at.slider(key="blocks.stride"), 3, "blocks.matrix_chart")
    changed(at, at.slider(key="blocks.size"), 6, "blocks.matrix_chart")
    changed(at, at.slider(key="blocks.padding"), 1, "blocks.matrix_chart")
    at.slider(key="blocks.kernel").set_value(1).run()
    assert metric(at, "Uneven overlap in 1D (max/min stamps)") == "gaps"
    at.slider(key="blocks.size").set_value(2).run()
    at.slider(key="blocks.padding").set_value(3).run()  # crops away the whole output: a message, not a traceback
    assert not at.exception and any("crops away" in w.value for w in at.warning)
    assert metric(at, "Resize + conv") == "0.000"
    changed(at, at.number_input(key="blocks.g_seed"), 7, "blocks.checker_chart")


def test_dropout_and_batchnorm_widgets():
    at = page("pages/blocks.py")
    changed(at, at.slider(key="blocks.dropout"), 0.8, "blocks.dropout_chart")
    assert any("expected 20%" in c.value for c in at.caption)
    changed(at, at.select_slider(key="blocks.batch"), 256, "blocks.bn_chart")
    assert float(metric(at, "x₀ in training: spread").lstrip("±")) < 0.1
    at.select_slider(key="blocks.batch").set_value(2).run()
    assert float(metric(at, "x₀ in training: spread").lstrip("±")) > 0.6


# ---------------------------------------------------------------- GAN theory
def test_dstar_widgets_and_the_equilibrium():
    at = page("pages/theory.py")
    assert float(metric(at, "V(D*, G)")) == pytest.approx(float(metric(at, "−log 4 + 2·JSD")), abs=1e-4)
    for key, value in (
        ("theory.m1", -3.0),
        ("theory.m2", 3.0),
        ("theory.s", 1.0),
        ("theory.w", 0.8),
        ("theory.gm", 1.0),
        ("theory.gs", 0.5),
    ):
        changed(at, at.slider(key=key), value, "theory.dstar_chart")
    changed(at, at.slider(key="theory.w"), 1.0, "theory.dstar_chart")  # one bump only: a zero share drops the other
    changed(at, at.slider(key="theory.t"), 1.0, "theory.dstar_chart")
    assert metric(at, "V(D*, G)") == "-1.3863" and metric(at, "JSD(p_data ‖ p_g)") == "0.0000"
    shown = [v for v in chart(at, "theory.dstar_chart")["data"][2]["y"] if v is not None]
    assert {round(v, 6) for v in shown} == {0.5}  # D* ≡ ½


def test_g_loss_widget_and_links_to_the_training_lab():
    at = page("pages/theory.py")
    assert metric(at, "Saturating: gradient") == "-0.010" and metric(at, "Non-saturating: gradient") == "-0.990"
    changed(at, at.select_slider(key="theory.d"), 0.5, "theory.loss_chart")
    assert metric(at, "Saturating: gradient") == "-0.500" and metric(at, "Ratio") == "1×"
    links = {el.proto.label: el.proto for el in at.main.get("page_link")}
    assert links["Training Lab with the saturating loss"].query_string == "loss=minimax"
    assert links["Training Lab with the non-saturating loss"].query_string == "loss=non_saturating"
    assert links["Grid of 25, PacGAN's recipe"].query_string == "target=grid25&recipe=pacgan"


def test_dirac_widgets_reproduce_the_three_behaviours():
    at = page("pages/theory.py")
    assert metric(at, "… after 500 steps") == "3.1"
    changed(at, at.radio(key="theory.update"), "alternating", "theory.dirac_chart")
    assert metric(at, "… after 500 steps") == "1.41"
    changed(at, at.selectbox(key="theory.reg"), "gp", "theory.dirac_chart")
    assert float(metric(at, "… after 500 steps")) < 1e-3
    changed(at, at.slider(key="theory.gamma"), 1.0, "theory.dirac_chart")
    changed(at, at.slider(key="theory.h"), 0.5, "theory.dirac_chart")
    changed(at, at.slider(key="theory.steps"), 1000, "theory.dirac_chart")
    assert any(m.label == "… after 1000 steps" for m in at.metric)
    changed(at, at.selectbox(key="theory.reg"), "wgan-clip", "theory.dirac_chart")
    changed(at, at.slider(key="theory.clip"), 0.5, "theory.dirac_chart")
    changed(at, at.selectbox(key="theory.reg"), "instance-noise", "theory.dirac_chart")
    changed(at, at.slider(key="theory.noise"), 1.0, "theory.dirac_chart")
    at.selectbox(key="theory.reg").set_value("wgan-gp").run()
    at.radio(key="theory.update").set_value("simultaneous").run()
    at.slider(key="theory.h").set_value(1.0).run()  # a wild step size: the path leaves the picture, no traceback
    assert not at.exception


def test_js_blind_spot_and_collapse_widgets():
    at = page("pages/theory.py")
    assert metric(at, "JS") == metric(at, "log 2") == "0.6931" and metric(at, "Wasserstein-1") == "0.5000"
    changed(at, at.slider(key="theory.theta"), 0.0, "theory.lines_chart")
    assert metric(at, "JS") == "0.0000" and metric(at, "Wasserstein-1") == "0.0000"
    changed(at, at.select_slider(key="theory.width"), 0.3, "theory.lines_chart")
    changed(at, at.radio(key="theory.collapse"), "smeared", "theory.collapse_chart")
    rows = at.dataframe[0].value
    assert list(rows["G"]) == ["on one bump (collapsed)", "smeared over both", "on both bumps"]


# ---------------------------------------------------------------- links land where they point
def test_training_lab_link_opens_the_setup_with_that_loss():
    at = page("pages/train.py", loss="minimax")
    assert at.selectbox(key=f"setup.{presets.DEFAULT_PRESET}.loss").value == "minimax"
    assert any("saturating" in i.value or "minimax" in i.value for i in at.info)
    at.selectbox(key=f"setup.{presets.DEFAULT_PRESET}.loss").set_value("hinge").run()  # afterwards it is the user's
    assert at.selectbox(key=f"setup.{presets.DEFAULT_PRESET}.loss").value == "hinge"
    plain = page("pages/train.py", loss="no-such-loss")
    assert plain.selectbox(key=f"setup.{presets.DEFAULT_PRESET}.loss").value == presets.get(presets.DEFAULT_PRESET).train.hacks.loss


def test_toy_lab_link_opens_the_grid_with_pacgans_recipe():
    at = page("pages/toy2d.py", target="grid25", recipe="pacgan")
    assert at.selectbox(key="toy.target").value == "grid25"
    assert at.select_slider(key="toy.mix.pack").value == 2 and at.toggle(key="toy.mix.g_bn").value is True
    plain = page("pages/toy2d.py", target="grid25")
    assert plain.selectbox(key="toy.target").value == "grid25"
