"""What a class's first visits compute, computed once as the server starts.

Every visitor of a fresh server used to wait for work that is the same for all of them: the home
page's samples of six shipped checkpoints (1.4 s of CPU here), the classifier's reading of the
InfoGAN categories (2 s), the shipped checkpoints read and checked, the Training Lab's cost line.
The first visitor paid it (the home page in 1.7-2.1 s), and a class that opened the InfoGAN page
at once waited behind its first reader (the slowest of 30 opens, 3.0 s). ``scripts/gan_asgi.py``
runs :func:`first_visits` before the server answers its health check; its results are in the
caches every page reads, so a first visit is served like a second one.
"""

from __future__ import annotations

import logging
import time

from ui.common import course, display, state
from ui.explore import infogan_views
from ui.train import cost_view


def first_visits() -> dict[str, float]:
    """Fill the caches of the pages' opening states; the seconds each part took. A part that fails
    (a checkpoint missing or unreadable) is skipped and logged."""
    parts = {
        "home page samples": lambda: [display.home_thumbnail(name) for name in course.SHOWCASE.values()],
        "shipped checkpoints": lambda: state.warm_shipped().join(),
        "InfoGAN opening state": infogan_views.warm,
        "Training Lab cost line": lambda: cost_view.warm_default_cost().join(),
    }
    took = {}
    for name, part in parts.items():
        t0 = time.perf_counter()
        try:
            part()
        except Exception as exc:  # the page that needs it says what is wrong when it is opened
            logging.getLogger(__name__).warning("warm-up of the %s skipped: %s", name, exc)
        took[name] = time.perf_counter() - t0
    return took
