"""SRGAN and its SRResNet baseline: shrinking and bicubic, the networks' shapes, the two objectives,
a step, PSNR / SSIM through torchmetrics, and the CLI's sample keys."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from gancore import presets
from gancore.base.config import TrainConfig
from gancore.base.errors import ConfigError
from gancore.cli.main import main as cli
from gancore.explore import superres
from gancore.io import checkpoints
from gancore.io.runstate import RunState
from gancore.measure import pixels
from gancore.models import catalog
from gancore.models.catalog import build
from gancore.models.srgan import SrganConfig, SrObjective, bicubic, content_loss, shrink
from gancore.train import steps

TINY = SrganConfig(width=0.125, blocks=1)


def test_shrink_takes_block_means_and_bicubic_enlarges_back():
    x = torch.zeros(1, 1, 28, 28)
    x[0, 0, :4, :4] = 1.0
    lr = shrink(x)
    assert lr.shape == (1, 1, 7, 7) and lr[0, 0, 0, 0] == 1 and lr[0, 0, 1:, :].abs().sum() == 0
    flat = torch.full((2, 1, 7, 7), 0.3)
    assert torch.allclose(bicubic(flat), torch.full((2, 1, 28, 28), 0.3), atol=1e-5)  # a flat picture stays flat


def test_shapes_of_g_and_d():
    g, d = build(SrganConfig(width=0.25))
    out = g(None, torch.rand(3, 1, 7, 7) * 2 - 1)
    assert out.shape == (3, 1, 28, 28) and out.abs().max() <= 1
    assert d(out).shape == (3,) and torch.equal(d(out), d(out, torch.zeros(3, 1, 7, 7)))  # D never sees the input


def test_config_is_checked():
    for bad in ({"objective": "vgg"}, {"data": "shoes"}, {"blocks": 0}, {"adv_weight": 2.0}):
        with pytest.raises(ConfigError):
            SrganConfig(**bad)
    fam = catalog.get("srgan")
    assert fam.adversarial_weight(SrganConfig()) == 1e-3 and fam.adversarial_weight(SrganConfig(objective="mse")) == 0
    with pytest.raises(ConfigError, match="train it on fashion"):
        fam.check_run(SrganConfig(data="fashion"), TrainConfig(dataset="mnist"))


def test_the_two_objectives_on_known_inputs():
    fam = catalog.get("srgan")
    real = torch.rand(2, 1, 28, 28) * 2 - 1
    mse, logged = fam.reconstruction(SrganConfig(objective=SrObjective.MSE), torch.zeros_like(real), {"target": real})
    assert float(mse) == pytest.approx(float(real.pow(2).mean())) and "content" in logged
    same, _ = fam.reconstruction(SrganConfig(), real, {"target": real})
    assert float(same) == 0  # identical pictures: identical features
    assert float(content_loss(-real, real, "mnist")) > 0


def test_one_step_changes_g_and_the_mse_baseline_ignores_d(tiny_images):
    for objective in SrObjective:
        cfg = SrganConfig(width=0.125, blocks=1, objective=objective)
        st = steps.new_state(cfg, presets.get("srgan-mnist").train.optim, presets.get("srgan-mnist").train.hacks, 0, torch.device("cpu"))
        gen = torch.Generator().manual_seed(0)

        def nb(gen=gen):
            i = torch.randint(len(tiny_images), (8,), generator=gen)
            return tiny_images.images[i], tiny_images.labels[i]

        before = [p.clone() for p in st.g.parameters()]
        m = steps.train_step(st, nb, presets.get("srgan-mnist").train.hacks, 8)
        assert any(not torch.equal(a, b) for a, b in zip(before, st.g.parameters(), strict=True))
        if objective is SrObjective.MSE:
            assert float(m["g_loss"]) == pytest.approx(float(m["content"]), rel=1e-6)  # no adversarial term
        else:
            assert float(m["g_loss"]) > float(m["content"])  # content + 1e-3 adversarial


def test_psnr_and_ssim_through_torchmetrics():
    x = torch.rand(2, 1, 28, 28) * 2 - 1
    assert torch.isinf(pixels.psnr(x, x)).all() and torch.allclose(pixels.ssim(x, x), torch.ones(2))
    noisy = (x + 0.2).clamp(-1, 1)
    mse = float(((noisy - x) ** 2).mean())
    assert float(pixels.psnr(noisy[:1], x[:1])) == pytest.approx(10 * np.log10(4 / float(((noisy[:1] - x[:1]) ** 2).mean())), rel=1e-4)
    assert mse > 0 and float(pixels.ssim(noisy, x).mean()) < 1


def test_sample_writes_inputs_targets_bicubic_and_the_baseline(tiny_pairs, tmp_path, monkeypatch):
    g, d = build(TINY)
    path = checkpoints.save(tmp_path / "sr", RunState(g.state_dict(), d.state_dict(), step=3), TINY, TrainConfig(), dataset="tiny")
    base, _ = build(SrganConfig(width=0.125, blocks=1, objective="mse"))
    monkeypatch.setattr(superres, "shipped_generator", lambda name: base.eval())
    assert cli(["sample", str(path), "--n", "10", "--out", str(tmp_path / "s.npz")]) == 0
    got = np.load(tmp_path / "s.npz")
    assert set(got.files) == {"images", "inputs", "targets", "labels", "bicubic", "mse"}
    assert got["inputs"].shape == (10, 1, 7, 7) and got["bicubic"].shape == got["mse"].shape == got["images"].shape == (10, 1, 28, 28)
    assert np.allclose(got["inputs"], shrink(torch.from_numpy(got["targets"])).numpy(), atol=1e-6)
    from gancore.explore.evaluate import evaluate_checkpoint

    scores = evaluate_checkpoint(checkpoints.load(path), n=20)
    for key in ("bicubic_psnr", "srresnet_psnr", "srgan_psnr", "srgan_ssim", "srgan_accuracy", "srgan_fd", "label_agreement"):
        assert key in scores, key


def test_the_content_loss_trains_even_after_eval_loaded_the_classifier_in_inference_mode():
    from gancore.measure import scores
    from gancore.models import srgan

    scores.load_classifier.cache_clear()
    srgan._feature_net.cache_clear()
    with torch.inference_mode():
        scores.load_classifier("mnist")  # as eval does, before any training in this process
    fake = (torch.rand(2, 1, 28, 28) * 2 - 1).requires_grad_(True)
    content_loss(fake, torch.rand(2, 1, 28, 28) * 2 - 1, "mnist").backward()
    assert fake.grad is not None and fake.grad.abs().sum() > 0
    scores.load_classifier.cache_clear()
    srgan._feature_net.cache_clear()
