"""Take the README's screenshots of the Learn pages and the conditioning pages in headless
chromium (1400 px wide; `--width 1024` for a narrow check into /tmp).

Run: .venv/bin/python scripts/screenshots.py   → docs/blocks.png, docs/theory.png, ...
     .venv/bin/python scripts/screenshots.py --live   → docs/home.png, docs/training-lab.png, docs/toy-lab.png
     .venv/bin/python scripts/screenshots.py --classroom   → docs/classroom.png (four students' runs)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import browser, open_page, settled, streamlit_server  # noqa: E402

SHOTS = {  # file: (page title, tab to open or heading to scroll to, viewport height)
    "blocks.png": ("Building blocks", "Transposed convolution", 1500),
    "theory.png": ("GAN theory", "Why training circles", 1250),
    "conditional-compare.png": ("Conditional GAN", "CGAN or ACGAN? The same z, the same class", 2600),
    "text2digit.png": ("Text to digit", None, 1150),
    "infogan.png": ("InfoGAN codes", None, 1500),
    "img2img.png": ("Image to image", None, 1250),
    "superres.png": ("Image to image", None, 1000),
    "cyclegan.png": ("Image to image", "Model", 1500),
}
WAIT_FOR = {"infogan.png": "Drag to scrub c2"}  # text that appears once the page's slow first run is done


def _pick_model(name: str, wait_for: str):
    """An action for a shot: choose ``name`` in the page's Model box, wait for ``wait_for``."""

    def act(page) -> None:
        page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(has_text="Model").first.click()
        page.keyboard.type(name)  # the list is drawn lazily: filter it
        page.get_by_role("option", name=name).first.click()
        page.get_by_text(wait_for).first.wait_for()

    return act


ACTIONS = {"superres.png": _pick_model("srgan-mnist", "dB · SSIM"), "cyclegan.png": _pick_model("cyclegan-mnist", "Cycle error")}


def main(width: int = 1400) -> None:
    out = ROOT / "docs" if width == 1400 else Path("/tmp")
    with streamlit_server() as url, browser() as b:
        for name, (title, where, height) in SHOTS.items():
            page = b.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(60_000)
            open_page(page, url, title)
            if where and page.get_by_role("tab", name=where).count():
                page.get_by_role("tab", name=where).click()
            if name in WAIT_FOR:
                page.get_by_text(WAIT_FOR[name]).first.wait_for()
            if name in ACTIONS:
                ACTIONS[name](page)
            settled(page)
            time.sleep(2)  # Plotly draws after the element arrives
            clip = None
            if where and not page.get_by_role("tab", name=where).count():  # a heading: from it down, 1,000 px
                y = page.get_by_text(where).first.bounding_box()["y"]
                clip = {"x": 0, "y": max(0, y - 30), "width": width, "height": min(1000, height - y + 30)}
            page.screenshot(path=str(out / name), clip=clip)
            page.close()
            print(f"{out / name}: {title} / {where}")


def live(width: int = 1400) -> None:
    """The home page's course path, and the two pages that need a run: the Training Lab after a
    minute of the default preset, the 2D lab after 20 s of d2l's Gaussian."""
    out = ROOT / "docs" if width == 1400 else Path("/tmp")
    with streamlit_server({"GAN_EXPLORER_MAX_STEPS": "3000"}) as url, browser() as b:
        page = b.new_context(viewport={"width": width, "height": 1350}).new_page()
        page.set_default_timeout(120_000)
        page.goto(url)
        page.get_by_text("The course path").wait_for()
        settled(page)
        time.sleep(2)
        page.screenshot(path=str(out / "home.png"))
        open_page(page, url, "Training Lab")
        page.get_by_role("button", name="Start training").click()
        page.get_by_text("Fixed-seed samples at step").wait_for()
        time.sleep(60)
        page.get_by_role("button", name="⏸", exact=True).click()  # a still chart: a live one is redrawn every poll
        time.sleep(4)
        page.screenshot(path=str(out / "training-lab.png"))
        toy = b.new_context(viewport={"width": width, "height": 1500}).new_page()
        toy.set_default_timeout(120_000)
        open_page(toy, url, "2D toy GAN lab")
        toy.get_by_role("button", name="▶ Start").click()
        toy.get_by_text("Take it home").wait_for()
        time.sleep(20)
        toy.get_by_role("button", name="⏸", exact=True).click()
        time.sleep(4)
        y = toy.locator('[data-testid="stMetric"]').first.bounding_box()["y"]
        toy.screenshot(path=str(out / "toy-lab.png"), clip={"x": 0, "y": max(0, y - 200), "width": width, "height": 1100})
        print(f"{out}: home.png, training-lab.png, toy-lab.png")


def classroom(width: int = 1400) -> None:
    """docs/classroom.png: four students' runs (three finished at 600 steps, one training), two
    named, the teacher's view with one pinned."""
    out = ROOT / "docs" if width == 1400 else Path("/tmp")
    env = {"GAN_EXPLORER_MAX_STEPS": "600", "GAN_EXPLORER_TEACHER_KEY": "screenshot-key"}
    with streamlit_server(env) as url, browser() as b:
        for i, name in enumerate(("Ada", "", "Min-jun", "")):
            page = b.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(120_000)
            if name:
                open_page(page, url, "Class view")
                page.get_by_label("Your name on the class view").fill(name)
                page.get_by_label("Your name on the class view").press("Enter")
                time.sleep(1)
            open_page(page, url, "Training Lab")
            page.get_by_role("button", name="Start training").click()
            if i < 3:
                page.locator('[data-testid="stMetric"]', has_text="finished").wait_for(timeout=120_000)
        teacher = b.new_context(viewport={"width": width, "height": 1500}).new_page()
        teacher.set_default_timeout(60_000)
        teacher.goto(url + "/?teacher=screenshot-key")
        teacher.get_by_role("button", name="📌 Pin").first.wait_for()
        settled(teacher)
        teacher.get_by_role("button", name="📌 Pin").first.click()
        teacher.get_by_text("Pinned for the class").wait_for()
        time.sleep(3)
        teacher.screenshot(path=str(out / "classroom.png"))
        print(f"{out / 'classroom.png'}: Class view")


if __name__ == "__main__":
    if "--live" in sys.argv:
        live(int(sys.argv[sys.argv.index("--width") + 1]) if "--width" in sys.argv else 1400)
        sys.exit()
    if "--classroom" in sys.argv:
        classroom(int(sys.argv[sys.argv.index("--width") + 1]) if "--width" in sys.argv else 1400)
        sys.exit()
    main(int(sys.argv[sys.argv.index("--width") + 1]) if "--width" in sys.argv else 1400)
