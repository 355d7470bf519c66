"""The 2D lab's live picture in the browser: the plan both painters draw, what travels to the
canvas, the caches that compute each snapshot once, and the route the canvas polls."""

import base64
import json
import threading
from dataclasses import replace

import numpy as np
import pytest
import torch

from gancore import presets
from gancore.base.config import HackConfig, TrainConfig
from gancore.data import points2d
from gancore.models.catalog import build
from gancore.presets import PRESETS
from gancore.runs.registry import Registry
from gancore.runs.snapshot import Status
from gancore.toy import frames
from tests.helpers import wait_snapshot, wait_status
from ui.toy import figures, live_canvas, live_png, live_view, plan
from ui.toy.plane_route import Route

LAYERS = tuple(figures.LAYERS)


def a_plan(layers=LAYERS) -> plan.Plan:
    p = PRESETS["toy-mixture"]
    g, d = build(p.model)
    data = points2d.load_points(p.train.dataset, seed=0)
    box = frames.bounds(data.points, torch.zeros(1, 2), margin=0.3)
    return plan.plan(frames.frame(p.model, HackConfig(), g, d, data, box), data.points, set(layers), box)


def test_the_payload_carries_the_plan_within_a_quarter_pixel_and_a_255th_of_d():
    pl = a_plan()
    data = json.loads(json.dumps(live_canvas.payload(pl, 7, 70, "the plane")))  # through JSON, as sent
    assert data["version"] == 7 and data["step"] == 70 and len(data["panels"]) == 2
    for sent, p in zip(data["panels"], pl.panels, strict=True):
        cells = np.frombuffer(base64.b64decode(sent["heat"]), dtype=np.uint8).reshape(sent["shape"])
        back = np.where(cells == live_canvas.NAN_CODE, np.nan, cells / (live_canvas.NAN_CODE - 1))
        assert np.array_equal(np.isnan(back), np.isnan(p.heat))  # undefined D* stays undefined (grey)
        assert np.nanmax(np.abs(back - p.heat)) <= 0.5 / 254 + 1e-9
        assert sent["titles"] == list(p.titles) and [t[1] for t in sent["xticks"]] == [t[1] for t in p.xticks]
    for sent, m in zip(data["marks"], pl.marks, strict=True):
        xy = np.frombuffer(base64.b64decode(sent["xy"]), dtype="<i2").reshape(m.xy.shape) / live_canvas.SUBPIXEL
        assert np.abs(xy - m.xy).max() <= 0.125 + 1e-9 and sent["kind"] == m.kind
    assert [x[0] for x in data["legend"]] == ["G(noise lattice)", "real", "generated", "G's push (-dL_G/dx)"]
    assert len(json.dumps(data)) < 30_000  # small: four times a second for each student


def test_the_downloads_paint_the_plan_the_browser_gets():
    pl = a_plan({"D(x)", "Real"})
    png = live_png.paint(pl)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(pl.panels) == 1 and [m.kind for m in pl.marks] == ["dots"]


def test_recent_makes_each_key_once_even_when_asked_at_once_and_forgets_the_oldest():
    cache, made, gate = live_view.Recent(2), [], threading.Event()

    def slow(key):
        def make():
            gate.wait(30)
            made.append(key)
            return key * 10

        return make

    got = []
    threads = [threading.Thread(target=lambda: got.append(cache.get(1, slow(1)))) for _ in range(5)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert got == [10] * 5 and made == [1]  # five readers of one snapshot, one computation
    cache.get(2, slow(2))
    cache.get(1, slow(1))  # 1 is now the newest
    cache.get(3, slow(3))  # 2 goes
    assert list(cache.values) == [1, 3] and made == [1, 2, 3]


@pytest.fixture(scope="module")
def reg():
    r = Registry(backend="thread")
    yield r
    r.shutdown()


def test_the_route_answers_its_own_run_with_pictures_and_nothing_else(reg):
    p = presets.get("d2l-toy")
    run = reg.create("me", p.model, TrainConfig(**{**p.train.__dict__, "epochs": 10_000}))
    route = Route()
    key, query = route.key(run.run_id), {"layers": ",".join(LAYERS), "lang": "en", "since": "-1"}
    try:
        wait_snapshot(run, lambda s: s.g_state is not None and s.d_state is not None and s.status == "running")
        status, body = route.answer(reg, run.run_id, key, query)
        picture = json.loads(body)
        assert status == 200 and picture["version"] >= 1 and len(picture["panels"]) == 2
        assert picture["label"].startswith("The plane at step")
        same = {**query, "since": str(picture["version"])}
        run.pause()
        wait_status(run, "paused")
        assert route.answer(reg, run.run_id, key, same) == (200, b'{"training": false}')  # the page takes over
        run.resume()
        wait_status(run, "running")
        ko = json.loads(route.answer(reg, run.run_id, key, {**query, "lang": "ko"})[1])
        assert ko["label"].startswith("스텝")
        version = run.snapshot.version
        assert route.answer(reg, run.run_id, key, {**query, "since": str(version)})[0] in (200, 204)
        # a key of another run, another server's secret, a made-up layer or language, a non-number: refused
        assert route.answer(reg, run.run_id, route.key("other"), query)[0] == 404
        assert Route().answer(reg, run.run_id, key, query)[0] == 404
        assert route.answer(reg, run.run_id, key, {**query, "layers": "Real,<script>"})[0] == 400
        assert route.answer(reg, run.run_id, key, {**query, "lang": "fr"})[0] == 400
        assert route.answer(reg, run.run_id, key, {**query, "since": "1e9"})[0] == 400
        assert route.answer(reg, "gone", route.key("gone"), query)[0] == 404
        assert route.url(run.run_id, ("Real", "D(x)"), "ko").endswith(f"/{run.run_id}/{key}?layers=D(x),Real&lang=ko")
    finally:
        reg.remove(run.run_id, "me")


def test_the_numbers_read_the_pictures_recent_frame_instead_of_making_one(reg, monkeypatch):
    p = presets.get("d2l-toy")
    run = reg.create("me", p.model, TrainConfig(**{**p.train.__dict__, "epochs": 10_000}))
    try:
        snap = wait_snapshot(run, lambda s: s.g_state is not None and s.d_state is not None and s.training)
        made, real = [], frames.frame
        monkeypatch.setattr(frames, "frame", lambda *a, **k: made.append(1) or real(*a, **k))
        shown = live_view.view(run.run_id, snap)  # the canvas's picture of this version
        assert live_view.recent_view(run.run_id, replace(snap, version=snap.version + 3)) is shown and len(made) == 1
        newer = live_view.recent_view(run.run_id, replace(snap, version=snap.version + 9))  # over a second old: made anew
        assert newer is not shown and len(made) == 2
        paused = replace(snap, version=snap.version + 10, status=Status.PAUSED)  # a step of D or G shows its own numbers
        assert live_view.recent_view(run.run_id, paused) is not newer and len(made) == 3
    finally:
        reg.remove(run.run_id, "me")
