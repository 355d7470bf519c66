"""AppTest: every control of the Training Lab, the home page and the app frame."""

from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from gancore.base.config import TrainConfig
from gancore.base.errors import CheckpointError
from gancore.models.mlp import MlpConfig
from tests import helpers

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def small_runs(monkeypatch, tmp_path, tiny_images):
    """Runs train on a tiny synthetic set, for at most 40 steps; saves go to a temp folder."""
    from gancore.runs import cost, engine

    monkeypatch.setattr(engine, "load_dataset", lambda *a, **k: tiny_images)
    monkeypatch.setattr(cost, "load_dataset", lambda *a, **k: tiny_images)  # the cost line measures on it too
    monkeypatch.setenv("GAN_EXPLORER_SAVED", str(tmp_path))
    monkeypatch.setenv("GAN_EXPLORER_MAX_STEPS", "40")  # the registry's cap: no run outlives its test
    from ui.common.state import registry

    registry.clear()  # the next registry reads the cap
    yield
    registry().shutdown()
    registry.clear()


def page(timeout=30):
    at = AppTest.from_file(str(ROOT / "pages/train.py"), default_timeout=timeout)
    return at.run()


def wait_status(at, run, want, timeout=20):
    helpers.wait_status(run, *want, timeout=timeout)
    return at.run()


def started():
    at = page()
    assert not at.exception
    at.button(key="setup.start").click().run()
    from ui.common.state import registry

    run = registry().owned(at.session_state["train.run"], at.session_state["owner"])
    return at, run


def test_setup_offers_presets_and_every_hack():
    at = page()
    assert not at.exception
    assert "Training Lab" in at.title[0].value
    at.selectbox(key="setup.preset").select("tf-dcgan").run()
    assert "tutorial" in at.caption[0].value
    keys = {w.key for w in at.slider} | {w.key for w in at.toggle} | {w.key for w in at.selectbox}
    for hack in ("loss", "ls", "flip", "noise", "dsteps", "gs", "ds", "drop", "scale", "z", "sep", "aug", "ema", "lr_decay"):
        assert f"setup.tf-dcgan.{hack}" in keys or f"setup.tf-dcgan.{hack}" in {w.key for w in at.select_slider}


def test_a_refused_value_is_explained_and_the_cost_is_shown_before_start():
    at = page()
    assert any("Measured on one core of this machine" in c.value and "examples/s" in c.value for c in at.caption)
    at.number_input(key="setup.mlp-cpu.epochs").set_value(100_000).run()
    assert not at.exception
    assert any("epochs" in e.value and "10000" in e.value for e in at.error)  # said, not clamped to a maximum
    assert at.button(key="setup.start").disabled
    at.number_input(key="setup.mlp-cpu.epochs").set_value(3).run()
    assert not at.error and not at.button(key="setup.start").disabled


def test_averaging_and_augmentation_set_up_a_run_and_change_live():
    at = page()
    at.select_slider(key="setup.mlp-cpu.ema").set_value(0.999)
    at.selectbox(key="setup.mlp-cpu.aug").select("translate_cutout")
    at.button(key="setup.start").click().run()
    from ui.common.state import registry

    run = registry().owned(at.session_state["train.run"], at.session_state["owner"])
    assert run.train_cfg.optim.ema == 0.999 and run.train_cfg.hacks.augment == "translate_cutout"
    at = wait_status(at, run, ("running", "finished"))
    at.select_slider(key=f"live.{run.run_id}.ema").set_value(0.0).run()
    at.selectbox(key=f"live.{run.run_id}.aug").select("none").run()
    helpers.wait_for(lambda: (run.train_cfg.optim.ema, run.train_cfg.hacks.augment) == (0.0, "none"), 10)
    assert not at.exception


@pytest.mark.parametrize(("preset", "family", "series"), [("acgan-cpu", "acgan", "class_d"), ("text2digit-cpu", "text2digit", None)])
def test_the_acgan_and_text_presets_train_live_with_their_own_series(preset, family, series):
    at = page()
    at.selectbox(key="setup.preset").select(preset).run()
    assert "Reed" in at.caption[0].value or "Odena" in at.caption[0].value
    assert at.selectbox(key=f"setup.{preset}.family").value == family
    at.button(key="setup.start").click().run()
    from ui.common.state import registry

    run = registry().owned(at.session_state["train.run"], at.session_state["owner"])
    assert run.model_cfg.family == family
    helpers.wait_for(lambda: run.snapshot.step >= 10 and run.snapshot.grid is not None, 60)
    at.run()
    assert not at.exception and at.get("image")
    if series:
        assert series in run.snapshot.history and len(run.snapshot.history[series]) >= 1


