"""The Keras 3 quantum layer: same numbers as PennyLane, exact gradients, save and reload."""

from __future__ import annotations

import jax
import keras
import numpy as np
import pennylane as qml
import pytest

from qmlhep.jets.hybrid_autoencoder import hybrid_autoencoder
from qmlhep.simulation.keras_layer import QuantumPatchLayer
from qmlhep.simulation.swap_test_pennylane import upload_gates

SMALL = dict(image_shape=(5, 5), patch=3, stride=2, layers=2)  # 4 overlapping patches, 4 qubits


def _pennylane_z(layer: QuantumPatchLayer, image: np.ndarray) -> np.ndarray:
    c = layer.circuit
    w, b = (np.asarray(v.value, dtype=float) for v in (layer.w, layer.b))

    @qml.qnode(qml.device("default.qubit", wires=c.n_qubits))
    def run():
        upload_gates(c, w, b, c.patches(image[None])[0])
        return [qml.expval(qml.PauliZ(q)) for q in range(c.n_qubits)]

    return np.array(run())


def test_layer_matches_pennylane_circuit():
    layer = QuantumPatchLayer(**SMALL)
    images = np.random.default_rng(0).uniform(0, 1, (3, 5, 5)).astype("float32")
    out = np.asarray(layer(images))
    assert out.shape == (3, 4)
    for image, row in zip(images, out, strict=True):
        np.testing.assert_allclose(row, _pennylane_z(layer, image), atol=1e-5)  # float32


def test_gradients_match_finite_differences():
    with jax.enable_x64(True):
        layer = QuantumPatchLayer(**SMALL, dtype="float64")
        images = np.random.default_rng(1).uniform(0, 1, (2, 5, 5))
        layer.build(images.shape)
        coeff = np.random.default_rng(2).normal(size=4)

        @jax.jit  # traced once: the 20 finite-difference calls reuse the compiled loss
        def loss(w, b):
            values, _ = layer.stateless_call([w, b], [], images)
            return (values @ coeff).sum()

        w, b = (np.asarray(v.value) for v in (layer.w, layer.b))
        grad_w, grad_b = jax.grad(loss, argnums=(0, 1))(w, b)
        rng, eps = np.random.default_rng(3), 1e-6
        for _ in range(5):
            idx = tuple(rng.integers(0, s) for s in w.shape)
            for array, grad, name in ((w, grad_w, "w"), (b, grad_b, "b")):
                plus, minus = array.copy(), array.copy()
                plus[idx] += eps
                minus[idx] -= eps
                args = (plus, b) if name == "w" else (w, plus)
                args_m = (minus, b) if name == "w" else (w, minus)
                fd = (float(loss(*args)) - float(loss(*args_m))) / (2 * eps)
                assert abs(fd - float(grad[idx])) < 1e-6, (name, idx)


def test_saved_and_reloaded_model_gives_identical_outputs(tmp_path):
    inputs = keras.Input(shape=(5, 5))
    model = keras.Model(inputs, keras.layers.Dense(2)(QuantumPatchLayer(**SMALL)(inputs)))
    images = np.random.default_rng(4).uniform(0, 1, (4, 5, 5)).astype("float32")
    before = model.predict(images, verbose=0)
    model.save(tmp_path / "hybrid.keras")
    again = keras.models.load_model(tmp_path / "hybrid.keras")
    np.testing.assert_array_equal(again.predict(images, verbose=0), before)
    assert again.layers[1].get_config()["stride"] == 2


def test_hybrid_model_size_and_classical_twin():
    quantum, classical = hybrid_autoencoder("quantum"), hybrid_autoencoder("classical")
    assert quantum.count_params() == 3425  # seed study: 3423
    assert abs(classical.count_params() - quantum.count_params()) < 0.02 * quantum.count_params()
    assert quantum.get_layer("quantum").n_qubits == 16
    with pytest.raises(ValueError, match="'quantum' or 'classical'"):
        hybrid_autoencoder("both")


@pytest.mark.slow
def test_hybrid_training_lowers_the_loss_and_scores_every_test_jet(shared):
    from qmlhep.data.splits import quark_gluon_images
    from qmlhep.studies.hybrid import train_hybrid

    jets = quark_gluon_images(600, 128, 64, 100)
    run = train_hybrid(
        jets, "quantum", epochs=3, patience=3, learning_rate=1e-2, patch=5, stride=4
    )  # 4 qubits: fast
    assert run.model.get_layer("quantum").n_qubits == 4
    assert run.history.val_loss.iloc[-1] < run.history.val_loss.iloc[0]
    assert run.scores.shape == (len(jets.test),) and 0 < run.auc < 1
    assert len(run.history.seconds) == len(run.history) and run.s_per_epoch > 0
    assert 1 <= run.best_epoch <= 3
    with pytest.raises(ValueError, match="12×12"):
        train_hybrid(quark_gluon_images(600, 128, 64, 100, sizes=(40,)), "classical")
