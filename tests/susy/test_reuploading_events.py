"""The re-uploading classifier for events: engine against PennyLane, the twins, learning."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pennylane as qml
import pytest
from sklearn.metrics import roc_auc_score

from qmlhep.simulation import patch_simulator
from qmlhep.simulation.feature_circuit import FeatureCircuit
from qmlhep.simulation.swap_test_pennylane import upload_gates
from qmlhep.susy.dnn import n_params_mlp, width_for_params
from qmlhep.susy.reuploading_events import ReuploadingEventClassifier, classical_twin

TOL = 1e-10  # the engine in double precision against PennyLane's default.qubit


def _engine_z(circuit, params, X):
    with jax.enable_x64(True):
        patches = circuit.patches(jnp.asarray(X, jnp.float64))
        p = {k: jnp.asarray(v, jnp.float64) for k, v in params.items()}
        states = patch_simulator.final_states(circuit, p, patches)
        return np.asarray(patch_simulator.z_expectations(states, circuit.n_qubits))


@pytest.mark.parametrize("entangler", ["cz", "cnot", "none"])
def test_engine_matches_default_qubit(entangler):
    circuit = FeatureCircuit(n_features=5, n_qubits=3, layers=2, entangler=entangler)
    rng = np.random.default_rng(4)
    params = {"w": rng.normal(size=circuit.param_shape), "b": rng.normal(size=circuit.param_shape)}
    X = rng.normal(size=(3, 5))

    @qml.qnode(qml.device("default.qubit", wires=circuit.n_qubits))
    def z(x):
        upload_gates(circuit, params["w"], params["b"], np.tile(x, (circuit.n_qubits, 1)))
        return [qml.expval(qml.PauliZ(q)) for q in range(circuit.n_qubits)]

    ours = _engine_z(circuit, params, X)
    for i, x in enumerate(X):
        np.testing.assert_allclose(ours[i], np.asarray(z(x)), atol=TOL, rtol=0)


@pytest.mark.slow
def test_product_twin_is_a_product_of_single_qubit_circuits():
    # without entanglers, qubit q's <Z> is that of its own one-qubit circuit
    full = FeatureCircuit(n_features=4, n_qubits=3, layers=3, entangler="none")
    rng = np.random.default_rng(1)
    params = {"w": rng.normal(size=full.param_shape), "b": rng.normal(size=full.param_shape)}
    X = rng.normal(size=(6, 4))
    z = _engine_z(full, params, X)
    one = FeatureCircuit(n_features=4, n_qubits=1, layers=3, entangler="none")
    for q in range(3):
        single = {k: v[:, q : q + 1] for k, v in params.items()}
        np.testing.assert_allclose(z[:, q], _engine_z(one, single, X)[:, 0], atol=TOL)
    assert full.entangler_pairs() == []
    assert FeatureCircuit(4, n_qubits=3).entangler_pairs() == [(0, 1), (1, 2), (2, 0)]


def test_bad_circuit_arguments_are_named():
    with pytest.raises(ValueError, match="n_qubits must be a positive integer"):
        FeatureCircuit(3, n_qubits=0)
    with pytest.raises(ValueError, match="entangler must be one of"):
        FeatureCircuit(3, entangler="swap")
    with pytest.raises(ValueError, match=r"expected events of shape \(n, 3\)"):
        FeatureCircuit(3).patches(np.zeros((2, 4)))


def _toy(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.normal(size=(n, 3)) * 5 + 20  # arbitrary units: the estimator standardises
    X[:, 0] += 8 * y
    return X, y


@pytest.mark.slow
def test_classifier_learns_and_its_parameters_are_the_circuits():
    X, y = _toy(600, 0)
    X_test, y_test = _toy(400, 1)
    model = ReuploadingEventClassifier(n_qubits=2, layers=2, max_iter=15, patience=5).fit(X, y)
    assert model.n_params_ == model.circuit(3).n_params == 2 * 2 * 2 * 3
    proba = model.predict_proba(X_test)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    assert ((proba >= 0) & (proba <= 1)).all()
    assert roc_auc_score(y_test, proba[:, 1]) > 0.8


def test_the_classical_twin_has_as_many_parameters_as_widths_allow():
    quantum = ReuploadingEventClassifier(n_qubits=2, layers=3, max_iter=7, patience=3)
    twin = classical_twin(quantum, n_inputs=7)
    n_quantum = quantum.circuit(7).n_params  # 84
    width = twin.hidden[0]
    n_twin = n_params_mlp(7, (width,))
    assert abs(n_twin - n_quantum) <= (7 + 2) / 2
    assert (twin.max_iter, twin.patience, twin.batch_size) == (7, 3, quantum.batch_size)
    assert width_for_params(1, 7) == 1
