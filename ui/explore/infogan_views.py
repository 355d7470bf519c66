"""The InfoGAN page's pictures and the classifier's reading of its categories, cached per set of
weights and shared by every session; :func:`warm` computes those of the page's opening state.

A class opens the page at once, all on the shipped checkpoint with its controls at their
defaults: the first reader asked the classifier what each of the 10 categories means (2 s of CPU
here) while 29 other pages were drawn, the slowest of 30 opens. The server computes them as it
starts (``ui/warmup.py``), before it answers its health check.
"""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from gancore.base.i18n import _
from gancore.explore import sampling
from ui.common import pictures
from ui.explore import model_picker

SHIPPED = "infogan-mnist"  # the checkpoint the page opens on
SCRUB_VALUES: list[float] = np.round(np.linspace(-2, 2, 41), 2).tolist()  # the scrubbed c2's positions
OPENING = {"cat": 0, "c2": 0.0, "c3": 0.0, "seed": 0}  # the page's controls before anyone moves them
_meant: set[str] = set()  # the sources whose meanings are cached: no spinner for those


@st.cache_data(max_entries=8, show_spinner=False)
def _meaning(key: str, _src: model_picker.Source) -> list[tuple[int, float]] | None:
    return sampling.category_meaning(model_picker.generator(_src), _src.cfg, _src.dataset)


def meaning(src: model_picker.Source) -> list[tuple[int, float]] | None:
    """Which digit each category c1 draws and how surely (the shipped classifier's vote), or None
    without a classifier for the dataset; a spinner in the reader's language the first time."""
    if src.key in _meant:
        return _meaning(src.key, src)
    with st.spinner(_("Asking the classifier what each category means…")):
        means = _meaning(src.key, src)
    _meant.add(src.key)
    return means


def category_labels(means: list[tuple[int, float]] | None, n_cat: int) -> tuple[str, ...]:
    """The traversals' row labels: ``c1=3 ~8`` where the classifier read category 3 as an 8."""
    return tuple(f"c1={k}" + (f" ~{means[k][0]}" if means else "") for k in range(n_cat))


@st.cache_data(max_entries=32, show_spinner=False)
def scrub_frames(key: str, cat: int, c3: float, seed: int, _g, _cfg, dist: str) -> list[bytes]:
    """One PNG of 8 samples per position of c2 in :data:`SCRUB_VALUES`, for the drag-to-scrub strip."""
    z = torch.cat([sampling.infogan_inputs(_cfg, cat, (v, c3), 8, seed, dist) for v in SCRUB_VALUES])  # (41*8, z + codes)
    imgs = sampling.render(_g, z)  # (41*8, C, H, W) in [-1, 1]
    return [pictures.png(pictures.grid(imgs[i * 8 : (i + 1) * 8], cols=8, scale=1)) for i in range(len(SCRUB_VALUES))]


@st.cache_data(max_entries=64, show_spinner=False)
def traversal(key: str, code: int, base: tuple[float, float], seed: int, labels: tuple[str, ...], _g, _cfg) -> bytes:
    """One Figure-2 grid as PNG: a row per category, continuous code ``code`` from −2 to 2 across
    9 columns, the other held at ``base``; cached, since moving c2 only changes the c3 traversal."""
    zt = sampling.infogan_traversal(_cfg, code, torch.linspace(-2, 2, 9), seed, base=base)  # (n_cat*9, z + codes)
    return pictures.png(pictures.with_row_labels(sampling.render(_g, zt), 9, list(labels)))


def traversal_bases(c2: float, c3: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The codes held fixed by the c2 traversal (c3 at its slider) and by the c3 one (c2 at its slider)."""
    return (0.0, c3), (c2, 0.0)


def warm() -> None:
    """Compute what the page draws for the shipped checkpoint in its opening state."""
    src = model_picker.shipped(SHIPPED)
    g = model_picker.generator(src)
    means = _meaning(src.key, src)
    _meant.add(src.key)
    seed, cat = OPENING["seed"], OPENING["cat"]
    scrub_frames(src.key, cat, OPENING["c3"], seed, g, src.cfg, src.hacks.z_dist)
    labels = category_labels(means, src.cfg.n_cat)
    for code, base in enumerate(traversal_bases(OPENING["c2"], OPENING["c3"])):
        traversal(src.key, code, base, seed, labels, g, src.cfg)
