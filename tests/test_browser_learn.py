"""Real browser: on each Learn page a slider moved from the keyboard redraws its figure and its
numbers; every tab opens without an exception box, at 1400 and 1024 px wide (screenshots saved)."""

import os

import pytest

from tests.browser import ARTIFACTS, CHROMIUM, browser, open_page, press_slider, settled, streamlit_server, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]

TABS = {
    "Building blocks": ["Initialisation", "Activations", "Transposed convolution", "Dropout & BatchNorm"],
    "GAN theory": ["D* and JSD", "G's two losses", "Why training circles", "JS's blind spot", "Mode collapse"],
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with streamlit_server({"GAN_EXPLORER_SAVED": str(tmp_path_factory.mktemp("saved"))}) as url, browser() as b:
        yield url, b


def panel(page):
    """The open tab's content (Streamlit 1.67 renders only the open tab's panel)."""
    return page.locator('[data-testid="stTabPanel"]:visible').first


def metric(page, label: str) -> str:
    box = panel(page).locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def plot_paths(page, index: int) -> str:
    """The drawn SVG of the visible tab's ``index``-th Plotly chart: changes when the figure does."""
    plot = panel(page).locator(".js-plotly-plot").nth(index)
    return plot.locator("svg.main-svg").first.inner_html()


def nudge(page, label: str, key: str = "ArrowRight", times: int = 1) -> None:
    """Move the visible tab's slider named ``label`` from the keyboard, as a user can."""
    thumb = panel(page).locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider")
    press_slider(page, thumb, key, times)


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    assert wait_until(lambda: panel(page).locator(".js-plotly-plot").count() >= 1, 120), f"no figure on {name}"


CUT_LABELS = """() => [...document.querySelectorAll(
    '[data-testid="stMetricLabel"] *, [data-testid="stWidgetLabel"] *, [data-testid="stMetricValue"] *')]
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"""


def no_exception(page) -> bool:
    return page.locator('[data-testid="stException"]').count() == 0


def learn_page(app, title: str, width: int = 1400, height: int = 1400):
    url, b = app
    page = b.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(60_000)
    open_page(page, url, title)
    return page


def test_blocks_kernel_slider_redraws_the_coverage(app):
    page = learn_page(app, "Building blocks")
    open_tab(page, "Transposed convolution")
    assert metric(page, "Uneven overlap in 2D") == "4×"
    before = plot_paths(page, 1)
    nudge(page, "Kernel size")  # 3 → 4: the stamps overlap evenly
    assert wait_until(lambda: metric(page, "Uneven overlap in 2D") == "1×", 120), metric(page, "Uneven overlap in 2D")
    assert wait_until(lambda: plot_paths(page, 1) != before, 120), "the coverage figure did not change"
    open_tab(page, "Initialisation")
    before = plot_paths(page, 0)
    panel(page).get_by_text("He: std √(2/n)").click()
    assert wait_until(lambda: plot_paths(page, 0) != before, 120), "the histograms did not change"
    assert no_exception(page)
    page.close()


def test_theory_sliders_reach_the_equilibrium_and_change_the_dirac_path(app):
    page = learn_page(app, "GAN theory")
    open_tab(page, "D* and JSD")
    before = plot_paths(page, 0)
    nudge(page, "Slide p_g onto p_data", "End")
    assert wait_until(lambda: metric(page, "JSD(p_data ‖ p_g)") == "0.0000", 120), metric(page, "JSD(p_data ‖ p_g)")
    assert metric(page, "V(D*, G)") == "-1.3863"
    assert wait_until(lambda: plot_paths(page, 0) != before, 120), "the D* figure did not change"
    open_tab(page, "Why training circles")
    assert metric(page, "… after 500 steps") == "3.1"
    before = plot_paths(page, 0)
    nudge(page, "Steps", "ArrowLeft", times=2)  # 500 → 400 steps: a shorter spiral
    assert wait_until(lambda: panel(page).get_by_text("… after 400 steps").count() == 1, 120)
    assert wait_until(lambda: plot_paths(page, 0) != before, 120), "the phase portrait did not change"
    assert no_exception(page)
    page.close()


@pytest.mark.parametrize("width", [1400, 1024])
def test_every_learn_tab_opens_cleanly(app, width):
    url, b = app
    page = b.new_page(viewport={"width": width, "height": 2200})
    page.set_default_timeout(60_000)
    for title, tabs in TABS.items():
        open_page(page, url, title)
        for i, tab in enumerate(tabs):
            open_tab(page, tab)
            settled(page)
            assert no_exception(page), f"{title} / {tab}"
            assert page.evaluate(CUT_LABELS) == [], f"cut text on {title} / {tab} at {width} px"
            page.screenshot(path=str(ARTIFACTS / f"learn-{title.split()[-1].lower()}-{i}-{width}.png"))
    page.close()
