"""Students that speak Streamlit's own protocol instead of rendering a page (``bench/wsclassroom.py``).

A browser session is a websocket carrying protobuf messages: the page sends a ``BackMsg`` asking
for a script run (which page, the values of its widgets), the server answers with ``ForwardMsg``s
(new elements, then "script finished"). This client does the same with no browser, so N students
cost this machine a socket each and the server's own work is what gets measured: a slider move's
latency here is the server's time from the new value to the last element of the new page.
Fragments polled with ``run_every`` are re-run as the browser would, on the server's
``auto_rerun`` messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from bench import students

WIDGETS = ("slider", "button", "number_input", "selectbox", "radio", "checkbox", "text_input", "segmented_control")


@dataclass
class Page:
    """What one script run drew: every element, by kind, and the server's time for it."""

    seconds: float
    elements: list = field(default_factory=list)  # (kind, element proto)
    exceptions: list[str] = field(default_factory=list)

    def widget(self, kind: str, label: str):
        """The first ``kind`` widget whose label contains ``label`` (its proto: ``.id``, ``.label``...)."""
        for k, el in self.elements:
            if k == kind and label in getattr(el, k).label:
                return getattr(el, k)
        raise LookupError(f"no {kind} labelled {label!r} on the page")

    def texts(self) -> list[str]:
        out = []
        for k, el in self.elements:
            if k == "markdown":
                out.append(el.markdown.body)
            elif k == "metric":
                out.append(f"{el.metric.label}: {el.metric.body}")
        return out


class Session:
    """One browser tab's worth of protocol: open a page, move its widgets, follow its fragments."""

    def __init__(self, url: str, query: str = "") -> None:
        self.ws_url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.query = query
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.fragments: dict[str, float] = {}  # fragment id -> run_every seconds
        self.ws = None

    async def __aenter__(self) -> Session:
        self.ws = await connect(self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=120)
        return self

    async def __aexit__(self, *exc) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close()

    async def run(self, path: str | None = None, widgets: list | None = None, fragment: str = "", timeout: float = 120) -> Page:
        """Ask for a script run (of the page at ``path``, or the current one) with these widget
        states, and read until the server says it finished."""
        if path is not None:
            self.page_hash = self.pages.get(path, "")
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_script_hash = self.page_hash
        if path is not None and not self.page_hash:
            msg.rerun_script.page_name = path
        msg.rerun_script.fragment_id = fragment
        msg.rerun_script.is_auto_rerun = bool(fragment)
        for w in widgets or []:
            msg.rerun_script.widget_states.widgets.append(w)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        page = Page(0.0)
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout))
            kind = fm.WhichOneof("type")
            if kind == "navigation":
                self.pages.update({p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages})
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
            elif kind == "auto_rerun":
                self.fragments[fm.auto_rerun.fragment_id] = fm.auto_rerun.interval
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                k = el.WhichOneof("type")
                page.elements.append((k, el))
                if k == "exception":
                    page.exceptions.append(el.exception.message[:120])
            elif kind == "script_finished":
                if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # st.rerun(): the next run follows
                    page.elements.clear()
                    continue
                page.seconds = time.perf_counter() - t0
                return page


def slider_value(widget_id: str, value: float):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    w = WidgetState(id=widget_id)
    w.double_array_value.data.append(value)
    return w


def int_value(widget_id: str, value: int):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    return WidgetState(id=widget_id, int_value=value)


def click(widget_id: str):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    return WidgetState(id=widget_id, trigger_value=True)


@dataclass
class Tally(students.Tally):
    polls: int = 0  # the watchers' fragment polls answered


async def _open(s: Session, path: str, tally: Tally) -> Page:
    t0 = time.perf_counter()
    first = await s.run(path="")  # the app's first run: navigation arrives, then the page itself
    page = await s.run(path=path) if path else first
    tally.open_s.append(time.perf_counter() - t0)
    tally.errors += [f"{path or 'home'}: {e}" for e in page.exceptions]
    return page


async def _mover(url: str, path: str, widget: tuple[str, str], state, every: float, until: float, tally: Tally, timed: bool) -> None:
    """Open ``path`` and set its ``widget`` (kind, label) to ``state(id, i)`` every ``every`` s;
    ``timed``: each answer's time is a latency sample."""
    async with Session(url) as s:
        page = await _open(s, path, tally)
        wid = page.widget(*widget).id
        i = 1
        while tally.going(i - 1, until):
            t_next = time.perf_counter() + every
            got = await s.run(widgets=[state(wid, i)])
            if timed:
                tally.slider_ms.append(got.seconds * 1000)
            tally.errors += [f"{path}: {e}" for e in got.exceptions]
            i += 1
            await asyncio.sleep(max(0.0, t_next - time.perf_counter()))


async def slider_student(url: str, until: float, tally: Tally) -> None:
    """The InfoGAN page's c2 slider, moved every 1.5 s: one latency sample per move."""
    c2 = ("slider", "Continuous code c2")
    await _mover(url, "infogan", c2, lambda wid, i: slider_value(wid, 0.1 * (i % 2 + 1)), 1.5, until, tally, timed=True)


async def follow(s: Session, until: float, tally: Tally, who: str) -> Page | None:
    """Re-run the page's polled fragments at their intervals, as the browser would; the last run."""
    last, polls = None, 0
    while tally.going(polls, until):
        if not s.fragments:
            await asyncio.sleep(1.0)
            continue
        fragment, every = min(s.fragments.items(), key=lambda kv: kv[1])  # the live panel: the fastest poll
        await asyncio.sleep(every)
        last = await s.run(fragment=fragment)
        tally.polls += 1
        polls += 1
        tally.errors += [f"{who}: {e}" for e in last.exceptions]
    return last


async def watcher(url: str, run_id: str, until: float, tally: Tally) -> None:
    async with Session(url, query=f"run={run_id}") as s:
        await _open(s, "", tally)
        last = await follow(s, until, tally, "watcher")
        if last is not None and not any("Step" in t for t in last.texts()):
            tally.errors.append("watcher: no step shown")


async def latent_student(url: str, until: float, tally: Tally) -> None:
    """The latent page: a new seed of candidates every 3 s."""
    await _mover(url, "latent", ("number_input", "Seed of the 16"), int_value, 3.0, until, tally, timed=False)


async def start_run(s: Session, tally: Tally | None = None) -> Page:
    """Open the Training Lab and press Start training."""
    page = await s.run(path="train")
    start = page.widget("button", "Start training").id
    return await s.run(widgets=[click(start)])


async def starter(url: str, tally: Tally) -> None:
    async with Session(url) as s:
        await _open(s, "", tally)
        page = await start_run(s)
        text = " ".join(page.texts())
        if "already training" in text or "limit" in text or "busy" in text or "in line" in text:  # refused, or queued
            tally.busy_answers += 1
        tally.errors += [f"starter: {e}" for e in page.exceptions]
