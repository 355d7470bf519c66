"""A model family is one module: a family defined here, in the test, trains, publishes, saves,
reloads and samples through the real engine, checkpoints and CLI without any core module
knowing it. And every shipped family answers the interface the core asks."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
import torch
from torch import nn

from gancore import presets
from gancore.base.config import ImageModelConfig, TrainConfig, _check_range, to_dict
from gancore.base.errors import ConfigError
from gancore.cli.main import main as cli
from gancore.io import checkpoints
from gancore.models import catalog, family
from gancore.models.catalog import model_from_dict
from gancore.runs.engine import TrainingRun
from gancore.runs.host import HostedRun
from gancore.runs.process import ProcessRun
from gancore.runs.protocol import REMOTE, Run
from gancore.runs.raybackend import RayRun
from tests.helpers import wait_for

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ShadeConfig(ImageModelConfig):
    """A made-up family: G paints a 28x28 picture from z, dimmed by a per-sample ``shade`` input."""

    family: ClassVar[str] = "shade-test"
    dim: float = 0.5

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_range("dim", self.dim, 0.0, 1.0)


class ShadeG(nn.Module):
    def __init__(self, cfg: ShadeConfig) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(cfg.latent_dim, 28 * 28), nn.Tanh())  # (B, 784)

    def forward(self, z, shade):
        return (self.net(z) * shade[:, None]).view(-1, 1, 28, 28)  # (B, 1, 28, 28)


class ShadeD(nn.Module):
    def __init__(self, cfg: ShadeConfig) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 1))  # (B, 1)

    def forward(self, x, y=None):
        return self.net(x).squeeze(1)  # (B,)


class ShadeFamily(family.Family):
    name = "shade-test"
    config = ShadeConfig
    metrics = ("brightness",)

    def build(self, cfg):
        return ShadeG(cfg), ShadeD(cfg)

    def sample_inputs(self, cfg, n, gen, dist="normal", balanced=False, device=None):
        z = torch.randn(n, cfg.latent_dim, generator=gen, device=device)
        return {"z": z, "shade": torch.full((n,), 1 - cfg.dim, device=device)}

    def generate(self, g, inputs):
        return g(inputs["z"], inputs["shade"])

    def g_loss(self, d, fake_in, inputs, adversarial, hacks):
        brightness = fake_in.mean()
        return adversarial(d(fake_in)) + 0.1 * brightness, {"brightness": brightness.detach()}

    def sample_arrays(self, inputs):
        return {"shade": inputs["shade"].numpy()}

    def check_run(self, cfg, train):
        if train.batch_size > 128:
            raise ConfigError("the shade family trains with batches of at most 128")


@pytest.fixture
def shade():
    fam = family.register(ShadeFamily())
    yield fam
    family.unregister(fam.name)


def test_a_family_defined_here_trains_saves_reloads_and_samples_through_the_real_core(shade, tiny_images, tmp_path, capsys):
    cfg = ShadeConfig(latent_dim=8, dim=0.25)
    assert model_from_dict(to_dict(cfg)) == cfg  # the registry finds it by name
    run = TrainingRun(
        "shade",
        cfg,
        TrainConfig(dataset="tiny", batch_size=16, max_steps=12, publish_every=3),
        device=torch.device("cpu"),
        dataset=tiny_images,
    )
    run.start()
    run.join(60)
    snap = run.snapshot
    assert snap.status == "finished" and snap.step == 12
    assert snap.grid.shape == (16, 28, 28, 1) and snap.g_state is not None  # published: the live grid and G's copy
    assert len(snap.history["brightness"]) == 4 and all(np.isfinite(snap.history["brightness"]))  # the family's own series

    path = checkpoints.save(tmp_path / "shade", run.export_state(), cfg, run.train_cfg)
    ck = checkpoints.load(path)
    assert ck.model_cfg == cfg and ck.resume.exact and ck.meta["history"]["brightness"]
    again = TrainingRun("again", ck.model_cfg, ck.train_cfg, device=torch.device("cpu"), dataset=tiny_images, resume=ck.start_state())
    again.start()
    wait_for(lambda: again.snapshot.status == "paused")
    assert again.snapshot.step == 12
    again.close()

    out = tmp_path / "s.npz"
    assert cli(["sample", str(path), "--n", "5", "--out", str(out)]) == 0
    data = np.load(out)
    assert data["images"].shape == (5, 1, 28, 28) and np.allclose(data["shade"], 0.75)
    assert np.abs(data["images"]).max() <= 0.75 + 1e-6  # G's output really went through the family's inputs


def test_a_family_refuses_a_run_it_cannot_train_before_it_starts(shade, tiny_images):
    from gancore.runs.registry import Registry

    reg = Registry(device=torch.device("cpu"), max_live=2)
    with pytest.raises(ConfigError, match="at most 128"):
        reg.create("owner", ShadeConfig(), TrainConfig(batch_size=256))
    assert reg.runs() == []
    reg.shutdown()


@pytest.mark.parametrize("name", ["mlp", "dcgan", "dcgan64", "cgan", "acgan", "text2digit", "infogan", "toy"])
def test_every_shipped_family_is_registered_with_its_own_config(name):
    fam = catalog.get(name)
    cfg = fam.config()
    assert cfg.family == name and type(model_from_dict(to_dict(cfg))) is fam.config
    g, d = fam.build(cfg)
    inputs = fam.sample_inputs(cfg, 4, torch.Generator().manual_seed(0), balanced=True)
    assert inputs["z"].shape == (4, fam.latent_size(cfg))
    x = fam.generate(g.eval(), inputs)
    assert x.shape[0] == 4 and d.eval()(x, inputs.get("y")).shape[0] == 4 // getattr(cfg, "pack", 1)
    assert presets.get(name).model.family == name  # a CPU-friendly preset per family


def test_an_unknown_family_is_refused_with_the_known_ones():
    with pytest.raises(
        ConfigError, match="family must be one of acgan, cgan, cyclegan, dcgan, dcgan64, infogan, mlp, pix2pix, srgan, text2digit, toy"
    ):
        model_from_dict({"family": "vae"})


# ----------------------------------------------------------------------------- the run interface


def _unstarted(kind: str) -> Run:
    from gancore.models.mlp import MlpConfig

    args = ("p", MlpConfig(), TrainConfig(batch_size=8, max_steps=2))
    if kind == "thread":
        return TrainingRun(*args, device=torch.device("cpu"))
    if kind == "ray":  # constructing one needs no cluster: start() asks Ray for the actor
        return RayRun(*args, device=torch.device("cpu"))
    if kind == "hosted":  # the host is only used by start()
        return HostedRun(*args, host=None)
    return ProcessRun(*args, device=torch.device("cpu"), pool=None)  # the pool is only used by start()


@pytest.mark.parametrize("kind", ["thread", "process", "ray", "hosted"])
def test_every_run_kind_satisfy_the_run_protocol_member_by_member(kind):
    run = _unstarted(kind)
    assert isinstance(run, Run)
    for name, member in vars(Run).items():
        if name.startswith("_") or not callable(member):
            continue
        want = list(inspect.signature(member).parameters)[1:]  # without self
        got = list(inspect.signature(getattr(run, name)).parameters)
        assert got == want, f"{type(run).__name__}.{name}{got} differs from the protocol's {want}"
    for name in [*Run.__annotations__, *(n for n, m in vars(Run).items() if isinstance(m, property))]:
        assert hasattr(run, name), f"{type(run).__name__} lacks {name}"
    assert run.status == "loading" and run.snapshot.status == "loading" and run.train_cfg.max_steps == 2


def test_the_remote_calls_are_the_protocols_steering_and_reading_methods():
    assert {"pause", "resume", "step", "stop", "set_optim", "set_hacks", "set_speed", "export_state", "frames", "full_history"} == REMOTE
    assert all(callable(getattr(cls, name)) for cls in (ProcessRun, RayRun, HostedRun) for name in REMOTE)
