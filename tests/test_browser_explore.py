"""Real browser: every slider of the explore pages changes its picture; the scrub slider's picture
follows the thumb while the mouse button is still down."""

import os

import pytest

from tests.browser import ARTIFACTS, CHROMIUM, browser, open_page, press_slider, settled, streamlit_server, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]


def image_srcs(page) -> list[str]:
    """The page's current pictures (not those of a previous run that are about to go)."""
    fresh = '[data-testid="stElementContainer"]:not([data-stale="true"]) [data-testid="stImage"] img'
    return page.locator(fresh).evaluate_all("els => els.map(e => e.src)")


def nudge(page, slider_index: int, key: str = "ArrowRight") -> None:
    press_slider(page, page.get_by_role("slider").nth(slider_index), key)


def moved_changes_picture(page, slider_index: int, picture_index: int, key: str = "ArrowRight") -> bool:
    assert wait_until(lambda: len(image_srcs(page)) > picture_index, 120), "the picture is not on the page"
    settled(page)
    before = image_srcs(page)[picture_index]
    nudge(page, slider_index, key)
    return wait_until(lambda: image_srcs(page)[picture_index] != before, 120)


@pytest.fixture(scope="module")
def app():
    with streamlit_server() as url, browser() as b:
        yield url, b


def visit(app, title: str, n_images: int):
    url, b = app
    page = b.new_page(viewport={"width": 1400, "height": 1300})
    page.set_default_timeout(90_000)
    open_page(page, url, title)
    assert wait_until(lambda: len(image_srcs(page)) >= n_images, 90), f"{title}: pictures did not appear"
    return page


def test_infogan_sliders_and_the_scrub_slider(app):
    page = visit(app, "InfoGAN codes", 3)
    frame = page.frame_locator("iframe").first
    rng, img = frame.locator("input#s"), frame.locator("img#im")
    start = img.get_attribute("data-frame")
    box = rng.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    seen = set()
    for frac in (0.6, 0.7, 0.8, 0.9):
        page.mouse.move(box["x"] + box["width"] * frac, y, steps=3)
        seen.add(img.get_attribute("data-frame"))
    page.screenshot(path=str(ARTIFACTS / "infogan-scrub-dragging.png"), full_page=True)
    page.mouse.up()
    assert len(seen - {start}) >= 3, f"the picture did not follow the thumb while dragging: {seen}"
    assert moved_changes_picture(page, 0, 0), "c2 slider did not change the batch"
    assert moved_changes_picture(page, 1, 0, "ArrowLeft"), "c3 slider did not change the batch"
    page.screenshot(path=str(ARTIFACTS / "infogan.png"), full_page=True)
    page.close()


def test_latent_steps_slider_and_conditional_columns_slider(app):
    page = visit(app, "Latent space", 2)
    assert moved_changes_picture(page, 1, 1), "the steps slider did not change the interpolation strip"  # 0 is truncation ψ
    page.screenshot(path=str(ARTIFACTS / "latent.png"), full_page=True)
    page.close()
    page = visit(app, "Conditional GAN", 1)
    assert moved_changes_picture(page, 0, 0), "the samples-per-row slider did not change the grid"
    page.screenshot(path=str(ARTIFACTS / "conditional.png"), full_page=True)
    page.close()


def test_conditional_page_compares_cgan_and_acgan(app):
    page = visit(app, "Conditional GAN", 3)  # the main grid, then CGAN's and ACGAN's columns
    page.get_by_text("CGAN or ACGAN? The same z, the same class").scroll_into_view_if_needed()
    metrics = page.locator('[data-testid="stMetricLabel"]')  # drawn once their component's code has arrived
    both = lambda: (t := metrics.all_inner_texts()) and sum("Its D agrees" in x for x in t) == 2 and sum("Variety" in x for x in t) == 2  # noqa: E731
    assert wait_until(both, 60), metrics.all_inner_texts()
    before = image_srcs(page)[1:3]
    samples = page.get_by_role("slider").nth(2)  # "Samples each" (after samples per row and truncation)
    press_slider(page, samples, "ArrowLeft")
    both_new = lambda: all(a != b for a, b in zip(image_srcs(page)[1:3], before, strict=True))  # noqa: E731
    assert wait_until(both_new, 120), "both columns should redraw for the new sample count"
    page.screenshot(path=str(ARTIFACTS / "conditional-compare.png"), full_page=True)
    page.close()


def test_typing_a_sentence_draws_new_digits(app):
    page = visit(app, "Text to digit", 2)
    before = image_srcs(page)[0]
    box = page.get_by_label("Ask for a digit")
    box.fill("a thin 2 leaning left")
    box.press("Enter")
    assert wait_until(lambda: image_srcs(page)[0] != before, 120), "the digits did not change for the new sentence"
    assert wait_until(lambda: page.get_by_text("Classifier sees a 2").count() == 1, 120)
    box.fill("blah blah")
    box.press("Enter")
    assert wait_until(lambda: page.get_by_text("none of these words").count() >= 1, 120), "no message for an unreadable sentence"
    page.screenshot(path=str(ARTIFACTS / "text2digit-refused.png"), full_page=True)
    box.fill("a thick 7 leaning right")
    box.press("Enter")
    assert wait_until(lambda: len(image_srcs(page)) == 2, 120)
    page.screenshot(path=str(ARTIFACTS / "text2digit.png"), full_page=True)
    page.close()
