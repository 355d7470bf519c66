"""Where files live: shipped checkpoints in the repo, the user's own in a folder of theirs, and
the one folder (the data root) whose files a ``folder:`` or ``csv:`` dataset may name."""

from __future__ import annotations

import os
from pathlib import Path

from gancore.base.errors import DataError
from gancore.base.i18n import _

PACKAGE = Path(__file__).resolve().parents[1]  # gancore/: what a Ray worker is shipped
ROOT = PACKAGE.parent  # the checkout
SHIPPED_DIR = ROOT / "checkpoints"


def saved_dir() -> Path:
    """The user's own checkpoints (``GAN_EXPLORER_SAVED`` overrides; read at each call)."""
    return Path(os.environ.get("GAN_EXPLORER_SAVED", ROOT / "saved"))


def resolve_checkpoint(name_or_path: str) -> Path:
    """A path as given if it exists, else a shipped or saved checkpoint of that name (shipped
    first: a student's save cannot shadow a course model)."""
    p = Path(name_or_path)
    for candidate in (p, p.with_name(p.name + ".safetensors")):
        if candidate.is_file():
            return candidate
    for folder in (SHIPPED_DIR, saved_dir()):
        candidate = folder / f"{p.name.removesuffix('.safetensors')}.safetensors"
        if candidate.is_file():
            return candidate
    return p


def data_root() -> Path:
    """The only folder a ``folder:<path>`` or ``csv:<path>`` dataset is read from: the server's
    owner sets ``GAN_EXPLORER_DATA_ROOT`` (default ``data/`` in the checkout); read at each call."""
    return Path(os.environ.get("GAN_EXPLORER_DATA_ROOT", ROOT / "data"))


def under_data_root(relative: str) -> Path:
    """The file or folder a dataset names, checked: a path relative to the data root that stays
    inside it once resolved. An absolute path, a ``..`` or a symlink out of the root is refused,
    so a checkpoint (or anyone) naming ``folder:/`` or ``csv:/dev/zero`` reads nothing."""
    root = data_root()
    p = Path(relative)
    if not relative or p.is_absolute() or relative.startswith("~"):
        raise DataError(
            _(
                "a dataset's path is relative to this server's data folder ({root}); {relative!r} is not (the server's owner can choose the folder with GAN_EXPLORER_DATA_ROOT)"
            ).format(root=root, relative=relative)
        )
    full = (root / p).resolve()
    if not full.is_relative_to(root.resolve()):
        raise DataError(
            _("{relative!r} leads out of this server's data folder ({root}); only files inside it are read").format(
                relative=relative, root=root
            )
        )
    return full
