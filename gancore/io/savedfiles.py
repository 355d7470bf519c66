"""The app's shared folder of saved checkpoints: whose file is whose, and how many each may keep.

Every browser session saves into one folder, so the folder needs the rules the registry has for
runs: a session may overwrite or delete only what it saved, and keeps at most
:data:`MAX_PER_OWNER` files and :data:`MAX_BYTES_PER_OWNER`; all sessions together at most
:data:`MAX_BYTES_ALL`. A file records its owner as a hash of the session's token (the token
itself, the session's capability, is never written). Files with no owner tag (shipped with an
older version, or written by the CLI) belong to nobody here and are never overwritten.

Autosaves (the runs of owners who left) go to a subfolder no name a student can type reaches
(a name has no '/'), outside the quotas, so a full quota or a file named like a classmate's
autosave cannot lose a run; they are cleaned by age (:func:`clean_up`).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from gancore.base.errors import CheckpointError
from gancore.base.i18n import _
from gancore.base.paths import SHIPPED_DIR
from gancore.io import checkpoints
from gancore.io.runstate import RunState

MAX_PER_OWNER = 20
MAX_BYTES_PER_OWNER = 500 * 2**20
MAX_BYTES_ALL = 5 * 2**30
AUTOSAVES = "autosaves"  # the subfolder of the saves folder
KEEP_DAYS = 7  # autosaves and kept run states older than this are removed
MAX_AUTOSAVES = 300  # and beyond this many, the oldest


def _bytes(paths) -> int:
    return sum(p.stat().st_size for p in paths if p.exists())


def owner_tag(token: str) -> str:
    """What a file records about its owner: 16 hex digits of SHA-256 of the session's token."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def owned_by(folder: str | Path, token: str) -> list[Path]:
    """The checkpoints in ``folder`` that this session saved, oldest name first."""
    tag = owner_tag(token)
    return [p for p, meta in checkpoints.list_checkpoints(folder) if meta.get("owner") == tag]


def save(folder: str | Path, name: str, token: str, export: RunState, model_cfg, train_cfg, **kwargs) -> Path:
    """``checkpoints.save`` into the shared folder under this session's rules (see the module doc)."""
    checkpoints.check_name(name.removesuffix(".safetensors"))
    path = Path(folder) / f"{name.removesuffix('.safetensors')}.safetensors"
    if (SHIPPED_DIR / path.name).exists():
        raise CheckpointError(_("{stem!r} is the name of a checkpoint the app ships: pick another name").format(stem=path.stem))
    mine = owned_by(folder, token)
    if path.exists() and path not in mine:
        raise CheckpointError(_("a checkpoint named {stem!r} was saved by someone else: pick another name").format(stem=path.stem))
    if path not in mine and len(mine) >= MAX_PER_OWNER:
        raise CheckpointError(
            _("you have saved {n_mine} checkpoints here, the most one session may keep: delete one first").format(n_mine=len(mine))
        )
    if _bytes(p for p in mine if p != path) >= MAX_BYTES_PER_OWNER:
        raise CheckpointError(
            _("your checkpoints here take {value} MB, the most one session may keep: delete one first").format(
                value=MAX_BYTES_PER_OWNER // 2**20
            )
        )
    if _bytes(Path(folder).glob("*.safetensors")) >= MAX_BYTES_ALL:
        raise CheckpointError(
            _("the class's saves take {value} GB, all this server keeps: ask your teacher to clear old ones").format(
                value=MAX_BYTES_ALL // 2**30
            )
        )
    extra = {**kwargs.pop("extra", {}), "owner": owner_tag(token)}
    return checkpoints.save(path, export, model_cfg, train_cfg, extra=extra, **kwargs)


def delete(path: str | Path, token: str) -> None:
    """Delete a checkpoint (and its JSON copy) that this session saved; anything else is refused."""
    path = Path(path)
    if path not in owned_by(path.parent, token):
        raise CheckpointError(_("{stem!r} is not one of the checkpoints you saved, so you cannot delete it").format(stem=path.stem))
    path.unlink(missing_ok=True)
    path.with_suffix(".json").unlink(missing_ok=True)


def autosave(folder: str | Path, token: str, run_id: str, export: RunState, model_cfg, train_cfg, **kwargs) -> Path:
    """Keep the run of an owner who left, as ``autosaves/autosave-<run id>`` in the saves folder
    (outside the quotas; see the module doc), then apply :func:`clean_up` there."""
    sub = Path(folder) / AUTOSAVES
    extra = {**kwargs.pop("extra", {}), "owner": owner_tag(token)}
    path = checkpoints.save(sub / f"autosave-{run_id}.safetensors", export, model_cfg, train_cfg, extra=extra, **kwargs)
    clean_up(sub, keep=path)
    return path


def clean_up(folder: str | Path, keep: Path | None = None, days: float = KEEP_DAYS, most: int = MAX_AUTOSAVES) -> list[Path]:
    """Remove the checkpoints in ``folder`` older than ``days``, then the oldest beyond ``most``
    (never ``keep``); returns what was removed."""
    files = sorted(Path(folder).glob("*.safetensors"), key=lambda p: p.stat().st_mtime)
    cutoff = time.time() - days * 86400
    doomed = [p for p in files if p.stat().st_mtime < cutoff] + files[: max(0, len(files) - most)]
    removed = []
    for p in dict.fromkeys(doomed):
        if p != keep:
            p.unlink(missing_ok=True)
            p.with_suffix(".json").unlink(missing_ok=True)
            removed.append(p)
    return removed
