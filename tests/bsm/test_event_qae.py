"""The event QAE learns a background and flags what does not compress like it."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from qmlhep.bsm.event_qae import EventQAE


def _toy(seed=0, n=400):
    rng = np.random.default_rng(seed)
    background = rng.uniform(0, 0.6, (n, 4))
    anomalies = rng.uniform(1.5, 3.0, (n // 4, 4))
    return background, anomalies


@pytest.mark.slow
def test_fits_flags_anomalies_and_is_reproducible():
    bg, anomalies = _toy()
    model = EventQAE(max_iter=15, patience=5).fit(bg[:300], validation=bg[300:])
    assert model.n_params_ == 4 and model.theta_.shape == (1, 4)
    assert {"loss", "val_loss", "seconds"} <= set(model.history_.columns)
    assert model.history_.val_loss.min() < model.history_.val_loss.iloc[0] + 1e-12
    X = np.concatenate([bg[300:], anomalies])
    y = np.r_[np.zeros(100), np.ones(len(anomalies))]
    assert roc_auc_score(y, 1 - model.score_samples(X)) > 0.9
    assert set(np.unique(model.predict(X))) == {-1, 1}
    again = EventQAE(max_iter=15, patience=5).fit(bg[:300], validation=bg[300:])
    np.testing.assert_array_equal(model.theta_, again.theta_)
    other = EventQAE(max_iter=15, patience=5, random_state=1).fit(bg[:300], validation=bg[300:])
    assert not np.array_equal(model.theta_, other.theta_)


def test_product_twin_has_the_same_parameters():
    bg, _ = _toy()
    twin = EventQAE(entangler="none", max_iter=3).fit(bg)
    assert twin.n_params_ == 4


def test_bad_inputs_name_the_argument():
    bg, _ = _toy()
    bad = bg.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="EventQAE: X has 1 NaN"):
        EventQAE(max_iter=1).fit(bad)
    with pytest.raises(ValueError, match="validation has 1 NaN"):
        EventQAE(max_iter=1).fit(bg, validation=bad)
    with pytest.raises(ValueError, match="n_trash must be 1 to 1"):
        EventQAE(max_iter=1).fit(bg[:, :2])
    with pytest.raises(ValueError, match="max_iter=0"):
        EventQAE(max_iter=0).fit(bg)
    model = EventQAE(max_iter=1).fit(bg)
    with pytest.raises(ValueError, match="fitted on 4 variables"):
        model.score_samples(bg[:, :3])
