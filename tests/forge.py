"""Forging checkpoints the way an attacker could: any metadata, any tensors, with a valid checksum."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from gancore.io import schema


def parts(raw: bytes) -> tuple[dict, dict[str, torch.Tensor]]:
    """The metadata and tensors of a checkpoint's bytes."""
    n = int.from_bytes(raw[:8], "little")
    meta = json.loads(json.loads(raw[8 : 8 + n])["__metadata__"]["gan_explorer"])
    return meta, dict(st_load(raw))


def forge(meta: dict | str, tensors: dict[str, torch.Tensor], resign: bool = True) -> bytes:
    """Bytes of a safetensors file with this metadata (a dict, or raw JSON text) and tensors,
    checksum recomputed unless ``resign`` is false."""
    if isinstance(meta, dict) and resign:
        meta = {**meta, "sha256": schema.digest(tensors)}
    text = meta if isinstance(meta, str) else json.dumps(meta)
    return st_save({k: v.contiguous() for k, v in tensors.items()}, metadata={"gan_explorer": text})


def rewrite(path: Path, edit_meta=None, edit_tensors=None) -> bytes:
    """Apply the edits to a saved checkpoint, re-sign it, and write it back; returns the bytes."""
    meta, tensors = parts(Path(path).read_bytes())
    if edit_meta:
        edit_meta(meta)
    if edit_tensors:
        edit_tensors(tensors)
    raw = forge(meta, tensors)
    Path(path).write_bytes(raw)
    return raw
