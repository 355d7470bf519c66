"""A classroom as a load test: one teacher training, N students in browsers, on this machine.

    .venv/bin/python bench/classroom.py [--n 1 5 10 20] [--seconds 60]

Starts the app on loopback. The teacher (its own browser) starts an MLP run in the Training Lab;
its speed alone is measured first. Then, for each N, N student sessions (Playwright contexts)
run for --seconds: a third watch the teacher's run through its link, a third move the InfoGAN
page's c2 slider every 1.5 s (key press -> new picture is one latency sample), a third open the
latent page and draw interpolations, and one tries to start its own run (the server's cap says
"busy" in words, which is not an error). Chromium runs at nice 19: a classroom's laptops bring
their own CPUs, here the browsers share the server's two cores, so the server's own CPU per
session is reported beside the latencies.

Reported per N: errors (exception boxes, timeouts), page-open time (median / max), slider
latency p50 / p95, the teacher's run speed against its speed alone, the server's resident
memory (its own process and its training children) and its CPU seconds per session-second.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.students import Tally, latent_student, open_page, slider_student, starter, step_of, teacher_speed, watcher  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

# ----------------------------------------------------------------------------- the server


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def rss_mb(pid: int) -> tuple[float, float]:
    """(the server's own resident MB, its children's: the training processes)."""

    def one(p: int) -> float:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    return one(pid), sum(one(c) for c in _children(pid))


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the server process itself has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def summary(n: int, tally) -> dict:
    """What every row reports of its students: errors, page-open times, slider latencies."""
    lat = sorted(tally.slider_ms)
    return {
        "n": n,
        "errors": len(tally.errors),
        "error_kinds": sorted(set(tally.errors))[:4],
        "open_median_s": statistics.median(tally.open_s) if tally.open_s else float("nan"),
        "open_max_s": max(tally.open_s) if tally.open_s else float("nan"),
        "slider_p50_ms": statistics.median(lat) if lat else float("nan"),
        "slider_p95_ms": lat[max(0, math.ceil(0.95 * len(lat)) - 1)] if lat else float("nan"),  # nearest rank
        "slider_samples": len(lat),
        "pages_opened": len(tally.open_s),
        "busy_answers": tally.busy_answers,
    }


async def classroom(url: str, ns: list[int], seconds: float, server_pid: int, alone_s: float = 20.0, at_least: int = 0) -> list[dict]:
    from playwright.async_api import async_playwright

    wrapper = Path(tempfile.mkdtemp()) / "chromium-nice"
    wrapper.write_text(f'#!/bin/sh\nexec nice -n 19 {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    rows = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(wrapper), args=CHROMIUM_ARGS)
        teacher = await (await browser.new_context(viewport={"width": 1400, "height": 1000})).new_page()
        teacher.set_default_timeout(120_000)
        await open_page(teacher, url, "Training Lab")
        await teacher.get_by_text("Model and data").click()
        await teacher.get_by_label("Epochs").fill("500")
        await teacher.get_by_label("Epochs").press("Enter")
        await asyncio.sleep(1)
        await teacher.get_by_role("button", name="Start training").click()
        while True:
            try:
                if await step_of(teacher) > 0:
                    break
            except Exception:
                pass
            await asyncio.sleep(0.5)
        href = await teacher.get_by_role("link", name=re.compile(r"\?run=")).get_attribute("href")
        run_id = href.split("run=")[1]
        alone = await teacher_speed(teacher, alone_s)
        for n in ns:
            tally, contexts = (
                Tally(at_least=at_least),
                [await browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(n)],
            )
            cpu0, t0 = cpu_s(server_pid), time.perf_counter()
            until = t0 + seconds
            jobs = []
            for i, ctx in enumerate(contexts):
                kind = i % 3
                if i == n - 1 and n >= 5:
                    jobs.append(starter(ctx, url, tally))
                elif kind == 0:
                    jobs.append(slider_student(ctx, url, until, tally))
                elif kind == 1:
                    jobs.append(watcher(ctx, url, run_id, until, tally))
                else:
                    jobs.append(latent_student(ctx, url, until, tally))
            row = await hold_round(n, jobs, tally, speed_after(teacher_speed, teacher, until), alone, server_pid, (t0, cpu0))
            rows.append({**row, "server_cpu_per_session": row["server_cpu_cores"] / n})
            print(row_line(rows[-1], f"{rows[-1]['server_cpu_per_session']:.3f} cores/session"), flush=True)
            for ctx in contexts:
                await ctx.close()
            await asyncio.sleep(3)
        await browser.close()
    print(f"(the teacher's run alone: {alone:,.0f} examples/s)")
    return rows


async def hold_round(n: int, jobs: list, tally, speed, alone: float, server_pid: int, start: tuple[float, float]) -> dict:
    """Run one round's students (``jobs``) beside the teacher's ``speed`` measurement; the row:
    the students' summary, the teacher against alone, the server's memory and CPU since ``start``
    (wall clock, CPU seconds)."""
    speed_task = asyncio.create_task(speed)
    results = await asyncio.gather(*jobs, return_exceptions=True)
    tally.errors += [f"{type(r).__name__}: {str(r)[:80]}" for r in results if isinstance(r, Exception)]
    got = await speed_task
    used, elapsed = cpu_s(server_pid) - start[1], time.perf_counter() - start[0]
    own, children = rss_mb(server_pid)
    return {
        **summary(n, tally),
        "teacher_speed_ratio": got / alone if alone else float("nan"),
        "server_rss_mb": own,
        "training_rss_mb": children,
        "server_cpu_cores": used / elapsed,
    }


async def speed_after(measure, teacher, until: float) -> float:
    """The teacher's speed (``measure(teacher, seconds)``) once the pages have opened, until ``until``."""
    await asyncio.sleep(5)  # the steady state is what a class lives in
    return await measure(teacher, max(1.0, until - time.perf_counter()))


