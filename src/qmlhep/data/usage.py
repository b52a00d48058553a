"""Which dataset files each chapter read in this build, for the introduction's table.

:func:`qmlhep.chapter.setup` names the running chapter (``QMLHEP_CHAPTER``); every file the
data layer hands out is then noted, with its size and whether it was downloaded, as one
JSON line of ``<build dir>/data_used.jsonl`` (appends of one short line do not interleave).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from qmlhep import config
from qmlhep.data.registry import DATASETS
from qmlhep.storage.atomic import warn_unsaved


def _path() -> Path:
    return config.build_dir() / "data_used.jsonl"


def note(dataset: str, spec, path: Path, origin: str) -> None:
    """Record that the current chapter (if any) used ``path``, the file ``spec`` (a
    :class:`~qmlhep.data.registry.FileSpec`) of ``dataset``."""

    chapter = os.environ.get("QMLHEP_CHAPTER")
    if not chapter:
        return
    variants = DATASETS[dataset].variants if dataset in DATASETS else {}
    variant = next((name for name, var in variants.items() if spec in var.files), "?")
    line = json.dumps(
        {
            "chapter": chapter,
            "dataset": dataset,
            "variant": variant,
            "file": Path(path).name,
            "bytes": Path(path).stat().st_size,
            "origin": origin,
        }
    )
    try:
        _path().parent.mkdir(parents=True, exist_ok=True)
        with open(_path(), "a") as f:
            f.write(line + "\n")
    except OSError as err:  # bookkeeping only: the data were read all the same
        warn_unsaved(_path(), err, "the build's record of the data files this chapter read")


def reset() -> None:
    _path().unlink(missing_ok=True)


def by_chapter() -> dict[str, list[dict]]:
    """``{chapter: [{"dataset", "variant", "file", "bytes", "origin"}, …]}`` (one row per
    file; ``chapter`` as named in ``setup``, the file stem of its page)."""
    out: dict[str, dict[str, dict]] = {}
    if _path().is_file():
        for line in _path().read_text().splitlines():
            try:
                row = json.loads(line)
            except ValueError:  # a line cut by a killed kernel
                continue
            files = out.setdefault(row.pop("chapter"), {})
            if row["file"] not in files or row["origin"] == "download":
                files[row["file"]] = row
    return {k: list(v.values()) for k, v in out.items()}
