"""What every "is any of it quantum?" comparison shares.

A quantum model is judged against its *product twin* (the same circuit with every
entangling gate removed), its *classical twin* (a network with as many trainable
parameters, the same inputs and output, trained the same way) and a trivial reference
(here :func:`linear_reference`). :func:`verdict_table` puts their test AUCs side by side
with the book's 2σ verdict (:func:`qmlhep.stats.verdict`) of the quantum model against each.
"""

from __future__ import annotations

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from qmlhep.stats import SIGMAS, Estimate, verdict


def linear_reference(random_state: int = 0) -> Pipeline:
    """Logistic regression on standardised inputs: the trivial reference classifier."""
    return make_pipeline(StandardScaler(), LogisticRegression(random_state=random_state))


def n_params_linear(n_inputs: int) -> int:
    """Parameters of :func:`linear_reference`: one weight per input and a bias."""
    return n_inputs + 1


def verdict_table(
    estimates: dict[str, Estimate],
    n_params: dict[str, int],
    quantum: str,
    published: dict[str, float] | None = None,
) -> pd.DataFrame:
    """One row per model (``estimates``: label → test AUC over seeds): its parameters, its
    AUC, and whether the ``quantum`` model is above, compatible with or below it."""
    table = pd.DataFrame(
        {
            "parameters": n_params,
            "test AUC": {m: f"{e}" for m, e in estimates.items()},
            f"{quantum} is": {
                m: "—" if m == quantum else verdict(estimates[quantum], e)
                for m, e in estimates.items()
            },
        }
    )
    if published:
        table["published"] = [published.get(m, "") for m in table.index]
    return table


def verdict_sentence(estimates: dict[str, Estimate], quantum: str) -> str:
    """The table's verdicts as one Markdown sentence, computed from the numbers."""
    q = estimates[quantum]
    parts = [f"**{verdict(q, e)}** {m} ({e})" for m, e in estimates.items() if m != quantum]
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"At {SIGMAS:g} combined standard errors, {quantum} ({q}) is {listed}."
