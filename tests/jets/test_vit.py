"""Vision transformers: the Gaussian attention formula, the quantum attention against
PennyLane and finite differences, model sizes, saving, and a short training run."""

from __future__ import annotations

import jax
import keras
import numpy as np
import pennylane as qml
import pytest

from qmlhep.jets.image_classifier import ImageClassifier, conv_classifier_12
from qmlhep.jets.quantum_attention import (
    QuantumSelfAttention,
    gaussian_attention,
    quantum_vision_transformer,
)
from qmlhep.jets.vit import attention_maps, vision_transformer
from qmlhep.simulation.swap_test_pennylane import upload_gates


def test_gaussian_attention_is_the_formula():
    q = np.array([[0.0, 0.5, -1.0]])
    k = np.array([[0.0, 1.0, 0.25]])
    got = np.asarray(gaussian_attention(q, k))[0]
    # by hand, row s = 1 (q = 0.5): exp(-0.25), exp(-0.25), exp(-0.0625), normalised
    row = np.exp([-0.25, -0.25, -0.0625])
    np.testing.assert_allclose(got[1], row / row.sum(), rtol=1e-6)
    for s in range(3):
        e = np.exp(-((q[0, s] - k[0]) ** 2))
        np.testing.assert_allclose(got[s], e / e.sum(), rtol=1e-6)


def _pennylane_z(circuit_layer, grid: np.ndarray) -> np.ndarray:
    c = circuit_layer.circuit
    w, b = (np.asarray(v.value, dtype=float) for v in (circuit_layer.w, circuit_layer.b))

    @qml.qnode(qml.device("default.qubit", wires=c.n_qubits))
    def run():
        upload_gates(c, w, b, c.patches(grid[None].astype(float))[0])
        return [qml.expval(qml.PauliZ(q)) for q in range(c.n_qubits)]

    return np.array(run())


def test_quantum_attention_matches_pennylane_for_one_image():
    layer = QuantumSelfAttention(16, (4, 4), layers=2)
    tokens = np.random.default_rng(0).uniform(0, 1, (1, 5, 16)).astype("float32")
    out, weights = (np.asarray(t) for t in layer(tokens))
    grids = tokens[0].reshape(5, 4, 4)
    q = np.array([_pennylane_z(layer.query, g)[0] for g in grids])
    k = np.array([_pennylane_z(layer.key, g)[0] for g in grids])
    v = np.array([_pennylane_z(layer.value, g) for g in grids])  # (T, 4)
    alpha = np.exp(-((q[:, None] - k[None, :]) ** 2))
    alpha /= alpha.sum(axis=1, keepdims=True)
    kernel, bias = (np.asarray(x.value) for x in (layer.project.kernel, layer.project.bias))
    np.testing.assert_allclose(weights[0], alpha, atol=1e-5)  # float32
    np.testing.assert_allclose(out[0], alpha @ v @ kernel + bias, atol=1e-5)


def test_quantum_attention_gradients_match_finite_differences():
    with jax.enable_x64(True):
        layer = QuantumSelfAttention(16, (4, 4), layers=1, dtype="float64")
        tokens = np.random.default_rng(1).uniform(0, 1, (2, 3, 16))
        layer.build(tokens.shape)
        names = [v.path for v in layer.trainable_variables]
        values = [np.asarray(v.value) for v in layer.trainable_variables]

        @jax.jit  # traced once: the finite-difference calls reuse the compiled loss
        def loss(values):
            (out, _), _ = layer.stateless_call(values, [], tokens)
            return (out**2).sum()

        grads = jax.grad(loss)(values)
        rng, eps = np.random.default_rng(2), 1e-6
        for i, name in enumerate(names):
            idx = tuple(rng.integers(0, s) for s in values[i].shape)
            plus = [v.copy() for v in values]
            minus = [v.copy() for v in values]
            plus[i][idx] += eps
            minus[i][idx] -= eps
            fd = (float(loss(plus)) - float(loss(minus))) / (2 * eps)
            assert abs(fd - float(grads[i][idx])) < 1e-6 * max(1.0, abs(fd)), (name, idx)


def test_models_have_comparable_sizes_and_valid_attention():
    vit, qvit = vision_transformer(), quantum_vision_transformer()
    assert abs(vit.count_params() - qvit.count_params()) < 0.05 * vit.count_params()
    images = np.random.default_rng(3).uniform(0, 1, (4, 12, 12)).astype("float32")
    for model in (vit, qvit):
        maps = attention_maps(model, images)
        assert maps.shape == (4, 9, 9)
        np.testing.assert_allclose(maps.sum(axis=-1), 1.0, atol=1e-5)
    with pytest.raises(ValueError, match="rows × cols = dim"):
        QuantumSelfAttention(12, (4, 4))
    with pytest.raises(ValueError, match="does not tile"):
        vision_transformer(patch=5)


@pytest.mark.slow
def test_quantum_vit_saves_and_reloads(tmp_path):
    model = quantum_vision_transformer(layers=1)
    images = np.random.default_rng(4).uniform(0, 1, (3, 12, 12, 1)).astype("float32")
    before = model.predict(images, verbose=0)
    model.save(tmp_path / "qvit.keras")
    again = keras.models.load_model(tmp_path / "qvit.keras")
    np.testing.assert_array_equal(again.predict(images, verbose=0), before)


@pytest.mark.slow
def test_short_training_separates_bright_from_dark_images():
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 256)
    X = rng.uniform(0, 0.3, (256, 12, 12)) + 0.5 * y[:, None, None] * (
        np.hypot(*np.mgrid[-5.5:6.5, -5.5:6.5]) < 3
    )  # class 1: a bright core
    clf = ImageClassifier(conv_classifier_12, max_iter=8, patience=8, learning_rate=1e-2).fit(X, y)
    assert clf.history_.loss.iloc[-1] < clf.history_.loss.iloc[0]
    assert (clf.predict(X) == y).mean() > 0.9
    assert clf.predict_proba(X).shape == (256, 2) and clf.n_params_ == 1537


def test_quark_gluon_split_is_stratified_disjoint_and_capped(shared):
    from qmlhep.data.splits import quark_gluon_split

    small = quark_gluon_split(1_000, 300, 500, 5_000, size=12, seed=0)
    assert small.test.shape == (200, 12, 12)  # capped at a fifth of the jets
    assert len(small.y_val) == 100  # capped at a tenth
    assert len(small.y_train) == 300 and abs(small.y_train.mean() - small.y_test.mean()) < 0.05
    bigger = quark_gluon_split(1_000, None, 100, 200, size=12, seed=0)
    np.testing.assert_array_equal(bigger.test, small.test)  # the test set does not move
    assert len(bigger.y_train) == 700
    rows = {tuple(x.ravel()) for x in bigger.train} & {tuple(x.ravel()) for x in bigger.test}
    assert not rows - {tuple(np.zeros(144))}  # no jet in two parts (empty images aside)
