"""The shared "is it quantum?" comparison: linear reference, paired table and sentence."""

from __future__ import annotations

import numpy as np
import pytest

from qmlhep.studies.twins import (
    comparison_sentence,
    comparison_table,
    linear_reference,
    n_params_linear,
)


def test_linear_reference_counts_its_parameters():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3)) * [1, 10, 100]
    y = (X[:, 0] > 0).astype(int)
    model = linear_reference(random_state=0).fit(X, y)
    linear = model[-1]
    assert linear.coef_.size + linear.intercept_.size == n_params_linear(3)
    assert model.score(X, y) > 0.95


def _scores(rng, y, shift, seeds=3):
    common = rng.standard_normal(y.size)
    return shift * y + 0.7 * common + 0.7 * rng.standard_normal((seeds, y.size))


def test_table_and_sentence_are_computed_from_the_paired_differences():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 1500)
    scores = {
        "QCL": _scores(rng, y, 1.0),
        "product twin": _scores(rng, y, 0.5),
        "twin": _scores(rng, y, 1.0),
        "linear": _scores(rng, y, 1.6, seeds=1),
    }
    table, diffs = comparison_table(
        y, scores, {m: 10 for m in scores}, "QCL", seeds="training events", published={"QCL": 0.8}
    )
    assert list(table.index) == list(scores)
    assert table.loc["product twin", "QCL is"] == "above"
    assert table.loc["twin", "QCL is"] == "compatible with"
    assert table.loc["linear", "QCL is"] == "below"
    assert table.loc["QCL", "QCL is"] == "—" and table.loc["QCL", "published"] == 0.8
    assert table.loc["linear", "seeds"] == 1 and table.loc["QCL", "seeds"] == 3
    assert set(diffs) == {"product twin", "twin", "linear"}
    assert diffs["product twin"].value > 0 > diffs["linear"].value
    sentence = comparison_sentence(diffs, "QCL")
    assert "QCL is **above** product twin" in sentence
    assert "**compatible with** twin" in sentence and "**below** linear" in sentence
    assert "Holm's correction over these 3 comparisons" in sentence
    assert sentence.endswith("The spread over seeds measures training events.")
    with pytest.raises(KeyError, match="quantum"):
        comparison_table(y, scores, {}, "VQC")
