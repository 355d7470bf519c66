"""Start GAN Explorer's server: ``streamlit run app.py [streamlit options]``, with one decision
made before the first request.

Streamlit decides whether an app uses the old ``pages/`` folder convention once per process, at
its first session, from whether a ``pages/`` folder sits beside the main script; ``st.navigation``
turns that off, but only once app.py has run. So the first request of a fresh server to a page's
own path (``/toy2d``, ``/train``: a link a teacher pastes) ran ``pages/toy2d.py`` on its own,
without app.py: no sidebar, no page config (the tab titled "toy2d", the layout narrow). ``/text``
escaped it only because its file is ``pages/text2digit.py``. This app declares its pages with
``st.navigation`` alone, so it says so before the server starts; the folder keeps its name.

It serves ``scripts/gan_asgi.py``: app.py, plus the route the 2D lab's canvas fetches its live
pictures from (Streamlit's ``st.App(routes=...)``; ``streamlit run app.py`` alone still works, its
picture then polled through the page).

It also imports what the pages import (torch, gancore, plotting) before the server answers its
health check, so the first visitor after a start is served like the second: measured by
``bench/first_visit.py``. ``GAN_EXPLORER_WARM=0`` skips it.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import logging
import os
import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"
ASGI = Path(__file__).resolve().parent / "gan_asgi.py"  # app.py served with the routes its components poll


def warm() -> list[str]:
    """Import every module app.py and the pages import at their top (what a first visit would
    wait for); the names imported."""
    sys.path.insert(0, str(APP.parent))  # where `streamlit run` will look for gancore and ui too
    names = set()
    for script in [APP, *sorted((APP.parent / "pages").glob("*.py"))]:
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    # Libraries that Streamlit and Plotly import only when a page first draws a chart or a table. A
    # thread that checks sys.modules for pandas while another is still importing it finds a half-made
    # module ("partially initialized module 'pandas' has no attribute 'Series'"): two watchers of a
    # class of 30 got that error. Imported now, before any page runs.
    names.update(("pandas", "pyarrow", "altair"))
    done = []
    # a cache decorator met before the server runs checks its options against a memory store and
    # says so; the cache itself is taken from the server at each call
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    for name in sorted(names):
        with contextlib.suppress(Exception):  # a page's own error is the page's to show, at its visit
            importlib.import_module(name)
            done.append(name)
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.NOTSET)
    return done


def main(args: list[str]) -> int:
    PagesManager.uses_pages_directory = False  # pages come from app.py's st.navigation, never the folder
    if os.environ.get("GAN_EXPLORER_WARM", "1") != "0":
        warm()
    sys.argv = ["streamlit", "run", str(ASGI), *args]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
