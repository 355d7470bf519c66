"""Real browser: a student's run survives the server being killed (SIGKILL) and started again —
the same browser finds it under My runs, paused at the step last kept."""

import os
import re

import pytest

from gancore.io import checkpoints
from tests.browser import ARTIFACTS, CHROMIUM, browser, open_page, start_server, stop_server, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed")]


def kept_step(folder) -> int:
    files = list(folder.glob("run-*.safetensors"))
    return checkpoints.read_meta(files[0])["step"] if files else 0


def test_a_killed_server_gives_the_student_their_run_back_paused(tmp_path):
    env = {"GAN_EXPLORER_SAVED": str(tmp_path), "GAN_EXPLORER_KEEP_S": "1"}  # a keep a second, not a minute
    proc, url = start_server(env)
    try:
        with browser() as b:
            page = b.new_page(viewport={"width": 1400, "height": 1200})
            page.set_default_timeout(90_000)
            open_page(page, url, "2D toy GAN lab")
            page.get_by_role("button", name="▶ Start").click()
            assert wait_until(lambda: kept_step(tmp_path / "live") > 0, 120), "the run's state was never kept on disk"
            proc.kill()  # SIGKILL: no shutdown, no last save
            proc.wait(30)
            step = kept_step(tmp_path / "live")
            proc, url = start_server(env)
            open_page(page, url, "2D toy GAN lab")  # the same browser: its cookie names the owner
            mine = page.locator('[data-testid="stSidebar"]').get_by_text(re.compile(r"paused · step [\d,]+"))
            assert wait_until(lambda: mine.count() > 0, 120), "My runs does not list the run after the restart"
            assert f"paused · step {step:,}" in mine.first.inner_text()
            page.screenshot(path=str(ARTIFACTS / "restart-run-back.png"), full_page=True)
    finally:
        stop_server(proc)
