"""The fast-math switch: which 16-bit type each device gets, a step under it, float16's scaler,
live edits, and the CLI flag. Off, training is bit-identical (tests/test_golden.py)."""

from __future__ import annotations

import json
import math

import pytest
import torch

from gancore.base import device
from gancore.base.config import HackConfig, OptimConfig, TrainConfig
from gancore.models.dcgan import DcganConfig
from gancore.models.mlp import MlpConfig
from gancore.runs.engine import TrainingRun
from gancore.train import steps
from tests.helpers import wait_for

CPU = torch.device("cpu")


def _batches():
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(256, 1, 28, 28, generator=gen) * 2 - 1
    return lambda: (x[torch.randint(256, (32,), generator=gen)], None)


def test_each_device_gets_its_fast_type_or_none(monkeypatch):
    monkeypatch.setattr(device, "_cpu_has_bf16", lambda: True)
    assert device.fast_math_dtype(CPU) == torch.bfloat16
    monkeypatch.setattr(device, "_cpu_has_bf16", lambda: False)
    assert device.fast_math_dtype(CPU) is None  # no fast type: training stays float32
    assert device.fast_math_dtype(torch.device("mps")) is None
    for bf16, want in ((True, torch.bfloat16), (False, torch.float16)):
        monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda bf16=bf16: bf16)
        assert device.fast_math_dtype(torch.device("cuda")) == want


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_a_step_under_fast_math_trains_in_16_bits_and_keeps_float32_weights(dtype):
    first = {}
    for amp in (None, dtype):
        state = steps.new_state(DcganConfig(width=0.125), OptimConfig(), HackConfig(), 0, CPU)
        assert steps.set_fast_math(state, amp is not None, amp)
        seen = []
        hook = state.d.register_forward_hook(lambda m, i, o, seen=seen: seen.append(o.dtype))
        out = steps.train_step(state, _batches(), HackConfig(), 32)
        hook.remove()
        first[amp] = {k: float(v) for k, v in out.items()}
        assert seen and set(seen) == {amp or torch.float32}  # D really ran in the asked type
        assert all(p.dtype == torch.float32 for p in (*state.g.parameters(), *state.d.parameters()))
        assert (state.scalers is not None) == (amp == torch.float16)  # float16 only: a gradient scaler each
    for k, v in first[None].items():
        assert math.isfinite(first[dtype][k]) and first[dtype][k] == pytest.approx(v, rel=0.05, abs=0.02), k


def test_asking_where_there_is_no_fast_type_says_so_and_trains_in_float32(monkeypatch, tiny_images):
    monkeypatch.setattr(device, "fast_math_dtype", lambda dev: None)
    state = steps.new_state(MlpConfig(), OptimConfig(), HackConfig(), 0, CPU)
    assert steps.set_fast_math(state, True) is False and state.amp is None
    run = TrainingRun("fm", MlpConfig(), TrainConfig(dataset="tiny", batch_size=16, max_steps=4), device=CPU, dataset=tiny_images)
    run.start()
    wait_for(lambda: run.snapshot.status == "finished", 60)
    assert not any("fast math" in text for _, text in run.snapshot.events)
    run.close()
    optim = OptimConfig(fast_math=True)
    run = TrainingRun(
        "fm2", MlpConfig(), TrainConfig(dataset="tiny", batch_size=16, max_steps=4, optim=optim), device=CPU, dataset=tiny_images
    )
    run.start()
    wait_for(lambda: run.snapshot.status == "finished", 60)
    assert any("so float32" in text for _, text in run.snapshot.events)
    run.close()


def test_fast_math_is_a_live_edit(monkeypatch):
    monkeypatch.setattr(device, "fast_math_dtype", lambda dev: torch.bfloat16)
    state = steps.new_state(MlpConfig(), OptimConfig(), HackConfig(), 0, CPU)
    assert state.amp is None
    steps.apply_optim(state, OptimConfig(fast_math=True))
    assert state.amp == torch.bfloat16
    steps.apply_optim(state, OptimConfig())
    assert state.amp is None


def test_the_cli_flag_reaches_the_checkpoint(tmp_path, capsys):
    from tests.test_cli import run_cli_here

    out = run_cli_here(
        capsys, "train", "--model", "mlp", "--steps", "3", "--batch-size", "16", "--fast-math", "--out", str(tmp_path / "f"), "--quiet"
    )
    assert out.returncode == 0, out.stderr
    assert json.loads((tmp_path / "f.json").read_text())["train"]["optim"]["fast_math"] is True