def test_text_to_digit_on_fashion_is_refused_in_words():
    at = page()
    at.selectbox(key="setup.preset").select("text2digit-cpu").run()
    at.selectbox(key="setup.text2digit-cpu.dataset").select("fashion").run()
    at.button(key="setup.start").click().run()
    assert not at.exception and "train it on mnist" in " ".join(e.value for e in at.error)


def test_fast_math_is_a_switch_at_setup_and_while_training(monkeypatch):
    import gancore.base.device
    import ui.train.panels

    monkeypatch.setattr(ui.train.panels, "fast_math_dtype", lambda dev: torch.bfloat16)
    monkeypatch.setattr(gancore.base.device, "fast_math_dtype", lambda dev: torch.bfloat16)
    at = page()
    toggle = at.toggle(key="setup.mlp-cpu.fast")
    assert toggle.value is False and "bfloat16" in toggle.help
    toggle.set_value(True)
    at.button(key="setup.start").click().run()
    from ui.common.state import registry

    run = registry().owned(at.session_state["train.run"], at.session_state["owner"])
    assert run.train_cfg.optim.fast_math is True
    at = wait_status(at, run, ("running", "finished"))
    at.toggle(key=f"live.{run.run_id}.fast").set_value(False).run()
    helpers.wait_for(lambda: run.train_cfg.optim.fast_math is False, 10)
    assert not at.exception


def test_start_pause_step_resume_stop():
    at, run = started()
    at = wait_status(at, run, ("running", "finished"))
    assert not at.exception
    assert any("Watch link" in m.value for m in at.markdown)
    if run.snapshot.status == "running":  # only the buttons that make sense are active
        assert not at.button(key="ctl.pause").disabled and at.button(key="ctl.resume").disabled
        assert at.button(key="ctl.step1").disabled
    at.button(key="ctl.pause").click().run()
    at = wait_status(at, run, ("paused", "finished"))
    if run.snapshot.status == "paused":
        assert at.button(key="ctl.pause").disabled and not at.button(key="ctl.resume").disabled
        step = run.snapshot.step
        at.button(key="ctl.step1").click().run()
        assert run.snapshot.step == step + 1  # the page waited for the step before redrawing
    at.button(key="ctl.step10").click().run()
    at.button(key="ctl.resume").click().run()
    at.button(key="ctl.stop").click().run()
    at = wait_status(at, run, ("stopped", "finished"))
    assert not at.exception
    assert all(at.button(key=f"ctl.{k}").disabled for k in ("pause", "resume", "step1", "step10", "stop"))
    assert not at.button(key="ctl.new").disabled and not at.button(key="ctl.remove").disabled


def test_live_hack_changes_reach_the_run():
    at, run = started()
    at = wait_status(at, run, ("running", "finished"))
    at.toggle(key=f"live.{run.run_id}.scale").set_value(False).run()
    at.slider(key=f"live.{run.run_id}.ls").set_value(0.1).run()
    helpers.wait_for(lambda: run.train_cfg.hacks.label_smoothing == 0.1, 10)
    assert run.train_cfg.hacks.scale_inputs is False and run.train_cfg.hacks.label_smoothing == 0.1


def test_save_then_load_and_continue(tmp_path):
    at, run = started()
    at = wait_status(at, run, ("finished",))
    at.text_input(key="save.name").input("my-run").run()
    at.button(key="save.go").click().run()
    assert not at.exception
    assert (tmp_path / "my-run.safetensors").is_file()
    assert any("Saved my-run" in s.value for s in at.success)
    at.button(key="ctl.new").click().run()
    label = next(o for o in at.selectbox(key="setup.ck").options if o.startswith("my-run"))
    at.selectbox(key="setup.ck").select(label).run()
    at.button(key="setup.load").click().run()
    assert not at.exception
    assert at.session_state["train.run"] != run.run_id


