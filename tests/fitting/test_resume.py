"""Interrupted trainings resume from their checkpoints and end exactly where an
uninterrupted training ends (bit-identical on CPU)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from qmlhep.fitting import checkpoints
from qmlhep.fitting.checkpoints import Checkpoint, CheckpointError


@pytest.fixture(autouse=True)
def save_every_epoch(monkeypatch):
    """These trainings take a second: save after every epoch, as long ones do."""
    monkeypatch.setattr(checkpoints, "MIN_INTERVAL", 0.0)


class Interrupt(keras.callbacks.Callback):
    """Raises KeyboardInterrupt (as a kernel interrupt would) after epoch ``at``."""

    def __init__(self, at: int):
        super().__init__()
        self.at = at

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 == self.at:
            raise KeyboardInterrupt


def _images(n=96, seed=0):
    rng = np.random.default_rng(seed)
    return ((rng.random((n, 12, 12)) < 0.05) * rng.random((n, 12, 12))).astype("float32")


def _train_autoencoder(extra=None, epochs=6):
    from qmlhep.fitting.autoencoder_training import train_autoencoder
    from qmlhep.fitting.keras_loop import seed_everything
    from qmlhep.jets.conv_autoencoder import conv_autoencoder_12

    X = _images()
    seed_everything(3)
    model = conv_autoencoder_12(latent=4)
    if extra is None:
        return model, train_autoencoder(
            model, X[:64], X[64:], epochs=epochs, batch_size=16, patience=50, seed=3
        )
    from qmlhep.fitting import autoencoder_training

    original = autoencoder_training.fit

    def with_interrupt(*args, **kwargs):
        return original(*args, **kwargs, extra_callbacks=[extra])

    autoencoder_training.fit = with_interrupt
    try:
        return model, train_autoencoder(
            model, X[:64], X[64:], epochs=epochs, batch_size=16, patience=50, seed=3
        )
    finally:
        autoencoder_training.fit = original


@pytest.mark.slow
def test_keras_training_resumes_bit_identically(isolated):
    reference, ref_history = _train_autoencoder()
    checkpoints = isolated.cache / "checkpoints"
    assert not any(checkpoints.rglob("*.pkl"))  # finished trainings leave none (not full)

    with pytest.raises(KeyboardInterrupt):
        _train_autoencoder(Interrupt(at=3))
    saved = list(checkpoints.rglob("*.pkl"))
    assert len(saved) == 1  # the state after epoch 3

    resumed, history = _train_autoencoder()
    assert history["loss"] == ref_history["loss"]  # epochs 1-3 from the checkpoint, 4-6 run
    assert len(history["seconds"]) == 6
    for a, b in zip(reference.weights, resumed.weights, strict=True):
        np.testing.assert_array_equal(np.asarray(a.value), np.asarray(b.value))
    assert not any(checkpoints.rglob("*.pkl"))


def test_full_profile_keeps_finished_trainings(isolated, monkeypatch):
    monkeypatch.setenv("QMLHEP_PROFILE", "full")
    _, first = _train_autoencoder(epochs=2)
    assert len(list((isolated.cache / "checkpoints").rglob("*.pkl"))) == 1
    _, again = _train_autoencoder(epochs=2)  # restored, not retrained
    assert again["loss"] == first["loss"] and again["seconds"] == first["seconds"]


def test_models_that_differ_only_in_their_layers_never_share_a_checkpoint(isolated, monkeypatch):
    """Same weight shapes, same initial values, same data and seed, but another activation
    (as a circuit with and without its entanglers): the second trains, it does not load the
    first's finished state (kept in the full profile)."""
    import keras

    from qmlhep.fitting.autoencoder_training import train_autoencoder
    from qmlhep.fitting.keras_loop import seed_everything

    monkeypatch.setenv("QMLHEP_PROFILE", "full")
    X = _images().reshape(-1, 144)

    def model(activation):
        seed_everything(0)
        inputs = keras.Input((144,))
        hidden = keras.layers.Dense(8, activation=activation, name="code")(inputs)
        out = keras.layers.Dense(144, name="out")(hidden)
        return keras.Model(inputs, keras.layers.Activation("sigmoid")(out))

    histories = [
        train_autoencoder(model(a), X[:64], X[64:], epochs=2, batch_size=16, seed=0)
        for a in ("relu", "tanh")
    ]
    assert len(list((isolated.cache / "checkpoints").rglob("*.pkl"))) == 2
    assert histories[0]["loss"] != histories[1]["loss"]


def test_non_finite_loss_stops_training_with_epoch(isolated):
    from qmlhep.fitting.autoencoder_training import train_autoencoder
    from qmlhep.jets.conv_autoencoder import conv_autoencoder_12

    X = _images()
    model = conv_autoencoder_12(latent=4)
    weight = model.weights[0]
    weight.assign(np.full(weight.shape, np.nan, np.float32))  # diverged: the loss is NaN
    with pytest.raises(FloatingPointError, match="became nan at epoch 1"):
        train_autoencoder(model, X[:64], X[64:], epochs=3, batch_size=16)
    with pytest.raises(ValueError, match=r"X_train .* \(first rows \[5\]\)"):
        X[5, 3, 3] = np.inf  # and bad input never starts a training
        train_autoencoder(conv_autoencoder_12(latent=4), X[:64], X[64:], epochs=3, batch_size=16)


