"""The app's shared folder of saved checkpoints: whose file is whose, and how many each may keep.

Every browser session saves into one folder, so the folder needs the rules the registry has for
runs: a session may overwrite or delete only what it saved, and keeps at most
:data:`MAX_PER_OWNER` files. A file records its owner as a hash of the session's token (the
token itself, the session's capability, is never written). Files with no owner tag (shipped with
an older version, or written by the CLI) belong to nobody here and are never overwritten.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from gancore.base.errors import CheckpointError
from gancore.base.paths import SHIPPED_DIR
from gancore.io import checkpoints
from gancore.io.runstate import RunState

MAX_PER_OWNER = 20


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
        raise CheckpointError(f"{path.stem!r} is the name of a checkpoint the app ships: pick another name")
    mine = owned_by(folder, token)
    if path.exists() and path not in mine:
        raise CheckpointError(f"a checkpoint named {path.stem!r} was saved by someone else: pick another name")
    if path not in mine and len(mine) >= MAX_PER_OWNER:
        raise CheckpointError(f"you have saved {len(mine)} checkpoints here, the most one session may keep: delete one first")
    extra = {**kwargs.pop("extra", {}), "owner": owner_tag(token)}
    return checkpoints.save(path, export, model_cfg, train_cfg, extra=extra, **kwargs)


def delete(path: str | Path, token: str) -> None:
    """Delete a checkpoint (and its JSON copy) that this session saved; anything else is refused."""
    path = Path(path)
    if path not in owned_by(path.parent, token):
        raise CheckpointError(f"{path.stem!r} is not one of the checkpoints you saved, so you cannot delete it")
    path.unlink(missing_ok=True)
    path.with_suffix(".json").unlink(missing_ok=True)
