"""Every switch works with every family: each preset trains with each hack switched on, then
switched back to the preset's setting mid-run (as the Training Lab's live edits do)."""

from dataclasses import replace

import pytest
import torch

from gancore import presets
from gancore.base.config import HackConfig
from gancore.data.images import DIGITS, ImageData
from gancore.models import catalog
from gancore.train.steps import apply_hacks, new_state, train_step

# one non-default value per switch (the preset's own value is what it is switched back to)
VARIANTS = {
    "loss=minimax": {"loss": "minimax"},
    "loss=least_squares": {"loss": "least_squares"},
    "loss=hinge": {"loss": "hinge"},
    "loss=wgan_gp": {"loss": "wgan_gp"},
    "scale_inputs off": {"scale_inputs": False},
    "z uniform": {"z_dist": "uniform"},
    "label smoothing": {"label_smoothing": 0.2},
    "label flip": {"label_flip": 0.1},
    "instance noise": {"instance_noise": 0.5},
    "joint real/fake batches": {"separate_batches": False},
    "separate batches": {"separate_batches": True},
    "ReLU in G and D": {"g_slope": 0.0, "d_slope": 0.0},
    "dropout in G": {"g_dropout": 0.3},
    "2 D steps": {"d_steps": 2},
    "DiffAugment": {"augment": "translate_cutout"},
}


STEPS = 4  # each way: a step runs every code path of its switch; more steps only cost the suite time


def data_for(model, n: int = 64):
    """Random data of the preset's shape: images with labels, or 2D points."""
    g = torch.Generator().manual_seed(0)
    if not model.is_image:
        return torch.randn(n, model.data_dim, generator=g), None
    images = torch.rand(n, *model.image_shape, generator=g) * 2 - 1
    ds = ImageData("random", images, torch.arange(n) % 10, DIGITS, "random", False)  # labels for the conditional models
    ds = catalog.of(model).training_data(model, ds)  # as a run sees it (CycleGAN: two halves as channels)
    return ds.images, ds.labels


def code_paths() -> list[str]:
    """Every preset, less those that differ from an earlier one only in their data (the matrix
    trains on random data of the model's shape, so e.g. pix2pix on shoes runs pix2pix on digits'
    code again; CycleGAN's turned digits its thick ones')."""
    seen, names = set(), []
    for name, p in presets.PRESETS.items():
        model = {k: v for k, v in vars(p.model).items() if k not in ("data", "task")}
        key = (type(p.model).__name__, repr(model), repr(p.train.hacks), repr(p.train.optim))
        if key not in seen:
            seen.add(key)
            names.append(name)
    return names


@pytest.mark.parametrize("preset", code_paths())
def test_every_switch_trains_every_preset_and_can_be_switched_back(preset):
    p = presets.get(preset)
    model = replace(p.model, width=0.0625) if hasattr(p.model, "width") else p.model  # the same code paths, smaller
    model = replace(model, blocks=1) if hasattr(model, "blocks") else model  # one residual block runs the code of four
    batch = 8 * getattr(model, "pack", 1)
    x, y = data_for(model)
    torch.manual_seed(0)

    def next_batch():
        idx = torch.randint(0, x.shape[0], (batch,))
        return x[idx], None if y is None else y[idx]

    failures = []
    for name, change in VARIANTS.items():
        try:
            hacks = replace(p.train.hacks, **change)
            state = new_state(model, p.train.optim, hacks, seed=0, device=torch.device("cpu"))
            for _ in range(STEPS):
                out = train_step(state, next_batch, hacks, batch)
            apply_hacks(state, p.train.hacks)  # switched back mid-run
            for _ in range(STEPS):
                out = train_step(state, next_batch, p.train.hacks, batch)
            assert {"d_loss", "g_loss"} <= set(out)
        except Exception as exc:  # collect them all: one report per preset
            failures.append(f"{name}: {type(exc).__name__}: {str(exc)[:120]}")
    assert not failures, f"{preset}:\n" + "\n".join(failures)


def test_the_variants_are_real_changes():
    for change in VARIANTS.values():
        assert replace(HackConfig(), **change) != HackConfig() or change == {"separate_batches": True}
