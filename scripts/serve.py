"""Start GAN Explorer's server: ``streamlit run app.py [streamlit options]``, with one decision
made before the first request.

Streamlit decides whether an app uses the old ``pages/`` folder convention once per process, at
its first session, from whether a ``pages/`` folder sits beside the main script; ``st.navigation``
turns that off, but only once app.py has run. So the first request of a fresh server to a page's
own path (``/toy2d``, ``/train``: a link a teacher pastes) ran ``pages/toy2d.py`` on its own,
without app.py: no sidebar, no page config (the tab titled "toy2d", the layout narrow). ``/text``
escaped it only because its file is ``pages/text2digit.py``. This app declares its pages with
``st.navigation`` alone, so it says so before the server starts; the folder keeps its name.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(args: list[str]) -> int:
    PagesManager.uses_pages_directory = False  # pages come from app.py's st.navigation, never the folder
    sys.argv = ["streamlit", "run", str(APP), *args]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
