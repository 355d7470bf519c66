"""Showing generated pictures: enlarged by the browser, and cached grids of shipped checkpoints."""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from gancore.base.arrays import to_uint8_grid
from gancore.base.errors import CheckpointError
from gancore.base.i18n import _
from gancore.base.paths import SHIPPED_DIR
from gancore.explore import sampling
from gancore.io import checkpoints
from ui.common import pictures

# Generated digits are 28x28: the browser enlarges them with nearest-neighbour scaling, so the
# server encodes and sends a picture at 1x (a 9x smaller PNG at scale 3, ~3 ms less per render).
PIXELATED_CSS = (
    "<style>[data-testid='stImageContainer'] { max-width: 100%; } [data-testid='stImage'] img { image-rendering: pixelated; }"
    # Below 1280 px (a school laptop, a projector at 1024) metric values at Streamlit's 2.25rem
    # were cut to "run…" / "gau…" in five columns beside the open sidebar.
    " @media (max-width: 1279px) { [data-testid='stMetricValue'] { font-size: 1.5rem; } }</style>"
)


def sharp(picture: np.ndarray, scale: int = 3, caption: str | None = None, where=st) -> None:
    """Show a 1x picture ``scale`` times larger, with crisp pixel edges (see ``PIXELATED_CSS``)."""
    where.image(pictures.png(picture), caption=caption, width=picture.shape[1] * scale, output_format="PNG")


@st.cache_data(show_spinner=False)
def shipped_thumbnail(name: str, n: int = 32, width: int = 300) -> bytes | None:
    """A grid of samples from a shipped checkpoint as PNG bytes ``width`` pixels wide, made once:
    the home page shows eight, and st.image shrank and re-encoded each one on every visit (16% of
    the page's time). None if the checkpoint is not there or unreadable."""
    path = SHIPPED_DIR / f"{name}.safetensors"
    try:
        ck = checkpoints.load(path)
    except CheckpointError:
        return None
    x, cols = sampling.showcase(checkpoints.generator(ck), ck.model_cfg, n, seed=1)
    grid = Image.fromarray(sampling.tile(to_uint8_grid(x), cols=cols, scale=3))
    if grid.width > width:  # as st.image would shrink it
        grid = grid.resize((width, round(grid.height * width / grid.width)), resample=Image.BILINEAR)
    return pictures.png(grid)


def home_thumbnail(name: str) -> bytes | None:
    """The home page's picture of a lesson's shipped checkpoint: 16 samples, 300 pixels wide."""
    return shipped_thumbnail(name, n=16, width=300)


def truncation_slider(key: str, effect: str) -> float:
    """The truncation trick's ψ (gancore.base.latent.truncate), 1 = off; ``effect``: what lowering it shows here."""
    return st.slider(
        _("Truncation ψ (1 = off)"),
        0.0,
        1.0,
        1.0,
        0.05,
        key=key,
        help=_("Pull every z toward the mean by ψ: {effect}").format(effect=effect),
    )
