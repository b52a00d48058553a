"""Record a chapter's headline numbers into ``<build dir>/metrics.json``.

The file is one JSON object keyed by metric name; each value is
``{"value", "err", "paper", "unit", "data", "profile", "chapter"}``. ``paper``, ``unit``
and ``chapter`` come from :mod:`qmlhep.metric_catalogue`, so no chapter types a published
number. The summary chapter reads the file back with :func:`summary_table`.
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from qmlhep import config, published
from qmlhep.metric_catalogue import CATALOGUE
from qmlhep.stats import Difference
from qmlhep.storage.atomic import read_json, write_text


def metrics_path() -> Path:
    """Where the metrics of the current build go."""
    return config.build_dir() / "metrics.json"


def _non_finite(value: Any):
    """The first NaN or infinity anywhere in ``value`` (numbers, nested lists), or None."""
    value = _plain(value)
    if isinstance(value, (list, tuple)):
        return next((b for v in value if (b := _non_finite(v)) is not None), None)
    if isinstance(value, dict):
        return next((b for v in value.values() if (b := _non_finite(v)) is not None), None)
    if isinstance(value, float) and not np.isfinite(value):
        return value
    return None


def _plain(value: Any) -> Any:
    """JSON-friendly copy of numbers, numpy scalars/arrays (0-d ones as numbers), tuples,
    lists and dicts; a complex number is refused (a metric is real)."""
    if isinstance(value, np.ndarray):
        value = value.item() if value.ndim == 0 else value.tolist()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, complex):
        raise ValueError(f"a metric must be real, got the complex number {value!r}.")
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def load() -> dict[str, dict]:
    """All records of the current build (empty if none yet)."""
    path = metrics_path()
    return (
        read_json(
            path, "delete it (the chapters record their numbers again when they run) or restore it."
        )
        or {}
    )


def with_published(records: dict[str, dict] | None = None) -> dict[str, dict]:
    """This build's records, completed by the published build's for every chapter that has
    recorded nothing here (a chapter run alone shows the others' published numbers; a
    chapter that ran in this build is never mixed with published values). Records taken
    from the published build carry ``"source": "published"``."""

    records = load() if records is None else records
    here = {rec.get("chapter") for rec in records.values()}
    merged = dict(records)
    for key, rec in published.metrics().items():  # keys the catalogue dropped are not shown
        if key in CATALOGUE and key not in merged and CATALOGUE[key].chapter not in here:
            merged[key] = {**rec, "chapter": CATALOGUE[key].chapter, "source": "published"}
    return merged


def published_note(keys=None, records: dict[str, dict] | None = None) -> str:
    """The :func:`qmlhep.published.note` for those of ``keys`` (default: all) that
    :func:`with_published` took from the published build (empty when none is)."""

    records = with_published() if records is None else records
    keys = records if keys is None else keys
    taken = [records[k]["chapter"] for k in keys if records.get(k, {}).get("source")]
    return published.note("These numbers", taken) if taken else ""


def record(
    key: str, value: Any, err: float | None = None, *, data: Any = None, detail: dict | None = None
) -> None:
    """Store one metric. ``data`` says which data produced it (a Provenance or a string);
    ``detail``: further JSON numbers of it (e.g. a paired difference's interval and
    p-value, :meth:`qmlhep.stats.Difference.detail`).

    Returns nothing, so a recording line leaves no output on the page; the chapter shows
    its numbers with :func:`table`.
    """
    if key not in CATALOGUE:
        raise KeyError(
            f"unknown metric {key!r}: declare it in the metrics: of its chapter's front matter "
            "(with its published value) before recording it."
        )
    for name, number in (("value", value), ("err", err), *(detail or {}).items()):
        try:
            bad = _non_finite(number)
        except ValueError as why:  # a complex number
            raise ValueError(f"metric {key!r}: its {name}: {why}") from None
        if bad is not None:
            raise ValueError(
                f"metric {key!r}: its {name} {number!r} holds {bad}; refusing "
                "to record a non-finite number (one seed gives no error bar: "
                "pass err=None)."
            )
    spec = CATALOGUE[key]
    entry = {
        "value": _plain(value),
        "err": _plain(err),
        "paper": spec.paper,
        "unit": spec.unit,
        "data": None if data is None else str(data),
        "profile": config.profile(),
        "chapter": spec.chapter,
    }
    if detail is not None:
        entry["detail"] = {k: _plain(v) for k, v in detail.items()}
    path = metrics_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(".metrics.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # chapters may run in parallel
        records = load()
        records[key] = entry
        # allow_nan=False: whatever slipped past the checks above, no invalid JSON is written
        write_text(path, json.dumps(records, indent=1, sort_keys=True, allow_nan=False))


def record_difference(key: str, difference: Difference, *, data: Any = None) -> None:
    """Store a paired difference (:func:`qmlhep.stats.compare`): its value, its standard
    error (never 0) and, as ``detail``, its interval, p-value and what its seeds measure."""
    if not difference.err > 0:
        raise ValueError(
            f"metric {key!r}: a difference needs a positive error, got {difference.err}."
        )
    record(key, difference.value, difference.err, data=data, detail=difference.detail())


def difference(key: str, records: dict[str, dict] | None = None) -> Difference | None:
    """The paired difference stored under ``key`` (None when this build did not record it)."""
    rec = (load() if records is None else records).get(key)
    if rec is None or "detail" not in rec:
        return None
    return Difference.from_detail(rec["detail"])


def _fmt(value: Any, err: Any = None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        text = f"{value:.4g}"
        return f"{text} ± {err:.2g}" if err is not None else text
    return f"{value:,}" if isinstance(value, int) else str(value)


def summary_table(records: dict[str, dict] | None = None) -> pd.DataFrame:
    """One row per catalogued metric: this build's value beside the published one (a
    chapter not run in this build shows the published build's value, ``source``
    "published book")."""
    records = with_published() if records is None else records
    rows = []
    for key, spec in CATALOGUE.items():
        rec = records.get(key, {})
        rows.append(
            {
                "chapter": spec.chapter,
                "metric": key,
                "this book": _fmt(rec.get("value"), rec.get("err")),
                "paper": _fmt(spec.paper),
                "unit": spec.unit,
                "profile": rec.get("profile", ""),
                "data": rec.get("data") or "",
                "source": "published book" if rec.get("source") else ("this run" if rec else ""),
            }
        )
    return pd.DataFrame(rows)


def table(keys: list[str]) -> pd.DataFrame:
    """The rows of :func:`summary_table` for the recorded ones of ``keys``, for a chapter's
    results table (a key recorded neither here nor in the published build, e.g. a step
    this Python skips, has no row; the source column shows only when some row is
    published)."""
    if isinstance(keys, str):
        raise TypeError(
            f"metrics.table takes a list of keys, got the string {keys!r}: write table([{keys!r}])."
        )
    unknown = [k for k in keys if k not in CATALOGUE]
    if unknown:
        raise KeyError(
            f"unknown metric(s) {unknown}: no chapter declares them (the keys are in the "
            "metrics: of each chapter's front matter)."
        )
    full = summary_table()
    rows = full[full.metric.isin(keys) & (full["this book"] != "")]
    if (rows.source == "this run").all():
        rows = rows.drop(columns=["source"])
    return rows.drop(columns=["chapter"]).reset_index(drop=True)
