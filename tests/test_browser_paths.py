"""A link to a page's own path, pasted by a teacher, opens that page with the app around it — even
as the very first request a fresh server gets (scripts/serve.py says why that once failed)."""

import os

import pytest

from tests.browser import CHROMIUM, browser, settled, streamlit_server, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]


@pytest.mark.parametrize(("path", "heading"), [("/toy2d", "2D toy GAN lab"), ("/infogan", "InfoGAN codes")])
def test_a_fresh_servers_first_request_to_a_page_path_keeps_the_sidebar_and_page_config(path, heading):
    with streamlit_server() as url, browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(120_000)
        page.goto(url + path)
        page.locator("h1", has_text=heading).first.wait_for()
        settled(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert wait_until(lambda: sidebar.get_by_role("link", name="Training Lab").count() == 1, 60), "no sidebar"
        assert sidebar.get_by_role("link", name="Welcome").count() == 1
        assert page.title() != path.strip("/")  # the app's page config, not the bare file's name
        width = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()["width"]
        assert width > 900, f"the main block is {width:.0f} px wide: the layout is not the app's wide one"
        assert page.locator('[data-testid="stException"]').count() == 0
