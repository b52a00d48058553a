"""Kept runs: the results of a run too long for a reader's build, trained once and committed.

A study that cannot converge within a chapter's 10 minutes (the hybrid autoencoder first)
is trained to early stopping once, in the ``full`` profile, by ``make converged``. Its
numbers and thinned training curves are written to a small JSON file shipped with the
package (``qmlhep/published_results/full/<name>.json``), with where they come from: the
commit, a digest of the code that computed them, the data's checksum, the sizes, the
machine and the wall time. The page shows them beside its own short run, and says when
the code has changed since (:func:`is_current`).

Every file carries the sha256 of its contents (``"sha256"``): a file edited by hand, cut
short or written by another schema is refused with an error naming it
(:class:`~qmlhep.storage.atomic.StoreError`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qmlhep.storage.atomic import StoreError, read_json, record_digest, write_text
from qmlhep.storage.keys import source_digest

SCHEMA = 1
"""Version of the file layout; a file of another version is refused."""

REQUIRED = ("schema", "name", "provenance", "numbers", "models")
"""Top-level fields of every kept run (besides ``sha256``)."""

PROVENANCE = ("commit", "code_digest", "modules", "data", "sizes", "machine", "wall_s", "date")
"""Fields of ``provenance``: ``modules`` are the dotted names ``code_digest`` covers."""

RECOVER = "run `make converged CH=<chapter>` to recompute it, or restore it with git."


def thin(values: Sequence[float], n: int = 60, keep: int | None = None) -> list[int]:
    """Positions of at most ``n`` points of a curve of ``len(values)``, evenly spread, the
    first, the last and position ``keep`` (default: the minimum) always kept, so the epoch
    whose weights were kept survives thinning."""
    m = len(values)
    if m <= n:
        return list(range(m))
    kept = set(np.linspace(0, m - 1, n - 1).round().astype(int).tolist())
    kept.add(int(np.nanargmin(values)) if keep is None else int(keep))
    return sorted(kept)


def write(path: Path, record: dict) -> dict:
    """Check ``record`` against the schema, add its ``sha256`` and write it atomically to
    ``path``; returns the record as written."""
    record = {**record, "schema": SCHEMA}
    _check(record, Path(path))
    record["sha256"] = record_digest(record)
    write_text(Path(path), json.dumps(record, indent=1, sort_keys=True) + "\n")
    return record


def read(path: Path) -> dict | None:
    """The kept run stored in ``path`` (None when there is none), verified: its schema,
    its fields and its digest; otherwise a :class:`StoreError` naming the file."""
    path = Path(path)
    record = read_json(path, RECOVER)
    if record is None:
        return None
    if record.get("sha256") != record_digest(record):
        raise StoreError(
            f"{path} does not match its sha256 (edited by hand or cut short); {RECOVER}"
        )
    _check(record, path)
    return record


def _check(record: dict, path: Path) -> None:
    missing = [k for k in REQUIRED if k not in record]
    prov = record.get("provenance")
    missing += [
        f"provenance.{k}" for k in PROVENANCE if not isinstance(prov, dict) or k not in prov
    ]
    if missing:
        raise StoreError(f"{path} lacks {', '.join(missing)}; {RECOVER}")
    if record["schema"] != SCHEMA:
        raise StoreError(
            f"{path} has schema {record['schema']!r}, this version reads {SCHEMA}; {RECOVER}"
        )
    if not isinstance(record["provenance"], dict) or not isinstance(record["numbers"], dict):
        raise StoreError(f"{path}: provenance and numbers must be mappings; {RECOVER}")
    for name, number in record["numbers"].items():
        value = number.get("value") if isinstance(number, dict) else None
        if not isinstance(value, (int, float)) or not np.isfinite(value):
            raise StoreError(f"{path}: number {name!r} has no finite value; {RECOVER}")


def code_digest(modules: Sequence[str]) -> str:
    """The digest of the code of ``modules`` as it is now (what a kept run records)."""
    return source_digest(modules)


def is_current(record: dict) -> bool:
    """Whether the code that computed ``record`` is the code of this version (the same
    digest of the same modules)."""
    prov = record["provenance"]
    try:
        return code_digest(prov["modules"]) == prov["code_digest"]
    except (ImportError, OSError, TypeError):  # a module since renamed or removed
        return False
