"""Atomic file writes: a reader sees the old file or the new one, never half of either.

The text is written to a temporary file in the same folder, flushed to disk, then renamed
over the target (``os.replace`` is atomic on POSIX). On any error the temporary file is
removed, so a failed write leaves nothing behind. Temporary files carry the writer's
process id: those of a process that was killed (SIGKILL, a crash) are removed by the
next write of the same file (:func:`clean_leftovers`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
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


class StoreWarning(UserWarning):
    """Something worth keeping could not be saved; the computation went on without it."""


_WARNED: set[str] = set()


def warn_unsaved(path: Path, err: OSError, lost: str) -> None:
    """Warn, once per folder, that ``path`` could not be written and what that costs."""
    folder = str(Path(path).parent)
    if folder in _WARNED:
        return
    _WARNED.add(folder)
    reason = err.strerror or type(err).__name__
    warnings.warn(
        f"cannot write {path} ({reason}): {lost}. The computation goes on; free or fix "
        f"{folder} to keep it next time.",
        StoreWarning,
        stacklevel=3,
    )


def save_optional(path: Path, data: bytes, lost: str) -> bool:
    """Write ``data`` atomically where saving only serves resumption or bookkeeping: when
    the folder cannot take it (read-only, a file in the way, a full disk), warn once,
    naming the path and ``lost`` (what the missing file costs), and return False instead
    of aborting the computation that produced it."""
    try:
        write_bytes(path, data)
    except OSError as err:
        warn_unsaved(path, err, lost)
        return False
    return True


def seal(payload: bytes) -> bytes:
    """``payload`` preceded by a line with its sha256 (hex): what a store writes, so that
    :func:`unseal` can tell the stored bytes from altered or cut-short ones."""
    return hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def unseal(data: bytes) -> bytes | None:
    """The payload of :func:`seal`'s output, or None when it does not match its sha256
    (altered, cut short, or written without one)."""
    head, _, payload = data.partition(b"\n")
    return payload if hashlib.sha256(payload).hexdigest().encode() == head else None


def record_digest(record: dict) -> str:
    """sha256 of a JSON record without its own ``"sha256"`` field: what a store writes into
    the record, so that a field edited by hand no longer matches (kept runs, job entries)."""
    body = {k: v for k, v in record.items() if k != "sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
