"""Real browser: the teacher sets one training slot from the class view; a second student's Start
puts her run in line with her place shown, and it starts by itself when the first run stops."""

import os
import re

import pytest

from tests.browser import ARTIFACTS, CHROMIUM, browser, open_page, settled, streamlit_server, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]

KEY = "apple-pie-42"


def student(b, url):
    page = b.new_context(viewport={"width": 1400, "height": 1000}).new_page()  # its own cookies: its own owner
    page.set_default_timeout(90_000)
    open_page(page, url, "Training Lab")
    return page


def status(page) -> str:
    return page.locator('[data-testid="stMetric"]').first.inner_text()


def test_a_run_waits_in_line_with_its_place_and_starts_when_the_slot_frees(tmp_path):
    with streamlit_server({"GAN_EXPLORER_SAVED": str(tmp_path), "GAN_EXPLORER_TEACHER_KEY": KEY}) as url, browser() as b:
        teacher = b.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        teacher.set_default_timeout(90_000)
        teacher.goto(f"{url}/?teacher={KEY}")
        teacher.get_by_text("Class limits").click()
        slots = teacher.get_by_label(re.compile("Training slots"))
        slots.fill("1")
        slots.press("Enter")
        assert wait_until(lambda: "1 slot(s)" in teacher.content(), 60), "the class limit was not set"

        first = student(b, url)
        first.get_by_role("button", name="Start training").click()
        assert wait_until(lambda: "running" in status(first), 120), "the first run did not start"

        second = student(b, url)
        second.get_by_role("button", name="Start training").click()
        assert wait_until(lambda: "1st in line" in second.content(), 60), "the second run was not put in line"
        assert second.get_by_role("button", name="Leave the line").count() == 1
        second.screenshot(path=str(ARTIFACTS / "train-in-line.png"), full_page=True)

        settled(first)
        first.get_by_role("button", name="⏹", exact=True).click()
        assert wait_until(lambda: "stopped" in status(first), 90), "the first run did not stop"
        # the slot is free: the waiting run starts by itself and the waiting page becomes its lab
        assert wait_until(lambda: second.locator('[data-testid="stMetric"]').count() > 0 and "in line" not in second.content(), 120)
        assert wait_until(lambda: any(w in status(second) for w in ("loading", "running")), 60), status(second)
