"""pix2pix: the paired data, the U-Net and the PatchGAN, its loss terms and ablation, a step,
and the CLI's sample and eval."""

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
from gancore.models.pix2pix import Objective, Pix2PixConfig, l1
from gancore.train import steps

TINY = Pix2PixConfig(width=0.125)


def blank(n: int = 1) -> torch.Tensor:
    return -torch.ones(n, 1, 28, 28)


def test_edges_draw_the_outline_outside_the_ink():
    x = blank()
    x[0, 0, 10:18, 13:15] = 1  # a 2-pixel-wide vertical stroke
    e = tasks.edges(x)
    assert e.shape == x.shape and set(e.unique().tolist()) <= {-1.0, 1.0}
    on = (e[0, 0] > 0).nonzero().tolist()
    assert [10, 12] in on and [10, 15] in on and [9, 13] in on  # left, right and above the stroke
    assert [12, 13] not in on and [12, 14] not in on  # the ink itself is not an edge
    assert (tasks.edges(blank()) == -1).all()  # nothing drawn, no edges


def test_edge_threshold_is_per_set():
    grey = blank()
    grey[0, 0, 10:18, 10:18] = -0.5  # a dim square: gradient 0.25
    assert (tasks.edges(grey, tasks.edge_threshold("shoes")) > 0).any()
    assert not (tasks.edges(grey, tasks.edge_threshold("mnist")) > 0).any()


def test_test_pairs_align_and_wrap(tiny_pairs):
    got = tasks.test_pairs("mnist", 300, torch.Generator().manual_seed(0))
    assert got["y"].shape == got["target"].shape == (300, 1, 28, 28) and got["labels"].shape == (300,)
    assert torch.equal(got["y"], tasks.edges(got["target"], 0.5))  # each input is its own target's edges
    assert torch.equal(got["target"][256], tiny_pairs.images[0])  # 256 test images, then from the start
    again = tasks.test_pairs_at("mnist", [3, 259])
    assert torch.equal(again["target"][0], again["target"][1]) and tasks.test_count("mnist") == 256


def test_shoes_are_three_fashion_classes():
    from gancore.data.images import SHOE_CLASSES, load_images

    shoes = load_images("shoes", train=False)
    assert set(shoes.labels.unique().tolist()) == set(SHOE_CLASSES) and len(shoes) == 3000
    assert "sandals, sneakers and ankle boots" in shoes.source


@pytest.mark.parametrize("unet", [True, False])
def test_shapes_of_g_and_the_patch_grid(unet):
    g, d = build(Pix2PixConfig(width=0.25, unet=unet))
    x = torch.rand(3, 1, 28, 28) * 2 - 1
    out = g(None, x)
    assert out.shape == (3, 1, 28, 28) and out.abs().max() <= 1
    assert d(out, x).shape == (3, 49)  # a 7 x 7 grid of patch verdicts


