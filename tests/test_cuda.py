"""On a CUDA GPU (``scripts/gpu-check.sh``; skipped cleanly elsewhere): every family's networks,
a training step in float32 and with fast math, a checkpoint written from a GPU run read on the
CPU and resumed on the GPU, and determinism under the documented cuDNN settings."""

from __future__ import annotations

import os

import pytest
import torch

from gancore.base.config import HackConfig, OptimConfig, TrainConfig
from gancore.io import checkpoints
from gancore.models import catalog
from gancore.models.acgan import AcganConfig
from gancore.models.cgan import CganConfig
from gancore.models.dcgan import DcganConfig
from gancore.models.infogan import InfoGanConfig
from gancore.models.mlp import MlpConfig
from gancore.models.text2digit import Text2DigitConfig
from gancore.runs.engine import TrainingRun
from gancore.train import steps
from tests.helpers import wait_for

pytestmark = [pytest.mark.cuda, pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU here")]
GPU = torch.device("cuda")
IMAGE_FAMILIES = [
    MlpConfig(),
    DcganConfig(width=0.25),
    CganConfig(width=0.25),
    AcganConfig(width=0.25),
    InfoGanConfig(width=0.25),
    Text2DigitConfig(width=0.25),
]


def _batches(cfg):
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(256, 1, 28, 28, generator=gen) * 2 - 1
    y = torch.arange(256) % 10

    def nb():
        idx = torch.randint(256, (32,), generator=gen)
        return x[idx].to(GPU), y[idx].to(GPU)

    return nb


@pytest.mark.parametrize("cfg", IMAGE_FAMILIES, ids=lambda c: c.family)
def test_every_family_builds_samples_and_trains_a_step_on_the_gpu(cfg):
    fam = catalog.of(cfg)
    for fast in (False, True):
        state = steps.new_state(cfg, OptimConfig(fast_math=fast), HackConfig(), 0, GPU)
        assert (state.amp is not None) == fast and next(state.g.parameters()).is_cuda
        out = steps.train_step(state, _batches(cfg), HackConfig(), 32)
        assert all(torch.isfinite(v).item() for v in out.values())
        x = fam.generate(state.g.eval(), fam.sample_inputs(cfg, 8, torch.Generator(device=GPU).manual_seed(1), device=GPU))
        assert x.shape == (8, 1, 28, 28) and x.is_cuda


def test_a_gpu_run_saves_a_checkpoint_the_cpu_reads_and_the_gpu_resumes(tmp_path, tiny_images):
    cfg, train = DcganConfig(width=0.25), TrainConfig(dataset="tiny", batch_size=16, max_steps=6, publish_every=3)
    run = TrainingRun("gpu", cfg, train, device=GPU, dataset=tiny_images)
    run.start()
    wait_for(lambda: run.snapshot.status == "finished", 120)
    path = checkpoints.save(tmp_path / "gpu", run.export_state(), cfg, train)
    run.close()
    ck = checkpoints.load(path)  # every tensor checked, on the CPU
    z = torch.randn(4, cfg.latent_dim)
    on_cpu = checkpoints.generator(ck, "cpu").eval()(z)
    on_gpu = checkpoints.generator(ck, GPU).eval()(z.to(GPU)).cpu()
    assert torch.allclose(on_cpu, on_gpu, atol=1e-4)
    again = TrainingRun("again", cfg, ck.train_cfg, device=GPU, dataset=tiny_images, resume=ck.start_state())
    again.start()
    wait_for(lambda: again.snapshot.status == "paused", 120)
    assert again.snapshot.step == 6
    again.close()


def test_the_same_seed_repeats_the_same_losses_with_deterministic_cudnn():
    """cudnn.deterministic = True, benchmark = False, deterministic algorithms, and
    CUBLAS_WORKSPACE_CONFIG=:4096:8 (scripts/gpu-check.sh sets it): bit-identical repeats."""
    if os.environ.get("CUBLAS_WORKSPACE_CONFIG") is None:
        pytest.skip("set CUBLAS_WORKSPACE_CONFIG=:4096:8 (scripts/gpu-check.sh does)")
    torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = True, False
    torch.use_deterministic_algorithms(True)
    try:
        losses = []
        for _ in range(2):
            state = steps.new_state(CganConfig(width=0.25), OptimConfig(), HackConfig(), 0, GPU)
            nb = _batches(state.cfg)
            losses.append([{k: float(v) for k, v in steps.train_step(state, nb, HackConfig(), 32).items()} for _ in range(3)])
        assert losses[0] == losses[1]
    finally:
        torch.use_deterministic_algorithms(False)
        torch.backends.cudnn.deterministic = False
