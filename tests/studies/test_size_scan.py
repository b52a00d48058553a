"""The one AUC-versus-size loop every classifier chapter uses."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from qmlhep.data.splits import balanced_subset
from qmlhep.studies.size_scan import FPR_GRID, size_scan


def _data(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    return rng.normal(size=(n, 2)) + y[:, None], y


def test_scan_repeats_sizes_and_keeps_models_on_request():
    X, y = _data(600, 0)
    X_test, y_test = _data(400, 1)
    make = lambda n, seed: LogisticRegression(random_state=seed)
    scan = size_scan(
        make, X, y, X_test, y_test, [50, 200], repeats=3, progress=False, keep_models=True
    )
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


def test_balanced_subset_draws_half_of_each_class_without_repeats():
    X, y = _data(300, 2)
    X_s, y_s = balanced_subset(X, y, 40, seed=3)
    assert (y_s == 1).sum() == (y_s == 0).sum() == 20
    assert len(np.unique(X_s, axis=0)) == 40
    np.testing.assert_array_equal(balanced_subset(X, y, 40, seed=3)[0], X_s)  # seeded
    with pytest.raises(ValueError, match="smaller size"):
        balanced_subset(X, y, 1_000, seed=0)


def test_trials_draw_fresh_samples_and_do_not_depend_on_processes():
    from qmlhep.studies.vqc_trials import run_trials, size_table, summary

    X, y = _data(600, 4)
    make = lambda seed: LogisticRegression(random_state=seed)
    one = run_trials(make, X, y, X, y, 40, 60, trials=3, progress=False)
    two = run_trials(make, X, y, X, y, 40, 60, trials=3, n_jobs=2, progress=False)
    assert one.runs.auc_test.nunique() == 3  # each trial its own samples
    np.testing.assert_array_equal(one.runs.auc_test, two.runs.auc_test)
    mean, err = one.mean()
    assert 0.75 < mean < 1 and err > 0 and len(one.tpr_train) == 3
    table = summary(size_table(make, X, y, X, y, [40, 100], trials=2))
    assert list(table.index) == [40, 100] and (table["AUC test"] > 0.7).all()
