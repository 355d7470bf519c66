"""The whole class at once, at the protocol level: toy students, explorers, watchers and a starter
beside the teacher's training run, on a fresh server.

    .venv/bin/python bench/wholeclass.py [--n 30] [--seconds 600]

The teacher starts the default MLP preset in the Training Lab (its speed alone is measured
first). Then, for each N, the students come at once: a quarter press ▶ Start in the 2D lab and
watch their run as the canvas does (``bench/toyclass.py``), and the rest move the InfoGAN slider,
draw latent candidates or watch the teacher's run (``bench/wsstudents.py``); with N >= 5 the last
one presses Start in the Training Lab (a third image run: it waits in line). Per N: toy students
training, their steps/s and fresh pictures/s, the picture polls' p95, the slider p50 / p95, the
slowest page open, the teacher's speed against alone, errors (their text is printed), the
server's CPU and memory (PSS, server + its children) after the first minute and at the end (a long
--seconds is the soak: the memory must stay flat), and how many toy runs' picture routes still
answered in the round's last 10 s. The toy students ask for 5,000 epochs (625,000 steps of d2l's
Gaussian), so their runs outlast the round and a run that stopped answering shows.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import classroom as browser_classroom  # noqa: E402
from bench import toyclass  # noqa: E402
from bench.classroom import cpu_s, hold_round, speed_after  # noqa: E402
from bench.wsclassroom import teacher_speed, teacher_starts  # noqa: E402
from bench.wsstudents import Session, Tally, latent_student, slider_student, starter, watcher  # noqa: E402


async def memory_watch(pid: int, until: float, seen: list) -> None:
    """(seconds since the round began, PSS MB of the server and its children) every 30 s."""
    t0 = time.perf_counter()
    while time.perf_counter() < until:
        own, children = toyclass.pss_mb(pid)
        seen.append((time.perf_counter() - t0, own + children))
        await asyncio.sleep(30)


async def toy_student(url: str, seconds: float, tally: Tally, out: dict) -> None:
    watch = await toyclass.student(url, seconds, tally, out, epochs_asked=5000)
    if watch is not None and watch.t_answer is not None and time.perf_counter() - watch.t_answer < 10:
        out["answering"] += 1  # its picture route answered in the round's last 10 s


async def room(url: str, ns: list[int], seconds: float, server_pid: int, alone_s: float = 20.0, at_least: int = 0) -> list[dict]:
    rows = []
    async with Session(url) as teacher:
        run_id, alone = await teacher_starts(teacher, alone_s)
        for n in ns:
            tally, toys = Tally(), Tally()
            out = {"got": 0, "refused": 0, "rates": [], "pictures": [], "cycles": [], "fragment_ms": [], "answering": 0}
            t0, cpu0 = time.perf_counter(), cpu_s(server_pid)
            until, memory = t0 + seconds, []
            jobs = [memory_watch(server_pid, until, memory)]
            for i in range(n):
                if i == n - 1 and n >= 5:
                    jobs.append(starter(url, tally))
                elif i % 4 == 0:
                    jobs.append(toy_student(url, seconds, toys, out))
                else:
                    kind = (slider_student, watcher, latent_student)[i % 3]
                    jobs.append(kind(url, run_id, until, tally) if kind is watcher else kind(url, until, tally))
            row = await hold_round(n, jobs, tally, speed_after(teacher_speed, teacher, until), alone, server_pid, (t0, cpu0))
            first = next((mb for s, mb in memory if s >= 55), memory[-1][1] if memory else float("nan"))
            end = toyclass.pss_mb(server_pid)
            rows.append(
                {
                    **row,
                    "toy_students": sum(1 for i in range(n) if i % 4 == 0 and not (i == n - 1 and n >= 5)),
                    "toy_training": out["got"],
                    "toy_steps": statistics.median(out["rates"]) if out["rates"] else float("nan"),
                    "toy_pictures": statistics.median(out["pictures"]) if out["pictures"] else float("nan"),
                    "toy_poll_p95": toyclass.p(toys.slider_ms, 0.95),
                    "toy_answering": out["answering"],
                    "errors_all": row["errors"] + len(toys.errors),
                    "mb_first_minute": first,
                    "mb_end": sum(end),
                }
            )
            r = rows[-1]
            for text in out.get("refusals", []):
                print(f"  a toy student was refused: ...{text}...", flush=True)
            for text in sorted(set(tally.errors + toys.errors)):
                print(f"  error ({(tally.errors + toys.errors).count(text)}x): {text[:300]}", flush=True)
            print(
                f"N={n}: toy {r['toy_training']}/{r['toy_students']} training, errors {r['errors_all']}, memory {first:,.0f} -> {sum(end):,.0f} MB",
                flush=True,
            )
    print(f"(the teacher's run alone: {alone:,.0f} examples/s)")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[30])
    ap.add_argument("--seconds", type=float, default=600.0)
    a = ap.parse_args()
    rows = browser_classroom.run(a.n, a.seconds, room=room)
    print(
        "\n| students | toy students training | toy steps/s | toy pictures/s | picture poll p95 | slider p50 / p95 | page open max "
        "| teacher's speed | errors | memory at 1 min -> end (PSS) | toy runs answering at the end | server CPU |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['n']} | {r['toy_training']} / {r['toy_students']} | {r['toy_steps']:.0f} | {r['toy_pictures']:.1f} | {r['toy_poll_p95']:.0f} ms "
            f"| {r['slider_p50_ms']:.0f} / {r['slider_p95_ms']:.0f} ms | {r['open_max_s']:.1f} s | {r['teacher_speed_ratio']:.0%} | {r['errors_all']} "
            f"| {r['mb_first_minute']:,.0f} -> {r['mb_end']:,.0f} MB | {r['toy_answering']} / {r['toy_students']} | {r['server_cpu_cores']:.2f} cores |"
        )


if __name__ == "__main__":
    main()
