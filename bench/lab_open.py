"""How long the Training Lab takes to open in a real browser (Debian's chromium), target 2 s each.

    .venv/bin/python bench/lab_open.py [--rounds 3]

Per round, on one server (the first round is its first visitor):

* open: a new browser opens /train and waits until "Start training" is drawn and no element of
  an earlier run is left on the page;
* reopen: it presses Start, waits for the live step count, and reloads the page: the time until
  the step count shows again (the page reopens on its own run, which keeps training);
* watch: a second browser opens the run's watch link (``/?run=<id>``): the time until the step
  count shows.

Each round removes its run (🗑) before the next, so every round finds a free slot.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import browser, settled, streamlit_server

VIEW = {"width": 1400, "height": 1000}


def live_step(page):
    return page.locator('[data-testid="stMetric"]').filter(has_text="Step of").first


def timed(page, url: str, ready) -> float:
    t0 = time.perf_counter()
    page.goto(url)
    ready()
    settled(page)
    return time.perf_counter() - t0


def one_round(b, url: str) -> dict:
    ctx, watcher_ctx = b.new_context(viewport=VIEW), b.new_context(viewport=VIEW)
    try:
        page = ctx.new_page()
        start = page.get_by_role("button", name="Start training")
        opened = timed(page, f"{url}/train", lambda: start.wait_for(timeout=120_000))
        start.click()
        live_step(page).wait_for(timeout=120_000)
        t0 = time.perf_counter()
        page.reload()
        live_step(page).wait_for(timeout=120_000)
        settled(page)
        reopened = time.perf_counter() - t0
        run_id = re.search(r"\?run=([\w-]+)", page.content()).group(1)
        watch = watcher_ctx.new_page()
        watched = timed(watch, f"{url}/?run={run_id}", lambda: live_step(watch).wait_for(timeout=120_000))
        page.get_by_role("button", name="🗑").first.click()  # remove the run: the next round finds a free slot
        start.wait_for(timeout=120_000)
        return {"open": opened, "reopen": reopened, "watch": watched}
    finally:
        ctx.close()
        watcher_ctx.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    rows = []
    with streamlit_server() as url, browser() as b:
        for i in range(a.rounds):
            rows.append(one_round(b, url))
            r = rows[-1]
            print(
                f"round {i + 1}: open {r['open']:.2f} s, reopen while training {r['reopen']:.2f} s, watcher's first view {r['watch']:.2f} s",
                flush=True,
            )
    print("\n| Training Lab | first visit | later visits (median) | target |\n|---|---|---|---|")
    for key, words in (("open", "open"), ("reopen", "reopen while its run trains"), ("watch", "a watcher's first view")):
        later = statistics.median(r[key] for r in rows[1:]) if len(rows) > 1 else float("nan")
        print(f"| {words} | {rows[0][key]:.2f} s | {later:.2f} s | 2 s |")


if __name__ == "__main__":
    main()
