"""What the BSM chapter says, computed from :class:`~qmlhep.studies.bsm_qae.QAEStudy`.

:func:`comparison` compares the quantum autoencoder in pairs with every other model on the
same test events (:func:`qmlhep.studies.twins.comparison_table`); :func:`headline` judges
the authors' claim, the QAE above every autoencoder, from those differences (Holm over the
table); :func:`edges_frame` and :func:`edges_sentence` put the authors' edges (events
beyond them dropped) beside the same test with those events kept, clipped at the edge.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qmlhep.data.bsm_events import BsmSplit
from qmlhep.stats import holm, interval
from qmlhep.studies.bsm_qae import LABELS, MODELS, QAEStudy
from qmlhep.studies.twins import comparison_table

AUTOENCODERS = ("product", "twin", "cae")
"""The autoencoders of the authors' claim "the QAE is above every (classical) autoencoder
with the same inputs": its product twin, the tied linear twin and the larger dense one."""
DELTAS = {
    "product": "bsm.qae.delta.product",
    "twin": "bsm.qae.delta.twin",
    "reference": "bsm.qae.delta.reference",
}
"""The metric key of each recorded paired difference ``quantum − model``."""
ORDER = (*MODELS, "reference")


def comparison(y, scores: dict[str, np.ndarray], study: QAEStudy):
    """``(table, diffs)`` of :func:`qmlhep.studies.twins.comparison_table` for the QAE
    against every other model of ``scores`` (keys of :data:`ORDER`); ``diffs`` keyed by
    model name, in the table's order (its Holm family)."""
    params = {LABELS[m]: study.n_params.get(m, 0) for m in ORDER}
    table, diffs = comparison_table(
        y,
        {LABELS[m]: scores[m] for m in ORDER},
        params,
        quantum=LABELS["quantum"],
        seeds=study.seeds,
    )
    by_name = {m: diffs[LABELS[m]] for m in ORDER if LABELS[m] in diffs}
    return table, by_name


def holm_words(diffs: dict) -> dict[str, str]:
    """The word of every comparison after Holm's correction over all of ``diffs``."""
    adjusted = holm([d.p for d in diffs.values()])
    return {m: d.word(p) for (m, d), p in zip(diffs.items(), adjusted, strict=True)}


def _listing(names: list[str]) -> str:
    names = [f"the {LABELS[m]}" for m in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def headline(diffs: dict) -> str:
    """The authors' claim, the QAE above every autoencoder of :data:`AUTOENCODERS`, judged
    with the paired differences ``diffs`` (:func:`comparison`; Holm over all of them)."""
    words = holm_words(diffs)
    groups = {
        w: [m for m in AUTOENCODERS if words[m] == w] for w in ("above", "compatible with", "below")
    }
    above = groups["above"]
    verdict = (
        "**holds**"
        if len(above) == len(AUTOENCODERS)
        else "**holds only in part**"
        if above
        else "**does not hold**"
    )
    said = "; ".join(f"{w} {_listing(ms)}" for w, ms in groups.items() if ms)
    return (
        "The authors' claim, a quantum autoencoder above the autoencoders with the same "
        f"inputs, {verdict} here: with Holm's correction over the {len(diffs)} comparisons "
        f"of the table, the QAE is {said}."
    )


def edges_frame(split: BsmSplit, clipped: BsmSplit, study: QAEStudy):
    """``(counts, aucs)``: events beyond the authors' edges per split and process (dropped
    or clipped) with the test events left; every model's mean test AUC with its 95 %
    interval (:func:`qmlhep.stats.interval`) on each split's test events."""
    if not study.clipped_scores:
        raise ValueError("edges_frame: the study was run without the clipped split.")
    counts = pd.DataFrame(
        {
            s.edges: {
                "background dropped": s.dropped["background"],
                "signal dropped": s.dropped["signal"],
                "background clipped": s.clipped["background"],
                "signal clipped": s.clipped["signal"],
                "test background": len(s.test_bg),
                "test signal": len(s.test_sig),
            }
            for s in (split, clipped)
        }
    ).T.rename(index={"drop": "authors' edges (dropped)", "clip": "events kept (clipped)"})
    rows = {}
    for m in ORDER:
        own = {
            e: interval(s.y_test, sc[m])
            for e, s, sc in (("drop", split, study.scores), ("clip", clipped, study.clipped_scores))
        }
        rows[LABELS[m]] = {
            "dropped: AUC [95 % CI]": f"{own['drop']:.3f}",
            "clipped: AUC [95 % CI]": f"{own['clip']:.3f}",
            "change": own["clip"].value - own["drop"].value,
        }
    return counts, pd.DataFrame.from_dict(rows, orient="index")


def edges_sentence(split: BsmSplit, clipped: BsmSplit, study: QAEStudy) -> str:
    """What keeping the events beyond the edges changes, in words computed from the
    counts, the AUCs and the QAE's comparisons on both test sets."""
    n_sig, n_bg = clipped.clipped["signal"], clipped.clipped["background"]
    if n_sig + n_bg == 0:
        return (
            "No event lies beyond the authors' edges, so dropping or clipping changes "
            "nothing: the two columns are the same events."
        )
    _, aucs = edges_frame(split, clipped, study)
    change = aucs["change"].round(3)
    ups, downs = change[change > 0], change[change < 0]
    if ups.empty and downs.empty:
        moved = "leaves every mean test AUC unchanged to three decimals"
    else:
        parts = []
        if not ups.empty:
            parts.append(f"raises {len(ups)} of {len(change)} (by up to {ups.max():+.3f})")
        if not downs.empty:
            parts.append(f"lowers {len(downs)} of {len(change)} (by up to {downs.min():+.3f})")
        moved = "changes the mean test AUCs: it " + " and ".join(parts)
        moved += f"; the QAE's AUC moves by {change[LABELS['quantum']]:+.3f}"
    words = {
        e: holm_words(comparison(s.y_test, sc, study)[1])
        for e, s, sc in (("drop", split, study.scores), ("clip", clipped, study.clipped_scores))
    }
    changed = [m for m in words["drop"] if words["drop"][m] != words["clip"][m]]
    if changed:
        said = "; ".join(
            f"against the {LABELS[m]} it goes from {words['drop'][m]} to {words['clip'][m]}"
            for m in changed
        )
        verdict = f"The QAE's comparisons change: {said}."
    else:
        verdict = (
            "Every comparison of the QAE (Holm-corrected) keeps its word: the authors' "
            "edges change none of this chapter's conclusions."
        )
    return (
        f"Keeping the {n_sig:,} signal and {n_bg:,} background events beyond the authors' "
        f"edges (each variable beyond its edge clipped to it: angle π) {moved}. " + verdict
    )
