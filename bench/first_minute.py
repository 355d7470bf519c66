"""The Training Lab's first minute, measured the way the page runs it.

    .venv/bin/python bench/first_minute.py [--presets mlp-cpu keras-mlp] [--seconds 60]

For each preset, one after the other: a run in its own process (the app's backend, from the
warm spare process the server keeps), the time from "Start" to the first snapshot with a step
in it, then every 15 s the step count and the shipped classifier's view of 1,000 samples from
the snapshot's copy of G (classifier score out of 10, classes covered). The fixed-seed grid at
each checkpoint in time is saved to bench-artifacts/first-minute-<preset>-<s>s.png: look at them.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GAN_EXPLORER_OFFLINE", "1")

from gancore import presets  # noqa: E402
from gancore.explore import sampling  # noqa: E402
from gancore.measure import scores  # noqa: E402
from gancore.runs.registry import Registry  # noqa: E402
from ui.common import pictures  # noqa: E402

OUT = ROOT / "bench-artifacts"


def score(snap) -> tuple[float, int]:
    g = sampling.generator_from_state(snap.model_cfg, snap.g_state, snap.train_cfg.hacks)
    x = sampling.sample_images(g, snap.model_cfg, 1000, seed=1)
    r = scores.evaluate_images(x, snap.train_cfg.dataset)
    return r.get("classifier_score", float("nan")), r.get("classes_covered", 0)


def one(reg: Registry, name: str, seconds: float, every: float) -> None:
    p = presets.get(name)
    train = dataclasses.replace(p.train, epochs=10_000)  # the clock stops the run, not the epochs
    t0 = time.perf_counter()
    run = reg.create("bench", p.model, train, label=name)
    while run.snapshot.step == 0 and time.perf_counter() - t0 < 60:
        time.sleep(0.01)
    first = time.perf_counter() - t0
    print(f"{name}: first live update {first:.2f} s after Start (target 2 s)")
    at = every
    while at <= seconds:
        time.sleep(max(0.0, t0 + at - time.perf_counter()))
        snap = run.snapshot
        s, covered = score(snap)
        path = OUT / f"first-minute-{name}-{int(at)}s.png"
        path.write_bytes(pictures.png(pictures.grid(snap.grid, cols=4, scale=4)))
        print(f"  {at:4.0f} s  step {snap.step:6,}  {snap.examples_per_s:7,.0f} ex/s  score {s:5.2f}/10  classes {covered:2d}  {path.name}")
        at += every
    run.stop()
    run.join(10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presets", nargs="+", default=[presets.DEFAULT_PRESET])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--every", type=float, default=15.0)
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    torch.set_num_threads(1)  # this process only scores; the run has its own process
    reg = Registry(backend="process")
    time.sleep(8)  # the server keeps a warm spare process; give it time to start, as it would have
    print(f"device: {reg.device}; real data scores 9.5/10 with this classifier (checkpoints/README.md)\n")
    try:
        for name in args.presets:
            one(reg, name, args.seconds, args.every)
    finally:
        reg.shutdown()


if __name__ == "__main__":
    main()
