"""GAN Explorer's server as an ASGI app: Streamlit's ``app.py`` plus the one route its pages'
components fetch from (``st.App(routes=...)``, Streamlit's own way to serve more than the app).

Before it answers anything, its lifespan computes what every first visit would (``ui/warmup.py``).

* ``/_gan/toy/{run_id}/{key}``: the 2D lab's live picture, polled by the student's canvas while
  the run trains (``ui/toy/plane_route.py``), instead of a script run of the page per picture.

``scripts/serve.py`` starts it (``streamlit run scripts/gan_asgi.py``, which finds ``app``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from pathlib import Path

import streamlit as st
from starlette.routing import Route

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the pages import gancore and ui from the project's root

from ui.toy import plane_route  # noqa: E402


@contextlib.asynccontextmanager
async def first_visits_warmed(_app):
    """Between the runtime's start and the first request (the health check included): fill the
    caches of the pages' opening states (``ui/warmup.py``), unless ``GAN_EXPLORER_WARM=0``."""
    if os.environ.get("GAN_EXPLORER_WARM", "1") != "0":
        # Imported here, once the runtime has started: a module of cached functions imported with
        # this file (before the runtime) logged "No runtime found" once per function, in the terminal
        # of everyone who starts the app (Streamlit's own advice for st.App lifespans).
        from ui import warmup

        took = await asyncio.to_thread(warmup.first_visits)
        logging.getLogger("gan_explorer").info("warmed: %s", ", ".join(f"{k} {v:.1f} s" for k, v in took.items()))
    yield


plane_route.ROUTE.mounted = True  # the toy lab's canvas polls the route instead of the page
app = st.App(str(ROOT / "app.py"), routes=[Route(plane_route.PATH, plane_route.endpoint)], lifespan=first_visits_warmed)
