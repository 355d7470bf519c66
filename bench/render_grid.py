"""What one slider position costs on the explore pages: a 64-image grid, from latent inputs to
PNG bytes, for each shipped generator, side by side in one run.

    .venv/bin/python bench/render_grid.py [--repeats 30]

Stages: inputs (gancore.explore.sampling), G's forward pass (inference mode, CPU), tiling at 1x, PNG
encoding (what st.image sends; the browser enlarges it 3x, see ui.common.display.sharp). Prints the median milliseconds of each, the total against the 20 ms
target, and the ratio to rendering the same 64 images one by one (the naive loop).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gancore.base.paths import SHIPPED_DIR
from gancore.explore import sampling
from gancore.io import checkpoints
from ui.common import pictures

TARGET_MS = 20.0


def inputs(cfg, seed: int):
    if cfg.family == "infogan":
        return sampling.infogan_inputs(cfg, 3, (0.5, -0.5), 64, seed), None
    if cfg.family == "cgan":
        return sampling.class_rows(cfg, list(range(8)), 8, seed)
    return sampling.candidates(cfg, 64, seed)["z"], None


def timed(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=30)
    args = ap.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; median of {args.repeats} renders\n")
    print(f"{'checkpoint':<16}{'inputs':>8}{'G(z)':>8}{'tile':>8}{'PNG':>8}{'total':>8}  {'vs 20 ms':>9}  {'one-by-one':>11}")
    gens = []
    for path, _ in checkpoints.list_checkpoints(SHIPPED_DIR):
        ck = checkpoints.load(path)
        if ck.model_cfg.is_image:
            gens.append((path, ck.model_cfg, sampling.generator_from_state(ck.model_cfg, ck.g, ck.train_cfg.hacks)))
    end = time.perf_counter() + 2.0
    while time.perf_counter() < end:  # warm-up for a couple of seconds: thread pool, allocator, CPU clock
        for _, cfg, g in gens:
            sampling.render(g, *inputs(cfg, 0))
    for path, cfg, g in gens:
        t_in, (z, y) = timed(lambda cfg=cfg: inputs(cfg, 1), args.repeats)
        t_g, imgs = timed(lambda g=g, z=z, y=y: sampling.render(g, z, y), args.repeats)
        t_tile, pic = timed(lambda imgs=imgs: pictures.grid(imgs, cols=8), args.repeats)
        t_png, _ = timed(lambda pic=pic: pictures.png(pic), args.repeats)
        total = t_in + t_g + t_tile + t_png

        def singles(g=g, z=z, y=y):
            return [sampling.render(g, z[i : i + 1], None if y is None else y[i : i + 1]) for i in range(64)]

        t_single, _ = timed(singles, max(3, args.repeats // 5))
        verdict = "ok" if total <= TARGET_MS else "OVER"
        print(
            f"{path.stem:<16}{t_in:8.2f}{t_g:8.2f}{t_tile:8.2f}{t_png:8.2f}{total:8.2f}  {total / TARGET_MS:8.2f}× {verdict:>4}  {t_single / t_g:10.1f}×"
        )
    print("\nms per stage; 'vs 20 ms' is total / target; 'one-by-one' is how much slower 64 single-image calls are than one batch.")


if __name__ == "__main__":
    main()
