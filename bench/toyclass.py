"""A class at step 1: N students open the 2D toy lab and press Start at once, on a fresh server.

    .venv/bin/python bench/toyclass.py [--n 1 10 30] [--seconds 40] [--class-view]

Each student is a websocket speaking Streamlit's protocol (``bench/wsstudents.py``) plus what the
page's canvas does in a browser: it opens the lab, presses ▶ Start (100 epochs, so the run trains
through the whole window), then runs the page's polled fragments on their timers as the browser
does while its canvas polls the picture route (``ui/toy/plane_route.py``) as the component's
JavaScript does: one request, then the next 200 ms after its answer. Against a server without the
route, the pictures come from the fragment polls instead. With ``--class-view`` a teacher watches
the class view meanwhile: how many cards it drew and how long its 2 s redraws took.

Per N: how many got a run, how many were refused, the steps/s of a running one (from the steps
of its pictures), fresh pictures/s (new versions of the plane a student received, per second
while its run trained), the picture polls' answer p50 / p95 (the server's time), the picture
cycle p95 (time between two picture answers: the timer and the answer), the fragment polls'
p95, the slowest page open, the CPU the server process and its training children used (cores),
the students' own CPU (they share the machine) and the memory at the end. One server per N, so
no round inherits another's runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.classroom import _children, cpu_s  # noqa: E402
from bench.wsstudents import Session, Tally, click, int_value  # noqa: E402
from tests.browser import start_server, stop_server  # noqa: E402


class Http:
    """One keep-alive HTTP/1.1 connection, as a browser tab keeps to its server: GET only."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        self.host, self.port, self.conn = host, int(port), None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.conn
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return status, await reader.readexactly(length) if length else b""

    def close(self) -> None:
        if self.conn is not None:
            self.conn[1].close()


def canvas_of(page) -> dict | None:
    """The live canvas's data in a page's answer (its first picture and its route), if drawn."""
    for kind, el in page.elements:
        if kind == "bidi_component":
            return json.loads(el.bidi_component.json)
    return None


class Watch:
    """One student's view of its run: the pictures it got and when."""

    def __init__(self) -> None:
        self.versions, self.t_first, self.t_last, self.steps, self.t_answer = set(), None, None, [], None

    def saw(self, picture: dict | None, out: dict) -> None:
        if not picture:
            return
        now = time.perf_counter()
        if self.t_last is not None:
            out["cycles"].append(now - self.t_last)
        self.steps.append((now, picture["step"]))
        self.versions.add(picture["version"])
        self.t_first, self.t_last = self.t_first or now, now

    def report(self, out: dict) -> None:
        if self.t_first is not None and self.t_last > self.t_first:
            out["pictures"].append((len(self.versions) - 1) / (self.t_last - self.t_first))
            (t0, s0), (t1, s1) = self.steps[0], self.steps[-1]
            out["rates"].append((s1 - s0) / (t1 - t0))
            out["got"] += 1


async def fragments(s: Session, until: float, tally: Tally, watch: Watch, out: dict, on_canvas) -> None:
    """The page's polled fragments, each on its own timer, as the browser runs them. A fragment that
    reruns the page (the run began training) may bring the canvas: ``on_canvas(drawn)`` starts it."""
    due = {}
    while time.perf_counter() < until:
        if not s.fragments:
            await asyncio.sleep(0.5)
            continue
        due = {f: at for f, at in due.items() if f in s.fragments}  # a rerun may have replaced some
        for fragment, every in s.fragments.items():
            due.setdefault(fragment, time.perf_counter() + every)
        fragment = min(due, key=due.get)
        await asyncio.sleep(max(0.0, due[fragment] - time.perf_counter()))
        got = await s.run(fragment=fragment)
        due[fragment] = time.perf_counter() + s.fragments.get(fragment, 1.0)
        out["fragment_ms"].append(got.seconds * 1000)
        tally.errors += got.exceptions
        if (canvas := canvas_of(got)) and not canvas.get("url"):  # no route: the fragment brings the pictures
            tally.slider_ms.append(got.seconds * 1000)
            watch.saw(canvas.get("picture"), out)
        elif canvas:
            on_canvas(canvas)


