"""The Training Lab's first experiment, as a student does it: press Start on the default preset
and watch the curves. What the lesson promises must show on the page's own chart: G's loss falls
within the first 200 steps, then both losses stay level while the samples keep changing. The
test waits on the steps (a busy machine takes longer than the lesson's minute), never on a clock."""

import os
import re

import pytest

from tests.browser import CHROMIUM, browser, open_page, streamlit_server, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]

SERIES = """names => { const out = {};  // every named series of the page's charts, read at one instant
  for (const p of document.querySelectorAll('.js-plotly-plot'))
    for (const t of (p.data || [])) if (names.includes(t.name)) out[t.name] = [Array.from(t.x), Array.from(t.y)];
  return names.map(n => out[n] || [[], []]); }"""


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def test_the_default_run_shows_the_losses_level_off_while_the_samples_change(tmp_path):
    with streamlit_server({"GAN_EXPLORER_SAVED": str(tmp_path)}) as url, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(120_000)
        open_page(page, url, "Training Lab")
        page.get_by_role("button", name="▶ Start training").click()
        first = None

        def grid_caption() -> str:
            return page.get_by_text(re.compile(r"Fixed-seed samples at step")).first.inner_text()

        assert wait_until(lambda: grid_caption() != "", 120)
        first = page.locator('[data-testid="stImage"] img').first.get_attribute("src")
        page.get_by_text("Zoomable chart").click()  # the chart whose every point can be read (the live one is a light SVG)
        page.locator(".js-plotly-plot").first.wait_for()
        assert wait_until(lambda: max(page.evaluate(SERIES, ["G loss"])[0][0], default=0) >= 600, 600, every=2.0), (
            "the run never reached step 600"
        )
        (steps, g), (d_steps, d) = page.evaluate(SERIES, ["G loss", "D loss"])
        early = [v for s, v in zip(steps, g, strict=True) if s <= 50]
        settled_g = [v for s, v in zip(steps, g, strict=True) if 200 < s <= 600]
        settled_d = [v for s, v in zip(d_steps, d, strict=True) if 200 < s <= 600]
        assert early and settled_g and mean(early) - mean(settled_g) > 0.5  # G's loss falls within 200 steps...
        assert 0.6 < mean(settled_g) < 1.5 and 0.8 < mean(settled_d) < 1.6  # ...to about 1, D's to about 1.2
        half = len(settled_g) // 2
        assert abs(mean(settled_g[:half]) - mean(settled_g[half:])) < 0.3  # then both stay level
        assert abs(mean(settled_d[:half]) - mean(settled_d[half:])) < 0.3
        assert page.locator('[data-testid="stImage"] img').first.get_attribute("src") != first  # while the samples change
        page.close()
