"""The students (and the teacher's speed) of ``bench/classroom.py``: what each kind of session
does in its browser, and what it counts — errors, page-open times, slider latencies."""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from dataclasses import dataclass, field

SLIDER_EVERY_S = 1.5
WAIT_SRC_JS = """([before, t0, limit]) => new Promise(resolve => {
  const check = () => {
    const img = document.querySelector('[data-testid="stImage"] img');
    if (img && img.src !== before && img.complete) resolve(performance.now() - t0);
    else if (performance.now() - t0 > limit) resolve(-1);
    else requestAnimationFrame(check);
  };
  check();
})"""


@dataclass
class Tally:
    errors: list[str] = field(default_factory=list)
    open_s: list[float] = field(default_factory=list)
    slider_ms: list[float] = field(default_factory=list)
    busy_answers: int = 0
    # Each student's actions, whatever the clock says: a round ends when its time is up *and*
    # every student has acted this often (tests wait on the event, not on a window a busy CPU misses).
    at_least: int = 0
    grace_s: float = 240.0  # how long past its time a round waits for those actions, at most

    def going(self, done: int, until: float) -> bool:
        """Whether a student who has acted ``done`` times goes on."""
        now = time.perf_counter()
        return now < until or (done < self.at_least and now < until + self.grace_s)


# ----------------------------------------------------------------------------- the sessions


async def open_page(page, url: str, title: str, path: str = "") -> float:
    t0 = time.perf_counter()
    await page.goto(url + path)
    if title:
        await page.locator('[data-testid="stSidebar"]').get_by_role("link", name=title).click()
    await page.locator("h1", has_text=title or "Training Lab").first.wait_for()
    for _ in range(600):  # until no stale element of the previous run is left
        if await page.locator('[data-testid="stElementContainer"][data-stale="true"]').count() == 0:
            break
        await asyncio.sleep(0.1)
    return time.perf_counter() - t0


async def exceptions(page) -> int:
    return await page.locator('[data-testid="stException"]').count()


async def step_of(page) -> int:
    value = await page.locator('[data-testid="stMetric"]').nth(1).locator('[data-testid="stMetricValue"]').inner_text()
    return int(value.strip().replace(",", ""))  # the label says "Step of N", the value is the step


async def slider_student(ctx, url: str, until: float, tally: Tally) -> None:
    page = await ctx.new_page()
    page.set_default_timeout(120_000)
    tally.open_s.append(await open_page(page, url, "InfoGAN codes"))
    await page.wait_for_selector('[data-testid="stImage"] img')
    thumb = page.get_by_role("slider").nth(0)
    await thumb.focus()
    i = 0
    while tally.going(i, until):
        t_next = time.perf_counter() + SLIDER_EVERY_S
        before = await page.locator('[data-testid="stImage"] img').first.get_attribute("src")
        t0 = await page.evaluate("performance.now()")
        await thumb.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        ms = await page.evaluate(WAIT_SRC_JS, [before, t0, 20_000])
        if ms < 0:
            tally.errors.append("slider: no new picture within 20 s")
        else:
            tally.slider_ms.append(ms)
        i += 1
        await asyncio.sleep(max(0.0, t_next - time.perf_counter()))
    if await exceptions(page):
        tally.errors.append("InfoGAN page: exception box")


async def watcher(ctx, url: str, run_id: str, until: float, tally: Tally) -> None:
    page = await ctx.new_page()
    page.set_default_timeout(120_000)
    tally.open_s.append(await open_page(page, url, "", f"/?run={run_id}"))
    seen, reads = -1, 0
    while tally.going(reads, until):
        await asyncio.sleep(2.0)
        try:
            seen = max(seen, await step_of(page))
        except Exception as exc:  # the metric missing or unreadable
            tally.errors.append(f"watcher: {type(exc).__name__}")
        reads += 1
    if seen < 0 or await exceptions(page):
        tally.errors.append("watch page: no step shown or an exception box")


async def latent_student(ctx, url: str, until: float, tally: Tally) -> None:
    page = await ctx.new_page()
    page.set_default_timeout(120_000)
    tally.open_s.append(await open_page(page, url, "Latent space"))
    sliders = page.get_by_role("slider")
    i = 0
    while tally.going(i, until):
        if await sliders.count():
            await sliders.nth(0).focus()
            await sliders.nth(0).press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        i += 1
        await asyncio.sleep(3.0)
    if await exceptions(page):
        tally.errors.append("latent page: exception box")


async def starter(ctx, url: str, tally: Tally) -> None:
    page = await ctx.new_page()
    page.set_default_timeout(120_000)
    tally.open_s.append(await open_page(page, url, "Training Lab"))
    await page.get_by_role("button", name="Start training").click()
    await asyncio.sleep(8)
    text = await page.locator("body").inner_text()
    if "already training" in text or "limit here" in text or "in line" in text:  # refused, or queued
        tally.busy_answers += 1
    elif await exceptions(page):
        tally.errors.append("starter: exception box")


async def teacher_speed(page, seconds: float) -> float:
    """The teacher's run's own measured speed (its Examples/s metric, averaged every 2 s): a page
    slow to redraw shows an old number, not a wrong one, where a step count read late would."""
    end, seen = time.perf_counter() + seconds, []
    while time.perf_counter() < end or (not seen and time.perf_counter() < end + 120):  # at least one reading
        await asyncio.sleep(2.0)
        try:
            text = await page.locator('[data-testid="stMetric"]').nth(3).inner_text()
            seen.append(float(re.search(r"([\d,.]+)\s*$", text.strip()).group(1).replace(",", "")))
        except Exception:
            pass
    return statistics.mean(seen) if seen else float("nan")
