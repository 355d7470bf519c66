"""The live pages in a real browser while a run trains: refresh rate, first update, responsiveness.

    .venv/bin/python bench/page_refresh.py [--seconds 10]

* 2D toy lab, d2l's Gaussian training at full speed: how many times a second the canvas's picture
  changes (a new version painted on it), against the 4 per second target.
* Training Lab, CPU-friendly MLP preset: seconds from the Start click to the first live step
  count; the median time for another widget to answer while training (opening and closing the
  "Change while training" expander, 10 times; target < 300 ms); and the step reached 60 s after
  Start, with a screenshot of the grid then (bench-artifacts/train-60s.png).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import browser, open_page, streamlit_server, wait_until

OUT = Path(__file__).resolve().parent.parent / "bench-artifacts"


def step_of(page) -> int:
    box = page.locator('[data-testid="stMetric"]').filter(has_text="Step of").first  # value: the step; label: "Step of N"
    return int(box.locator('[data-testid="stMetricValue"]').inner_text().strip().replace(",", ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--only", choices=["toy", "train"])
    a = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    with streamlit_server() as url, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 1400})
        page.set_default_timeout(120_000)
        if a.only != "train":
            toy(page, url, a.seconds)
        if a.only != "toy":
            train(page, url)


def toy(page, url: str, seconds: float) -> None:
    open_page(page, url, "2D toy GAN lab")
    page.get_by_label("Epochs").fill("500")  # long enough to still be training while we count
    page.get_by_label("Epochs").press("Enter")
    time.sleep(1)
    page.get_by_role("button", name="▶ Start").click()
    assert wait_until(lambda: page.locator(".st-key-toyplane canvas").count() > 0, 60)
    time.sleep(2)
    # count new pictures inside the page (a MutationObserver on the canvas's data-version, which
    # its painter sets): polling from Python 50 times a second cost CPU the page itself needs
    page.evaluate(
        """() => {
        const version = () => (document.querySelector('.st-key-toyplane canvas') || {dataset: {}}).dataset.version;
        let last = version();
        window.__pictures = 0;
        new MutationObserver(() => { const now = version(); if (now && now !== last) { last = now; window.__pictures++; } })
            .observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-version']});
        }"""
    )
    s0 = step_of(page)
    time.sleep(seconds)
    seen = page.evaluate("() => window.__pictures")
    s1 = step_of(page)
    print(
        f"toy lab: the picture changed {seen / seconds:.1f} times a second while training (target >= 4); steps {s0:,} -> {s1:,} ({(s1 - s0) / seconds:.0f} steps/s)"
    )
    page.get_by_role("button", name="⏸", exact=True).click()


def train(page, url: str) -> None:
    open_page(page, url, "Training Lab")
    page.get_by_role("button", name="Start training").click()
    t_start = time.time()
    assert wait_until(lambda: step_of(page) > 0, 120, every=0.05)
    first = time.time() - t_start
    print(f"Training Lab: first live step {first:.2f} s after the Start click (target < 2 s)")
    answers = []
    expander = page.get_by_text("Change while training")
    for _ in range(10):
        t = time.time()
        expander.click()
        page.get_by_text("G learning rate").first.wait_for(state="visible")
        answers.append((time.time() - t) * 1000)
        expander.click()
        page.get_by_text("G learning rate").first.wait_for(state="hidden")
    print(f"Training Lab: another widget answers in {statistics.median(answers):.0f} ms median while training (target < 300 ms)")
    left = 60 - (time.time() - t_start)
    if left > 0:
        time.sleep(left)
    step = step_of(page)
    page.screenshot(path=str(OUT / "train-60s.png"), full_page=True)
    print(f"Training Lab: step {step:,} at 60 s after Start (MLP preset, batch 64); grid in {OUT / 'train-60s.png'}")


if __name__ == "__main__":
    main()