async def canvas(url: str, route: str, until: float, tally: Tally, watch: Watch, out: dict, every_ms: int) -> None:
    """What the canvas's JavaScript does: ask the route for a newer picture, wait, ask again."""
    http, version = Http(url), -1
    try:
        while time.perf_counter() < until:
            t0 = time.perf_counter()
            status, body = await http.get(f"{route}&since={version}")
            tally.slider_ms.append((time.perf_counter() - t0) * 1000)
            watch.t_answer = time.perf_counter()  # the run's picture route still answers
            if status == 200:
                got = json.loads(body)
                if got.get("training") is False:
                    return
                watch.saw(got, out)
                version = got["version"]
            elif status != 204:
                tally.errors.append(f"picture route answered {status}")
                return
            await asyncio.sleep(every_ms / 1000)
    finally:
        http.close()


async def student(url: str, seconds: float, tally: Tally, out: dict, epochs_asked: int = 100) -> Watch | None:
    async with Session(url) as s:
        t0 = time.perf_counter()
        await s.run(path="")
        page = await s.run(path="toy2d")
        tally.open_s.append(time.perf_counter() - t0)
        epochs = page.widget("number_input", "Epochs").id
        page = await s.run(widgets=[int_value(epochs, epochs_asked), click(page.widget("button", "Start").id)])
        until = time.perf_counter() + seconds  # each student watches its run this long
        text = " ".join(page.texts() + [el.alert.body for k, el in page.elements if k == "alert"])
        if m := re.search(r"busy|limit|already training|training on this", text):
            out["refused"] += 1
            out.setdefault("refusals", []).append(text[max(0, m.start() - 80) : m.end() + 80])  # what the student read
            return
        watch, polling = Watch(), []

        def on_canvas(drawn: dict) -> None:  # the canvas starts asking once it is drawn, as in a browser
            if drawn.get("url") and not polling:
                watch.saw(drawn.get("picture"), out)
                polling.append(asyncio.ensure_future(canvas(url, drawn["url"], until, tally, watch, out, drawn.get("every_ms", 250))))

        on_canvas(canvas_of(page) or {})
        await fragments(s, until, tally, watch, out, on_canvas)
        await asyncio.gather(*polling)
        watch.report(out)
        return watch


def pss_mb(pid: int) -> tuple[float, float]:
    """(the server's memory, its children's: the toy hosts and the spare training process), as
    proportional set size: shared pages (torch's libraries, mapped by every process) counted once
    in all, where summing resident sizes counts them in each process."""

    def one(p: int) -> float:
        try:
            text = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            return 0.0
        return next((int(line.split()[1]) / 1024 for line in text.splitlines() if line.startswith("Pss:")), 0.0)

    return one(pid), sum(one(c) for c in _children(pid))


def p(values: list[float], q: float) -> float:
    return sorted(values)[int(q * (len(values) - 1))] if values else float("nan")


async def class_view(url: str, seconds: float, tally: Tally, out: dict) -> None:
    """The teacher on the class view while the class trains: its wall of cards redraws every 2 s,
    as the browser asks; the time of each redraw and the most cards one showed."""
    async with Session(url) as s:
        await s.run(path="")
        await s.run(path="classroom")
        until = time.perf_counter() + seconds
        while time.perf_counter() < until:
            await asyncio.sleep(2.0)
            if not s.fragments:
                continue
            got = await s.run(fragment=next(iter(s.fragments)))  # the wall: the teacher has no run of their own
            tally.errors += [f"class view: {e}" for e in got.exceptions]
            out["wall_ms"].append(got.seconds * 1000)
            out["cards"] = max(out["cards"], sum(1 for kind, _el in got.elements if kind == "page_link"))  # a card's Watch


