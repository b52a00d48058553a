"""Every headline number the book records, with its published value where there is one.

Each chapter declares the keys it records in the ``metrics:`` of its page's front matter
(its title in the summary's tables, and per key the unit, what it is and the published
value, checked by :mod:`qmlhep.tooling.chapters`); ``make notebooks`` ships them in the
package's chapter index and :data:`CATALOGUE` loads them. The keys are the ones the
book's issues name; a chapter can record only a declared key (a typo fails loudly), and
the summary chapter shows every key, recorded or not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from qmlhep.profiles import INDEX

TERASHI_BAND = (0.80, 0.85)
"""The range of test AUCs Terashi et al. report for their models at ≤ 10k events."""
TERASHI_RANGE = f"{TERASHI_BAND[0]:.2f}–{TERASHI_BAND[1]:.2f}"
COMAJOAN_AUC = {"quantum ViT": 0.776, "classical ViT": 0.794}
"""The test AUCs Comajoan Cara et al. (2024) report on CMS quark/gluon jets (their data,
not this book's): published values, quoted on the verdict page."""


@dataclass(frozen=True)
class MetricSpec:
    """What a metric means: its chapter, published value (None if none), unit, description."""

    chapter: str
    paper: Any
    unit: str
    what: str


def _load() -> dict[str, MetricSpec]:
    """Every chapter's ``metrics:`` from the package's chapter index, in the order of the
    table of contents; a key claimed by two chapters is an error naming both."""
    index = json.loads(INDEX.read_text())
    catalogue: dict[str, MetricSpec] = {}
    owner: dict[str, str] = {}
    for docname, meta in index.items():
        block = meta.get("metrics") or {}
        for key, spec in block.get("keys", {}).items():
            if key in catalogue:
                raise ValueError(
                    f"metric {key!r} is declared by both {owner[key]}.md and {docname}.md."
                )
            catalogue[key] = MetricSpec(
                block["title"], spec.get("published"), spec["unit"], spec["what"]
            )
            owner[key] = docname
    return catalogue


CATALOGUE: dict[str, MetricSpec] = _load()
"""Every key a chapter may record, from the ``metrics:`` of the chapters' pages."""
