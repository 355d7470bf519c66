"""Measured cost before Start (gancore.runs.cost) and live changes in words (gancore.runs.changelog)."""

from dataclasses import replace
from pathlib import Path

import pytest

from gancore import presets
from gancore.base.config import HackConfig, OptimConfig
from gancore.data import sampler
from gancore.runs import changelog, cost
from tests.helpers import poll


def test_a_measurement_times_real_steps_and_counts_steps_as_the_engine_does():
    sampler.load_dataset.cache_clear()  # an earlier test's background measurement may have cached its tiny stand-in data
    model, train = presets.compose("mlp-cpu", batch_size=32)
    c = cost.measure(model, train, budget_s=0.2, max_steps=5)
    assert c.examples_per_s > 0 and c.seconds_per_step > 0 and c.first_step_s > 0
    assert c.examples == 4500  # the offline MNIST train part
    assert cost.total_steps(train, c.examples) == int(train.epochs * (4500 // 32))
    assert cost.total_steps(replace(train, max_steps=77), c.examples) == 77
    two = replace(train, hacks=replace(train.hacks, d_steps=2))
    assert cost.total_steps(two, c.examples) == -(-int(train.epochs * (4500 // 32)) // 2)  # D steps eat the epoch
    assert c.seconds(101) == pytest.approx(c.first_step_s + 100 * c.seconds_per_step)


def test_durations_read_as_a_student_plans():
    assert [cost.duration(s) for s in (12, 89, 600, 5400, 9000)] == ["12 s", "89 s", "10 min", "1.5 h", "2.5 h"]


def test_live_changes_are_described_in_the_labs_words():
    assert changelog.describe(OptimConfig(), replace(OptimConfig(), lr_g=1e-3, lr_decay=True)) == (
        "G's learning rate 0.0002 → 0.001; learning-rate decay off → on"
    )
    assert changelog.describe(HackConfig(), replace(HackConfig(), separate_batches=False, augment="translate")) == (
        "separate real / fake batches on → off; DiffAugment off → shift"
    )
    assert changelog.describe(HackConfig(), HackConfig()) == ""
    assert set(changelog.FIELDS) >= set(OptimConfig.__dataclass_fields__) | set(HackConfig.__dataclass_fields__)


def test_the_default_set_ups_cost_is_measured_once_in_the_background_from_the_first_visit(monkeypatch, app_env):
    from streamlit.testing.v1 import AppTest

    from ui.train import cost_view

    measured, real = [], cost.measure
    monkeypatch.setattr(cost, "measure", lambda *a, **k: measured.append(a[0].family) or real(*a, **k))
    cost_view.warm_default_cost.clear()
    cost_view._measured.clear()
    home = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=30).run()  # the server's first visit
    assert not home.exception
    assert poll(lambda: measured, 60) == ["mlp"]  # the default preset, measured while the visitor reads the home page
    cost_view.warm_default_cost().join(60)  # the visit's own thread (cached once per server)
    home.switch_page("pages/train.py").run()
    assert any("Measured on one core of this machine" in c.value for c in home.caption)
    assert len(measured) == 1  # the lab's cost line found it
    home.selectbox(key="setup.preset").select("tf-dcgan").run()
    assert len(measured) == 2  # another set-up is measured when it is shown
