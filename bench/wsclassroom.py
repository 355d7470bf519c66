"""A classroom measured at the server: N students speaking Streamlit's protocol, no browsers.

    .venv/bin/python bench/wsclassroom.py [--n 1 5 10 20 30] [--seconds 60]

``bench/classroom.py`` drives real browsers, and on this 2-core machine their renderers starve
the server of CPU, so its numbers at N >= 10 describe Chromium. Here each student is a websocket
(``bench/wsstudents.py``) that asks for the same script runs a browser would, so what is measured
is the server: page-open time and slider latency from request to the server's "script
finished", the teacher's training speed, the server's CPU and memory. A classroom's laptops
render on their own CPUs; this is the load they put on the machine that serves them.

The teacher starts the default MLP preset in the Training Lab and polls its live panel; then, for
each N, a third of the students move the InfoGAN page's c2 slider every 1.5 s, a third watch the
teacher's run through its link (polling as the browser does), a third draw new latent
candidates every 3 s, and (N >= 5) one presses Start (the server's cap answers in words).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import classroom as browser_classroom  # noqa: E402
from bench.classroom import cpu_s, hold_round, row_line, speed_after  # noqa: E402
from bench.wsstudents import Session, Tally, follow, latent_student, slider_student, start_run, starter, watcher  # noqa: E402


def _speed(page) -> float | None:
    for text in page.texts() if page is not None else []:
        if text.startswith("Examples/s"):
            return float(text.split(":")[1].replace(",", ""))
    return None


async def teacher_speed(s: Session, seconds: float) -> float:
    """The teacher's run's own Examples/s metric, read from its live panel every poll."""
    seen, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end or (not seen and time.perf_counter() < end + 120):  # at least one reading
        got = await follow(s, time.perf_counter() + 2.0, Tally(), "teacher")
        speed = _speed(got)
        if speed:
            seen.append(speed)
    return statistics.mean(seen) if seen else float("nan")


async def teacher_starts(teacher: Session, alone_s: float) -> tuple[str, float]:
    """The teacher starts the default preset in the Training Lab: its run's id (from the watch
    link) and its examples/s alone over ``alone_s``."""
    await teacher.run(path="")
    await start_run(teacher)
    page = await teacher.run()
    run_id = next(m.group(1) for t in page.texts() if (m := re.search(r"\?run=([\w-]+)", t)))
    return run_id, await teacher_speed(teacher, alone_s)


async def classroom(url: str, ns: list[int], seconds: float, server_pid: int, alone_s: float = 20.0, at_least: int = 0) -> list[dict]:
    rows = []
    async with Session(url) as teacher:
        run_id, alone = await teacher_starts(teacher, alone_s)
        for n in ns:
            tally, t0, cpu0 = Tally(at_least=at_least), time.perf_counter(), cpu_s(server_pid)
            until = t0 + seconds
            jobs = []
            for i in range(n):
                if i == n - 1 and n >= 5:
                    jobs.append(starter(url, tally))
                else:
                    kind = (slider_student, watcher, latent_student)[i % 3]
                    jobs.append(kind(url, run_id, until, tally) if kind is watcher else kind(url, until, tally))
            row = await hold_round(n, jobs, tally, speed_after(teacher_speed, teacher, until), alone, server_pid, (t0, cpu0))
            rows.append({**row, "polls": tally.polls})
            print(row_line(rows[-1], f"{rows[-1]['server_cpu_cores']:.2f} cores", f"  watch polls {rows[-1]['polls']}"), flush=True)
            await asyncio.sleep(3)
    print(f"(the teacher's run alone: {alone:,.0f} examples/s)")
    return rows


def run(ns: list[int], seconds: float, alone_s: float = 20.0, at_least: int = 0) -> list[dict]:
    """Start the app on loopback, hold this classroom for each N, stop it; the rows."""
    return browser_classroom.run(ns, seconds, alone_s=alone_s, room=classroom, at_least=at_least)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1, 5, 10, 20, 30])
    ap.add_argument("--seconds", type=float, default=60.0)
    a = ap.parse_args()
    rows = run(a.n, a.seconds)
    print("\n| students | errors | page open median / max | slider p50 / p95 | teacher's speed | server RSS (+ training) | server CPU |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['n']} | {r['errors']} | {r['open_median_s']:.2f} / {r['open_max_s']:.2f} s | {r['slider_p50_ms']:.0f} / {r['slider_p95_ms']:.0f} ms "
            f"| {r['teacher_speed_ratio']:.0%} | {r['server_rss_mb']:.0f} MB (+{r['training_rss_mb']:.0f}) | {r['server_cpu_cores']:.2f} cores |"
        )


if __name__ == "__main__":
    main()
