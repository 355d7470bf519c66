"""A class at step 1: N students open the 2D toy lab and press Start at once, on a fresh server.

    .venv/bin/python bench/toyclass.py [--n 1 5 10 30] [--seconds 40]

Each student is a websocket speaking Streamlit's protocol (``bench/wsstudents.py``): it opens the
lab, presses ▶ Start, then polls the live panel as the browser does. Per N: how many got a run
(its Status read "running"), how many were refused, the steps/s of a running one (from the Step
metric between polls while it ran), the polls' p95 and the server's memory. One server per N, so
no round inherits another's runs.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.wsstudents import Session, Tally, click, follow  # noqa: E402
from tests.browser import start_server, stop_server  # noqa: E402


def metric(page, label: str) -> str | None:
    for text in page.texts() if page is not None else []:
        if text.startswith(label):
            return text.split(":", 1)[1].strip()
    return None


async def student(url: str, seconds: float, tally: Tally, out: dict) -> None:
    async with Session(url) as s:
        t0 = time.perf_counter()
        await s.run(path="")
        page = await s.run(path="toy2d")
        tally.open_s.append(time.perf_counter() - t0)
        page = await s.run(widgets=[click(page.widget("button", "Start").id)])
        until = time.perf_counter() + seconds  # each student watches its run this long
        text = " ".join(page.texts() + [el.alert.body for k, el in page.elements if k == "alert"])
        if re.search(r"busy|limit|already training|training on this", text):
            out["refused"] += 1
            return
        seen, t_prev, step_prev = False, None, None
        while time.perf_counter() < until:
            t_poll = time.perf_counter()
            got = await follow(s, t_poll + 0.01, Tally(), "student")  # one poll of the live panel
            tally.slider_ms.append((time.perf_counter() - t_poll) * 1000)
            tally.errors += got.exceptions if got is not None else []
            status, step = metric(got, "Status"), metric(got, "Step")
            if status == "running" and step is not None:
                seen, now, step = True, time.perf_counter(), int(step.replace(",", "").split()[0])
                if step_prev is not None and step > step_prev:
                    out["rates"].append((step - step_prev) / (now - t_prev))
                t_prev, step_prev = now, step
        out["got"] += seen


async def round_of(url: str, n: int, seconds: float) -> dict:
    tally, out = Tally(), {"got": 0, "refused": 0, "rates": []}
    results = await asyncio.gather(*(student(url, seconds, tally, out) for _ in range(n)), return_exceptions=True)
    errors = [f"{type(r).__name__}: {r}"[:80] for r in results if isinstance(r, Exception)] + tally.errors
    polls = sorted(tally.slider_ms)
    return {
        "n": n,
        "got": out["got"],
        "refused": out["refused"],
        "steps_per_s": statistics.median(out["rates"]) if out["rates"] else float("nan"),
        "poll_p95_ms": polls[int(0.95 * (len(polls) - 1))] if polls else float("nan"),
        "open_max_s": max(tally.open_s, default=float("nan")),
        "errors": errors,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1, 5, 10, 30])
    ap.add_argument("--seconds", type=float, default=40.0)
    a = ap.parse_args()
    rows = []
    for n in a.n:
        with tempfile.TemporaryDirectory() as saved:
            proc, url = start_server({"GAN_EXPLORER_SAVED": saved})
            try:
                rows.append(asyncio.run(round_of(url, n, a.seconds)))
            finally:
                stop_server(proc)
        r = rows[-1]
        print(
            f"N={n}: {r['got']} ran, {r['refused']} refused, {r['steps_per_s']:.0f} steps/s, poll p95 {r['poll_p95_ms']:.0f} ms, errors {r['errors'][:3]}"
        )
    print("\n| students pressing Start | got a run | refused | steps/s of a running one | poll p95 | page open max |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']} | {r['got']} | {r['refused']} | {r['steps_per_s']:.0f} | {r['poll_p95_ms']:.0f} ms | {r['open_max_s']:.1f} s |")


if __name__ == "__main__":
    main()
