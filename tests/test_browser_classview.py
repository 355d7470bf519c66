"""Real browser: three students start runs from their own browsers, one names herself; the
teacher opens the class view with the teacher's link, sees all three and pins one; the students
see the pin but get no buttons."""

import base64
import os
import re

import pytest

from tests.browser import ARTIFACTS, CHROMIUM, browser, open_page, settled, streamlit_server, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]

TILES = '[class*="st-key-tilecard"]'


def sparklines(page) -> list[str]:
    srcs = page.locator(f"{TILES} img").evaluate_all("imgs => imgs.map(i => i.getAttribute('src'))")
    return [s for s in srcs if s.startswith("data:image/svg+xml")]


def student_starts_a_run(b, url):
    page = b.new_context(viewport={"width": 1400, "height": 1000}).new_page()  # its own cookies: its own owner
    page.set_default_timeout(90_000)
    open_page(page, url, "Training Lab")
    page.get_by_role("button", name="Start training").click()
    page.locator('[data-testid="stMetric"]').first.wait_for()  # started (the three train together)
    return page


def finished(page) -> None:
    assert wait_until(lambda: "finished" in page.locator('[data-testid="stMetric"]').first.inner_text(), 120), "the run did not finish"


def test_three_students_one_teacher_one_pin(tmp_path):
    env = {"GAN_EXPLORER_SAVED": str(tmp_path), "GAN_EXPLORER_MAX_STEPS": "60", "GAN_EXPLORER_TEACHER_KEY": "apple-pie-42"}
    with streamlit_server(env) as url, browser() as b:
        students = [student_starts_a_run(b, url) for _ in range(3)]
        for student in students:
            finished(student)
        ada = students[0]
        open_page(ada, url, "Class view")
        ada.get_by_label("Your name on the class view").fill("Ada")
        ada.get_by_label("Your name on the class view").press("Enter")
        assert wait_until(lambda: "Ada (yours)" in ada.locator(TILES).first.inner_text(), 120)
        assert ada.get_by_role("button", name=re.compile("Pin")).count() == 0

        teacher = b.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        teacher.set_default_timeout(90_000)
        teacher.goto(url + "/?teacher=apple-pie-42")
        assert wait_until(lambda: teacher.locator(TILES).count() == 3, 60), teacher.locator("body").inner_text()[:1500]
        assert "teacher=" not in teacher.url  # the key leaves the address bar (the projector shows it)
        assert "You are the teacher" in teacher.locator("body").inner_text()

        def named(tiles: list[str]) -> bool:
            return any("Ada" in t for t in tiles) and all("step 60 / 60" in t for t in tiles)

        # a card's text is one markdown element with inline pictures: the browser may draw it a moment after the card
        assert wait_until(lambda: named(teacher.locator(TILES).all_inner_texts()), 60), teacher.locator(TILES).all_inner_texts()
        assert wait_until(lambda: len(sparklines(teacher)) == 3, 120)
        sparks = [base64.b64decode(src.split(",", 1)[1]).decode() for src in sparklines(teacher)]
        assert len(sparks) == 3 and all(s.count("<polyline") == 2 for s in sparks)  # D and G in every sparkline
        settled(teacher)
        teacher.get_by_role("button", name="📌 Pin").first.click()
        assert wait_until(lambda: teacher.get_by_text("Pinned for the class").count() == 1, 120)
        teacher.screenshot(path=str(ARTIFACTS / "classview-teacher-1400.png"), full_page=True)
        teacher.set_viewport_size({"width": 1024, "height": 900})
        teacher.screenshot(path=str(ARTIFACTS / "classview-teacher-1024.png"), full_page=True)

        bob = students[1]
        open_page(bob, url, "Class view")
        assert wait_until(lambda: bob.get_by_text("Pinned for the class").count() == 1, 120)
        assert bob.get_by_role("button", name=re.compile("Pin")).count() == 0
        sidebar = bob.locator('[data-testid="stSidebar"]')
        assert wait_until(lambda: sidebar.get_by_role("link", name=re.compile("The class watches")).count() == 1, 120)
        sidebar.get_by_role("link", name=re.compile("The class watches")).click()  # opens the pinned run read-only
        assert wait_until(lambda: "read-only" in bob.content() or "(yours)" in bob.content() or "⏸" in bob.content(), 120)
