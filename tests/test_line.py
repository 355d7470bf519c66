"""The line for training slots: first come, first served, one place per browser, an estimate from
the running runs' own ETAs, started by the registry the moment a slot frees."""

import pytest

from gancore import presets
from gancore.base.errors import RegistryFull
from gancore.base.i18n import use_language
from gancore.runs.line import Line, Ticket
from gancore.runs.registry import Registry
from tests.helpers import wait_for, wait_snapshot
from ui.train.waiting import about, ordinal


@pytest.fixture
def reg(monkeypatch, tiny_images):
    from gancore.runs import engine

    monkeypatch.setattr(engine, "load_dataset", lambda *a, **k: tiny_images)
    r = Registry(max_live=1)
    yield r
    r.shutdown()


def mlp(steps=10**6):
    return presets.compose("mlp-cpu", max_steps=steps, seed=2)


def test_first_come_first_served_one_place_each_and_no_jumping(reg):
    first = reg.wait_in_line("ann", *mlp())
    assert first.run_id and first.number == 0  # a free slot: started at once
    assert reg.wait_in_line("ben", *mlp()).number == 1
    assert reg.wait_in_line("cho", *mlp()).number == 2
    with pytest.raises(RegistryFull, match="already waiting"):
        reg.wait_in_line("ben", *mlp())
    with pytest.raises(RegistryFull, match="already have a run training"):
        reg.wait_in_line("ann", *mlp())  # a browser training holds no place besides
    assert reg.leave_line("ben") and reg.in_line("cho").number == 1 and reg.in_line("ben").number == 0
    reg.control(first.run_id, "ann").stop()
    wait_for(lambda: reg.in_line("cho").run_id)  # the upkeep thread started the head's run
    started = reg.in_line("cho").run_id
    assert reg.owned(started, "cho") is not None and len(reg.line) == 0
    reg.max_live = 2
    assert reg.wait_in_line("dan", *mlp()).run_id  # nobody waits and a slot is free: no line at all


def test_the_estimate_is_when_the_kth_running_run_ends(reg):
    ahead = reg.wait_in_line("ann", *mlp(steps=400)).run_id
    wait_snapshot(reg.get(ahead), lambda s: s.step > 20 and s.eta_s is not None)
    place = reg.wait_in_line("ben", *mlp())
    assert place.number == 1 and place.eta_s is not None and 0 < place.eta_s < 3600
    assert reg.wait_in_line("cho", *mlp()).eta_s is None  # one run ahead frees one slot: no estimate for the 2nd
    reg.control(ahead, "ann").pause()
    wait_for(lambda: reg.in_line("ben").eta_s is None or reg.in_line("ben").run_id)  # a paused run frees nothing


def test_a_ticket_whose_run_cannot_start_is_refused_in_words():
    line = Line()
    t = Ticket("ann", *mlp(), "x")
    assert line.join(t) == 1 and line.head() is t
    t.refused = "the data is gone"
    line.served(t)
    number, served = line.place("ann")
    assert number == 0 and served.refused == "the data is gone" and len(line) == 0
    line.leave("ann")
    assert line.place("ann") == (0, None)


def test_place_and_estimate_in_words():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"]
    assert about(42) == "about 40 s" and about(600) == "about 10 min" and "no estimate" in about(None)
    with use_language("ko"):  # the Korean sentence says 번째 itself, so the number stands alone
        assert ordinal(3) == "3" and about(42) == "약 40초" and about(600) == "약 10분"
