"""The collapse detector: a model that returns the mean jet is flagged, an identity-like
one is not; the hybrid's decoder starts at the mean jet; seeds draw their own jets."""

import numpy as np
import pytest

from qmlhep.jets.collapse import (
    COLLAPSE_TOL,
    distances_to_mean,
    recon_vs_mean,
)


def _images(n=64, seed=0):
    rng = np.random.default_rng(seed)
    X = np.where(rng.uniform(size=(n, 12, 12)) < 0.1, rng.uniform(size=(n, 12, 12)), 0.0)
    X[:, 6, 6] = 1.0  # a lit centre, as in centred jet images
    return X.astype(np.float32)


def test_mean_reconstructor_is_flagged_and_identity_is_not():
    X = _images()
    mean = X.mean(axis=0)

    def average(images):  # the same image for every input
        return np.broadcast_to(mean, np.shape(images)).copy()

    def nearly_average(images):  # the mean plus a trace of the input, below the tolerance
        return average(images) + 1e-5 * np.asarray(images)

    def identity(images):
        return np.asarray(images).copy()

    assert recon_vs_mean(average, X, mean).median == 0.0
    assert recon_vs_mean(average, X, mean).collapsed
    assert recon_vs_mean(nearly_average, X, mean).collapsed
    check = recon_vs_mean(identity, X, mean)
    assert not check.collapsed and check.median > 0.1
    assert check.word() == "more than the mean jet"
    assert recon_vs_mean(average, X, mean).word() == "collapsed to the mean jet"


def test_distances_are_relative_to_the_image_norm():
    X = np.zeros((2, 2, 2))
    X[0, 0, 0], X[1, 0, 0] = 1.0, 2.0
    rec = np.zeros_like(X)
    rec[:, 1, 1] = 0.5
    d = distances_to_mean(X, rec, np.zeros((2, 2)))
    np.testing.assert_allclose(d, [0.5, 0.25])
    with pytest.raises(ValueError):
        distances_to_mean(X, rec, np.zeros(3))
    assert COLLAPSE_TOL == 1e-3


def test_tiny_dense_autoencoder_mean_vs_identity():
    """A one-layer autoencoder with zero weights returns its bias (the mean jet) for every
    input; with identity weights and no bias it returns the input."""
    X = _images(32, seed=1).reshape(32, -1)
    mean = X.mean(axis=0)

    def dense(W, b):
        return lambda images: (np.asarray(images).reshape(len(images), -1) @ W + b).reshape(
            np.shape(images)
        )

    flat = X.reshape(32, 12, 12)
    zero = dense(np.zeros((144, 144)), mean)
    eye = dense(np.eye(144), np.zeros(144))
    assert recon_vs_mean(zero, flat, mean.reshape(12, 12)).collapsed
    assert not recon_vs_mean(eye, flat, mean.reshape(12, 12)).collapsed


def test_hybrid_decoder_starts_at_the_mean_jet():
    from qmlhep.jets.hybrid_autoencoder import hybrid_autoencoder, mean_logits

    mean = _images().mean(axis=0)
    model = hybrid_autoencoder("classical", mean_image=mean)
    bias = np.asarray(model.get_layer("decoder").bias.value)
    np.testing.assert_allclose(bias, mean_logits(mean), rtol=1e-6)
    p = 1 / (1 + np.exp(-bias))
    np.testing.assert_allclose(p, np.clip(mean.ravel(), 1e-4, 1 - 1e-4), rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError):
        mean_logits(np.zeros(10))


def test_each_seed_draws_its_own_training_jets():
    from qmlhep.studies.hybrid import training_draw

    a, b = training_draw(100, 30, 0), training_draw(100, 30, 1)
    assert len(a) == len(set(a)) == 30 and not np.array_equal(a, b)
    np.testing.assert_array_equal(a, training_draw(100, 30, 0))
    np.testing.assert_array_equal(training_draw(20, 30, 0), np.arange(20))
    np.testing.assert_array_equal(training_draw(20, None, 1), np.arange(20))
