"""The one optax loop: early stopping by the book's rule, frozen parameters, resumption
bit-identical to an uninterrupted training, for the loop and for its estimators."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from qmlhep.fitting import checkpoints, early_stopping, optax_loop
from qmlhep.fitting.checkpoints import Checkpoint

TARGET = np.array([0.3, -1.2, 2.0])
X = np.random.default_rng(0).normal(size=(40, 3))


@pytest.fixture(autouse=True)
def save_every_epoch(monkeypatch):
    monkeypatch.setattr(checkpoints, "MIN_INTERVAL", 0.0)


@jax.jit
@jax.value_and_grad
def _batch_loss(params, x):
    return jnp.mean((x @ params["w"] + params["b"] - x @ TARGET) ** 2)


def _loss(params, rows):
    return _batch_loss(params, X[rows])


def _train(loss_and_grad=None, **kw):
    settings = dict(
        learning_rate=0.05,
        epochs=30,
        rng=np.random.default_rng(4),
        batch_size=8,
        evaluate=lambda p: {"val_loss": float(np.sum((p["w"] - TARGET) ** 2)) + 0.1},
        monitor="val_loss",
        patience=3,
        min_improvement=0.01,
        checkpoint=Checkpoint("toy", {"case": kw.pop("case", 0)}, [X]),
    )
    settings.update(kw)
    start = {"w": np.zeros(3), "b": np.zeros(())}
    return optax_loop.train(start, loss_and_grad or _loss, len(X), **settings)


def test_it_learns_and_keeps_the_epoch_the_rule_keeps(isolated):
    trained = _train()
    history = trained.history
    assert history.loss.iloc[-1] < history.loss.iloc[0] / 2
    assert trained.best_epoch == early_stopping.kept_epoch(history.val_loss, 0.01)
    assert (trained.best_epoch, len(history)) == early_stopping.replay(history.val_loss, 3, 0.01)
    assert trained.stopped_early == (len(history) < 30)
    assert {"loss", "seconds", "val_loss", "eval_seconds"} <= set(history.columns)


def test_an_interrupted_training_resumes_bit_identically(isolated):
    reference = _train()
    assert not any((isolated.cache / "checkpoints").rglob("*.pkl"))  # deleted when done
    calls = {"n": 0}

    def dying(params, rows):  # the kernel dies in the middle of epoch 4
        calls["n"] += 1
        if calls["n"] == 5 * 3 + 2:
            raise KeyboardInterrupt
        return _loss(params, rows)

    with pytest.raises(KeyboardInterrupt):
        _train(dying)
    assert len(list((isolated.cache / "checkpoints" / "toy").glob("*.pkl"))) == 1
    resumed = _train()
    np.testing.assert_array_equal(resumed.history.loss, reference.history.loss)
    np.testing.assert_array_equal(resumed.history.val_loss, reference.history.val_loss)
    for name in reference.params:
        np.testing.assert_array_equal(resumed.params[name], reference.params[name])
    assert resumed.best_epoch == reference.best_epoch


def test_a_higher_is_better_criterion_and_frozen_parameters(isolated):
    trained = _train(
        evaluate=lambda p: {"score": -float(np.sum((p["w"] - TARGET) ** 2))},
        monitor="score",
        mode="max",
        frozen=("b",),
        case=1,
    )
    assert trained.params["b"] == 0.0
    assert trained.best_epoch == early_stopping.kept_epoch(trained.history.score, 0.01, "max")


def test_no_patience_runs_every_epoch_and_keeps_the_last(isolated):
    trained = _train(patience=None, epochs=5, batch_size=None, case=2)
    assert len(trained.history) == 5 and trained.best_epoch == 5 and not trained.stopped_early


def test_bad_settings_and_a_diverging_loss_are_named(isolated):
    with pytest.raises(ValueError, match="mode='best' must be one of"):
        _train(mode="best")
    with pytest.raises(ValueError, match="patience=0 must be an integer"):
        _train(patience=0)
    with pytest.raises(ValueError, match="40 training examples < batch size 64"):
        _train(batch_size=64)
    with pytest.raises(ValueError, match=r"frozen names \['c'\]"):
        _train(frozen=("c",))
    with pytest.raises(FloatingPointError, match="at epoch 1"):
        _train(lambda p, rows: (jnp.nan, {k: np.zeros_like(v) for k, v in p.items()}), case=3)


@pytest.mark.slow
def test_the_event_qae_resumes_bit_identically(isolated, monkeypatch):
    from qmlhep.bsm import event_qae

    rng = np.random.default_rng(1)
    angles, val = rng.uniform(0, np.pi, (48, 4)), rng.uniform(0, np.pi, (16, 4))

    def model():
        return event_qae.EventQAE(n_trash=2, batch_size=16, max_iter=4, patience=10)

    reference = model().fit(angles, validation=val)
    original = event_qae.optax_loop.train

    def interrupted(params, loss_and_grad, *args, **kwargs):
        calls = {"n": 0}

        def dying(p, rows):
            calls["n"] += 1
            if calls["n"] == 3 * 2 + 1:
                raise KeyboardInterrupt
            return loss_and_grad(p, rows)

        return original(params, dying, *args, **kwargs)

    monkeypatch.setattr(event_qae.optax_loop, "train", interrupted)
    with pytest.raises(KeyboardInterrupt):
        model().fit(angles, validation=val)
    monkeypatch.setattr(event_qae.optax_loop, "train", original)
    resumed = model().fit(angles, validation=val)
    np.testing.assert_array_equal(resumed.history_.loss, reference.history_.loss)
    np.testing.assert_array_equal(resumed.theta_, reference.theta_)