async def round_of(url: str, n: int, seconds: float, teacher: bool = False) -> dict:
    tally = Tally()
    out = {"got": 0, "refused": 0, "rates": [], "pictures": [], "cycles": [], "fragment_ms": [], "wall_ms": [], "cards": 0}
    jobs = [student(url, seconds, tally, out) for _ in range(n)] + ([class_view(url, seconds + 5, tally, out)] if teacher else [])
    results = await asyncio.gather(*jobs, return_exceptions=True)
    errors = [f"{type(r).__name__}: {r}"[:80] for r in results if isinstance(r, Exception)] + tally.errors
    polls = sorted(tally.slider_ms)
    return {
        "n": n,
        "got": out["got"],
        "refused": out["refused"],
        "steps_per_s": statistics.median(out["rates"]) if out["rates"] else float("nan"),
        "pictures_per_s": statistics.median(out["pictures"]) if out["pictures"] else float("nan"),
        "poll_p50_ms": p(polls, 0.5),
        "poll_p95_ms": p(polls, 0.95),
        "cycle_p95_ms": 1000 * p(out["cycles"], 0.95),
        "fragment_p95_ms": p(out["fragment_ms"], 0.95),
        "open_max_s": max(tally.open_s, default=float("nan")),
        "errors": errors,
        "wall_p50_ms": p(out["wall_ms"], 0.5),
        "wall_p95_ms": p(out["wall_ms"], 0.95),
        "cards": out["cards"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1, 5, 10, 30])
    ap.add_argument("--seconds", type=float, default=40.0)
    ap.add_argument("--hosts", default="0", help="toy host processes (0: the server's default, runs.host.host_count())")
    ap.add_argument("--class-view", action="store_true", help="a teacher watches the class view's cards meanwhile")
    a = ap.parse_args()
    rows = []
    for n in a.n:
        with tempfile.TemporaryDirectory() as saved:
            proc, url = start_server({"GAN_EXPLORER_SAVED": saved, "GAN_EXPLORER_TOY_HOSTS": a.hosts})
            try:
                cpu0 = cpu_s(proc.pid), sum(cpu_s(c) for c in _children(proc.pid)), time.perf_counter(), time.process_time()
                row = asyncio.run(round_of(url, n, a.seconds, a.class_view))
                elapsed = time.perf_counter() - cpu0[2]
                row["server_cores"] = (cpu_s(proc.pid) - cpu0[0]) / elapsed
                row["children_cores"] = (sum(cpu_s(c) for c in _children(proc.pid)) - cpu0[1]) / elapsed
                row["client_cores"] = (time.process_time() - cpu0[3]) / elapsed  # the 30 protocol students, on the same cores
                row["server_mb"], row["children_mb"] = pss_mb(proc.pid)
                rows.append(row)
            finally:
                stop_server(proc)
        r = rows[-1]
        print(f"N={n}: {r['got']} ran, {r['refused']} refused, {r['steps_per_s']:.0f} steps/s, {r['pictures_per_s']:.1f} pictures/s, client {r['client_cores']:.2f} cores, poll p95 {r['poll_p95_ms']:.0f} ms, errors {r['errors'][:3]}")  # fmt: skip
    print("\n| students pressing Start | got a run | refused | steps/s of a running one | fresh pictures/s | picture poll p50 / p95 | picture cycle p95 | fragment poll p95 | page open max | server CPU + training CPU | server + training memory (PSS) | errors |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['n']} | {r['got']} | {r['refused']} | {r['steps_per_s']:.0f} | {r['pictures_per_s']:.1f} | {r['poll_p50_ms']:.0f} / {r['poll_p95_ms']:.0f} ms | {r['cycle_p95_ms']:.0f} ms | {r['fragment_p95_ms']:.0f} ms | {r['open_max_s']:.1f} s "
            f"| {r['server_cores']:.2f} + {r['children_cores']:.2f} cores (students {r['client_cores']:.2f}) | {r['server_mb']:,.0f} + {r['children_mb']:,.0f} MB | {len(r['errors'])} |"
        )
    if a.class_view:
        print("\n| students | cards on the class view | its 2 s redraw p50 / p95 |\n|---|---|---|")
    for r in rows if a.class_view else []:
        print(f"| {r['n']} | {r['cards']} | {r['wall_p50_ms']:.0f} / {r['wall_p95_ms']:.0f} ms |")


if __name__ == "__main__":
    main()
