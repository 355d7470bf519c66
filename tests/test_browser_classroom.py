"""The classroom load test, short: a teacher training and three students (a slider, a watcher,
the latent page), then six protocol students. It asserts what the class saw — no error, every
page opened, the slider answered, the teacher's run kept training — and waits on those events
(each student acts a few times, however long a busy CPU takes), never on a fixed window. How
fast it all was is the benches' business (bench/classroom.py, bench/wsclassroom.py)."""

import os

import pytest

from tests.browser import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]


def test_a_small_class_gets_no_errors_and_every_page_opens():
    from bench import classroom

    (row,) = classroom.run([3], seconds=10, alone_s=4, at_least=2)
    assert row["errors"] == 0, row["error_kinds"]
    assert row["pages_opened"] == 3 and row["slider_samples"] >= 2  # every page opened, the slider answered
    assert row["teacher_speed_ratio"] > 0  # the teacher's run kept training


def test_a_class_of_protocol_students_gets_no_errors():
    """The same class without browsers (bench/wsclassroom.py): six students speaking Streamlit's
    protocol, one of them pressing Start while the teacher trains."""
    from bench import wsclassroom

    (row,) = wsclassroom.run([6], seconds=10, alone_s=4, at_least=3)
    assert row["errors"] == 0, row["error_kinds"]
    assert row["pages_opened"] == 6 and row["slider_samples"] >= 3 and row["polls"] >= 3
    assert row["teacher_speed_ratio"] > 0
