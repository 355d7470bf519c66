"""Cached pictures of shipped checkpoints."""

from __future__ import annotations

import numpy as np
import streamlit as st

from gancore import checkpoints, explore
from gancore.engine import to_uint8_grid
from gancore.paths import SHIPPED_DIR


@st.cache_data(show_spinner=False)
def shipped_thumbnail(name: str, n: int = 32) -> np.ndarray | None:
    """A grid of samples from a shipped checkpoint, or None if it is not there or unreadable."""
    path = SHIPPED_DIR / f"{name}.safetensors"
    try:
        ck = checkpoints.load(path)
    except checkpoints.CheckpointError:
        return None
    x = explore.sample_images(checkpoints.generator(ck), ck.model_cfg, n, seed=1)
    return explore.tile(to_uint8_grid(x), cols=8, scale=3)
