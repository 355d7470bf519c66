"""Training is unchanged to the bit by refactors: every preset family's first 30 steps (tests/golden.py)."""

from __future__ import annotations

import json
import math

import pytest

from tests import golden

RECORDED = json.loads(golden.FILE.read_text())


@pytest.mark.parametrize("case", sorted(golden.CASES))
def test_first_30_steps_match_the_golden_losses(case):
    want = RECORDED["cases"][case]
    got = golden.losses(case)
    assert sorted(got) == sorted(want), "a family gained or lost a metric"
    if RECORDED["machine"] == golden.machine():
        assert got == want, f"{case}: losses changed (first differing step shown by the diff)"
        return
    # Another CPU kind (other SIMD kernels) or torch: same maths, other rounding. Close, not bitwise.
    for key in want:
        for a, b in zip(got[key], want[key], strict=True):
            x, y = float.fromhex(a), float.fromhex(b)
            assert math.isclose(x, y, rel_tol=2e-3, abs_tol=2e-4) or (math.isnan(x) and math.isnan(y)), (case, key)
