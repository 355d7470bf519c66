"""Take the 2D lab home: its points as CSV, the picture as PNG, its training as a GIF.

The GIF is made of the pictures the page already showed while the run trained: the live view
hands each new one's plan to :func:`remember`, which keeps at most :data:`MAX_FRAMES` of them,
evenly spread over the run (when full, every other frame goes and the gap between kept ones
doubles). They are painted as PNGs only when a download asks (``ui/toy/live_png.py``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import torch

from gancore.base.i18n import _
from ui.common import pictures
from ui.toy import live_png
from ui.toy.plan import Plan

MAX_FRAMES = 100


@dataclass
class Film:
    """One run's frames: (step, picture), at least ``every`` steps apart; a picture is PNG bytes
    or a plan that :func:`png` paints."""

    run_id: str
    frames: list[tuple[int, bytes | Plan]] = field(default_factory=list)
    every: int = 1

    def add(self, step: int, picture: bytes | Plan) -> None:
        if self.frames and step < self.frames[-1][0] + self.every:
            if step != self.frames[-1][0]:
                return
            self.frames[-1] = (step, picture)  # the same step drawn again (a layer switched): the newest look
            return
        self.frames.append((step, picture))
        if len(self.frames) > MAX_FRAMES:
            self.frames = self.frames[::2]
            self.every = max(2 * self.every, self.frames[1][0] - self.frames[0][0])  # the kept frames' spacing


def remember(session: dict, run_id: str, step: int, picture: bytes | Plan) -> Film:
    """Add a shown picture to the session's film of ``run_id`` (a new run starts a new film)."""
    film = session.get("toy.film")
    if film is None or film.run_id != run_id:
        film = session["toy.film"] = Film(run_id)
    film.add(step, picture)
    return film


def points_csv(real: torch.Tensor, fake: torch.Tensor) -> str:
    """The data's points and G's, one row each: kind, x, y."""
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["kind", "x", "y"])
    for kind, pts in (("real", real), ("generated", fake)):
        out.writerows((kind, f"{x:.5f}", f"{y:.5f}") for x, y in pts.tolist())
    return buf.getvalue()


def png(picture: bytes | Plan) -> bytes:
    """A kept picture as PNG bytes."""
    return picture if isinstance(picture, bytes) else live_png.paint(picture)


def film_gif(film: Film) -> bytes:
    """The kept frames as an animated GIF, each with its step burned in."""
    return pictures.gif_of_pngs([(_("step {step:,}").format(step=step), png(picture)) for step, picture in film.frames])