def test_unreadable_checkpoint_is_named(isolated):
    ckpt = Checkpoint("x", {"a": 1})
    ckpt.path.parent.mkdir(parents=True)
    ckpt.path.write_bytes(b"not a pickle")
    with pytest.raises(CheckpointError, match=str(ckpt.path)):
        ckpt.load()


COBYLA_SCRIPT = textwrap.dedent("""
    import sys, time
    import numpy as np
    from qmlhep.susy import circuit_classifier as cc

    cc.CircuitClassifier.journal_every = 20

    class Slow(cc.CircuitClassifier):
        who = "toy"
        def __init__(self, max_iter=300, random_state=1, n_qubits=None, prescaled=False):
            self.max_iter, self.random_state = max_iter, random_state
            self.n_qubits, self.prescaled = n_qubits, prescaled
        def fit(self, X, y):
            Xs, yi = self._prepare(X, y)
            def cost(theta):
                if len(sys.argv) > 1:
                    time.sleep(0.005)
                return float(np.sum((np.sin(theta[:, None] * Xs[:, :1].T) - yi) ** 2))
            self._minimise(cost, 6)
            return self

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), rng.integers(0, 2, 40)
    print("theta", Slow().fit(X, y).theta_.tobytes().hex(), flush=True)
""")


@pytest.mark.slow
def test_cobyla_fit_resumes_after_sigterm(isolated, tmp_path):
    script = tmp_path / "fit.py"
    script.write_text(COBYLA_SCRIPT)
    env = dict(os.environ)
    reference = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, check=True
    ).stdout
    slow = subprocess.Popen(
        [sys.executable, str(script), "slow"], env=env, stdout=subprocess.PIPE, text=True
    )
    journal = isolated.cache / "checkpoints" / "cobyla"
    for _ in range(600):  # wait until a part of the evaluations is journaled
        if any(journal.rglob("*.pkl")):
            break
        import time

        time.sleep(0.05)
    slow.send_signal(signal.SIGTERM)
    slow.wait(timeout=60)
    assert slow.returncode != 0 and any(journal.rglob("*.pkl"))
    resumed = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert resumed == reference
    assert not any(journal.rglob("*.pkl"))


@pytest.mark.slow
def test_sqae_training_resumes_bit_identically(isolated, monkeypatch):
    from qmlhep.jets import sqae as sqae_mod
    from qmlhep.simulation.patch_circuit import PatchCircuit

    images = _images(n=64, seed=1)

    def model():
        return sqae_mod.SQAE(
            PatchCircuit(), latent=4, batch_size=16, max_iter=4, patience=10, random_state=2
        )

    reference = model().fit(images[:48], validation=images[48:])
    original = sqae_mod.swap_test_fidelity.loss_and_grad
    calls = {"n": 0}

    def dying(*args, **kwargs):  # the kernel dies in the middle of epoch 3
        calls["n"] += 1
        if calls["n"] == 2 * 3 + 1:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(sqae_mod.swap_test_fidelity, "loss_and_grad", dying)
    with pytest.raises(KeyboardInterrupt):
        model().fit(images[:48], validation=images[48:])
    monkeypatch.setattr(sqae_mod.swap_test_fidelity, "loss_and_grad", original)
    assert len(list((isolated.cache / "checkpoints" / "sqae").glob("*.pkl"))) == 1
    resumed = model().fit(images[:48], validation=images[48:])
    np.testing.assert_array_equal(resumed.history_.loss, reference.history_.loss)
    for name in reference.params_:
        np.testing.assert_array_equal(resumed.params_[name], reference.params_[name])


def test_quick_epochs_are_not_saved_more_than_every_min_interval(isolated, monkeypatch):
    monkeypatch.setattr(checkpoints, "MIN_INTERVAL", 3600.0)
    ckpt = Checkpoint("x", {"a": 2}, min_interval=None)
    ckpt.save({"epoch": 0})
    assert not ckpt.path.exists()  # too soon after the start
    ckpt.save({"epoch": 1}, force=True)
    assert ckpt.load() == {"epoch": 1}


def test_atomic_writes_leave_nothing_and_clean_up_after_killed_writers(tmp_path):
    from qmlhep.storage.atomic import write_bytes

    target = tmp_path / "store.json"
    dead = tmp_path / ".store.json.999999999.x.tmp"
    dead.write_bytes(b"half")

    write_bytes(target, b"one")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.json"]  # leftover gone
    with pytest.raises(TypeError):
        write_bytes(target, object())  # a failed write
    assert target.read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.json"]
