"""Real browser: the 2D lab learns d2l's Gaussian until G's mean is close, then points are drawn
by clicking on the canvas and trained on."""

import os
import re

import pytest

from tests.browser import ARTIFACTS, CHROMIUM, browser, open_page, streamlit_server, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]


def count_spots(page) -> int:
    return int(re.search(r"(\d+) spots", page.get_by_text(re.compile(r"\d+ spots")).inner_text()).group(1))


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def test_gaussian_is_learned_live_and_drawn_points_train(tmp_path):
    with streamlit_server({"GAN_EXPLORER_SAVED": str(tmp_path)}) as url, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 1500})
        page.set_default_timeout(90_000)
        open_page(page, url, "2D toy GAN lab")
        epochs = page.get_by_role("spinbutton", name="Epochs")  # long enough to be paused while it trains
        epochs.fill("400")
        epochs.press("Enter")
        assert wait_until(lambda: epochs.input_value() == "400", 30)
        page.get_by_role("button", name="▶ Start").click()
        # while it trains, the browser paints the plane on a canvas and asks the picture route for
        # each newer one itself (the page's fragment is not polled for it); the loss chart is Plotly
        picture = "() => (document.querySelector('.st-key-toyplane canvas') || {dataset: {}}).dataset.version || ''"
        assert wait_until(lambda: page.evaluate(picture) and page.locator(".js-plotly-plot").count() >= 1, 60), "no live picture"
        first = page.evaluate(picture)
        assert wait_until(lambda: page.evaluate(picture) not in ("", first), 120, every=0.05), "the live picture never changed"
        painted = "() => { const c = document.querySelector('.st-key-toyplane canvas'); return c ? c.getContext('2d').getImageData(60, 60, 1, 1).data[3] : 255; }"
        assert page.evaluate(painted) == 255  # the heatmap is painted, not an empty canvas (255 too once the run ended)
        errors = []

        def close() -> bool:
            errors.append(float(metric(page, "Mean error")))
            return errors[-1] <= 0.2

        assert wait_until(close, 120, every=1.0), f"G's mean never came within 0.2 of the data's: {errors[-10:]}"
        step = int(re.search(r"([\d,]+)", metric(page, "Step")).group(1).replace(",", ""))
        page.screenshot(path=str(ARTIFACTS / "toy-gaussian.png"), full_page=True)
        page.get_by_role("button", name="⏸", exact=True).click()  # paused or finished: the interactive plane
        assert wait_until(lambda: page.locator(".js-plotly-plot .heatmaplayer").count() >= 1, 120), "no interactive plane after pausing"
        page.screenshot(path=str(ARTIFACTS / "toy-gaussian-paused.png"), full_page=True)
        print(f"mean within 0.2 at step {step}; errors seen {errors[:3]} ... {errors[-3:]}")

        page.get_by_text("Set up a run").click()
        page.get_by_label("Target distribution").click()
        page.get_by_role("option", name="Draw your own points").click()
        canvas = page.locator('[data-testid="stExpander"] [data-testid="stPlotlyChart"]').first
        assert wait_until(lambda: count_spots(page) == 0 and canvas.locator(".nsewdrag").count() > 0, 120)
        area = canvas.locator(".nsewdrag").first.bounding_box()
        spots = []
        for fx, fy in ((0.25, 0.25), (0.6, 0.6)):  # two lasso loops, two clusters
            x0, y0 = area["x"] + area["width"] * fx, area["y"] + area["height"] * fy
            page.mouse.move(x0, y0)
            page.mouse.down()
            for dx, dy in ((30, 0), (30, 120), (0, 120), (0, 0)):
                page.mouse.move(x0 + dx, y0 + dy, steps=5)
            page.mouse.up()
            before = spots[-1] if spots else 0
            assert wait_until(lambda before=before: count_spots(page) > before, 120), "drawing added no points"
            spots.append(count_spots(page))
        page.screenshot(path=str(ARTIFACTS / "toy-drawn.png"), full_page=True)
        page.get_by_role("button", name="▶ Start").click()
        assert wait_until(lambda: metric(page, "Data") == "your points", 60)
        assert wait_until(lambda: int(re.search(r"([\d,]+)", metric(page, "Step")).group(1).replace(",", "")) > 0, 60)
