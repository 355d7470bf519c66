"""The classroom load test, short: a teacher training and three students (a slider, a watcher,
the latent page) for 30 s. No session may see an error; the full version is bench/classroom.py."""

import os

import pytest

from tests.browser import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]


def test_a_small_class_gets_no_errors_and_every_page_opens():
    from bench import classroom

    (row,) = classroom.run([3], seconds=30, alone_s=4)  # a cold InfoGAN page takes 10-13 s to open here
    assert row["errors"] == 0, row["error_kinds"]
    assert row["slider_samples"] >= 1 and row["open_max_s"] < 60  # every page opened, the slider answered
    assert row["teacher_speed_ratio"] > 0  # the teacher's run kept training


def test_a_class_of_protocol_students_gets_no_errors():
    """The same class without browsers (bench/wsclassroom.py): six students speaking Streamlit's
    protocol, one of them pressing Start while the teacher trains."""
    from bench import wsclassroom

    (row,) = wsclassroom.run([6], seconds=15, alone_s=4)
    assert row["errors"] == 0, row["error_kinds"]
    assert row["slider_samples"] >= 3 and row["polls"] >= 3 and row["open_max_s"] < 30
    assert row["teacher_speed_ratio"] > 0
