"""Real browser: on the Image to image page a student draws strokes on the canvas with the mouse and
sees pix2pix's picture appear and change; switches between the shipped models; uploads a picture
and a file that is not one."""

import os

import pytest
from PIL import Image, ImageDraw

from tests.browser import ARTIFACTS, CHROMIUM, browser, open_page, settled, streamlit_server, wait_until
from tests.test_browser_explore import image_srcs

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]


@pytest.fixture(scope="module")
def app():
    with streamlit_server() as url, browser() as b:
        yield url, b


def visit(app, width: int = 1400):
    url, b = app
    page = b.new_page(viewport={"width": width, "height": 1100})
    page.set_default_timeout(90_000)
    open_page(page, url, "Image to image")
    assert wait_until(lambda: len(image_srcs(page)) >= 4, 90), "the pictures did not appear"
    return page


def main(page):
    return page.locator('[data-testid="stMain"]')


def stroke(page, canvas, points: list[tuple[float, float]]) -> None:
    """Press the mouse at the first point (fractions of the canvas), drag through the rest, let go."""
    box = canvas.bounding_box()
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=8)
    page.mouse.up()


def test_drawing_on_the_canvas_draws_a_picture_and_more_strokes_change_it(app):
    page = visit(app)
    main(page).get_by_test_id("stRadioGroup").first.get_by_text("Draw", exact=True).click()
    assert wait_until(lambda: main(page).get_by_text("The canvas is empty").count() == 1, 120)
    canvas = main(page).locator("canvas").last  # fabric.js draws on the upper of its two canvases
    assert wait_until(lambda: canvas.bounding_box() is not None, 120), "no canvas on the page"
    ring = [
        (0.5 + 0.25 * dx, 0.5 + 0.35 * dy)
        for dx, dy in ((0, -1), (0.7, -0.7), (1, 0), (0.7, 0.7), (0, 1), (-0.7, 0.7), (-1, 0), (-0.7, -0.7), (0, -1))
    ]
    stroke(page, canvas, ring)
    assert wait_until(lambda: len(image_srcs(page)) >= 3 and main(page).get_by_text("The canvas is empty").count() == 0, 60)
    settled(page)
    first = image_srcs(page)[1]  # pix2pix's picture (the input's is [0])
    stroke(page, canvas, [(0.5, 0.3), (0.5, 0.7)])  # a line through the middle
    assert wait_until(lambda: image_srcs(page)[1] != first, 60), "the picture did not change after the second stroke"
    settled(page)
    page.screenshot(path=str(ARTIFACTS / "img2img-drawn-1400.png"))


def test_switching_models_changes_the_pictures_then_an_upload_and_a_non_picture(app, tmp_path):
    page = visit(app)
    for model, says in (
        ("pix2pix-shoes", "Input: edges of test image 0"),
        ("srgan-mnist", "dB · SSIM"),
        ("srgan-fashion", "dB · SSIM"),
        ("cyclegan-mnist-rotate", "To turned"),
        ("discogan-mnist", "Back to thin"),
        ("cyclegan-mnist", "Cycle error"),
        ("pix2pix-mnist-l1", "pix2pix (dropout off)"),
    ):
        before = image_srcs(page)[1]
        main(page).locator('[data-testid="stSelectbox"]').filter(has_text="Model").first.click()  # its help icon hides the label
        page.keyboard.type(model)  # the list is long and drawn lazily: filter it as a user would
        page.get_by_role("option", name=model).first.click()
        assert wait_until(lambda b=before: len(image_srcs(page)) >= 3 and image_srcs(page)[1] != b, 60), model
        assert wait_until(lambda s=says: main(page).get_by_text(s).count() >= 1, 120), model
        settled(page)
        assert page.locator('[data-testid="stException"]').count() == 0, model
        if model == "cyclegan-mnist":  # the other way round: thick -> thin -> thick
            main(page).get_by_text("B → A → B", exact=False).first.click()
            assert wait_until(lambda: main(page).get_by_text("To thin", exact=True).count() >= 1, 120)
        if model == "pix2pix-shoes":
            shoe = main(page).get_by_text("Sandal").or_(main(page).get_by_text("Sneaker")).or_(main(page).get_by_text("Ankle boot"))
            assert shoe.count() >= 1
        page.screenshot(path=str(ARTIFACTS / f"img2img-{model}-1400.png"))
    # the same visit (the L1-alone pix2pix now): a picture from a file, then a file that is not one
    main(page).get_by_test_id("stRadioGroup").first.get_by_text("Upload a picture", exact=True).click()
    assert wait_until(lambda: main(page).get_by_text("Upload a photo").count() == 1, 120)
    im = Image.new("L", (200, 200), 255)
    ImageDraw.Draw(im).ellipse((50, 30, 150, 170), outline=0, width=22)  # a 0 in dark ink on white paper
    path = tmp_path / "zero.png"
    im.save(path)
    main(page).locator('input[type="file"]').set_input_files(str(path))
    assert wait_until(lambda: len(image_srcs(page)) >= 3 and main(page).get_by_text("Upload a photo").count() == 0, 60)
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"these are my notes, not a picture")
    main(page).locator('input[type="file"]').set_input_files(str(bad))
    assert wait_until(lambda: main(page).get_by_text("not a picture I can read").count() == 1, 60)
    assert page.locator('[data-testid="stException"]').count() == 0  # a sentence, not a traceback
