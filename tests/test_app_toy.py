"""AppTest: every control of the 2D toy lab."""

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gancore import presets
from tests.helpers import wait_for

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.usefixtures("app_env")


def page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/toy2d.py").run()
    assert not at.exception, at.exception
    return at


def run_of(at):
    from ui.common.state import registry

    return registry().owned(at.session_state["toy.run"], at.session_state["owner"])


def until(at, pred, timeout=30):
    wait_for(pred, timeout)
    return at.run()


def test_gaussian_defaults_are_d2ls_and_a_run_shows_the_plane_and_numbers():
    at = page()
    assert at.selectbox(key="toy.target").value == "gaussian"
    assert at.number_input(key="toy.d2l.lr_d").value == 0.05 and at.number_input(key="toy.d2l.lr_g").value == 0.005
    assert at.slider(key="toy.d2l.g_layers").value == 0 and at.select_slider(key="toy.d2l.batch").value == 8
    at.button(key="toy.start").click().run()
    run = run_of(at)
    assert run.model_cfg.g_hidden == () and run.model_cfg.d_hidden == (5, 3) and run.train_cfg.optim.lr_d == 0.05
    at = until(at, lambda: run.snapshot.step > 50 and run.snapshot.d_state is not None)
    labels = [m.label for m in at.metric]
    assert {"KL(p_data ‖ p_g)", "JS(p_data, p_g)", "Mean error", "Covariance error"} <= set(labels)
    assert any("exact for d2l's linear G" in c.value for c in at.caption)
    if run.snapshot.status == "running":  # while it trains the browser paints the plane (ui/toy/live_canvas.py)
        (canvas,) = at.get("bidi_component")
        data = json.loads(canvas.proto.json)
        assert data["url"] is None  # AppTest serves no picture route: the fragment brings each picture
        assert len(data["picture"]["panels"]) == 2 and data["picture"]["step"] > 0  # D(x) and D*
        assert len(at.get("plotly_chart")) == 1  # the loss curves
    run.pause()
    at = until(at, lambda: run.snapshot.status == "paused")
    # paused: the interactive plane; both charts reach the browser whole (they skip Plotly's validation)
    plane, chart = (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
    assert [t["name"] for t in plane["data"]] == ["D(x)", "no mass", "D*", "real", "generated", "G's push (−∂L_G/∂x)", "G(noise lattice)"]
    assert any(v is None for row in plane["data"][2]["z"] for v in row)  # D* undrawn far from both densities (grey below)
    assert any("D* is undefined" in c.value for c in at.caption)
    assert len(plane["data"][0]["z"]) == 50 and plane["layout"]["xaxis2"]["anchor"] == "y2"
    assert [t["name"] for t in chart["data"]] == ["D loss", "G loss", "D(x)", "D(G(z))"] and len(chart["data"][0]["x"]) > 0


def test_mixture_recipe_pacgan_switch_and_mode_numbers():
    at = page()
    at.selectbox(key="toy.target").set_value("ring8").run()
    assert at.slider(key="toy.mix.g_layers").value == 4
    at.select_slider(key="toy.mix.pack").set_value(4).run()
    at.selectbox(key="toy.mix.loss").set_value("least_squares").run()
    at.selectbox(key="toy.mix.opt").set_value("sgd").run()
    at.selectbox(key="toy.mix.act").set_value("leaky_relu").run()
    at.slider(key="toy.mix.latent").set_value(3).run()
    at.slider(key="toy.mix.d_steps").set_value(2).run()
    at.select_slider(key="toy.mix.g_width").set_value(32).run()
    at.select_slider(key="toy.mix.d_width").set_value(32).run()
    at.slider(key="toy.mix.d_layers").set_value(2).run()
    at.number_input(key="toy.mix.epochs").set_value(5).run()
    at.toggle(key="toy.mix.g_bn").set_value(True).run()
    at.select_slider(key="toy.mix.maxout").set_value(3).run()
    at.toggle(key="toy.mix.decay").set_value(True).run()
    at.button(key="toy.start").click().run()
    run = run_of(at)
    m, t = run.model_cfg, run.train_cfg
    assert (m.pack, m.latent_dim, m.activation, m.g_hidden, m.d_hidden) == (4, 3, "leaky_relu", (32,) * 4, (32, 32))
    assert (m.g_batchnorm, m.d_maxout) == (True, 3)
    assert (t.hacks.loss, t.optim.optimizer, t.hacks.d_steps, t.optim.lr_decay) == ("least_squares", "sgd", 2, True)
    at = until(at, lambda: run.snapshot.d_state is not None and run.snapshot.step > 0)
    assert {"Modes captured", "High-quality samples"} <= {m.label for m in at.metric}


def test_pacgan_button_sets_the_widgets_to_the_toy_pacgan_preset():
    at = page()
    at.selectbox(key="toy.target").set_value("grid25").run()
    at.select_slider(key="toy.mix.pack").set_value(4).run()
    at.button(key="toy.pacgan").click().run()
    assert not at.exception and not at.warning
    assert at.select_slider(key="toy.mix.pack").value == 2 and at.toggle(key="toy.mix.decay").value
    at.button(key="toy.start").click().run()
    run, preset = run_of(at), presets.get("toy-pacgan")
    assert run.model_cfg == preset.model and run.train_cfg.optim == preset.train.optim
    assert (run.train_cfg.batch_size, run.train_cfg.epochs, run.train_cfg.dataset) == (100, 1000, "grid25")


def test_make_it_collapse_sets_the_widgets_to_the_collapse_preset():
    at = page()
    at.selectbox(key="toy.target").set_value("ring8").run()
    at.button(key="toy.collapse").click().run()
    assert not at.exception
    at.button(key="toy.start").click().run()
    run, preset = run_of(at), presets.get("toy-collapse")
    assert run.model_cfg == preset.model and run.train_cfg.optim == preset.train.optim
    assert (run.train_cfg.batch_size, run.train_cfg.epochs, run.train_cfg.dataset) == (256, 300, "ring8")


def test_batch_must_be_a_multiple_of_the_packing():
    at = page()
    at.selectbox(key="toy.target").set_value("grid25").run()
    at.select_slider(key="toy.mix.pack").set_value(3).run()
    at.button(key="toy.start").click().run()
    assert "multiple of the packing degree" in at.error[0].value


def test_controls_pause_step_narrate_speed_layers_and_reset():
    at = page()
    at.button(key="toy.start").click().run()
    run = run_of(at)
    at = until(at, lambda: run.snapshot.step > 0)
    at.button(key="toy.ctl.pause").click().run()
    at = until(at, lambda: run.status == "paused")
    assert at.button(key="toy.ctl.pause").disabled and not at.button(key="toy.ctl.resume").disabled  # only what makes sense
    assert not at.button(key="toy.ctl.d").disabled and not at.button(key="toy.ctl.reset").disabled
    at.toggle(key="toy.slow").set_value(True).run()
    at.button(key="toy.ctl.d").click().run()
    assert "Discriminator step" in at.info[0].value
    at.button(key="toy.ctl.g").click().run()
    assert "Generator step" in at.info[0].value
    step = run.snapshot.step
    at.button(key="toy.ctl.both").click().run()
    assert "Full step" in at.info[0].value and run.snapshot.step == step + 1
    at.select_slider(key="toy.speed").set_value("5/s").run()
    at.button(key="toy.ctl.resume").click().run()
    at = until(at, lambda: run.status == "running")
    before = run.snapshot.step
    time.sleep(1.0)
    assert run.snapshot.step - before <= 8  # slowed to 5 steps a second
    at.pills(key="toy.layers").set_value(["Real", "Generated"]).run()
    assert not at.exception
    at.button(key="toy.ctl.reset").click().run()
    assert run_of(at).run_id != run.run_id and at.toggle(key="toy.slow").value


def test_reset_lands_paused_at_step_0_with_its_picture_and_a_stale_pause_is_no_error():
    at = page()
    at.button(key="toy.start").click().run()
    run = run_of(at)
    at = until(at, lambda: run.snapshot.step > 20)
    at.button(key="toy.ctl.reset").click().run()
    fresh = run_of(at)
    time.sleep(0.5)  # a fresh run that trained by itself would be past step 0 by now
    assert fresh.run_id != run.run_id and fresh.status == "paused" and fresh.snapshot.step == 0
    assert not any("Loading" in c.value for c in at.caption) and at.get("plotly_chart")  # the step-0 plane, drawn at once
    assert not at.button(key="toy.ctl.d").disabled and not at.button(key="toy.ctl.resume").disabled  # ready to step or start
    assert at.button(key="toy.ctl.pause").disabled
    at.button(key="toy.ctl.resume").click().run()
    at = until(at, lambda: fresh.status == "running")
    fresh.pause()  # paused elsewhere (another tab) while this page still shows it running
    at.button(key="toy.ctl.pause").click().run()
    assert not at.error and not at.exception  # "the run is already paused" was a spurious refusal


def test_draw_target_waits_for_points_and_upload_target_asks_for_a_file():
    at = page()
    at.selectbox(key="toy.target").set_value("draw").run()
    assert at.button(key="toy.start").disabled
    assert any("Add some points first" in c.value for c in at.caption)
    at.selectbox(key="toy.target").set_value("upload").run()
    assert at.button(key="toy.start").disabled


def test_my_runs_lists_live_runs_folds_ended_ones_and_says_the_data_once():
    from gancore import presets
    from ui.common.state import registry

    reg, me = registry(), "my-runs-owner-token"  # this browser's token, as its cookie would give it
    model, train = presets.compose("d2l-toy")
    first = reg.create(me, model, train, label="toy: first")
    wait_for(lambda: first.snapshot.step > 0)
    first.stop()
    wait_for(lambda: first.status == "stopped")
    second = reg.create(me, model, train, label="toy: again")
    wait_for(lambda: second.snapshot.step > 0)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)  # the home page: AppTest keeps the sidebar of a first run only
    at.session_state["owner"] = me
    side = at.run().sidebar
    assert sum(c.value.startswith("**Data**") for c in side.caption) == 1
    ended = [e for e in side.expander if e.label.startswith("Ended")]
    assert len(ended) == 1 and ended[0].label == "Ended (1)" and not ended[0].proto.expanded
    assert [link.proto.label for link in ended[0].get("page_link")] == [f"stopped · step {first.snapshot.step:,} · toy: first"]
    assert not at.exception
