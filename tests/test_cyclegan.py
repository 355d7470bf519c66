"""CycleGAN / DiscoGAN: the unpaired halves, both recipes' networks, the cycle and identity terms,
a training step, the run's data, and the CLI's sample and eval."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from gancore import presets
from gancore.base.config import HackConfig, OptimConfig, TrainConfig
from gancore.base.errors import ConfigError
from gancore.cli.main import main as cli
from gancore.data import tasks
from gancore.io import checkpoints
from gancore.io.runstate import RunState
from gancore.models import catalog
from gancore.models.catalog import build
from gancore.models.cyclegan import CycleConfig, Recipe, Task, cycle_distance
from gancore.train import steps

TINY = CycleConfig(width=0.125, blocks=1)
DISCO = CycleConfig(width=0.125, recipe="discogan", cycle_weight=1.0, identity_weight=0.0)
LSQ = HackConfig(loss="least_squares", d_slope=0.2)


def test_the_unpaired_halves_share_no_image():
    images = torch.arange(10.0).view(10, 1, 1, 1).expand(10, 1, 28, 28).clone()  # picture i is all i
    a, b = tasks.halves(10, seed=4)
    assert len(a) == len(b) == 5 and not set(a.tolist()) & set(b.tolist())
    got, labels = tasks.unpaired(images, torch.arange(10), "rotate", seed=4)
    assert got.shape == (5, 2, 28, 28) and torch.equal(labels, a)
    seen_a, seen_b = set(got[:, 0, 0, 0].tolist()), set(got[:, 1, 0, 0].tolist())
    assert not seen_a & seen_b and len(seen_a | seen_b) == 10  # every picture once, in one domain only
    odd, _ = tasks.unpaired(images[:9], torch.arange(9), "thick")
    assert odd.shape == (4, 2, 28, 28)  # the odd one out is left out, not doubled


def test_thick_ground_truth_is_the_dilation_and_rotate_a_quarter_turn():
    x = -torch.ones(1, 1, 28, 28)
    x[0, 0, 10:18, 14] = 1  # a one-pixel vertical stroke
    thick = tasks.domain_b(Task.THICK, x)
    assert torch.equal(thick, tasks.dilate(x)) and torch.equal(thick, torch.nn.functional.max_pool2d(x, 3, 1, 1))
    assert (thick[0, 0, 10:18, 13:16] == 1).all() and float((thick > 0).sum()) == 30  # 3 wide, 10 tall
    turned = tasks.domain_b(Task.ROTATE, x)
    assert (turned[0, 0, 13, 10:18] == 1).all() and torch.equal(tasks.rotate(tasks.rotate(tasks.rotate(turned))), x)


def test_a_run_draws_from_the_two_halves(tiny_images):
    fam = catalog.get("cyclegan")
    got = fam.training_data(TINY, tiny_images)
    assert got.images.shape == (len(tiny_images) // 2, 2, 28, 28) and "unpaired halves" in got.source
    batch = fam.batch_inputs(TINY, got.images[:8], got.labels[:8], torch.Generator().manual_seed(0))
    assert torch.equal(batch["y"], got.images[:8, :1])  # the A pictures as they are
    assert sorted(batch["b"].flatten(1).sum(1).tolist()) == sorted(got.images[:8, 1].flatten(1).sum(1).tolist())  # B, reshuffled


@pytest.mark.parametrize("cfg", [TINY, DISCO], ids=["cyclegan", "discogan"])
def test_shapes_of_both_translators_and_both_critics(cfg):
    g, d = build(cfg)
    a = torch.rand(3, 1, 28, 28) * 2 - 1
    assert g(None, a).shape == g.ab(a).shape == g.ba(a).shape == (3, 1, 28, 28) and g(None, a).abs().max() <= 1
    patches = 49 if cfg.recipe is Recipe.CYCLEGAN else 1  # a PatchGAN's 7 x 7 grid, or one verdict
    assert d(torch.cat([a, a], 1)).shape == (3, 2 * patches)
    fake = catalog.of(cfg).generate(g, {"y": a, "b": a.flip(0)})
    assert fake.shape == (3, 2, 28, 28) and torch.allclose(fake[:, 1:], g.ab(a))  # [G_BA(b), G_AB(a)]
    with pytest.raises(ValueError, match="domain-A"):
        g(None, None)


def test_config_is_checked():
    for bad in ({"task": "blur"}, {"recipe": "unit"}, {"data": "emoji"}, {"cycle_weight": -1.0}, {"blocks": 0}, {"channels": 3}):
        with pytest.raises(ConfigError):
            CycleConfig(**bad)
    assert CycleConfig(task="rotate").task is Task.ROTATE and CycleConfig(recipe="discogan").recipe is Recipe.DISCOGAN
    with pytest.raises(ConfigError, match="train it on mnist"):
        catalog.get("cyclegan").check_run(TINY, TrainConfig(dataset="fashion"))


class Echo(torch.nn.Module):
    """A translator that hands its input back: both cycles close exactly."""

    def forward(self, x):
        return x


def test_cycle_and_identity_terms_on_known_inputs():
    fam, g = catalog.get("cyclegan"), torch.nn.Module()
    g.ab, g.ba = Echo(), Echo()
    a, b = torch.zeros(2, 1, 28, 28), torch.full((2, 1, 28, 28), 0.5)
    loss, logged = fam.reconstruction(TINY, torch.cat([b, a], 1), {"y": a, "b": b}, g)  # perfect fakes, echoed back
    assert float(loss) == 0 and float(logged["cycle"]) == 0 and float(logged["identity"]) == 0
    loss, logged = fam.reconstruction(TINY, torch.cat([a, b], 1), {"y": a, "b": b}, g)  # fakes swapped: cycles miss by 0.5
    assert float(logged["cycle"]) == pytest.approx(0.5) and float(loss) == pytest.approx(10 * (0.5 + 0.5))  # lambda = 10, identity 0
    assert float(cycle_distance(Recipe.DISCOGAN, a, b)) == pytest.approx(0.25)  # DiscoGAN: squared
    loss, logged = fam.reconstruction(DISCO, torch.cat([a, b], 1), {"y": a, "b": b}, g)
    assert float(loss) == pytest.approx(0.5) and "identity" not in logged  # lambda = 1, no identity term
    assert fam.adversarial_weight(TINY) == 2.0


def _state(cfg, hacks=LSQ, seed=0):
    return steps.new_state(cfg, OptimConfig(beta1=0.5), hacks, seed, torch.device("cpu"))


def _batches(images, seed=0):
    data = catalog.get("cyclegan").training_data(TINY, images)
    gen = torch.Generator().manual_seed(seed)

    def nb():
        i = torch.randint(len(data), (8,), generator=gen)
        return data.images[i], data.labels[i]

    return nb


@pytest.mark.parametrize("cfg", [TINY, DISCO], ids=["cyclegan", "discogan"])
def test_one_step_changes_all_four_networks(tiny_images, cfg):
    st = _state(cfg)
    before = {name: [p.clone() for p in net.parameters()] for name, net in (("ab", st.g.ab), ("ba", st.g.ba), ("a", st.d.a), ("b", st.d.b))}
    m = steps.train_step(st, _batches(tiny_images), LSQ, 8)
    for name, net in (("ab", st.g.ab), ("ba", st.g.ba), ("a", st.d.a), ("b", st.d.b)):
        assert any(not torch.equal(x, y) for x, y in zip(before[name], net.parameters(), strict=True)), name
    assert {"d_loss", "g_loss", "cycle"} <= set(m) and float(m["g_loss"]) > cfg.cycle_weight * 2 * float(m["cycle"])
    m = steps.train_step(st, _batches(tiny_images), LSQ, 8, mode="g")  # G alone still gets an A and a B batch
    assert "cycle" in m


def test_same_seed_same_losses(tiny_images):
    runs = []
    for _ in range(2):
        st, nb = _state(TINY, seed=3), _batches(tiny_images, seed=3)
        runs.append([float(steps.train_step(st, nb, LSQ, 8)["g_loss"]) for _ in range(3)])
    assert runs[0] == runs[1]


def test_presets_say_which_recipe_uses_what():
    cyc, disco, turn = (presets.get(n) for n in ("cyclegan-thick-mnist", "discogan-thick-mnist", "cyclegan-rotate-mnist"))
    assert cyc.train.hacks.loss == "least_squares" and cyc.model.cycle_weight == 10 and cyc.model.identity_weight == 0.5
    assert disco.train.hacks.loss == "non_saturating" and disco.model.cycle_weight == 1 and disco.model.identity_weight == 0
    assert turn.model.task is Task.ROTATE and presets.get("cyclegan").name == "cyclegan-thick-mnist"


def test_sample_and_eval_write_the_cycle_keys(tiny_pairs, tmp_path):
    g, d = build(TINY)
    path = checkpoints.save(tmp_path / "cyc", RunState(g.state_dict(), d.state_dict(), step=5), TINY, TrainConfig(), dataset="tiny")
    assert cli(["sample", str(path), "--n", "12", "--out", str(tmp_path / "s.npz")]) == 0
    got = np.load(tmp_path / "s.npz")
    assert set(got.files) == {"images", "inputs", "targets", "labels", "cycled"}
    assert got["images"].shape == got["cycled"].shape == got["targets"].shape == (12, 1, 28, 28)
    assert np.array_equal(got["inputs"], tiny_pairs.images[:12].numpy())
    assert np.array_equal(got["targets"], tasks.dilate(tiny_pairs.images[:12]).numpy())  # the true thick digits
    from gancore.explore.evaluate import evaluate_checkpoint

    scores = evaluate_checkpoint(checkpoints.load(path), n=40)
    for key in ("label_agreement", "target_accuracy", "l1_to_target", "input_l1_to_target", "cycle_l1_a", "cycle_l1_b"):
        assert key in scores, key
