"""Keras helpers: seeding without TensorFlow, early stopping that restores the best epoch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from qmlhep.susy.dnn import DNNClassifier, dnn_config, n_params_mlp, small_dnn


def _toy(n=400, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.normal(size=(n, 3))
    X[:, 0] += 1.5 * y
    return X, y


def test_same_seed_same_network_and_keep_best_restores_best_epoch():
    X, y = _toy()
    a = DNNClassifier(hidden=(6,), max_iter=30, patience=4, random_state=3).fit(X, y)
    b = DNNClassifier(hidden=(6,), max_iter=30, patience=4, random_state=3).fit(X, y)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-6)
    val = a.history_["val_loss"]
    best = int(np.argmin(val))
    assert len(val) <= best + 1 + 4  # stopped within `patience` epochs of the best one


@pytest.mark.slow
def test_dnn_sizes_and_parameter_matched_counts():
    assert dnn_config(100) == (16, 16) and dnn_config(5_000) == (128,) * 4
    assert len(dnn_config(10**6)) == 6
    X, y = _toy()
    for nvar, expected in ((3, 26), (5, 43), (7, 64)):
        Xn = np.repeat(X, 3, axis=1)[:, :nvar]
        model = small_dnn(nvar, max_iter=2).fit(Xn, y)
        assert model.n_params_ == expected == n_params_mlp(nvar, model.hidden)


@pytest.mark.slow
def test_training_never_imports_tensorflow():
    code = (
        "import sys, numpy as np; from qmlhep.susy.dnn import DNNClassifier;"
        "DNNClassifier(hidden=(2,), max_iter=2).fit(np.random.rand(50, 2),"
        " np.arange(50) % 2); print('tensorflow' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "False"


def test_schedules_grow_with_the_training_set():
    from qmlhep.susy.bdt import bdt_config

    sizes = (100, 500, 1_000, 5_000, 50_000, 10**6)
    trees_depth = [bdt_config(n) for n in sizes]
    assert trees_depth == sorted(trees_depth) and bdt_config(101) == bdt_config(500)
    widths = [len(dnn_config(n)) * dnn_config(n)[0] for n in sizes]
    assert widths == sorted(widths)


def test_keep_best_tolerance_stops_a_creeping_loss():
    """A validation loss falling by 0.05 % an epoch never stops with no tolerance, nor with
    0.1 % (3 epochs of patience gain 0.15 %); with 0.5 % it stops after ``patience`` epochs
    without an improvement that large, keeping the last epoch that made one."""
    import keras
    import pytest

    from qmlhep.fitting.keras_loop import KeepBest

    def epochs_until_stop(min_improvement):
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        best = KeepBest(patience=3, min_improvement=min_improvement)
        model.stop_training = False
        best.set_model(model)
        best.reset()
        loss = 1.0
        for epoch in range(50):
            loss *= 0.9995 if epoch >= 5 else 0.9  # fast at first, then creeping
            best.on_epoch_end(epoch, {"val_loss": loss})
            if model.stop_training:
                return epoch + 1, best.best_epoch
        return None, best.best_epoch

    assert epochs_until_stop(0.0) == (None, 49)
    assert epochs_until_stop(1e-3) == (None, 49)  # 0.15 % in 3 epochs is an improvement
    assert epochs_until_stop(5e-3) == (8, 4)  # the last epoch that improved by > 0.5 %
    from qmlhep.fitting.early_stopping import kept_epoch

    losses = [0.9 ** min(e + 1, 5) * 0.9995 ** max(e - 4, 0) for e in range(8)]
    assert kept_epoch(losses, 5e-3) == 5  # 1-based: KeepBest's epoch 4
    assert kept_epoch(losses, 0.0) == 8  # every decrease counts: the lowest
    with pytest.raises(ValueError, match="min_improvement=1.5"):
        KeepBest(min_improvement=1.5)