class Cut(torch.nn.Module):
    """A bottleneck that lets nothing through: zeros of the shape the decoder expects."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.channels = channels

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return torch.zeros(h.shape[0], self.channels, 4, 4)


def test_unet_skips_carry_the_input_past_a_cut_bottleneck():
    for unet, depends in ((True, True), (False, False)):
        g, _ = build(Pix2PixConfig(width=0.25, unet=unet))
        g.eval()
        g.e3 = Cut(g.d3[0].in_channels)  # nothing passes the bottleneck
        a, b = blank(), blank()
        b[0, 0, 5:20, 5:20] = 1
        differs = not torch.allclose(g(None, a), g(None, b))
        assert differs is depends, unet


def test_config_is_checked():
    for bad in ({"objective": "blur"}, {"data": "emoji"}, {"l1_weight": -1.0}, {"channels": 3}):
        with pytest.raises(ConfigError):
            Pix2PixConfig(**bad)
    assert Pix2PixConfig(objective="l1").objective is Objective.L1
    with pytest.raises(ConfigError, match="train it on mnist"):
        catalog.get("pix2pix").check_run(TINY, TrainConfig(dataset="fashion"))


def test_loss_terms_on_known_inputs():
    fam = catalog.get("pix2pix")
    fake, target = torch.zeros(2, 1, 28, 28), torch.full((2, 1, 28, 28), 0.5)
    assert float(l1(fake, target)) == pytest.approx(0.5)
    term, logged = fam.reconstruction(TINY, fake, {"target": target})
    assert float(term) == pytest.approx(50.0) and float(logged["l1"]) == pytest.approx(0.5)  # lambda = 100
    assert fam.reconstruction(Pix2PixConfig(objective="cgan"), fake, {"target": target})[0] is None
    assert fam.adversarial_weight(Pix2PixConfig(objective="l1")) == 0 and fam.adversarial_weight(TINY) == 1


def _state(cfg, seed=0):
    return steps.new_state(cfg, OptimConfig(beta1=0.5), HackConfig(g_dropout=0.5), seed, torch.device("cpu"))


def _batches(images, seed=0):
    gen = torch.Generator().manual_seed(seed)

    def nb():
        i = torch.randint(len(images), (16,), generator=gen)
        return images.images[i], images.labels[i]

    return nb


def test_one_step_changes_both_players_and_l1_alone_ignores_d(tiny_images):
    st = _state(TINY)
    g0, d0 = [p.clone() for p in st.g.parameters()], [p.clone() for p in st.d.parameters()]
    m = steps.train_step(st, _batches(tiny_images), HackConfig(g_dropout=0.5), 16)
    assert any(not torch.equal(a, b) for a, b in zip(g0, st.g.parameters(), strict=True))
    assert any(not torch.equal(a, b) for a, b in zip(d0, st.d.parameters(), strict=True))
    assert float(m["g_loss"]) > 100 * float(m["l1"]) * 0.99  # cGAN + 100 L1
    only = _state(Pix2PixConfig(width=0.125, objective="l1"))
    m = steps.train_step(only, _batches(tiny_images), HackConfig(g_dropout=0.5), 16)
    assert float(m["g_loss"]) == pytest.approx(100 * float(m["l1"]), rel=1e-5)  # no adversarial term
    m = steps.train_step(only, _batches(tiny_images), HackConfig(g_dropout=0.5), 16, mode="g")  # G alone still gets pairs
    assert set(m) == {"g_loss", "l1"}


def test_same_seed_same_losses(tiny_images):
    runs = []
    for _ in range(2):
        st, nb = _state(TINY, seed=3), _batches(tiny_images, seed=3)
        runs.append([float(steps.train_step(st, nb, HackConfig(g_dropout=0.5), 16)["g_loss"]) for _ in range(3)])
    assert runs[0] == runs[1]


def test_presets_train_on_their_own_data():
    for name in ("pix2pix-edges-mnist", "pix2pix-edges-shoes", "pix2pix-l1-only", "pix2pix-shoes-l1-only"):
        p = presets.get(name)
        assert p.model.family == "pix2pix" and p.train.dataset == p.model.data and p.train.hacks.g_dropout == 0.5
    assert presets.get("pix2pix").name == "pix2pix-edges-mnist"


def test_sample_and_eval_write_the_translation_keys(tiny_pairs, tmp_path, capsys):
    g, d = build(TINY)
    path = checkpoints.save(tmp_path / "p2p", RunState(g.state_dict(), d.state_dict(), step=5), TINY, TrainConfig(), dataset="tiny")
    assert cli(["sample", str(path), "--n", "12", "--out", str(tmp_path / "s.npz")]) == 0
    got = np.load(tmp_path / "s.npz")
    assert set(got.files) == {"images", "inputs", "targets", "labels"}
    assert got["images"].shape == got["inputs"].shape == got["targets"].shape == (12, 1, 28, 28)
    assert np.array_equal(got["targets"], tiny_pairs.images[:12].numpy())
    from gancore.explore.evaluate import evaluate_checkpoint

    scores = evaluate_checkpoint(checkpoints.load(path), n=40)
    for key in ("label_agreement", "target_accuracy", "l1_to_target", "input_l1_to_target", "fd_to_targets"):
        assert key in scores, key
    assert 0 <= scores["label_agreement"] <= 1 and scores["l1_to_target"] > 0
