"""AppTest: the class view — every run as a tile with its owner's name, the teacher's pin, names."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gancore import presets
from tests import helpers

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def class_server(monkeypatch, tmp_path, tiny_images):
    import gancore.runs.engine as engine

    monkeypatch.setattr(engine, "load_dataset", lambda *a, **k: tiny_images)
    monkeypatch.setenv("GAN_EXPLORER_SAVED", str(tmp_path))
    monkeypatch.setenv("GAN_EXPLORER_TEACHER_KEY", "apple-pie-42")
    from ui.common.state import registry

    registry.clear()  # the next registry reads the teacher key
    yield
    registry().shutdown()
    registry.clear()


def page(**query) -> AppTest:
    """The class view, entered as a browser does (through app.py, which knows the other pages)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.query_params.update(query)
    at.switch_page("pages/classroom.py").run()
    assert not at.exception, at.exception
    return at


def start(owner: str, steps: int = 30):
    from ui.common.state import registry

    model, train = presets.compose("mlp-cpu", max_steps=steps, batch_size=32)
    run = registry().create(owner, model, train, label="MLP on mnist")
    helpers.wait_status(run, "finished", timeout=60)
    return run


def markdown(at) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)


def test_an_empty_class_says_where_runs_come_from():
    at = page()
    assert "No runs here yet" in at.info[0].value
    assert "0** run(s) here" in markdown(at)


def test_every_run_is_a_tile_with_its_owners_name_and_nobody_else_can_pin():
    from ui.common.state import registry

    runs = [start(owner) for owner in ("student-one-token", "student-two-token", "student-three-token")]
    at = page()
    text = markdown(at)
    for run in runs:
        assert registry().owner_name(run.run_id) in text
    assert "3** run(s) here" in text and "step 30 / 30" in text
    assert text.count("data:image/svg+xml;base64,") == 3  # one loss sparkline per run, inline in its card
    assert text.count("data:image/png;base64,") == 3 and not at.get("image")  # G's samples too: no media files
    assert not [b for b in at.button if b.key and b.key.startswith("tile.pin.")]  # only the teacher pins
    assert "(yours)" not in text


def test_the_teachers_link_makes_a_teacher_who_pins_a_run_for_everyone():
    from ui.common.state import registry

    run = start("a-student-token-1234")
    at = page(teacher="wrong")
    assert "does not match" in at.error[0].value
    at.query_params["teacher"] = "apple-pie-42"
    at.run()
    assert not at.error and registry().roster.is_teacher(at.session_state["owner"])
    at.button(key=f"tile.pin.{run.run_id}").click().run()
    assert registry().roster.pinned == run.run_id
    assert "Pinned for the class" in at.subheader[0].value
    student = page()  # another session sees the pin but gets no buttons
    assert "Pinned for the class" in student.subheader[0].value and not student.button
    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    links = [link.proto.label for link in home.sidebar.get("page_link")]
    assert f"📌 The class watches {registry().owner_name(run.run_id)}'s run" in links  # on every page's sidebar
    at.button(key=f"pinned.pin.{run.run_id}").click().run()
    assert registry().roster.pinned is None


def test_a_student_names_themself_and_sees_their_own_run_marked():
    from ui.common.state import registry

    at = page()
    me = at.session_state["owner"]
    at.text_input(key="class.name").input("Ada L.").run()
    assert registry().roster.name(me) == "Ada L."
    at.text_input(key="class.name").input("<script>").run()
    assert "Not changed" in at.error[0].value and registry().roster.name(me) == "Ada L."
    start(me)
    at.run()
    assert "Ada L.** (yours)" in markdown(at)


def test_the_teacher_sets_the_class_limits_and_a_student_cannot():
    from gancore.base.errors import NotTeacher
    from ui.common.state import registry

    reg = registry()
    student = page()
    assert not any(n.key == "class.slots" for n in student.number_input)  # the limits are the teacher's
    with pytest.raises(NotTeacher):
        reg.set_limits(student.session_state["owner"], slots=9, max_steps=1)
    at = page(teacher="apple-pie-42")
    at.number_input(key="class.slots").set_value(3).run()
    at.number_input(key="class.steps").set_value(40).run()
    assert not at.exception and (reg.max_live, reg.max_steps) == (3, 40)
    run = start("a-student-token-5678", steps=10**6)  # a new run gets the teacher's step limit (and finishes at it)
    assert run.train_cfg.max_steps == 40 and run.snapshot.step == 40
