"""Where checkpoints live: shipped ones in the repo, the user's own in a folder of theirs."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # gancore/: what a Ray worker is shipped
ROOT = PACKAGE.parent  # the checkout
SHIPPED_DIR = ROOT / "checkpoints"


def saved_dir() -> Path:
    """The user's own checkpoints (``GAN_EXPLORER_SAVED`` overrides; read at each call)."""
    return Path(os.environ.get("GAN_EXPLORER_SAVED", ROOT / "saved"))


def resolve_checkpoint(name_or_path: str) -> Path:
    """A path as given if it exists, else a saved or shipped checkpoint of that name."""
    p = Path(name_or_path)
    for candidate in (p, p.with_name(p.name + ".safetensors")):
        if candidate.is_file():
            return candidate
    for folder in (saved_dir(), SHIPPED_DIR):
        candidate = folder / f"{p.name.removesuffix('.safetensors')}.safetensors"
        if candidate.is_file():
            return candidate
    return p
