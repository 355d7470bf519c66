"""Local child processes vs Ray actors: four MLP runs training at once on this machine.

Each phase starts 4 runs of the shipped MLP recipe through a Registry (the app's path), waits
until all four are training, then counts their steps over a fixed window: training examples/s
(all four together) and how often each run's snapshot changed on the page's side (Hz).
The phases alternate (local, local with one thread each, ray; twice) so a machine's drift hits
all; the ratios are of the means. The local Ray gets this machine's real CPU count and each actor
its share (4 actors on 2 cores: half a CPU each, so Ray gives each one thread), while a local
child uses torch's default threads (all cores): the one-thread row separates Ray's own cost
from that difference.

    .venv/bin/python bench/backends.py [--runs 4] [--seconds 20] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GAN_EXPLORER_OFFLINE", "1")

from gancore import presets
from gancore.runs import raybackend
from gancore.runs.registry import Backend, Registry


def phase(backend: Backend, runs: int, seconds: float, threads: int | None = None) -> dict[str, float]:
    """One backend's window; ``threads`` sets the local children's OMP_NUM_THREADS (Ray sets each
    actor's from its CPU share: 1 here)."""
    cores = os.cpu_count() or 2
    before = os.environ.get("OMP_NUM_THREADS")
    if threads:
        os.environ["OMP_NUM_THREADS"] = str(threads)  # read by every child the registry starts now
    try:
        reg = Registry(backend=backend, max_live=2 * runs, cpus_per_run=cores / runs)
        model, train = presets.compose("mlp-cpu", epochs=10_000)
        started = [reg.create(f"student-{i}", model, train) for i in range(runs)]
        time.sleep(1.0)  # the pool's refill has started its spare child
    finally:
        if threads:
            os.environ.pop("OMP_NUM_THREADS") if before is None else os.environ.update(OMP_NUM_THREADS=before)
    try:
        end = time.monotonic() + 120
        while not all(r.snapshot.step > 0 for r in started) and time.monotonic() < end:
            time.sleep(0.1)
        time.sleep(2.0)  # past the first steps' warm-up
        steps0 = [r.snapshot.step for r in started]
        seen = [{r.snapshot.version} for r in started]
        t0 = time.monotonic()
        while time.monotonic() - t0 < seconds:
            for s, r in zip(seen, started, strict=True):
                s.add(r.snapshot.version)
            time.sleep(0.02)
        elapsed = time.monotonic() - t0
        steps = sum(r.snapshot.step - s0 for r, s0 in zip(started, steps0, strict=True))
        return {
            "examples_per_s": steps * train.batch_size * train.hacks.d_steps / elapsed,
            "snapshot_hz": min(len(s) - 1 for s in seen) / elapsed,  # the slowest run's
        }
    finally:
        reg.shutdown()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    raybackend.connect(num_cpus=os.cpu_count(), num_gpus=0)
    kinds = {"local": (Backend.PROCESS, None), "local, 1 thread": (Backend.PROCESS, 1), "ray": (Backend.RAY, None)}
    rows: dict[str, list[dict]] = {k: [] for k in kinds}
    for r in range(args.rounds):
        for kind, (backend, threads) in kinds.items():
            rows[kind].append(phase(backend, args.runs, args.seconds, threads))
            print(f"round {r + 1} {kind:<16} {rows[kind][-1]['examples_per_s']:>9,.0f} ex/s  "
                  f"snapshots {rows[kind][-1]['snapshot_hz']:.1f} Hz (slowest run)")  # fmt: skip
    mean = {k: sum(x["examples_per_s"] for x in v) / len(v) for k, v in rows.items()}
    hz = {k: min(x["snapshot_hz"] for x in v) for k, v in rows.items()}
    print(f"\n{args.runs} concurrent MLP runs, {args.seconds:g} s windows, {args.rounds} round(s), {os.cpu_count()} CPUs")
    print(f"{'backend':<18}{'examples/s':>12}{'snapshot Hz':>13}")
    for k in rows:
        print(f"{k:<18}{mean[k]:>12,.0f}{hz[k]:>13.1f}")
    print(f"ray / local:            {mean['ray'] / mean['local']:.2f}x  (target >= 0.80)")
    print(f"ray / local, 1 thread:  {mean['ray'] / mean['local, 1 thread']:.2f}x  (the same threads: Ray's own cost)")


if __name__ == "__main__":
    main()
