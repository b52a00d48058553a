"""The build's ``<build dir>/timings.json``: seconds and peak memory of every chapter.

Written by the Sphinx extension at the end of a build (:func:`write`), read by
:mod:`qmlhep.tooling.budget` and by the next build, which keeps the memory and data
columns of pages it did not execute again.
"""

from __future__ import annotations

import json
from pathlib import Path

from qmlhep import config
from qmlhep.storage.atomic import write_text


def path() -> Path:
    return config.build_dir() / "timings.json"


def _read() -> dict:
    try:
        return json.loads(path().read_text())
    except (OSError, ValueError):  # none yet, or unreadable: measured afresh
        return {}


def previous_rows() -> dict[str, dict]:
    """The last build's row per chapter (empty when there is none)."""
    rows = _read().get("chapters", {})
    return rows if isinstance(rows, dict) else {}


def write(rows: dict[str, dict], order: list[str]) -> None:
    """Store ``rows`` in table-of-contents ``order``; a one-chapter build (``make
    chapter``) updates its row and keeps the others of the same profile."""

    old = previous_rows() if _read().get("profile") == config.profile() else {}
    merged = {name: rows.get(name, old.get(name)) for name in order if name in rows or name in old}
    path().parent.mkdir(parents=True, exist_ok=True)
    write_text(path(), json.dumps({"profile": config.profile(), "chapters": merged}, indent=1))
