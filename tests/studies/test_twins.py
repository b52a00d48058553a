"""The shared "is it quantum?" comparison: linear reference, verdict table and sentence."""

from __future__ import annotations

import numpy as np

from qmlhep.stats import Estimate
from qmlhep.studies.twins import (
    linear_reference,
    n_params_linear,
    verdict_sentence,
    verdict_table,
)

ESTIMATES = {
    "QCL": Estimate(0.80, 0.01, 3),
    "product twin": Estimate(0.70, 0.01, 3),
    "twin": Estimate(0.81, 0.01, 3),
    "linear": Estimate(0.90, 0.01, 3),
}


def test_linear_reference_counts_its_parameters():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3)) * [1, 10, 100]
    y = (X[:, 0] > 0).astype(int)
    model = linear_reference(random_state=0).fit(X, y)
    linear = model[-1]
    assert linear.coef_.size + linear.intercept_.size == n_params_linear(3)
    assert model.score(X, y) > 0.95


def test_verdict_table_and_sentence_are_computed_from_the_numbers():
    table = verdict_table(ESTIMATES, {m: 10 for m in ESTIMATES}, "QCL", published={"QCL": 0.8})
    assert list(table.index) == list(ESTIMATES)
    assert table.loc["product twin", "QCL is"] == "above"
    assert table.loc["twin", "QCL is"] == "compatible with"
    assert table.loc["linear", "QCL is"] == "below"
    assert table.loc["QCL", "QCL is"] == "—" and table.loc["QCL", "published"] == 0.8
    assert table.loc["twin", "published"] == ""
    sentence = verdict_sentence(ESTIMATES, "QCL")
    assert sentence == (
        "At 2 combined standard errors, QCL (0.800 ± 0.010) is **above** product twin "
        "(0.700 ± 0.010), **compatible with** twin (0.810 ± 0.010) and **below** linear "
        "(0.900 ± 0.010)."
    )
