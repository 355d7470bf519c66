"""Writing a file so that a crash never leaves half of it: write a temp file, fsync, rename.

A kill between the write and the rename leaves only a hidden temp file (``.NAME.xxxx.tmp``);
:func:`clean_temp_files` removes those left by earlier crashes.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

TEMP_MAX_AGE_S = 600  # an older leftover temp file is a crashed save's, not one in progress


def clean_temp_files(folder: str | Path) -> list[Path]:
    """Remove temp files that saves killed mid-write left in ``folder`` (older than 10 minutes)."""
    removed = []
    for tmp in Path(folder).glob(".*.tmp"):
        try:
            if time.time() - tmp.stat().st_mtime > TEMP_MAX_AGE_S:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue
    return removed


def atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
