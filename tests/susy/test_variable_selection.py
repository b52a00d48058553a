"""The fast MLP and the greedy selection do real work on small data."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from qmlhep.susy.sklearn_mlp import mlp_classifier
from qmlhep.susy.variable_selection import greedy_forward


def _toy(n=600, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.normal(size=(n, 4))
    X[:, 2] += 1.5 * y  # only column 2 carries information
    return X, y


def test_mlp_learns_and_is_reproducible():
    X, y = _toy()
    clf = mlp_classifier(hidden=(8,), epochs=100, random_state=1).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), 2) and np.allclose(proba.sum(1), 1)
    assert roc_auc_score(y, proba[:, 1]) > 0.8
    np.testing.assert_allclose(
        mlp_classifier(hidden=(8,), epochs=100, random_state=1).fit(X, y).predict_proba(X), proba
    )


def test_greedy_selection_finds_the_informative_column():
    X, y = _toy(seed=1)
    Xv, yv = _toy(seed=2)
    sel = greedy_forward(
        X,
        y,
        Xv,
        yv,
        ["a", "b", "c", "d"],
        2,
        lambda: mlp_classifier(hidden=(8,), epochs=100),
        progress=False,
    )
    assert sel.order[0] == "c" and sel.auc[0] > 0.8
    assert sel.auc[1] <= sel.auc[0] + 0.05  # noise columns add nothing
    assert len(sel.trials) == 4 + 3 and set(sel.trials.step) == {1, 2}
