"""The first visitor after a server starts, with and without the warm-up of ``scripts/serve.py``.

    .venv/bin/python bench/first_visit.py [--rounds 2]

For each round and each mode (warm: as shipped; cold: ``GAN_EXPLORER_WARM=0``), a fresh server:
seconds from start to its health check answering, then a first visitor's home page, the same
visitor's Training Lab, and a second visitor's home page (Streamlit's protocol, no browser:
from the request to the server's "script finished"). Modes alternate, so a busy spell of the
machine falls on both; the medians are printed side by side with the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.wsstudents import Session  # noqa: E402
from tests.browser import start_server, stop_server  # noqa: E402

STEPS = ("healthy", "first home", "then Training Lab", "second visitor home")


async def visits(url: str) -> list[float]:
    async with Session(url) as first:
        home = await first.run(path="")
        lab = await first.run(path="train")
    async with Session(url) as second:
        again = await second.run(path="")
    return [home.seconds, lab.seconds, again.seconds]


def one(warm: bool) -> list[float]:
    with tempfile.TemporaryDirectory() as saved:
        t0 = time.perf_counter()
        proc, url = start_server({"GAN_EXPLORER_SAVED": saved, "GAN_EXPLORER_WARM": "1" if warm else "0"})
        healthy = time.perf_counter() - t0
        try:
            return [healthy, *asyncio.run(visits(url))]
        finally:
            stop_server(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    got = {True: [], False: []}
    for _ in range(a.rounds):
        for warm in (True, False):
            got[warm].append(one(warm))
            print(("warm" if warm else "cold"), " ".join(f"{s}: {v:.1f} s" for s, v in zip(STEPS, got[warm][-1], strict=True)), flush=True)
    print("\n| step (median of rounds) | warmed (as shipped) | GAN_EXPLORER_WARM=0 | warmed / cold |\n|---|---|---|---|")
    for i, step in enumerate(STEPS):
        w, c = (statistics.median(r[i] for r in got[m]) for m in (True, False))
        print(f"| {step} | {w:.1f} s | {c:.1f} s | {w / c:.2f} |")


if __name__ == "__main__":
    main()
