"""Real browser: a newcomer walks the whole course path from the home page, following each page's
"Next" link, doing the first "Try this" experiment of every step (at 1400 x 1000), then walks it
again at 1024 x 768; no exception box and no cut label anywhere; a screenshot per page and size."""

import os
import re

import pytest

from tests.browser import ARTIFACTS, CHROMIUM, browser, press_slider, settled, streamlit_server, wait_until
from ui.common import course

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]

CUT = """() => [...document.querySelectorAll(
    '[data-testid="stMetricLabel"] *, [data-testid="stWidgetLabel"] *, [data-testid="stMetricValue"] *, [data-testid="stMain"] [data-testid="stPageLink"] *')]
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible'
                 || e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && e.closest('[data-testid="stMetricValue"]'))
    .map(e => e.innerText).filter(t => t.trim())"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    env = {"GAN_EXPLORER_SAVED": str(tmp_path_factory.mktemp("saved")), "GAN_EXPLORER_MAX_STEPS": "60"}
    with streamlit_server(env) as url, browser() as b:
        yield url, b


def main(page):
    return page.locator('[data-testid="stMain"]')


def metric_value(page, label: str) -> str:
    box = main(page).locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def number(text: str) -> float:
    return float(re.search(r"-?[\d,]*\.?\d+", text).group(0).replace(",", ""))


def slider_to_end(page, label: str) -> None:
    thumb = main(page).locator('[data-testid="stSlider"]').filter(has_text=label).first.get_by_role("slider")
    press_slider(page, thumb, "End")


def first_try(page, key: str) -> None:
    """Do what the page's first "Try this" item says, and check what it says should happen."""
    if key == "toy2d":
        main(page).get_by_role("button", name="▶ Start").click()
        assert wait_until(lambda: number(metric_value(page, "Step of")) > 0, 180), "the 2D run did not start"
    elif key == "theory":
        page.get_by_role("tab", name="D* and JSD").click()
        slider_to_end(page, "Slide p_g onto p_data")
        assert wait_until(lambda: metric_value(page, "JSD(p_data ‖ p_g)") == "0.0000", 120)
        assert metric_value(page, "V(D*, G)") == "-1.3863"
    elif key == "blocks":
        page.get_by_role("tab", name="Initialisation").click()  # N(0, 1) weights with sigmoid: the defaults
        assert wait_until(lambda: number(metric_value(page, "Layer 1")) > 50, 30)  # most activations on a flat part
    elif key == "train":
        main(page).get_by_role("button", name="Start training").click()
        assert wait_until(lambda: number(metric_value(page, "Step of")) > 0, 120), "the run did not start"
        assert wait_until(lambda: main(page).get_by_text("Fixed-seed samples at step").count() >= 1, 60)
    elif key == "infogan":
        slider_to_end(page, "Continuous code c2")
        assert wait_until(lambda: main(page).get_by_text("c2 = +2.0").count() >= 1, 120)
    elif key == "latent":
        main(page).get_by_test_id("stRadioGroup").get_by_text("lerp (line)", exact=True).click()
        assert wait_until(lambda: main(page).get_by_text(re.compile(r"steps from #0 to #1 by lerp")).count() >= 1, 120)
    elif key == "conditional":
        main(page).get_by_label("Class").first.click()
        page.get_by_role("option", name="7", exact=True).click()
        assert wait_until(lambda: main(page).get_by_text(re.compile("class 7|7s|“7”|: 7")).count() >= 1, 120)
        main(page).get_by_role("button", name="🎲").first.click()
    elif key == "text2digit":
        box = main(page).get_by_label("Ask for a digit")
        box.fill("a thick 7 leaning right")
        box.press("Enter")
        assert wait_until(lambda: main(page).get_by_text("drawings of “a thick 7 leaning right”").count() >= 1, 120)
    elif key == "img2img":
        main(page).get_by_role("button", name="Next test image ▶").click()
        assert wait_until(lambda: main(page).get_by_text(re.compile(r"edges of test image 1 \(")).count() >= 1, 120)
        assert main(page).get_by_text("Trained on L1 alone").count() >= 1
    settled(page)


def walk(app, width: int, height: int, experiments: bool) -> list[str]:
    url, b = app
    page = b.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(90_000)
    page.goto(url)
    page.locator("h1", has_text="GAN Explorer").first.wait_for()
    assert wait_until(lambda: main(page).get_by_text("The course path").count() == 1, 60)
    settled(page)
    page.screenshot(path=str(ARTIFACTS / f"course-0-home-{width}.png"), full_page=True)
    cut: list[str] = page.evaluate(CUT)
    main(page).get_by_role("link", name=re.compile(r"1\. 2D toy GAN lab")).click()
    for i, lesson in enumerate(course.PATH, 1):
        page.locator("h1", has_text=lesson.title).first.wait_for()
        assert wait_until(lambda: main(page).get_by_text("What to conclude.").count() == 1, 90), lesson.title
        settled(page)
        assert main(page).get_by_text(re.compile("Try this")).count() >= 1, f"no 'Try this' on {lesson.title}"
        if experiments:
            first_try(page, lesson.key)
        assert page.locator('[data-testid="stException"]').count() == 0, f"exception box on {lesson.title}"
        cut += [f"{lesson.title}: {t}" for t in page.evaluate(CUT)]
        page.screenshot(path=str(ARTIFACTS / f"course-{i}-{lesson.key}-{width}.png"))  # the top, then the end
        main(page).get_by_text("What to conclude.").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"course-{i}-{lesson.key}-{width}-end.png"))
        after = course.next_of(lesson.key)
        if after is not None:
            main(page).get_by_role("link", name=f"Next: {after.title}").click()
    assert main(page).get_by_role("link", name="Back to the course path").count() == 1
    page.close()
    return cut


def test_a_newcomer_walks_the_course_and_does_each_first_experiment(app):
    cut = walk(app, 1400, 1000, experiments=True)
    assert cut == [], "\n".join(cut)


def test_the_course_reads_whole_on_a_small_screen(app):
    cut = walk(app, 1024, 768, experiments=False)
    assert cut == [], "\n".join(cut)
