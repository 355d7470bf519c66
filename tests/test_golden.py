"""Training is unchanged by refactors: every model family's first 30 steps (tests/golden.py), to
the bit on the machine kind that recorded them, within rounding's reach on any other CPU."""

from __future__ import annotations

import json
import math

import pytest

from gancore.models import catalog
from tests import golden

RECORDED = json.loads(golden.FILE.read_text())


def test_every_family_has_a_golden_case():
    assert {golden.family(case) for case in golden.CASES} == set(catalog.names())


@pytest.mark.parametrize("case", sorted(golden.CASES))
def test_first_30_steps_match_the_golden_losses(case):
    want = RECORDED["cases"][case]
    got = golden.losses(case)
    assert sorted(got) == sorted(want), "a family gained or lost a metric"
    if RECORDED["machine"] == golden.machine():
        assert got == want, f"{case}: losses changed (first differing step shown by the diff)"
        return
    # Another CPU kind or torch: the same maths, other rounding, compounded over 30 steps.
    for key in want:
        diff = golden.close([float.fromhex(v) for v in got[key]], [float.fromhex(v) for v in want[key]])
        assert diff == "", f"{case} {key}: {diff}"


def test_the_rounding_check_passes_drift_and_catches_a_changed_run():
    """:func:`golden.close` on made-up series: rounding drift passes, a changed loss does not."""
    want = [0.7 - 0.01 * i + 0.05 * math.sin(i) for i in range(30)]
    drift = [w * (1 + 1e-6 * i * i) for i, w in enumerate(want)]  # grows with the steps, as rounding does
    assert golden.close(drift, want) == ""
    assert golden.close([want[0] * 1.05, *drift[1:]], want).startswith("first step")  # a changed formula
    assert golden.close([want[0], *(w + 0.1 for w in want[1:])], want).startswith("mean")  # a changed update
    assert golden.close([*want[:10], 5.0, *want[11:]], want).startswith("step 11")  # one step blown up
    assert golden.close([*want[:5], float("nan"), *want[6:]], want) == "a step is NaN on one side only"
