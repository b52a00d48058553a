"""The published book's results, shipped with the package for chapters run alone.

A chapter that shows another chapter's numbers (the SQAE page beside the classical
autoencoder, the verdict and summary pages, the benchmark tables) reads them from this
build's ``metrics.json`` and ``bench.json``. A reader who runs one notebook on Colab has
neither: then the numbers of the published build are shown instead, with where they come
from (commit, date, profile, machine) and a link to the published page, never a path of
the reader's machine or a command they cannot run.

The snapshot lives in ``qmlhep/published_results/`` (``metrics.json``, ``bench.json``,
``build.json``); ``make published`` refreshes it from a finished ``make book`` in the
default profile (:mod:`qmlhep.tooling.published`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from qmlhep.storage import kept_runs

FOLDER = Path(__file__).with_name("published_results")
"""Where the snapshot of the published build's results is stored."""


@cache
def _read(name: str) -> dict:
    path = FOLDER / name
    if not path.is_file():
        return {}
    return json.loads(path.read_text())


def provenance() -> dict:
    """``{"commit", "date", "profile", "machine", "url"}`` of the published build
    (empty when no snapshot is shipped)."""
    return _read("build.json")


def metrics() -> dict[str, dict]:
    """The published build's ``metrics.json`` records (empty when none is shipped)."""
    return _read("metrics.json")


def bench() -> dict[str, dict]:
    """The published build's ``bench.json`` entries (empty when none is shipped)."""
    return _read("bench.json")


def reader_runs() -> dict[str, dict[str, dict]]:
    """The last reader's runs (``make reader``, the weekly workflow) by chapter and Python:
    ``{"quantum/bsm_qae": {"3.12": {"seconds", "peak_mb", "succeeded", "date", ...}}}``."""
    return _read("reader.json")


def kept_run(name: str) -> dict | None:
    """The kept converged run ``name`` (``published_results/full/<name>.json``, written by
    ``make converged``), verified against its digest; None when none is shipped."""
    return kept_runs.read(FOLDER / "full" / f"{name}.json")


def page_url() -> str:
    """The published book's front page (empty when no snapshot is shipped)."""
    base = provenance().get("url", "").rstrip("/")
    return f"{base}/" if base else ""


def note(what: str, chapters: list[str] | tuple[str, ...] = ()) -> str:
    """One Markdown sentence saying that ``what`` comes from the published build (with a
    link to it), computed in the chapters titled ``chapters``."""
    p = provenance()
    titles = sorted(set(chapters))
    where = (
        f", computed by its chapter{'s' if len(titles) > 1 else ''} “{'”, “'.join(titles)}”"
        if titles
        else ""
    )
    return (
        f"*{what} come from the [published book]({page_url()}) (commit "
        f"`{p.get('commit', '?')[:12]}`, {p.get('date', '?')}, profile "
        f"`{p.get('profile', '?')}`, {p.get('machine', 'machine not recorded')}){where}: "
        "this run has not computed them.*"
    )
