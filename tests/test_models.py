import sys

import pytest
import torch

from gancore import presets
from gancore.base.config import HackConfig, OptimConfig
from gancore.explore.summary import counts, summarize
from gancore.models.catalog import build, latent_size, sample_latent
from gancore.models.cgan import CganConfig
from gancore.models.common import set_hacks
from gancore.models.dcgan import DcganConfig
from gancore.models.dcgan64 import Dcgan64Config
from gancore.models.infogan import InfoGanConfig
from gancore.models.mlp import MlpConfig
from gancore.models.toy import Maxout, ToyConfig
from gancore.train import steps

CONFIGS = {
    "mlp": MlpConfig(),
    "dcgan": DcganConfig(width=0.25),
    "cgan": CganConfig(width=0.25),
    "infogan": InfoGanConfig(latent_dim=62, width=0.25),
    "dcgan64": Dcgan64Config(channels=3, image_size=64, width=0.125),
    "toy": ToyConfig(latent_dim=2),
    "toy-packed": ToyConfig(latent_dim=2, g_hidden=(16, 16), d_hidden=(16,), activation="relu", pack=2, init="pytorch"),
}


@pytest.mark.parametrize("name", CONFIGS)
def test_shapes_and_ranges(name):
    cfg = CONFIGS[name]
    g, d = build(cfg)
    lat = sample_latent(cfg, 8, torch.Generator().manual_seed(0))
    assert lat["z"].shape == (8, latent_size(cfg))
    x = g(lat["z"], lat.get("y"))
    if cfg.is_image:
        assert x.shape == (8, *cfg.image_shape)
        assert x.min() >= -1 and x.max() <= 1  # tanh, the range of the data
    else:
        assert x.shape == (8, 2)
    logits = d(x, lat.get("y"))
    assert logits.shape == (8 // getattr(cfg, "pack", 1),)  # PacGAN: one logit per pack
    if name == "infogan":
        logit, cat, cont = d.forward_all(x)
        assert (logit.shape, cat.shape, cont.shape) == ((8,), (8, 10), (8, 2))


def test_mlp_parameter_counts_equal_the_lecture():
    g, d = build(MlpConfig())
    assert counts(g) == (581_520, 1_792)  # Keras: trainable 581,520; non-trainable 1,792
    assert counts(d) == (265_601, 0)


def test_dcgan_parameter_counts_equal_the_tutorial():
    s = summarize(presets.get("tf-dcgan").model)
    assert (s["generator"]["trainable"], s["discriminator"]["trainable"]) == (2_305_472, 212_865)
    shapes = [shape for _, shape, _ in s["generator"]["layers"]]
    assert (None, 256, 7, 7) in shapes and (None, 64, 14, 14) in shapes


def test_d2l_toy_is_the_books_network():
    g, d = build(presets.get("d2l-toy").model)
    assert [type(m).__name__ for m in g.net] == ["Linear"]
    assert [type(m).__name__ for m in d.net] == ["Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert [m.out_features for m in d.net if isinstance(m, torch.nn.Linear)] == [5, 3, 1]
    assert all(p.abs().max() < 0.15 for p in g.parameters())  # N(0, 0.02) init


def test_pacgan_toy_networks_batchnorm_maxout_and_fixed_relu():
    cfg = presets.get("toy-pacgan").model
    g, d = build(cfg)
    set_hacks(g, d, g_slope=0.2, d_slope=0.2, g_dropout=0.0)  # the image models' slope hack
    assert [type(m).__name__ for m in g.net[:3]] == ["Linear", "BatchNorm1d", "LeakyReLU"]
    assert all(m.negative_slope == 0.0 for m in g.modules() if isinstance(m, torch.nn.LeakyReLU))  # still ReLU
    assert [type(m).__name__ for m in d.net] == ["Maxout", "Maxout", "Maxout", "Linear"]
    assert d.net[0].linear.out_features == 200 * 5
    x = torch.randn(10, 2)
    assert g(torch.randn(10, 2)).shape == (10, 2) and d(x).shape == (5,) and d.score_points(x).shape == (10,)
    unit = Maxout(3, 2, 4)
    h = torch.randn(6, 3)
    assert torch.equal(unit(h), unit.linear(h).view(6, 2, 4).amax(-1))


def test_cgan_needs_labels():
    g, d = build(CONFIGS["cgan"])
    with pytest.raises(ValueError, match="labels"):
        g(torch.randn(2, 100))


def _batches(cfg, n=16):
    gen = torch.Generator().manual_seed(1)
    if cfg.is_image:
        x = torch.rand(n, *cfg.image_shape, generator=gen) * 2 - 1
        y = torch.arange(n) % 10
    else:
        x, y = torch.randn(n, 2, generator=gen), None
    return lambda: (x, y if cfg.conditional else None)


@pytest.mark.parametrize("name", CONFIGS)
def test_one_optimisation_step_changes_the_weights(name):
    cfg = CONFIGS[name]
    st = steps.new_state(cfg, OptimConfig(), HackConfig(), seed=0, device=torch.device("cpu"))
    before_g = [p.detach().clone() for p in st.g.parameters()]
    before_d = [p.detach().clone() for p in st.d.parameters()]
    metrics = steps.train_step(st, _batches(cfg), HackConfig(), batch_size=16)
    assert all(torch.isfinite(v) for v in metrics.values())
    assert any(not torch.equal(a, b) for a, b in zip(before_g, st.g.parameters(), strict=True))
    assert any(not torch.equal(a, b) for a, b in zip(before_d, st.d.parameters(), strict=True))
    if name == "infogan":
        assert {"info_cat", "info_cont"} <= set(metrics)


@pytest.mark.parametrize("loss", ["minimax", "non_saturating", "least_squares", "hinge", "wgan_gp"])
def test_every_loss_trains(loss):
    cfg = CONFIGS["cgan"]
    hacks = HackConfig(loss=loss, label_smoothing=0.1, label_flip=0.1, instance_noise=0.5, separate_batches=False, g_dropout=0.5, d_steps=2)
    st = steps.new_state(cfg, OptimConfig(), hacks, seed=0, device=torch.device("cpu"))
    metrics = steps.train_step(st, _batches(cfg), hacks, batch_size=16)
    assert torch.isfinite(metrics["d_loss"]) and torch.isfinite(metrics["g_loss"])


def test_same_seed_same_losses():
    cfg = CONFIGS["dcgan"]  # has dropout in D: masks come from the run's generator
    runs = []
    for _ in range(2):
        st = steps.new_state(cfg, OptimConfig(), HackConfig(g_dropout=0.3), seed=7, device=torch.device("cpu"))
        runs.append([steps.train_step(st, _batches(cfg), HackConfig(g_dropout=0.3), 16)["g_loss"].item() for _ in range(3)])
    assert runs[0] == runs[1]
    st = steps.new_state(cfg, OptimConfig(), HackConfig(), seed=8, device=torch.device("cpu"))
    assert steps.train_step(st, _batches(cfg), HackConfig(), 16)["g_loss"].item() != runs[0][0]


def test_step_modes_update_one_side():
    cfg = CONFIGS["toy"]
    st = steps.new_state(cfg, OptimConfig(), HackConfig(), seed=0, device=torch.device("cpu"))
    g0 = [p.clone() for p in st.g.parameters()]
    steps.train_step(st, _batches(cfg), HackConfig(), 16, mode="d")
    assert all(torch.equal(a, b) for a, b in zip(g0, st.g.parameters(), strict=True))
    d0 = [p.clone() for p in st.d.parameters()]
    steps.train_step(st, _batches(cfg), HackConfig(), 16, mode="g")
    assert all(torch.equal(a, b) for a, b in zip(d0, st.d.parameters(), strict=True))


def test_lr_scale_is_one_without_decay_and_linear_with_it():
    plain, decaying = OptimConfig(), OptimConfig(lr_decay=True)
    assert [steps.lr_scale(plain, i, 4) for i in range(4)] == [1.0] * 4
    assert [steps.lr_scale(decaying, i, 4) for i in range(6)] == [1.0, 0.75, 0.5, 0.25, 0.25, 0.25]  # never 0 past the end
    st = steps.new_state(MlpConfig(), OptimConfig(lr_g=1e-3, lr_d=4e-3), HackConfig(), 0, torch.device("cpu"))
    steps.apply_optim(st, OptimConfig(lr_g=1e-3, lr_d=4e-3), 0.5)
    assert st.opt_g.param_groups[0]["lr"] == 5e-4 and st.opt_d.param_groups[0]["lr"] == 2e-3


def test_live_hacks_change_slopes_and_dropout():
    cfg = CONFIGS["dcgan"]
    st = steps.new_state(cfg, OptimConfig(), HackConfig(g_slope=0.0, d_slope=0.2, g_dropout=0.25), 0, torch.device("cpu"))
    g_slopes = {m.negative_slope for m in st.g.modules() if isinstance(m, torch.nn.LeakyReLU)}
    d_slopes = {m.negative_slope for m in st.d.modules() if isinstance(m, torch.nn.LeakyReLU)}
    assert (g_slopes, d_slopes) == ({0.0}, {0.2})
    assert {m.p for m in st.g.modules() if isinstance(m, torch.nn.Dropout)} == {0.25}
    assert {m.p for m in st.d.modules() if isinstance(m, torch.nn.Dropout)} == {0.3}  # D's own stays


def test_gancore_never_imports_streamlit():
    import subprocess

    code = "import sys, gancore.runs.engine, gancore.runs.registry, gancore.io.checkpoints, gancore.cli.main; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_explore_helpers(tiny_images):
    import numpy as np

    from gancore.base.arrays import to_uint8_grid
    from gancore.explore import sampling

    cfg = CONFIGS["dcgan"]
    st = steps.new_state(cfg, OptimConfig(), HackConfig(g_slope=0.1), 0, torch.device("cpu"))
    g = sampling.generator_from_state(cfg, st.g.state_dict(), HackConfig(g_slope=0.1))
    st.g.eval()
    z = torch.randn(2, 100)
    with torch.no_grad():
        assert torch.allclose(g(z), st.g(z))
    x = sampling.sample_images(g, cfg, 6, seed=0)
    assert x.shape == (6, 1, 28, 28)
    pic = sampling.tile(to_uint8_grid(x), cols=3, scale=2)
    assert pic.shape == (2 * (2 * 29 + 1), 2 * (3 * 29 + 1)) and pic.dtype == np.uint8


def test_weight_average_follows_g_with_a_ramp_and_can_be_switched():
    cfg = CONFIGS["mlp"]
    cpu = torch.device("cpu")
    st = steps.new_state(cfg, OptimConfig(ema=0.999), HackConfig(), 0, cpu)
    assert st.sampling_g is st.g_avg and not st.g_avg.training
    assert all(not p.requires_grad for p in st.g_avg.parameters())
    before = [p.clone() for p in st.g_avg.parameters()]
    steps.train_step(st, _batches(cfg), HackConfig(), 16)
    # first update: rate min(0.999, 1/10) = 0.1, so avg = 0.1 old + 0.9 new G
    for old, avg, g in zip(before, st.g_avg.parameters(), st.g.parameters(), strict=True):
        assert torch.allclose(avg, 0.1 * old + 0.9 * g, atol=1e-6)
    assert all(torch.equal(a, b) for a, b in zip(st.g_avg.buffers(), st.g.buffers(), strict=True))  # BatchNorm stats copied
    st.step = 10_000  # late in a run the ramp is past: the rate is ema itself
    before = [p.clone() for p in st.g_avg.parameters()]
    steps.update_ema(st)
    for old, avg, g in zip(before, st.g_avg.parameters(), st.g.parameters(), strict=True):
        assert torch.allclose(avg, 0.999 * old + 0.001 * g, atol=1e-6)
    before = [p.clone() for p in st.g_avg.parameters()]
    steps.train_step(st, _batches(cfg), HackConfig(), 16, mode="d")  # no G step: no average step either
    assert all(torch.equal(a, b) for a, b in zip(before, st.g_avg.parameters(), strict=True))
    steps.apply_optim(st, OptimConfig())  # off: samples come from G again
    assert st.g_avg is None and st.sampling_g is st.g
    steps.apply_optim(st, OptimConfig(ema=0.99))  # on again: starts from G's current weights
    assert all(torch.equal(a, b) for a, b in zip(st.g_avg.parameters(), st.g.parameters(), strict=True))


def test_weight_average_takes_live_slope_changes():
    st = steps.new_state(CONFIGS["dcgan"], OptimConfig(ema=0.99), HackConfig(g_slope=0.2), 0, torch.device("cpu"))
    steps.apply_hacks(st, HackConfig(g_slope=0.0))
    assert {m.negative_slope for m in st.g_avg.modules() if isinstance(m, torch.nn.LeakyReLU)} == {0.0}
