"""The 2D lab's targets, measured over seeds with the engine's own training step.

    .venv/bin/python bench/toy_targets.py [--seeds 5] [--steps 20000] [--jobs 2] [--only gaussian|ring8|grid25]

* d2l's Gaussian with the book's settings (preset d2l-toy, 20 epochs): G's mean error and the
  covariance's relative Frobenius error against the 1,000 data points, median over seeds, and
  the wall time of each run (target: < 0.2, < 20 %, < 30 s).
* Ring of 8 and grid of 25 (preset toy-pacgan): the plain GAN (pack 1) beside PacGAN (pack 2),
  same seeds and steps; modes captured and the share of high-quality samples (within 3 std)
  of 2,500 samples, as in VEEGAN and PacGAN (targets for the switch: >= 7.5 / 8 modes and
  >= 80 % on the ring, >= 23 / 25 on the grid). Runs go to --jobs processes.
* The mode-collapse demo (preset toy-collapse, the lab's "Make it collapse"): modes kept on the
  ring per seed, with the preset's own length (target: <= 3 of 8 on every seed).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch

from gancore import presets
from gancore.toy import frames, stats


def gaussian(seed: int) -> tuple[float, float, float]:
    torch.set_num_threads(1)
    p = presets.get("d2l-toy")
    state, data, seconds = frames.fit(p.model, replace(p.train, seed=seed))
    mean_g, cov_g = stats.linear_g_moments(state.g)
    return (*stats.recovery(mean_g, cov_g, *stats.moments(data.points)), seconds)


def mixture(args: tuple[str, int, int, int]) -> tuple[str, int, int, float, float]:
    dataset, pack, seed, steps = args
    torch.set_num_threads(1)
    p = presets.get("toy-pacgan")
    state, data, seconds = frames.fit(replace(p.model, pack=pack), replace(p.train, dataset=dataset, seed=seed), steps=steps)
    x = frames.g_points(state.g.eval(), p.model.latent_dim, 2500, seed=10_000 + seed)
    m = stats.mode_coverage(x, data.modes, data.mode_std)
    return dataset, pack, m.captured, m.high_quality, seconds


def collapse(seed: int) -> tuple[int, float, float]:
    torch.set_num_threads(1)
    p = presets.get("toy-collapse")
    state, data, seconds = frames.fit(p.model, replace(p.train, seed=seed))
    x = frames.g_points(state.g.eval(), p.model.latent_dim, 2500, seed=10_000 + seed)
    m = stats.mode_coverage(x, data.modes, data.mode_std)
    return m.captured, m.high_quality, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", choices=["gaussian", "ring8", "grid25", "collapse"])
    a = ap.parse_args()
    with ProcessPoolExecutor(a.jobs) as pool:
        if a.only in (None, "gaussian"):
            res = list(pool.map(gaussian, range(a.seeds)))
            print("d2l Gaussian, book settings (20 epochs, batch 8, 2,500 steps), per seed:")
            for s, (em, ec, t) in enumerate(res):
                print(f"  seed {s}: mean error {em:.3f}, covariance error {ec:.1%}, {t:.1f} s")
            em, ec = statistics.median(r[0] for r in res), statistics.median(r[1] for r in res)
            print(
                f"  median: mean error {em:.3f} (target < 0.2), covariance error {ec:.1%} (target < 20%), slowest run {max(r[2] for r in res):.1f} s (target < 30 s)\n"
            )
        if a.only in (None, "collapse"):
            res = list(pool.map(collapse, range(a.seeds)))
            per = ", ".join(f"{m}/{hq:.0%}" for m, hq, _ in res)
            print(f"toy-collapse on the ring of 8, {a.seeds} seeds (modes kept / high-quality share): [{per}]")
            print(
                f"  most modes kept on any seed: {max(m for m, _, _ in res)} of 8 (target <= 3), {statistics.mean(t for *_, t in res):.0f} s/run\n"
            )
        sets = [d for d in ("ring8", "grid25") if a.only in (None, d)]
        jobs = [(d, pack, s, a.steps) for d in sets for pack in (1, 2) for s in range(a.seeds)]
        results = list(pool.map(mixture, jobs))
    for d in sets:
        print(f"{d}, {a.steps:,} steps, {a.seeds} seeds (modes captured / high-quality share):")
        for pack in (1, 2):
            rows = [r for r in results if r[0] == d and r[1] == pack]
            name = "plain GAN " if pack == 1 else "PacGAN2   "
            per = ", ".join(f"{r[2]}/{r[3]:.0%}" for r in rows)
            mean_modes = statistics.mean(r[2] for r in rows)
            mean_hq = statistics.mean(r[3] for r in rows)
            print(
                f"  {name} mean {mean_modes:.1f} modes, {mean_hq:.1%} high quality   [{per}]   {statistics.mean(r[4] for r in rows):.0f} s/run"
            )
        print()


if __name__ == "__main__":
    main()
