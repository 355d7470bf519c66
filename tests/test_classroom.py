"""The class's roster (names, teacher, pin) and the class view's small pictures."""

import base64
import math

import numpy as np
import pytest

from gancore import presets
from gancore.base.errors import BadName, NotTeacher
from gancore.runs.classroom import Roster, check_name, default_name
from gancore.runs.publisher import loading
from ui.classroom import cards


def test_default_names_are_friendly_stable_and_differ_between_tokens():
    names = {default_name(f"token-{i}") for i in range(40)}
    assert default_name("abc") == default_name("abc") and len(names) > 20
    assert all(len(n.split()) == 2 for n in names)


@pytest.mark.parametrize("raw, want", [("  Ada   Lovelace ", "Ada Lovelace"), ("O'Neil-2", "O'Neil-2"), ("지민", "지민")])
def test_names_are_trimmed_and_any_script_is_welcome(raw, want):
    assert check_name(raw) == want


@pytest.mark.parametrize("raw", ["", "   ", "<script>", "a" * 25, "-dash", "**bold**", "a\x00b"])
def test_names_that_would_break_the_tile_are_refused_in_words(raw):
    with pytest.raises(BadName, match="1 to 24"):
        check_name(raw)


def test_only_the_key_holder_becomes_teacher_and_only_the_teacher_pins():
    roster = Roster(teacher_key="k3y")
    assert not roster.claim_teacher("s1", "nope") and not roster.claim_teacher("s1", None)
    with pytest.raises(NotTeacher):
        roster.pin("s1", "run1")
    assert roster.claim_teacher("t", "k3y") and roster.is_teacher("t") and not roster.is_teacher("s1")
    roster.pin("t", "run1")
    assert roster.pinned == "run1"
    roster.pin("t", None)
    assert roster.pinned is None
    assert not Roster().claim_teacher("t", "")  # no key set: nobody is the teacher


def test_a_rename_keeps_the_token_private_and_the_default_until_changed():
    roster = Roster()
    assert roster.name("tok") == default_name("tok")
    assert roster.rename("tok", " Grace ") == "Grace" and roster.name("tok") == "Grace"


def test_the_sparkline_draws_both_losses_on_one_scale_and_skips_gaps():
    svg = cards.sparkline_svg({"d_loss": [1.0, 0.5, math.nan, 0.7], "g_loss": [2.0, 3.0, 2.5, 2.0]}, width=100, height=40)
    assert svg.count("<polyline") == 2 and "aria-label=\"D's and G's losses\"" in svg
    d_points = svg.split('points="')[1].split('"')[0].split()
    assert len(d_points) == 3  # the NaN is left out
    ys = [float(p.split(",")[1]) for p in d_points]
    assert max(ys) <= 38 and min(ys) >= 2 and ys[1] > ys[0]  # 0.5 is lower on the picture than 1.0 (larger y)
    empty = cards.sparkline_svg({"d_loss": [], "g_loss": []})
    assert "<polyline" not in empty and "no losses yet" in empty


def test_a_long_history_is_thinned_for_the_sparkline():
    svg = cards.sparkline_svg({"d_loss": list(np.linspace(0, 1, 1000)), "g_loss": [1.0] * 1000}, points=50)
    assert len(svg.split('points="')[1].split('"')[0].split()) <= 52


def test_the_picture_is_a_grid_of_samples_or_a_scatter_of_points():
    from dataclasses import replace

    model, train = presets.compose("mlp-cpu")
    snap = loading("r", model, train, "cpu")
    assert cards.picture(snap) is None
    grid = np.zeros((64, 28, 28, 1), np.uint8)
    pic = cards.picture(replace(snap, grid=grid))
    assert pic.shape[0] == pic.shape[1] and pic.shape[0] >= 4 * 28  # 16 images, 4 by 4
    toy_model, toy_train = presets.compose("d2l-toy")
    toy = replace(loading("t", toy_model, toy_train, "cpu"), grid=np.random.default_rng(0).normal(size=(500, 2)))
    assert cards.picture(toy, size=120).shape == (120, 120, 3)


def test_a_toy_card_draws_gs_points_over_the_target_and_30_students_get_30_names():
    from dataclasses import replace

    toy_model, toy_train = presets.compose("d2l-toy")
    fake = np.random.default_rng(0).normal(size=(300, 2)) + 4  # G far from the data: two clouds
    toy = replace(loading("t", toy_model, toy_train, "cpu"), grid=fake)
    pic = cards.picture(toy, size=120, real=np.random.default_rng(1).normal(size=(500, 2)))
    colours = {tuple(c) for c in pic.reshape(-1, 3)}
    assert (228, 87, 46) in colours and (164, 196, 226) in colours  # G's orange and the target's blue, both drawn
    roster = Roster()
    names = [roster.name(f"student-{i}") for i in range(30)]
    assert len(set(names)) == 30  # drawn from 256 pairs, 30 tokens shared a name four times in five
    assert names == [roster.name(f"student-{i}") for i in range(30)]  # and each keeps theirs on a reload
    assert len({default_name("x", {default_name("x")}), default_name("x")}) == 2


def test_a_card_is_one_markdown_element_with_its_words_escaped_and_its_pictures_inline():
    from dataclasses import replace

    model, train = presets.compose("mlp-cpu")
    snap = replace(loading("r", model, train, "cpu"), step=40)
    spark = cards.data_uri("image/svg+xml", cards.sparkline_svg({"d_loss": [1.0, 0.7], "g_loss": [2.0, 1.5]}))
    png = cards.data_uri("image/png", b"\x89PNG fake")
    body = cards.card_markdown(snap, name="<b>x</b>_y*", label="MLP <i>", rid="r-1", mine=True, spark=spark, png=png, big=False)
    assert "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt;\\_y\\*" in body  # a name is words, never markup or emphasis
    assert "**&lt;b&gt;x&lt;/b&gt;\\_y\\*** (yours)" in body and "MLP &lt;i&gt;" in body and "step 40 / " in body
    assert body.count('<img src="data:image/') == 2 and png in body and spark in body
    assert base64.b64decode(spark.split(",", 1)[1]).decode().count("<polyline") == 2
    other = cards.card_markdown(snap, name="Bo", label="L", rid="r-2", mine=False, spark=spark, png=None, big=True)
    assert "(yours)" not in other and "No samples yet." in other and "D's loss in purple" in other
    assert other.count("<img") == 1 and 'width="420"' in other  # the pinned card's wider sparkline
