"""The live plane's own route: while a toy run trains, the student's canvas
(``ui/toy/live_canvas.py``) asks it for the run's newest picture about four times a second.

Polled through Streamlit, each picture was a script run of the page's fragment (a thread, the
session's state, a message per element): about 13 ms of the server's one Python core, so thirty
students' pictures at 4 Hz needed more than the core has. Here a picture is one small HTTP
answer, computed once per snapshot version (``ui/toy/live_view.py``), and "nothing new" is an
empty 204. ``scripts/asgi.py`` mounts the route beside Streamlit (``st.App(routes=...)``); an
app started without it (``streamlit run app.py``) polls the fragment as before.

Only the page that shows a run can read its pictures: the URL carries a key, an HMAC of the
run's id under a secret drawn when the server starts, which the page hands its canvas. Nothing
in a request is trusted: the key is compared in constant time, the layers and the language must
be ones the lab offers, and ``since`` must be a number.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from gancore.base.i18n import LANGUAGES
from ui.common import state
from ui.toy import figures, live_canvas, live_view

PREFIX = "/_gan/toy/"
PATH = PREFIX + "{run_id}/{key}"
EVERY_MS = 200  # the canvas asks again this long after an answer: about 4 new pictures a second


@dataclass
class Route:
    """The route's state in this server: its secret, and whether ``scripts/asgi.py`` mounted it."""

    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    mounted: bool = False

    def key(self, run_id: str) -> str:
        return hmac.new(self.secret, run_id.encode(), hashlib.sha256).hexdigest()[:32]

    def url(self, run_id: str, layers: tuple[str, ...], lang: str) -> str:
        """Where the canvas of ``run_id`` asks for pictures with these layers in ``lang``."""
        return f"{PREFIX}{run_id}/{self.key(run_id)}?layers={','.join(sorted(layers))}&lang={lang}"

    def answer(self, registry, run_id: str, key: str, query: dict[str, str]) -> tuple[int, bytes]:
        """(HTTP status, JSON body) for one poll: 200 and a picture, 204 when nothing is new, 200
        and ``{"training": false}`` once the run stops (the page takes over), 404 for a wrong key
        or a run that is gone, 400 for a malformed query."""
        if not hmac.compare_digest(key.encode(), self.key(run_id).encode()):
            return 404, b'{"error": "no such picture"}'
        layers = tuple(x for x in query.get("layers", "").split(",") if x)
        lang, since = query.get("lang", ""), query.get("since", "-1")
        if lang not in LANGUAGES or not set(layers) <= set(figures.LAYERS) or not since.lstrip("-").isdigit():
            return 400, b'{"error": "bad query"}'
        run = registry.get(run_id)
        if run is None:
            return 404, b'{"error": "no such run"}'
        snap = run.snapshot
        if not snap.training:
            return 200, b'{"training": false}'
        if snap.version == int(since) or snap.g_state is None or snap.d_state is None:  # nothing new, or still loading
            return 204, b""
        pl = live_view.plane_plan(run_id, snap, layers, lang)
        words = live_view.step_label(snap.step, lang)
        return 200, json.dumps(live_canvas.payload(pl, snap.version, snap.step, words)).encode()


ROUTE = Route()


async def endpoint(request: Request) -> Response:
    """The Starlette handler (its work in a thread: the event loop serves every session)."""
    status, body = await run_in_threadpool(
        ROUTE.answer, state.registry(), request.path_params["run_id"], request.path_params["key"], dict(request.query_params)
    )
    return Response(body, status_code=status, media_type="application/json", headers={"Cache-Control": "no-store"})
