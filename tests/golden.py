"""The refactor's safety net: the first 30 steps' losses of every model family, to the bit on the
machine kind that recorded them, and within rounding's reach on any other.

``python -m tests.golden`` records ``tests/golden_losses.json`` (run it only when a change is
*meant* to alter training); ``tests/test_golden.py`` replays every case through the real engine
and compares. Losses are stored as ``float.hex`` so "unchanged" means every bit.

Another CPU (other SIMD kernels, another vendor's BLAS path) rounds differently, and rounding
compounds over steps: measured against this file's machine, a second AVX512 machine of another
vendor and this one with ``ATEN_CPU_CAPABILITY=avx2`` moved the first step by at most 2e-4
(relative), the 30-step mean by at most 2.4% (InfoGAN's code term) and a single step by at most
20% of its series' range. :func:`close` allows about five times that.
"""

from __future__ import annotations

import json
import math
import platform
import sys
from dataclasses import replace
from pathlib import Path

import torch

from gancore import presets
from gancore.base.config import HackConfig, OptimConfig
from gancore.runs.engine import TrainingRun

FILE = Path(__file__).with_name("golden_losses.json")
STEPS = 30
KEYS = (
    "d_loss",
    "g_loss",
    "d_real",
    "d_fake",
    "info_cat",
    "info_cont",
    "l1",
    "cycle",
    "identity",
    "content",
    "class_d",
    "class_g",
    "aux_acc",
)

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
            "acgan-cpu",
            "infogan-cpu",
            "text2digit-cpu",
            "dcgan64-cpu",
            "d2l-toy",
            "toy-pacgan",
            "toy-mixture",
            "pix2pix-edges-mnist",
            "srgan-mnist",
            "cyclegan-thick-mnist",
        )
    },
    "mlp-cpu+mixed": ("mlp-cpu", _MIXED),
    "cgan-cpu+mixed": ("cgan-cpu", _MIXED),
    "infogan-cpu+noisy": ("infogan-cpu", _NOISY),
    "toy-mixture+noisy": ("toy-mixture", _NOISY),
}


def family(case: str) -> str:
    """The model family a case trains."""
    return presets.get(CASES[case][0]).model.family


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
    """Bits are promised on the machine kind that recorded them: the same torch, the same kernels
    (SIMD level) and the same processor model (two AVX512 CPUs of two vendors differ in the 7th digit)."""
    return f"torch {torch.__version__.split('+')[0]}, {torch.backends.cpu.get_cpu_capability()}, {cpu_model()}"


def cpu_model() -> str:
    """The processor's model name (Linux's /proc/cpuinfo, else what the platform says)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "cpu model", "hardware")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def close(got: list[float], want: list[float]) -> str:
    """ "" when a series from another machine kind is the recorded one up to rounding: the first step
    within 1% (or 1e-3), the 30-step mean within 10% (or 0.02), and no step further from the
    recorded one than half the recorded series' range plus 0.05. Otherwise, what differs first."""
    if len(got) != len(want):
        return f"{len(got)} steps, recorded {len(want)}"
    finite = [(a, b) for a, b in zip(got, want, strict=True) if not (math.isnan(a) and math.isnan(b))]
    if any(math.isnan(a) != math.isnan(b) for a, b in finite):
        return "a step is NaN on one side only"
    if not finite:
        return ""
    (a0, b0), n = finite[0], len(finite)
    if abs(a0 - b0) > 1e-2 * abs(b0) + 1e-3:
        return f"first step {a0:.6g}, recorded {b0:.6g}"
    span = max(b for _, b in finite) - min(b for _, b in finite)
    far = [i for i, (a, b) in enumerate(finite) if abs(a - b) > 0.5 * span + 0.05]
    if far:
        return f"step {far[0] + 1}: {finite[far[0]][0]:.6g}, recorded {finite[far[0]][1]:.6g}"
    mean_a, mean_b = sum(a for a, _ in finite) / n, sum(b for _, b in finite) / n
    if abs(mean_a - mean_b) > 0.1 * abs(mean_b) + 0.02:
        return f"mean {mean_a:.6g}, recorded {mean_b:.6g}"
    return ""


def record() -> None:
    data = {"machine": machine(), "steps": STEPS, "cases": {case: losses(case) for case in CASES}}
    FILE.write_text(json.dumps(data, indent=None, separators=(",", ":")).replace("},", "},\n") + "\n")
    print(f"wrote {FILE} ({len(CASES)} cases, {machine()})")


if __name__ == "__main__":
    sys.exit(record())
