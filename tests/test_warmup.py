"""The server's start-up fills what first visits would compute (``ui/warmup.py``): afterwards the
home page and the InfoGAN page in their opening state compute none of it."""

from collections import Counter
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from gancore.base.paths import SHIPPED_DIR
from gancore.explore import sampling
from ui import warmup
from ui.common import course, display
from ui.explore import infogan_views

ROOT = Path(__file__).resolve().parent.parent
COUNTED = ("showcase", "category_meaning", "infogan_traversal", "infogan_inputs")


@pytest.fixture
def computed(monkeypatch) -> Counter:
    """Calls of the computations behind the pages' cached pictures, counted from now on, with
    every cache emptied first (as in a new server)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    calls: Counter = Counter()
    for name in COUNTED:
        real = getattr(sampling, name)

        def counting(*a, _real=real, _name=name, **k):
            calls[_name] += 1
            return _real(*a, **k)

        monkeypatch.setattr(sampling, name, counting)
    return calls


def test_first_visits_runs_every_part_and_says_how_long_each_took():
    missing = [n for n in [*course.SHOWCASE.values(), infogan_views.SHIPPED] if not (SHIPPED_DIR / f"{n}.safetensors").exists()]
    if missing:
        pytest.fail(f"shipped checkpoints missing: {missing} (run scripts/train_checkpoints.sh)")
    took = warmup.first_visits()
    assert set(took) == {"home page samples", "shipped checkpoints", "InfoGAN opening state", "Training Lab cost line"}
    assert all(s >= 0 for s in took.values())
    assert all(display.home_thumbnail(n) is not None for n in course.SHOWCASE.values())


def test_after_the_warm_up_the_first_visits_compute_nothing_of_it(computed):
    warmup.first_visits()
    computed.clear()
    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not home.exception
    assert len(home.get("image")) == len(course.SHOWCASE)  # every lesson's samples, drawn from the cache
    home.switch_page("pages/infogan.py").run()
    assert not home.exception
    # the page's own 16 samples follow the controls (one call); the category meanings, the 41
    # scrubbed positions and both traversals come from the warm-up
    assert computed == Counter({"infogan_inputs": 1})


def test_the_infogan_warm_up_matches_the_pages_opening_state():
    """The opening state the warm-up assumes is the page's: its controls' defaults."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/infogan.py").run()
    assert at.selectbox(key="info.source").value.startswith(f"{infogan_views.SHIPPED} (shipped")
    assert at.selectbox(key="info.cat").value == infogan_views.OPENING["cat"]
    assert at.slider(key="info.c2").value == infogan_views.OPENING["c2"]
    assert at.slider(key="info.c3").value == infogan_views.OPENING["c3"]
    assert at.number_input(key="info.seed").value == infogan_views.OPENING["seed"]
