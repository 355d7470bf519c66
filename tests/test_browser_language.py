"""The language switch in a real browser: 한국어 turns the page Korean in place, the choice stays
through the sidebar's links, a reload and a second tab (the cookie), English turns it back, and a
teacher's ``?lang=ko`` link opens in Korean for a browser that never chose. Every page in Korean at
1400 and 1024 px (Hangul in 90% of its text, nothing cut, screenshots): tests/test_browser_fit.py."""

import os

import pytest

from gancore.base.i18n import in_language
from tests.browser import ARTIFACTS, CHROMIUM, browser, settled, streamlit_server, wait_until
from tests.browser_text import hangul_share

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]


def switch_to(page, name: str) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_text(name, exact=True).click()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    env = {"GAN_EXPLORER_SAVED": str(tmp_path_factory.mktemp("saved")), "GAN_EXPLORER_WARM": "0"}
    with streamlit_server(env) as url, browser() as b:
        yield url, b


def test_the_switch_turns_the_page_korean_in_place_and_the_choice_stays(app):
    url, b = app
    context = b.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(url)
    page.locator("h1", has_text="GAN Explorer").first.wait_for()
    settled(page)
    assert hangul_share(page)[0] == 0, hangul_share(page)[1]
    switch_to(page, "한국어")  # in place: the same page, now in Korean
    assert wait_until(lambda: hangul_share(page)[0] >= 0.9, 60), hangul_share(page)[1]
    assert "lang=ko" in page.url
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=in_language("ko", "Training Lab")).click()
    page.locator("h1", has_text="학습 실험실").first.wait_for()  # the sidebar's links keep it
    page.reload()  # a reload, and then a second tab of the same browser: the cookie keeps it
    page.locator("h1", has_text="학습 실험실").first.wait_for()
    second = context.new_page()
    second.goto(url)
    second.locator("h1", has_text="GAN Explorer").first.wait_for()
    settled(second)
    assert wait_until(lambda: hangul_share(second)[0] >= 0.9, 30), hangul_share(second)[1]
    second.close()
    switch_to(page, "English")
    page.locator("h1", has_text="Training Lab").first.wait_for()
    settled(page)
    assert hangul_share(page)[0] == 0, hangul_share(page)[1]
    context.close()


def test_a_teachers_korean_link_opens_in_korean_for_a_browser_that_never_chose(app):
    url, b = app
    context = b.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{url}/?lang=ko")
    page.locator("h1", has_text="GAN Explorer").first.wait_for()
    settled(page)
    assert wait_until(lambda: hangul_share(page)[0] >= 0.9, 30), hangul_share(page)[1]
    page.screenshot(path=str(ARTIFACTS / "lang-ko-home-1024.png"))
    context.close()
