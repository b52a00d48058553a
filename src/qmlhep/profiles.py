"""Every size in every chapter, per profile (``QMLHEP_PROFILE``), read from the chapters.

``ci``: each chapter runs in a few minutes on 2 cores (used by ``make test``);
``default``: the published book and the reader's profile, online or offline: every
chapter within 10 minutes and 2 GB on 2 cores (Binder, Colab), so sizes are explicit
rather than "all the data" (``make budget`` checks the measured build);
``full``: paper scale, each chapter within 2 hours on 2 cores (long trainings checkpoint
and resume). A size of ``all`` in a page (``None`` here) means "all the data available".

A chapter's sizes live in its own page, in the ``sizes:`` of the ``qmlhep:`` block of its
front matter, with the reasons for them (:mod:`qmlhep.tooling.chapters` checks them;
``all`` rather than YAML's null, which Jupytext drops from a notebook's metadata);
``make notebooks`` ships them with the package (``qmlhep/chapter_index.json``), so a
chapter run alone on Colab has them too. Lists become tuples.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from qmlhep import config

INDEX = Path(__file__).with_name("chapter_index.json")
"""The chapters' metadata shipped with the package (written by ``make notebooks``)."""


def _value(value):
    """A size as the code uses it: lists as tuples, ``"all"`` as None."""
    if isinstance(value, list):
        return tuple(_value(v) for v in value)
    return None if value == "all" else value


def _load() -> dict[str, dict[str, dict]]:
    """``{chapter: {profile: {name: value}}}`` by the page's file name (``"hybrid"``)."""
    index = json.loads(INDEX.read_text())
    return {
        docname.rsplit("/", 1)[-1]: {
            profile: {name: _value(v) for name, v in values.items()}
            for profile, values in meta.get("sizes", {}).items()
        }
        for docname, meta in index.items()
    }


SIZES: dict[str, dict[str, dict]] = _load()
"""Every chapter's sizes per profile, as its page states them."""


def sizes(chapter: str) -> SimpleNamespace:
    """The sizes of ``chapter`` in the active profile, as attributes."""
    if chapter not in SIZES:
        raise KeyError(
            f"no chapter {chapter!r}: sizes are read from the `sizes:` of a page's front "
            f"matter (known: {', '.join(SIZES)}); after editing a page, run `make notebooks`"
        )
    return SimpleNamespace(profile=config.profile(), **SIZES[chapter][config.profile()])


def _fmt(value) -> str:
    if isinstance(value, tuple):
        return (
            ", ".join(map(_fmt, value))
            if len(value) < 6
            else f"{_fmt(value[0])} … {_fmt(value[-1])} ({len(value)} values)"
        )
    if value is None:
        return "all"
    return f"{value:,}" if isinstance(value, int) else str(value)


def full_adds(chapter: str, profile: str = "default") -> list[str]:
    """What the ``full`` profile changes against ``profile`` for ``chapter``, as
    ``"name: a → b"`` lines (computed from :data:`SIZES`, so never out of date)."""
    base, full = SIZES[chapter][profile], SIZES[chapter]["full"]
    return [
        f"{name}: {_fmt(base.get(name))} → {_fmt(value)}"
        for name, value in full.items()
        if base.get(name) != value
    ]
