"""The classical autoencoders of the BSM chapter: the tied twin's size and algebra, and
that both learn to flag what is unlike their training events."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from qmlhep.bsm.dense_autoencoder import DenseAutoencoder, build_autoencoder, classical_twin
from qmlhep.bsm.event_qae import EventQAE


def test_classical_twin_matches_the_qae_size_and_training():
    qae = EventQAE(learning_rate=0.02, batch_size=16, max_iter=7, patience=3, random_state=5)
    twin = classical_twin(qae)
    assert twin.tied and twin.hidden == () and twin.latent == 1
    assert {k: twin.get_params()[k] for k in ("learning_rate", "batch_size", "max_iter")} == {
        "learning_rate": 0.02,
        "batch_size": 16,
        "max_iter": 7,
    }
    model = build_autoencoder(4, (), 1, tied=True)
    assert model.count_params() == 4  # the QAE's four angles
    W = np.asarray(model.get_layer("tied").kernel)
    x = np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32)
    np.testing.assert_allclose(model.predict(x, verbose=0), x @ W @ W.T, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="leave hidden empty"):
        build_autoencoder(4, (8,), 1, tied=True)


@pytest.mark.parametrize("params", [{"hidden": (), "latent": 1, "tied": True}, {}])
def test_autoencoders_flag_points_off_the_training_line(params):
    rng = np.random.default_rng(0)
    t = rng.uniform(0, 1, (600, 1))
    background = t * np.array([[1.0, 0.5, 0.2, 0.1]]) + rng.normal(0, 0.01, (600, 4))
    anomalies = rng.uniform(0, 1, (150, 4))
    model = DenseAutoencoder(max_iter=40, patience=5, **params).fit(
        background[:450], validation=background[450:]
    )
    X = np.concatenate([background[450:], anomalies])
    y = np.r_[np.zeros(150), np.ones(150)]
    assert roc_auc_score(y, -model.score_samples(X)) > 0.9
    assert set(np.unique(model.predict(X))) <= {-1, 1}
    with pytest.raises(ValueError, match="fitted on 4 variables"):
        model.score_samples(X[:, :2])
