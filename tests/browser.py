"""Helpers for real-browser tests: a streamlit server and Debian's chromium under Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.helpers import poll

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env_extra: dict | None = None, extra_args: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    """The app on a free loopback port, in training-process mode; returns once it answers."""
    port = free_port()
    env = {**os.environ, "GAN_EXPLORER_OFFLINE": "1", "GAN_EXPLORER_RUNS": "process", "GAN_EXPLORER_TOY_HOSTS": "1", **(env_extra or {})}
    cmd = [sys.executable, "scripts/serve.py", "--server.port", str(port), "--server.headless", "true", "--server.address", "127.0.0.1", *extra_args]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("streamlit did not start")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def streamlit_server(env_extra: dict | None = None):
    proc, url = start_server(env_extra)
    try:
        yield url
    finally:
        stop_server(proc)


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def wait_until(pred, timeout: float = 60.0, every: float = 0.25) -> bool:
    """Poll ``pred`` until it is true (exceptions count as false) or ``timeout`` seconds pass."""
    return bool(poll(pred, timeout, every))


def open_page(page, url: str, title: str, lang: str | None = None) -> None:
    """Enter at the root and follow the sidebar link, as a user does (a page's own path works as
    well: tests/test_browser_paths.py); ``lang`` enters by a ``?lang=`` link (``title`` is then
    that language's)."""
    page.goto(f"{url}/?lang={lang}" if lang else url)
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=title).click()
    # the new page's title is drawn first; the old page's elements linger, marked stale, until
    # its run ends: wait for both, or a test may read the home page's pictures
    page.locator("h1", has_text=title).first.wait_for()
    settled(page)


def settled(page, timeout: float = 30.0) -> bool:
    """Wait until no element of a previous run is left on the page (Streamlit marks them stale)."""
    return wait_until(lambda: page.locator('[data-testid="stElementContainer"][data-stale="true"]').count() == 0, timeout, every=0.1)


def press_slider(page, thumb, key: str = "ArrowRight", times: int = 1) -> None:
    """Move a Streamlit slider (a range input) from the keyboard, as a user can. A key pressed
    while the page is still re-running can be lost as the widget is redrawn (a busy CI lost one):
    like a user who sees the thumb did not move, press again, up to three times."""
    settled(page)
    before = thumb.input_value()
    for _ in range(3):
        settled(page)
        thumb.focus()
        for _ in range(times):
            thumb.press(key)
        if wait_until(lambda: thumb.input_value() != before, 20):
            return
    raise AssertionError(f"the slider did not move from {before} on {key}")
