"""Noticing that a run has blown up, and saying why in words a student can act on.

A GAN diverges in two ways. Sometimes a loss becomes NaN or infinite (an overflow, a log of 0).
More often, with too high a learning rate, nothing is NaN yet: the logits and weights grow by
orders of magnitude each step (losses of 10¹¹ and more were seen at Adam lr ≥ 0.1) while the
run still looks busy. Healthy GAN losses stay within a few tens (BCE losses of a confident D
are ~10–100, WGAN critics' values at most thousands), and healthy weights within a few units,
so anything past :data:`LOSS_LIMIT` or :data:`WEIGHT_LIMIT` is an explosion, not training.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch

from gancore.base.arrays import cpu_copy
from gancore.base.i18n import N_, phrase
from gancore.train.steps import make_optimizers

LOSS_LIMIT = 1e5
WEIGHT_LIMIT = 1e5
ADVICE = N_("Try a smaller learning rate (e.g. 2e-4), Adam β1 = 0.5, or the non-saturating loss, then resume.")
NAMES = {
    "d_loss": N_("D's loss"),
    "g_loss": N_("G's loss"),
    "d_real": "D(x)",
    "d_fake": "D(G(z))",
    "info_cat": N_("InfoGAN's category loss"),
}


def reason(means: dict[str, float], params: Iterable[torch.Tensor]) -> str | None:
    """Why this window of training diverged, or None if it did not.

    ``means`` are the window's averaged metrics; ``params`` every weight of G and D (checked
    only when the metrics look healthy, so a NaN is reported as a NaN)."""
    for key, value in means.items():
        name = NAMES.get(key, key)
        if not math.isfinite(value):
            if math.isnan(value):
                return phrase("{name} became NaN", name=name)
            return phrase("{name} became infinite", name=name)
        if abs(value) > LOSS_LIMIT:
            return phrase("{name} reached {value:.3g} (healthy losses stay within a few tens)", name=name, value=value)
    with torch.no_grad():
        for p in params:
            if p.numel() == 0:
                continue
            top = p.detach().abs().max().item()
            if not math.isfinite(top):
                return phrase("a weight became NaN or infinite")
            if top > WEIGHT_LIMIT:
                return phrase("a weight reached {top:.3g} (healthy weights stay within a few units)", top=top)
    return None


def message(why: str, step: int, good: int) -> str:
    """The paused run's explanation: what happened, what was undone, what to try."""
    return phrase(
        "Training diverged at step {step:,}: {why}. The weights were rolled back to step {good:,} and the "
        "optimiser's moments reset; the run is paused. {advice}",
        step=step,
        why=why,
        good=good,
        advice=ADVICE,
    )


class Guard:
    """The last good weights of a run, and putting them back after a blow-up.

    :meth:`keep` is called after every healthy publish and once before the first step, so even a
    run that explodes before its first publish rolls back to real weights (its initial ones).
    """

    def __init__(self) -> None:
        self.step, self.g, self.d = 0, None, None

    def keep(self, state) -> None:
        """Remember ``state``'s weights (a CPU copy) as the ones to come back to."""
        self.step, self.g, self.d = state.step, cpu_copy(state.g), cpu_copy(state.d)

    def roll_back(self, state, model_cfg, optim) -> int:
        """Put the kept weights back, restart both optimisers (their moments have taken in the
        explosion) and G's average; returns the step the weights come from."""
        if self.g is not None:
            state.g.load_state_dict(self.g)
            state.d.load_state_dict(self.d)
        state.opt_g, state.opt_d = make_optimizers(state.g, state.d, model_cfg, optim)
        if state.g_avg is not None:  # the average has taken in the NaNs too: restart it from the restored G
            state.g_avg.load_state_dict(state.g.state_dict())
        return self.step
