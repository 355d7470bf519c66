"""The refactor's safety net: the first 30 steps' losses of every preset family, to the bit.

``python -m tests.golden`` records ``tests/golden_losses.json`` (run it only when a change is
*meant* to alter training); ``tests/test_golden.py`` replays every case through the real engine
and compares. Losses are stored as ``float.hex`` so "unchanged" means every bit.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import torch

from gancore import presets
from gancore.config import HackConfig, OptimConfig
from gancore.engine import TrainingRun

FILE = Path(__file__).with_name("golden_losses.json")
STEPS = 30
KEYS = ("d_loss", "g_loss", "d_real", "d_fake", "info_cat", "info_cont", "l1", "cycle", "identity")

# One case per family (the CPU presets and the toy lab's recipes), plus the hacks that take
# other code paths: the Wasserstein loss with its penalty, two D steps, one joint D batch,
# weight averaging, augmentation, smoothing, flips, instance noise and SGD.
_MIXED = dict(
    hacks=HackConfig(loss="wgan_gp", d_steps=2, separate_batches=False, augment="translate_cutout", label_smoothing=0.1),
    optim=OptimConfig(ema=0.99, lr_decay=True),
)
_NOISY = dict(
    hacks=HackConfig(loss="minimax", label_flip=0.1, instance_noise=0.5, z_dist="uniform", g_dropout=0.3),
    optim=OptimConfig(optimizer="sgd", lr_g=0.01, lr_d=0.01),
)
CASES = {
    **{
        name: (name, {})
        for name in (
            "mlp-cpu",
            "dcgan-cpu",
            "cgan-cpu",
            "infogan-cpu",
            "dcgan64-cpu",
            "d2l-toy",
            "toy-pacgan",
            "toy-mixture",
            "pix2pix-edges-mnist",
            "cyclegan-thick-mnist",
        )
    },
    "mlp-cpu+mixed": ("mlp-cpu", _MIXED),
    "cgan-cpu+mixed": ("cgan-cpu", _MIXED),
    "infogan-cpu+noisy": ("infogan-cpu", _NOISY),
    "toy-mixture+noisy": ("toy-mixture", _NOISY),
}


def losses(case: str) -> dict[str, list[str]]:
    """Train ``case`` for 30 steps on one thread through the engine; every step's metrics, hex."""
    preset_name, changes = CASES[case]
    p = presets.get(preset_name)
    train = replace(p.train, max_steps=STEPS, publish_every=1, **changes)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # reductions split over threads add in another order
    try:
        run = TrainingRun(case, p.model, train, device=torch.device("cpu"))
        run.start()
        run.join(300)
        if run.status != "finished":
            raise RuntimeError(f"{case}: {run.status}: {run.snapshot.message}")
        hist = run.full_history()
    finally:
        torch.set_num_threads(threads)
    return {k: [float(v).hex() for v in hist[k]] for k in KEYS if any(v == v for v in hist.get(k, []))}


def machine() -> str:
    """Bits are promised on the machine kind that recorded them: same torch, same CPU kernels."""
    return f"torch {torch.__version__.split('+')[0]}, {torch.backends.cpu.get_cpu_capability()}"


def record() -> None:
    data = {"machine": machine(), "steps": STEPS, "cases": {case: losses(case) for case in CASES}}
    FILE.write_text(json.dumps(data, indent=None, separators=(",", ":")).replace("},", "},\n") + "\n")
    print(f"wrote {FILE} ({len(CASES)} cases, {machine()})")


if __name__ == "__main__":
    sys.exit(record())
