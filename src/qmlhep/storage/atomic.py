"""Atomic file writes: a reader sees the old file or the new one, never half of either.

The text is written to a temporary file in the same folder, flushed to disk, then renamed
over the target (``os.replace`` is atomic on POSIX). On any error the temporary file is
removed, so a failed write leaves nothing behind. Temporary files carry the writer's
process id: those of a process that was killed (SIGKILL, a crash) are removed by the
next write of the same file (:func:`clean_leftovers`).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


class StoreError(RuntimeError):
    """A stored file (metrics, results, benchmarks, job store, checkpoints) cannot be
    read; the message names it and says how to recover."""


def read_json(path: Path, recover: str) -> dict | None:
    """The JSON object stored in ``path`` (None if there is no file); a file that cannot be
    read is a :class:`StoreError` naming it, followed by ``recover`` (what to do)."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return data
    except (ValueError, UnicodeDecodeError) as err:
        raise StoreError(f"{path} cannot be read ({err}); {recover}") from err


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def clean_leftovers(folder: Path, name: str, suffix: str = ".tmp") -> list[Path]:
    """Remove ``.<name>.<pid>.*<suffix>`` files of processes that no longer run."""
    removed = []
    for part in Path(folder).glob(f".{name}.*{suffix}"):
        pid = part.name[len(name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            part.unlink(missing_ok=True)
            removed.append(part)
    return removed


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (creating the folder)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(path.parent, path.name)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode())