def row_line(r: dict, cpu: str, extra: str = "") -> str:
    """One row, printed as it is measured."""
    return (
        f"N={r['n']:>2}  errors {r['errors']}  open {r['open_median_s']:.2f}/{r['open_max_s']:.2f} s  "
        f"slider p50 {r['slider_p50_ms']:.0f} ms p95 {r['slider_p95_ms']:.0f} ms ({r['slider_samples']}){extra}  "
        f"teacher x{r['teacher_speed_ratio']:.2f}  server {r['server_rss_mb']:.0f} MB + training {r['training_rss_mb']:.0f} MB  "
        f"server CPU {cpu}" + (f"  {r['error_kinds']}" if r["errors"] else "")
    )


def run(ns: list[int], seconds: float, extra_args: tuple[str, ...] = (), alone_s: float = 20.0, room=None, at_least: int = 0) -> list[dict]:
    """Start the app on loopback, hold ``room`` (this module's browser classroom by default) for
    each N, stop the app; the rows. ``at_least``: each student's actions a round waits for."""
    with tempfile.TemporaryDirectory() as saved:
        proc, url = start_server({"GAN_EXPLORER_SAVED": saved}, extra_args)
        try:
            return asyncio.run((room or classroom)(url, ns, seconds, proc.pid, alone_s, at_least))
        finally:
            stop_server(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1, 5, 10, 20])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--post-script-gc", action="store_true", help="Streamlit's default gc.collect after every run (we turn it off)")
    a = ap.parse_args()
    rows = run(a.n, a.seconds, ("--runner.postScriptGC", "true") if a.post_script_gc else ())
    print(
        "\n| sessions | errors | page open median / max | slider p50 / p95 | teacher's speed | server RSS (+ training) | server CPU per session |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['n']} | {r['errors']} | {r['open_median_s']:.1f} / {r['open_max_s']:.1f} s | {r['slider_p50_ms']:.0f} / {r['slider_p95_ms']:.0f} ms "
            f"| {r['teacher_speed_ratio']:.0%} | {r['server_rss_mb']:.0f} MB (+{r['training_rss_mb']:.0f}) | {r['server_cpu_per_session']:.2f} cores |"
        )


if __name__ == "__main__":
    main()
