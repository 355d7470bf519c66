"""AppTest: the Training Lab when every training slot is taken — a place in line, not "busy"."""

from gancore.base.config import TrainConfig
from gancore.models.mlp import MlpConfig
from tests import helpers
from tests.test_app_train import page, small_runs  # noqa: F401  (the autouse fixture: tiny runs, temp saves)


def test_a_full_server_puts_the_run_in_line_and_starts_it_when_a_slot_frees(monkeypatch):
    from ui.common.state import registry

    reg = registry()
    monkeypatch.setattr(reg, "max_live", 1)
    monkeypatch.setattr(reg, "max_steps", 0)  # the other student's run trains until stopped
    other = reg.create("someone-else", MlpConfig(), TrainConfig(dataset="mnist", batch_size=16, max_steps=10**6))
    monkeypatch.setattr(reg, "max_steps", 40)
    at = page()
    at.button(key="setup.start").click().run()
    assert not at.exception and at.session_state["train.run"] == ""
    assert any("1st in line" in i.value for i in at.info)  # not refused "busy": a place, and what happens next
    at.button(key="line.leave").click().run()  # leaving gives the set-up back
    assert not at.exception and at.selectbox(key="setup.preset") is not None and reg.in_line(at.session_state["owner"]).number == 0
    at.button(key="setup.start").click().run()
    assert any("in line" in i.value for i in at.info)
    other.stop()
    helpers.wait_for(lambda: reg.in_line(at.session_state["owner"]).run_id)  # started by itself when the slot freed
    at.run()
    assert not at.exception and at.session_state["train.run"] and reg.owned(at.session_state["train.run"], at.session_state["owner"])
    reg.remove(other.run_id, "someone-else")
