"""Take the README's screenshots of the Learn pages in headless chromium (1400 px wide).

Run: .venv/bin/python scripts/screenshots.py   → docs/blocks.png, docs/theory.png
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import browser, open_page, settled, streamlit_server  # noqa: E402

SHOTS = {  # file: (page title, tab, viewport height)
    "blocks.png": ("Building blocks", "Transposed convolution", 1500),
    "theory.png": ("GAN theory", "Why training circles", 1250),
}


def main() -> None:
    with streamlit_server() as url, browser() as b:
        for name, (title, tab, height) in SHOTS.items():
            page = b.new_page(viewport={"width": 1400, "height": height})
            page.set_default_timeout(60_000)
            open_page(page, url, title)
            page.get_by_role("tab", name=tab).click()
            settled(page)
            time.sleep(2)  # Plotly draws after the element arrives
            page.screenshot(path=str(ROOT / "docs" / name))
            page.close()
            print(f"docs/{name}: {title} / {tab}")


if __name__ == "__main__":
    main()
