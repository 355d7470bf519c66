"""Toy runs stepped together (gancore.train.together) train as each would alone."""

from __future__ import annotations

import pytest
import torch

from gancore.base.config import HackConfig, OptimConfig
from gancore.data.sampler import IndexSampler, load_dataset
from gancore.models.toy import ToyConfig
from gancore.train import together
from gancore.train.steps import new_state, train_step

CPU = torch.device("cpu")


def _runs(cfg: ToyConfig, hacks: HackConfig, lrs: list[tuple[float, float]], batch: int):
    """Runs of seeds 0, 1, ... with their own learning rates, each one solo step in (Adam's state begun)."""
    points = load_dataset("ring8", None, 0).points
    runs = []
    for seed, (lr_g, lr_d) in enumerate(lrs):
        state = new_state(cfg, OptimConfig(lr_g=lr_g, lr_d=lr_d, beta1=0.5), hacks, seed, CPU)
        sampler = IndexSampler(len(points), batch, seed)
        runs.append((state, lambda s=sampler: (points[s.next()], None)))
        train_step(state, runs[-1][1], hacks, batch)
    return runs


CASES = {
    "d2l": (ToyConfig(), HackConfig()),
    "deep relu, least squares, 2 D steps": (
        ToyConfig(g_hidden=(16, 16), d_hidden=(16,), activation="relu", init="pytorch"),
        HackConfig(loss="least_squares", d_steps=2, label_smoothing=0.1),
    ),
    "maxout, packed, hinge": (ToyConfig(d_hidden=(8, 8), d_maxout=3, pack=2, init="pytorch"), HackConfig(loss="hinge")),
    "minimax, inputs unscaled": (ToyConfig(g_hidden=(8,), activation="leaky_relu"), HackConfig(loss="minimax", scale_inputs=False)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_losses_and_weights_match_solo_runs(name):
    cfg, hacks = CASES[name]
    lrs = [(1e-3, 1e-3), (5e-3, 5e-2), (2e-4, 1e-3)]
    solo, batched = _runs(cfg, hacks, lrs, 16), _runs(cfg, hacks, lrs, 16)
    keys = {together.group_key(s, hacks, 16) for s, _b in batched}
    assert len(keys) == 1 and None not in keys  # different learning rates, one group
    for _step in range(25):
        alone = [train_step(s, b, hacks, 16) for s, b in solo]
        both = together.step_together([s for s, _b in batched], [b for _s, b in batched], hacks, 16)
        for a, b in zip(alone, both, strict=True):
            assert a.keys() == b.keys()
            for k in a:
                assert float(b[k]) == pytest.approx(float(a[k]), rel=1e-4, abs=1e-5), k
    for (s1, _b1), (s2, _b2) in zip(solo, batched, strict=True):
        assert s2.step == s1.step == 26
        for net in ("g", "d"):
            for p1, p2 in zip(getattr(s1, net).parameters(), getattr(s2, net).parameters(), strict=True):
                torch.testing.assert_close(p2, p1, rtol=1e-4, atol=1e-5)
        for o1, o2 in ((s1.opt_g, s2.opt_g), (s1.opt_d, s2.opt_d)):
            for p1, p2 in zip(o1.state, o2.state, strict=True):
                assert float(o2.state[p2]["step"]) == float(o1.state[p1]["step"])
                torch.testing.assert_close(o2.state[p2]["exp_avg_sq"], o1.state[p1]["exp_avg_sq"], rtol=1e-4, atol=1e-9)


def test_a_solo_step_after_batched_ones_continues_the_same_run():
    """The batched steps leave ordinary state behind: the optimisers carry on from it alone."""
    cfg, hacks = CASES["d2l"]
    solo, batched = _runs(cfg, hacks, [(5e-3, 5e-2)] * 2, 8), _runs(cfg, hacks, [(5e-3, 5e-2)] * 2, 8)
    for _step in range(5):
        for s, b in solo:
            train_step(s, b, hacks, 8)
        together.step_together([s for s, _b in batched], [b for _s, b in batched], hacks, 8)
    last = [
        (float(train_step(s1, b1, hacks, 8)["g_loss"]), float(train_step(s2, b2, hacks, 8)["g_loss"]))
        for (s1, b1), (s2, b2) in zip(solo, batched, strict=True)
    ]
    for alone, after in last:
        assert after == pytest.approx(alone, rel=1e-4, abs=1e-5)


@pytest.mark.parametrize(
    "change",
    [
        {"hacks": HackConfig(loss="wgan_gp")},
        {"hacks": HackConfig(label_flip=0.1)},
        {"hacks": HackConfig(instance_noise=0.1)},
        {"cfg": ToyConfig(g_hidden=(8,), g_batchnorm=True)},
        {"optim": OptimConfig(optimizer="sgd")},
        {"optim": OptimConfig(ema=0.999)},
        {"fresh": True},
    ],
)
def test_what_cannot_be_stacked_steps_alone(change):
    cfg, hacks = change.get("cfg", ToyConfig()), change.get("hacks", HackConfig())
    state = new_state(cfg, change.get("optim", OptimConfig()), hacks, 0, CPU)
    points = load_dataset("gaussian", None, 0).points
    if not change.get("fresh"):  # a run that has not stepped has no Adam state to stack yet
        train_step(state, lambda: (points[:8], None), hacks, 8)
    assert together.group_key(state, hacks, 8) is None


def test_runs_differ_in_shape_or_loss_are_different_groups():
    hacks = HackConfig()
    a, b = _runs(ToyConfig(), hacks, [(1e-3, 1e-3)], 8)[0][0], _runs(ToyConfig(d_hidden=(5, 4)), hacks, [(1e-3, 1e-3)], 8)[0][0]
    assert together.group_key(a, hacks, 8) != together.group_key(b, hacks, 8)
    assert together.group_key(a, hacks, 8) != together.group_key(a, HackConfig(loss="hinge"), 8)
    assert together.group_key(a, hacks, 8) != together.group_key(a, hacks, 16)
