"""How long the Training Lab takes to open in a real browser (Debian's chromium), target 2 s each.

    .venv/bin/python bench/lab_open.py [--rounds 3]

Per round, on one server (the first round is its first visitor):

* open: a new browser opens /train and waits until "Start training" is drawn and no element of
  an earlier run is left on the page;
* reopen: it presses Start, waits for the live step count, and reloads the page: the time until
  the step count shows again (the page reopens on its own run, which keeps training);
* watch: a second browser opens the run's watch link (``/?run=<id>``): the time until the step
  count shows. Its cache is empty, as a first visit's is: the app's own page code arrives first.
* watch, app open: the same browser, which now has the app's code, opens the link in a new tab,
  as a student who has the app open follows the teacher's link.
* home: a third, empty browser opens the home page meanwhile, for comparison: what any page's
  first open costs on this machine while the run trains.

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
        again = watcher_ctx.new_page()
        watched_again = timed(again, f"{url}/?run={run_id}", lambda: live_step(again).wait_for(timeout=120_000))
        home_ctx = b.new_context(viewport=VIEW)
        home = home_ctx.new_page()
        homed = timed(home, url, lambda: home.locator("h1").first.wait_for(timeout=120_000))
        home_ctx.close()
        page.get_by_role("button", name="🗑").first.click()  # remove the run: the next round finds a free slot
        start.wait_for(timeout=120_000)
        return {"open": opened, "reopen": reopened, "watch": watched, "watch_again": watched_again, "home": homed}
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
                f"round {i + 1}: open {r['open']:.2f} s, reopen while training {r['reopen']:.2f} s, watcher's first view {r['watch']:.2f} s "
                f"(app open: {r['watch_again']:.2f} s), home {r['home']:.2f} s",
                flush=True,
            )
    print("\n| Training Lab | first visit | later visits (median) | target |\n|---|---|---|---|")
    for key, words, target in (
        ("open", "open", "2 s"),
        ("reopen", "reopen while its run trains", "2 s"),
        ("watch", "a watcher's first view, empty browser cache", "2 s"),
        ("watch_again", "a watcher's first view, the app already open", "2 s"),
        ("home", "for comparison: the home page, empty browser cache", "–"),
    ):
        later = statistics.median(r[key] for r in rows[1:]) if len(rows) > 1 else float("nan")
        print(f"| {words} | {rows[0][key]:.2f} s | {later:.2f} s | {target} |")


if __name__ == "__main__":
    main()
