"""The DNN estimator and the greedy selection do real work on small data."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from qmlhep.classical.dnn import DNNClassifier
from qmlhep.classical.selection import greedy_forward


def _toy(n=600, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.normal(size=(n, 4))
    X[:, 2] += 1.5 * y  # only column 2 carries information
    return X, y


def test_dnn_learns_and_follows_the_sklearn_interface():
    X, y = _toy()
    clf = DNNClassifier(hidden=(8,), epochs=30, batch_size=64, random_state=1).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), 2) and np.allclose(proba.sum(1), 1)
    assert roc_auc_score(y, proba[:, 1]) > 0.8
    assert clf.history_["loss"][-1] < clf.history_["loss"][0]
    assert clf.n_params_ == 4 * 8 + 8 + 8 + 1
    again = DNNClassifier(hidden=(8,), epochs=30, batch_size=64, random_state=1).fit(X, y)
    np.testing.assert_allclose(again.predict_proba(X), proba, atol=1e-6)


def test_greedy_selection_finds_the_informative_column():
    X, y = _toy(seed=1)
    Xv, yv = _toy(seed=2)
    sel = greedy_forward(X, y, Xv, yv, ["a", "b", "c", "d"], 2,
                         lambda: DNNClassifier(hidden=(8,), epochs=30, batch_size=64),
                         progress=False)
    assert sel.order[0] == "c" and sel.auc[0] > 0.8
    assert len(sel.trials) == 4 + 3
