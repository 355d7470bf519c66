import pytest
import torch

from gancore.base.config import HackConfig, OptimConfig
from gancore.models.dcgan import DcganConfig
from gancore.train import augment, steps


def _digits(n=64):
    x = torch.full((n, 1, 28, 28), -1.0)
    x[:, :, 10:18, 12:16] = 1.0  # a bar well inside the frame: any 4-pixel shift keeps it whole
    return x


def test_translate_moves_whole_images_by_at_most_four_pixels():
    x = _digits()
    out = augment.translate(x, torch.Generator().manual_seed(0))
    assert out.shape == x.shape
    assert torch.equal((out == 1).sum((1, 2, 3)), (x == 1).sum((1, 2, 3)))  # nothing lost or smeared
    rows = torch.nonzero(out[:, 0] == 1)
    tops = torch.stack([rows[rows[:, 0] == i, 1].min() for i in range(len(x))]) - 10
    lefts = torch.stack([rows[rows[:, 0] == i, 2].min() for i in range(len(x))]) - 12
    assert tops.abs().max() <= 4 and lefts.abs().max() <= 4
    assert len({(int(a), int(b)) for a, b in zip(tops, lefts, strict=True)}) > 10  # each image its own shift


def test_translate_fills_with_background():
    x = torch.ones(32, 1, 28, 28)
    out = augment.translate(x, torch.Generator().manual_seed(1))
    assert set(out.unique().tolist()) <= {-1.0, 1.0} and (out == -1).any()


def test_cutout_blanks_one_square_of_half_the_size_per_image():
    x = torch.ones(200, 3, 28, 28)
    out = augment.cutout(x, torch.Generator().manual_seed(0))
    blank = out[:, 0] == 0
    assert torch.equal(blank, (out == 0).all(1))  # every channel of a pixel together
    per_image = blank.sum((1, 2))
    assert per_image.max() == 14 * 14 and per_image.min() > 0  # whole squares, or clipped at an edge
    assert out[~blank.unsqueeze(1).expand_as(out)].eq(1).all()


def test_augment_kinds_and_points_pass_through():
    x, gen = _digits(8), torch.Generator().manual_seed(0)
    assert augment.augment(x, "none", gen) is x
    points = torch.randn(8, 2)
    assert augment.augment(points, "translate_cutout", gen) is points
    assert not torch.equal(augment.augment(x, "translate_cutout", gen), x)


def test_same_generator_same_augmentation_and_gradients_flow():
    x = _digits(8).requires_grad_(True)
    a = augment.augment(x, "translate_cutout", torch.Generator().manual_seed(3))
    b = augment.augment(x, "translate_cutout", torch.Generator().manual_seed(3))
    assert torch.equal(a, b)
    a.sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0  # G learns through the shift


@pytest.mark.parametrize("kind", ["translate", "translate_cutout"])
def test_training_with_augmentation_changes_what_d_sees(kind, monkeypatch):
    cfg = DcganConfig(width=0.125)
    seen = []
    real = augment.augment
    monkeypatch.setattr(steps, "augment", lambda x, k, g: seen.append(k) or real(x, k, g))
    st = steps.new_state(cfg, OptimConfig(), HackConfig(augment=kind), 0, torch.device("cpu"))
    batch = _digits(16)
    metrics = steps.train_step(st, lambda: (batch, None), HackConfig(augment=kind), 16)
    assert all(torch.isfinite(v) for v in metrics.values())
    assert seen == [kind] * 3  # real and fake in D's step, fake in G's step
