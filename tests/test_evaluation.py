"""The one AUC-versus-size loop every classifier chapter uses."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from qmlhep.evaluation import FPR_GRID, size_scan


def _data(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    return rng.normal(size=(n, 2)) + y[:, None], y


def test_scan_repeats_sizes_and_keeps_models_on_request():
    X, y = _data(600, 0)
    X_test, y_test = _data(400, 1)
    make = lambda n, seed: LogisticRegression(random_state=seed)  # noqa: E731
    scan = size_scan(make, X, y, X_test, y_test, [50, 200], repeats=3, progress=False,
                     keep_models=True)
    summary = scan.summary()
    assert list(summary.index) == [50, 200] and (summary.repeats == 3).all()
    assert 0.75 < summary.auc.loc[200] < 1.0 and (summary.err >= 0).all()
    assert set(scan.models) == {(s, r) for s in (50, 200) for r in range(3)}
    kept = scan.models[200, 1].predict_proba(X_test)[:, 1]
    from sklearn.metrics import roc_auc_score
    assert roc_auc_score(y_test, kept) == scan.runs.query("size == 200 and repeat == 1").auc.item()
    mean, std = scan.tpr_band(50)
    assert mean.shape == FPR_GRID.shape and (std >= 0).all()
    assert not size_scan(make, X, y, X_test, y_test, [50], 1, progress=False).models
    with pytest.raises(ValueError, match="exceed the pool"):
        size_scan(make, X, y, X_test, y_test, [10_000], 1, progress=False)
