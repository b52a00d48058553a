"""The single-qubit data re-uploading classifier (Pérez-Salinas et al. 2020)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from qmlhep.jets.single_qubit_reuploading import ReuploadingClassifier, circle_dataset


def test_circle_dataset_is_balanced_and_labelled_by_the_circle():
    X, y = circle_dataset(4000, seed=1)
    assert X.shape == (4000, 2) and set(np.unique(y)) == {0, 1}
    assert abs(y.mean() - 0.5) < 0.03  # the circle of area 2 holds half the square
    np.testing.assert_array_equal(y, (np.hypot(X[:, 0], X[:, 1]) < np.sqrt(2 / np.pi)))


@pytest.mark.slow
def test_more_uploads_learn_the_circle():
    X, y = circle_dataset(400, seed=0)
    X_test, y_test = circle_dataset(400, seed=1)
    one = ReuploadingClassifier(layers=1, max_iter=150, random_state=0).fit(X, y)
    three = ReuploadingClassifier(layers=3, max_iter=150, random_state=0).fit(X, y)
    assert three.n_params_ == 18 and one.n_params_ == 6
    assert three.history_.loss.iloc[-1] < three.history_.loss.iloc[0]
    auc3 = roc_auc_score(y_test, three.predict_proba(X_test)[:, 1])
    assert auc3 > 0.85
    # one upload is a single rotation: it cannot draw a circle as well as three
    assert auc3 > roc_auc_score(y_test, one.predict_proba(X_test)[:, 1])
    np.testing.assert_allclose(three.predict_proba(X_test).sum(axis=1), 1.0, atol=1e-5)


def test_only_two_dimensional_points():
    X, y = circle_dataset(20)
    with pytest.raises(ValueError, match="2-D points"):
        ReuploadingClassifier(max_iter=1).fit(np.c_[X, X], y)