def test_compare_two_runs():
    at, run1 = started()
    at = wait_status(at, run1, ("finished",))
    at.button(key="ctl.new").click().run()
    at.button(key="setup.start").click().run()
    from ui.common.state import registry

    run2 = registry().owned(at.session_state["train.run"], at.session_state["owner"])
    at = wait_status(at, run2, ("finished",))
    options = at.multiselect(key="compare.pick").options
    at.multiselect(key="compare.pick").set_value(options[:2]).run()
    assert not at.exception


def test_watch_mode_has_no_controls():
    from ui.common.state import registry

    run = registry().create("someone-else", MlpConfig(), TrainConfig(dataset="tiny", batch_size=16))
    at = AppTest.from_file(str(ROOT / "pages/train.py"), default_timeout=30)
    at.query_params["run"] = run.run_id
    at.run()
    assert not at.exception
    assert any("read-only" in i.value for i in at.info)
    assert not [b for b in at.button if b.key and b.key.startswith("ctl.")]
    at2 = AppTest.from_file(str(ROOT / "pages/train.py"), default_timeout=30)
    at2.query_params["run"] = "nope"
    at2.run()
    assert any("No run with that id" in e.value and "nope" not in e.value for e in at2.error)  # a link's text is never echoed


def test_bad_upload_gets_a_message():
    at = page()
    # AppTest cannot drive file_uploader; the page's loader is checkpoints.load_bytes, tested on bad bytes:
    from gancore.io import checkpoints

    with pytest.raises(CheckpointError):
        checkpoints.load_bytes(b"hello", "x.safetensors")
    assert not at.exception


def test_home_and_app_frame():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert "GAN Explorer" in at.title[0].value
    assert any("Device" in c.value for c in at.sidebar.caption)


def test_home_introduces_every_page_with_a_link():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    links = [el.proto.label for el in at.main.get("page_link")]
    pages = ("Training Lab", "InfoGAN codes", "Latent space", "Conditional GAN", "Text to digit", "2D toy GAN lab", "GAN theory")
    for title in (*pages, "Building blocks", "Image to image"):
        assert any(title in label for label in links), (title, links)
    sidebar_links = [el.proto.label for el in at.sidebar.get("page_link")]
    assert len(sidebar_links) == 11 and "Welcome" in sidebar_links and "Class view" in sidebar_links
    learn = [c.value for c in at.sidebar.caption].index("**Learn**")
    assert [c.value for c in at.sidebar.caption][learn] == "**Learn**"  # Learn is its own section
    assert {"2D toy GAN lab", "GAN theory", "Building blocks"} <= set(sidebar_links)


def test_saved_checkpoints_are_the_sessions_own(tmp_path):
    from gancore.io import checkpoints

    at, run = started()
    at = wait_status(at, run, ("finished",))
    checkpoints.save(tmp_path / "theirs", run.export_state(), run.model_cfg, run.train_cfg)  # another's (no owner tag)
    at.text_input(key="save.name").input("theirs").run()
    at.button(key="save.go").click().run()
    assert not at.exception and any("saved by someone else" in e.value for e in at.error)
    at.text_input(key="save.name").input("mine").run()
    at.button(key="save.go").click().run()
    assert at.selectbox(key="save.mine").options == ["mine"]  # only this session's files are listed
    at.button(key="save.delete").click().run()
    assert not at.exception and not (tmp_path / "mine.safetensors").exists() and (tmp_path / "theirs.safetensors").exists()


def test_an_away_owners_run_is_saved_to_their_checkpoints_before_it_goes(tmp_path):
    from ui.common import state

    at, run = started()
    at = wait_status(at, run, ("finished",))
    owner = at.session_state["owner"]
    state._save_for_later(owner, "label", state.registry().owned(run.run_id, owner))
    assert (tmp_path / "autosaves" / f"autosave-{run.run_id}.safetensors").exists()  # outside their quota
    assert list(state.my_saved(owner)) == [f"autosave-{run.run_id}"]  # listed in their Save tab when they return


def test_my_runs_in_the_sidebar_open_the_run_and_new_run_still_reaches_the_setup():
    at, run = started()
    at = wait_status(at, run, ("running", "finished"))
    at.session_state["train.run"] = None  # as after a reload: the session forgot, the browser did not
    at.query_params["run"] = run.run_id  # what the sidebar's My runs link opens
    at.run()
    assert not at.exception and at.session_state["train.run"] == run.run_id and "run" not in at.query_params
    at.button(key="ctl.new").click().run()
    assert not at.exception and at.selectbox(key="setup.preset") is not None  # the setup form, not the run again
