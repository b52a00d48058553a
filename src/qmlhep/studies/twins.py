"""What every "is any of it quantum?" comparison shares.

A quantum model is judged against its *product twin* (the same circuit with every
entangling gate removed, reading out every qubit an input reaches), its *classical twin*
(a network with as many trainable parameters, the same inputs and output, trained on the
same events under the same protocol) and a trivial reference (here
:func:`linear_reference`). :func:`comparison_table` scores them all on the same test
events and compares the quantum model with each through :func:`qmlhep.stats.compare`
(paired AUC differences with test-sample and seed errors, Holm-corrected within the
table); :func:`comparison_sentence` says the outcome in words computed from it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from qmlhep.fitting.validation import CheckedStandardScaler
from qmlhep.stats import Difference, compare, holm, interval


def linear_reference(random_state: int = 0) -> Pipeline:
    """Logistic regression on standardised inputs: the trivial reference classifier."""
    return make_pipeline(CheckedStandardScaler(), LogisticRegression(random_state=random_state))


def n_params_linear(n_inputs: int) -> int:
    """Parameters of :func:`linear_reference`: one weight per input and a bias."""
    return n_inputs + 1


def differences(
    y, scores: dict[str, np.ndarray], quantum: str, seeds: str = ""
) -> dict[str, Difference]:
    """The ``quantum`` model minus every other model of ``scores`` (label → test scores
    ``(k, N)`` or ``(N,)``, all on the test events of labels ``y``)."""
    if quantum not in scores:
        raise KeyError(f"quantum={quantum!r} is not among the scored models {list(scores)}.")
    return {
        m: compare(y, scores[quantum], s, seeds=seeds) for m, s in scores.items() if m != quantum
    }


def comparison_table(
    y,
    scores: dict[str, np.ndarray],
    n_params: dict[str, int],
    quantum: str,
    seeds: str = "",
    published: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, dict[str, Difference]]:
    """One row per model: parameters, test AUC with its 95 % interval (test sample and
    seeds), the paired difference ``quantum − model`` with its interval, the p-value after
    Holm's correction over the table's comparisons, and the word for it.

    Returns the table and the differences (label → :class:`~qmlhep.stats.Difference`).
    """
    diffs = differences(y, scores, quantum, seeds)
    adjusted = dict(zip(diffs, holm([d.p for d in diffs.values()]), strict=True))
    rows = {}
    for m, s in scores.items():
        own = interval(y, s)
        d = diffs.get(m)
        rows[m] = {
            "parameters": n_params.get(m, ""),
            "seeds": np.atleast_2d(s).shape[0],
            "test AUC [95 % CI]": f"{own.value:.3f} [{own.low:.3f}, {own.high:.3f}]",
            f"{quantum} − model": "—" if d is None else f"{d}",
            "p (Holm)": "—" if d is None else f"{adjusted[m]:.2g}",
            f"{quantum} is": "—" if d is None else d.word(adjusted[m]),
        }
        if published is not None:
            rows[m]["published"] = published.get(m, "")
    return pd.DataFrame.from_dict(rows, orient="index"), diffs


def comparison_sentence(diffs: dict[str, Difference], quantum: str) -> str:
    """The table's outcome as one Markdown sentence, computed from the differences (Holm
    over the same family as :func:`comparison_table`)."""
    if not diffs:
        raise ValueError("comparison_sentence: no comparisons to state.")
    adjusted = dict(zip(diffs, holm([d.p for d in diffs.values()]), strict=True))
    parts = [
        f"**{d.word(adjusted[m])}** {m} (difference {d:+.3f}, p = {adjusted[m]:.2g})"
        for m, d in diffs.items()
    ]
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    seeds = next(iter(diffs.values())).seeds
    note = f" The spread over seeds measures {seeds}." if seeds else ""
    return (
        f"On the same test events, with 95 % intervals from the test sample and the seeds "
        f"and Holm's correction over these {len(diffs)} comparisons, {quantum} is "
        f"{listed}.{note}"
    )
