"""QCL: the batched path against Qulacs (the paper's simulator) and PennyLane, and the estimator."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.metrics import roc_auc_score

from qmlhep.simulation import gates
from qmlhep.susy.qcl import QCLClassifier
from qmlhep.susy.qcl_circuit import QCLCircuit, readout_weights
from qmlhep.susy.qcl_pennylane import qcl_qnode
from qmlhep.susy.qcl_qulacs import expectations_qulacs

TOL = 1e-10  # agreement required between the simulation paths


def _random(n_qubits, n_events, seed=0, depth=3, entangler=False):
    rng = np.random.default_rng(seed)
    circuit = QCLCircuit(
        n_qubits, depth=depth, hamiltonian_seed=seed + 1, input_entangler=entangler
    )
    X = rng.uniform(-1, 1, (n_events, n_qubits))
    return circuit, X, rng.uniform(0, 2 * np.pi, circuit.n_params)


@pytest.mark.parametrize("n_qubits", [3, 5, 7])
@pytest.mark.parametrize("entangler", [False, True])
def test_batched_path_matches_qulacs(n_qubits, entangler):
    # 40 events < 2**7 runs the layer-by-layer route, 300 > 2**7 the one-unitary route
    for n_events in (40, 300):
        circuit, X, theta = _random(n_qubits, n_events, entangler=entangler)
        np.testing.assert_allclose(
            circuit.expectations(X, theta), expectations_qulacs(circuit, X, theta), atol=TOL, rtol=0
        )


@pytest.mark.parametrize("n_qubits,entangler", [(3, False), (5, True), (7, False)])
def test_batched_path_matches_pennylane_statevector(n_qubits, entangler):
    circuit, X, theta = _random(n_qubits, 3, seed=4, entangler=entangler)
    ours = circuit.expectations(X, theta)
    for device in ("default.qubit", "lightning.qubit"):
        run = qcl_qnode(circuit, device)
        for x, row in zip(X, ours, strict=True):
            np.testing.assert_allclose(row, np.array(run(x, theta)), atol=TOL)


def test_unitary_routes_agree_and_are_unitary():
    circuit, _, theta = _random(4, 1, depth=2)
    U = circuit.unitary(theta)
    np.testing.assert_allclose(U, circuit.evolve(np.eye(16, dtype=complex), theta).T, atol=TOL)
    # the definition, layer by layer: the Kronecker product of the blocks after exp(-iHt)
    literal = np.eye(16, dtype=complex)
    for block in circuit.layer_gates(theta):
        literal = gates.operator(4, dict(enumerate(block))) @ circuit.time_evolution @ literal
    np.testing.assert_allclose(U, literal, atol=TOL)
    np.testing.assert_allclose(U.conj().T @ U, np.eye(16), atol=TOL)


def test_parameter_counts_are_the_papers():
    assert [QCLCircuit(n).n_params for n in (3, 5, 7)] == [27, 45, 63]
    with pytest.raises(ValueError, match="expected 27 parameters"):
        QCLCircuit(3).expectations(np.zeros((1, 3)), np.zeros(26))


def _toy(n=400, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.normal(size=(n, 3)) * 10 + 40  # arbitrary units: the estimator scales them
    X[:, 0] += 30 * y
    return X, y


def test_classifier_learns_a_separable_toy_and_is_reproducible():
    X, y = _toy()
    model = QCLClassifier(max_iter=400, random_state=3).fit(X[:200], y[:200])
    assert model.history_.cost.iloc[-1] < model.history_.cost.iloc[0]
    proba = model.predict_proba(X[200:])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert roc_auc_score(y[200:], proba[:, 1]) > 0.9
    again = clone(model).fit(X[:200], y[:200])
    np.testing.assert_array_equal(again.theta_, model.theta_)


def test_qulacs_backend_trains_to_the_same_model():
    X, y = _toy(60)
    # COBYLA branches on comparisons, so a long run can amplify a rounding difference of
    # 1e-16 between the backends; a short run must follow the same path exactly
    fast = QCLClassifier(max_iter=32, random_state=1).fit(X, y)
    slow = QCLClassifier(max_iter=32, random_state=1, simulator="qulacs").fit(X, y)
    np.testing.assert_allclose(slow.history_.cost, fast.history_.cost, atol=1e-10)
    np.testing.assert_allclose(slow.predict_proba(X), fast.predict_proba(X), atol=1e-10)
    # and a longer fit's parameters give the same probabilities on either backend
    trained = QCLClassifier(max_iter=60, random_state=1).fit(X, y)
    reference = clone(trained).set_params(simulator="qulacs")
    reference.__dict__.update({k: v for k, v in vars(trained).items() if k.endswith("_")})
    np.testing.assert_allclose(reference.predict_proba(X), trained.predict_proba(X), atol=1e-10)


def test_training_range_scales_and_later_data_is_clipped():
    X, y = _toy(100)
    model = QCLClassifier(max_iter=30).fit(X, y)
    scaled = model.scaler_.transform(X)
    np.testing.assert_allclose(scaled.min(axis=0), -1)
    np.testing.assert_allclose(scaled.max(axis=0), 1)
    far = X[:2] + 1e3  # far outside the training range: clipped to the edge, still finite
    assert np.isfinite(model.predict_proba(far)).all()
    np.testing.assert_allclose(
        model.predict_proba(far), model.predict_proba(np.tile(X.max(axis=0), (2, 1)))
    )


def test_string_labels_and_prescaled_inputs():
    X, y = _toy(80)
    labels = np.where(y == 1, "signal", "background")
    model = QCLClassifier(max_iter=30).fit(X, labels)
    assert list(model.classes_) == ["background", "signal"]
    assert set(model.predict(X)) <= {"background", "signal"}
    with pytest.raises(ValueError, match="outside \\[-1, 1\\]"):
        QCLClassifier(max_iter=30, prescaled=True).fit(X, y)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_features_fail_before_any_simulation(bad):
    X, y = _toy(50)
    X[7, 1] = bad
    with pytest.raises(ValueError, match="NaN or infinite values in 1 samples.*rows \\[7\\]"):
        QCLClassifier(max_iter=30).fit(X, y)
    model = QCLClassifier(max_iter=30).fit(*_toy(50))
    with pytest.raises(ValueError, match="NaN or infinite"):
        model.predict_proba(X)


def test_feature_count_must_match_the_qubits():
    X, y = _toy(50)
    with pytest.raises(ValueError, match="3 features but the circuit has 5 qubits"):
        QCLClassifier(n_qubits=5, max_iter=30).fit(X, y)
    model = QCLClassifier(max_iter=30).fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but QCLClassifier is expecting 3"):
        model.predict_proba(X[:, :2])
    with pytest.raises(ValueError, match="binary"):
        QCLClassifier(max_iter=30).fit(X, y % 2 + (X[:, 0] > 60))


def test_product_twin_entangles_nothing():
    rng = np.random.default_rng(5)
    X = rng.uniform(-1, 1, (20, 3))
    moved = X.copy()
    moved[:, 1:] = rng.uniform(-1, 1, (20, 2))  # every input but qubit 0's changes
    for product, independent in ((True, True), (False, False)):
        circuit = QCLCircuit(3, product=product)
        theta = rng.uniform(0, 2 * np.pi, circuit.n_params)
        z0, z0_moved = (
            circuit.expectations(X, theta)[:, 0],
            circuit.expectations(moved, theta)[:, 0],
        )
        # without couplings qubit 0 never hears of the other inputs; with them it does
        assert np.allclose(z0, z0_moved, atol=1e-12) == independent
        np.testing.assert_allclose(
            circuit.expectations(X, theta), expectations_qulacs(circuit, X, theta), atol=1e-10
        )
    a_full, _ = QCLCircuit(3).couplings
    a_prod, J_prod = QCLCircuit(3, product=True).couplings
    np.testing.assert_array_equal(a_full, a_prod)  # the same fields, no couplings
    assert not J_prod.any()
    with pytest.raises(ValueError, match="cannot be combined with input_entangler"):
        QCLCircuit(3, product=True, input_entangler=True)


@pytest.mark.parametrize("product", [False, True])
def test_every_qubit_readout_matches_qulacs_and_pennylane(product):
    rng = np.random.default_rng(8)
    circuit = QCLCircuit(5, depth=2, hamiltonian_seed=2, product=product, readout="all")
    X, theta = rng.uniform(-1, 1, (40, 5)), rng.uniform(0, 2 * np.pi, circuit.n_params)
    ours = circuit.expectations(X, theta)
    np.testing.assert_allclose(ours, expectations_qulacs(circuit, X, theta), atol=TOL, rtol=0)
    run = qcl_qnode(circuit)
    np.testing.assert_allclose(ours[:2], np.array([run(x, theta) for x in X[:2]]), atol=TOL)
    # logits: mean <Z_q> over the even qubits (0, 2, 4) and over the odd ones (1, 3)
    np.testing.assert_allclose(
        readout_weights(5, "all"), [[1 / 3, 0, 1 / 3, 0, 1 / 3], [0, 1 / 2, 0, 1 / 2, 0]]
    )
    np.testing.assert_array_equal(readout_weights(3, "paper"), [[1, 0, 0], [0, 1, 0]])
    assert QCLCircuit(3).readout == "paper"  # the paper's reproduction is the default
    with pytest.raises(ValueError, match="readout must be one of"):
        QCLCircuit(3, readout="first")
