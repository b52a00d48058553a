"""Autoencoder builders, a short training run, anomaly scores, EMD and the Sinkhorn loss."""

from __future__ import annotations

import numpy as np
import ot
import pytest

from qmlhep.fitting.autoencoder_training import reconstruct, train_autoencoder
from qmlhep.jets.anomaly_scores import (
    anomaly_auc,
    bce_per_image,
    emd,
    emd_per_image,
    pixel_distances,
)
from qmlhep.jets.conv_autoencoder import conv_autoencoder_12, conv_autoencoder_40
from qmlhep.jets.sinkhorn import sinkhorn_loss


@pytest.mark.slow
def test_parameter_counts():
    assert 850_000 < conv_autoencoder_40().count_params() < 950_000  # "about 900k"
    assert 2_800 < conv_autoencoder_12().count_params() < 3_400  # "about 3k"


@pytest.mark.slow
def test_short_training_lowers_the_loss():
    rng = np.random.default_rng(0)
    X = np.zeros((256, 12, 12), np.float32)
    X[:, 5:7, 5:7] = rng.uniform(0.5, 1.0, (256, 2, 2))  # a bright core, like a jet
    model = conv_autoencoder_12()
    before = bce_per_image(X, reconstruct(model, X)).mean()
    hist = train_autoencoder(model, X[:200], X[200:], epochs=15, batch_size=32, patience=15)
    after = bce_per_image(X, reconstruct(model, X)).mean()
    assert hist["loss"][-1] < hist["loss"][0] and after < 0.7 * before


def test_scores_grow_with_the_reconstruction_error():
    rng = np.random.default_rng(1)
    X = rng.random((1, 12, 12)).astype(np.float32)
    noise = rng.random((1, 12, 12)).astype(np.float32)
    bces = [bce_per_image(X, (1 - t) * X + t * noise)[0] for t in (0.0, 0.3, 0.6, 1.0)]
    emds = [
        emd_per_image(X, (1 - t) * X + t * noise, progress=False)[0] for t in (0.0, 0.3, 0.6, 1.0)
    ]
    assert np.all(np.diff(bces) > 0) and np.all(np.diff(emds) > 0)
    assert anomaly_auc(np.array([0.1, 0.2, 0.8, 0.9]), np.array([0, 0, 1, 1])) == 1.0


def test_emd_zero_on_itself_and_a_shift_by_hand():
    d = pixel_distances(12, pixel=0.1)
    img = np.zeros((12, 12))
    img[5, 5], img[2, 8] = 3.0, 1.0
    assert emd(img, img, d) == pytest.approx(0.0, abs=1e-9)
    shifted = np.roll(img, 2, axis=1)  # everything moves 2 pixels = 0.2 to the right
    assert emd(img, shifted, d, R=0.4) == pytest.approx(4.0 * 0.2 / 0.4)
    dimmer = img * 0.5  # same place, half the intensity: only the |sum a - sum b| term
    assert emd(img, dimmer, d) == pytest.approx(2.0)


def test_sinkhorn_loss_matches_pot():
    rng = np.random.default_rng(2)
    a = (rng.random((3, 12, 12)) * (rng.random((3, 12, 12)) > 0.8)).astype(np.float32)
    b = rng.random((3, 12, 12)).astype(np.float32)
    cost = pixel_distances(12) / 5
    ours = np.asarray(sinkhorn_loss(cost, epsilon=0.05, n_iter=200)(a, b))
    ref = []
    for x, y in zip(a, b, strict=True):
        p, q = x.ravel() + 1e-8, y.ravel() + 1e-8
        ref.append(
            ot.sinkhorn2(p / p.sum(), q / q.sum(), cost, 0.05, numItermax=5000, stopThr=1e-12)
        )
    np.testing.assert_allclose(ours, ref, rtol=1e-4)


def test_anomaly_split_trains_on_normal_only_and_balances_the_test_set():
    from qmlhep.data.splits import anomaly_split

    y = np.array([1] * 60 + [0] * 40)
    X = np.arange(100)
    tr, va, te, is_anom = anomaly_split(
        X, y, normal_label=1, n_train=20, n_val=10, n_test=30, seed=0
    )
    assert (y[tr] == 1).all() and (y[va] == 1).all() and len(tr) == 20 and len(va) == 10
    assert len(te) == 30 and is_anom.sum() == 15 and (is_anom == (y[te] == 0)).all()
    assert 0 < is_anom[:10].sum() < 10  # shuffled: a leading slice holds both classes
    assert not set(tr) & set(va) and not set(tr) & set(te) and not set(va) & set(te)
    with pytest.raises(ValueError, match="not enough"):
        anomaly_split(X, y, normal_label=1, n_train=None, n_val=10, n_test=100)


def test_empty_reconstruction_floor_is_the_total_intensity_score():
    from qmlhep.jets.anomaly_scores import empty_reconstruction_auc

    rng = np.random.default_rng(3)
    X = rng.random((40, 4, 4)) * (rng.random((40, 4, 4)) > 0.7)
    truth = (X.sum(axis=(1, 2)) > np.median(X.sum(axis=(1, 2)))).astype(int)
    assert empty_reconstruction_auc(X, truth) == pytest.approx(1.0)  # brighter = anomalous


@pytest.mark.slow
def test_training_recovers_from_outputs_pushed_below_the_clip():
    """Outputs far below 1e-7 (where probability cross-entropy has no gradient) must still
    train: the loss is computed from the logits."""
    rng = np.random.default_rng(4)
    X = np.zeros((256, 12, 12), np.float32)
    X[:, 5:7, 5:7] = rng.uniform(0.5, 1.0, (256, 2, 2))
    model = conv_autoencoder_12()
    logits = model.get_layer("logits")
    logits.bias.assign(np.full(logits.bias.shape, -30.0, np.float32))  # sigmoid ≈ 1e-13
    assert reconstruct(model, X[:4]).max() < 1e-7
    hist = train_autoencoder(
        model, X[:200], X[200:], epochs=12, batch_size=32, patience=12, learning_rate=1e-2
    )
    assert hist["loss"][-1] < 0.5 * hist["loss"][0]
    assert reconstruct(model, X[:4])[:, 5:7, 5:7].mean() > 0.1  # the core comes back


def test_average_image_reference_scores_against_the_mean_training_image():
    from qmlhep.jets.anomaly_scores import mean_image_auc

    rng = np.random.default_rng(5)
    normal = rng.random((50, 4, 4)) * 0.2
    test = np.concatenate([rng.random((20, 4, 4)) * 0.2, rng.random((20, 4, 4))])
    truth = np.repeat([0, 1], 20)
    expected = anomaly_auc(bce_per_image(test, np.broadcast_to(normal.mean(0), test.shape)), truth)
    assert mean_image_auc(normal, test, truth) == pytest.approx(expected)
    assert mean_image_auc(normal, test, truth) > 0.9  # far from the average: anomalous
