"""What DiffAugment and G's weight average cost per training step, side by side in one process.

    .venv/bin/python bench/small_data_switches.py [--seconds 3] [--rounds 3]

For the MLP GAN and the 28x28 DCGAN (half width, batch 64, the offline digits in memory) it
times gancore's training step with each switch setting: plain, EMA 0.999, DiffAugment
``translate``, ``translate_cutout``, and translate + EMA. The settings take turns for a few
rounds and each column is the median round (a shared CPU's speed drifts between seconds); the
ratio is each setting's steps/s over plain's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GAN_EXPLORER_OFFLINE", "1")

from gancore.base.config import HackConfig, ModelConfig, OptimConfig
from gancore.data.sampler import IndexSampler, load_dataset
from gancore.models.dcgan import DcganConfig
from gancore.models.mlp import MlpConfig
from gancore.train.steps import new_state, train_step

MODELS = {"MLP GAN (lecture)": MlpConfig(), "DCGAN 28x28 (width 0.5)": DcganConfig(width=0.5)}
SETTINGS = {
    "plain": (0.0, "none"),
    "EMA 0.999": (0.999, "none"),
    "translate": (0.0, "translate"),
    "translate_cutout": (0.0, "translate_cutout"),
    "translate + EMA": (0.999, "translate"),
}
BATCH = 64


def steps_per_s(cfg: ModelConfig, ema: float, aug: str, seconds: float, x: torch.Tensor) -> float:
    hacks = HackConfig(augment=aug)
    st = new_state(cfg, OptimConfig(lr_g=2e-4, lr_d=2e-4, ema=ema), hacks, 0, torch.device("cpu"))
    sampler = IndexSampler(len(x), BATCH, 0)

    def next_batch():
        return x[sampler.next()], None

    for _ in range(5):
        train_step(st, next_batch, hacks, BATCH)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        train_step(st, next_batch, hacks, BATCH)
        n += 1
    return n / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="measuring time per setting and round")
    ap.add_argument("--rounds", type=int, default=3, help="rounds in which every setting takes a turn")
    args = ap.parse_args()
    torch.manual_seed(0)
    x = load_dataset("mnist", (1, 28, 28), 0).images
    print(f"CPU threads: {torch.get_num_threads()}; {args.rounds} rounds of {args.seconds:g} s per setting; median round\n")
    for title, cfg in MODELS.items():
        runs: dict[str, list[float]] = {k: [] for k in SETTINGS}
        for _ in range(args.rounds):
            for name, (ema, aug) in SETTINGS.items():
                runs[name].append(steps_per_s(cfg, ema, aug, args.seconds, x))
        plain = statistics.median(runs["plain"])
        print(title)
        print(f"  {'setting':<18} {'steps/s':>8} {'vs plain':>9}")
        for name, rates in runs.items():
            rate = statistics.median(rates)
            print(f"  {name:<18} {rate:8.1f} {rate / plain:8.2f}x")
        print()


if __name__ == "__main__":
    main()
