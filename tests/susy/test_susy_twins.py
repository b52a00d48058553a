"""The SUSY chapters' controls can win: every input reaches their output, no parameter is
idle, and the VQC's classical twin trains on the VQC's events under the VQC's protocol."""

from __future__ import annotations

import numpy as np
import pytest

from qmlhep.simulation.feature_circuit import FeatureCircuit
from qmlhep.studies import qcl_twins
from qmlhep.studies.reupload_susy import READOUT, make_models
from qmlhep.studies.vqc_trials import run_trials, trial_samples, twin_makers
from qmlhep.susy.qcl_circuit import QCLCircuit
from qmlhep.susy.reuploading_events import ReuploadingEventClassifier
from qmlhep.susy.vqc_circuit import feature_map, outcome_classes, variational_form
from qmlhep.susy.vqc_sampling import input_states, statevector_counts
from twin_probe import assert_sees_everything, input_effects, parameter_effects

RNG = np.random.default_rng(7)


def _toy(n, d=3, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n // 2)
    X = rng.normal(size=(n, d)) + 0.8 * y[:, None]
    return X, y


# -- QCL ----------------------------------------------------------------------------------


def _qcl_probes(circuit: QCLCircuit):
    X = RNG.uniform(-0.9, 0.6, (30, circuit.n_qubits))  # +0.3 stays inside [-1, 1]
    theta = RNG.uniform(0, 2 * np.pi, circuit.n_params)

    def logit(z):
        return z[:, 1] - z[:, 0]

    return (
        lambda x: logit(circuit.expectations(x, theta)),
        X,
        lambda t: logit(circuit.expectations(X, t)),
        theta,
    )


@pytest.mark.parametrize("n_qubits", [3, 5])
def test_qcl_product_twin_with_every_qubit_read_sees_everything(n_qubits):
    for product in (True, False):  # the twin, and the QCL of the comparison
        circuit = QCLCircuit(n_qubits, hamiltonian_seed=3, product=product, readout="all")
        f, X, g, theta = _qcl_probes(circuit)
        assert_sees_everything(input_fx=f, X=X, param_f=g, theta=theta)


def test_the_papers_readout_leaves_the_product_twins_third_qubit_unread():
    circuit = QCLCircuit(3, hamiltonian_seed=3, product=True, readout="paper")
    f, X, g, theta = _qcl_probes(circuit)
    assert input_effects(f, X)[2] < 1e-9
    idle = np.flatnonzero(parameter_effects(g, theta) < 1e-9)
    assert set(idle) == {3 * 2 + 9 * d + k for d in range(3) for k in range(3)}  # qubit 2


def test_qcl_chapter_twins_read_every_qubit_and_train_on_everything():
    makers = qcl_twins.twin_makers(max_iter=40, dnn_epochs=2)
    assert list(makers) == list(qcl_twins.LABELS)
    quantum, product = makers[qcl_twins.QUANTUM](100, 0), makers["product twin"](100, 0)
    assert quantum.readout == product.readout == "all" and product.entangler == "none"
    dnn = makers["param.-matched DNN"](100, 0)
    assert dnn.early_stopping is False
    X, y = _toy(60)
    dnn.fit(X, y)
    assert dnn.scaler_.n_samples_seen_ == 60  # nothing held out
    assert "val_loss" not in dnn.history_ and len(dnn.history_["loss"]) == 2
    _assert_network_sees_everything(dnn, X)
    n = qcl_twins.n_params()
    assert n[qcl_twins.QUANTUM] == n["product twin"] == 27
    assert abs(n["param.-matched DNN"] - 27) <= 1


# -- networks (the DNN twins, the re-uploading circuits) ---------------------------------


def _assert_network_sees_everything(model, X):
    """Probe a fitted Keras-backed estimator: its inputs and every weight."""
    net = model.model_
    shapes = [w.shape for w in net.get_weights()]
    flat = np.concatenate([w.ravel() for w in net.get_weights()])
    Xs = model._inputs(X)

    def with_weights(t):
        out, i = [], 0
        for s in shapes:
            size = int(np.prod(s))
            out.append(t[i : i + size].reshape(s))
            i += size
        net.set_weights(out)
        return np.asarray(net(Xs)).ravel()

    try:
        assert_sees_everything(
            input_fx=lambda x: model.predict_proba(x)[:, 1], X=X, param_f=with_weights, theta=flat
        )
    finally:
        with_weights(flat)


def test_vqc_classical_twin_sees_everything():
    dnn = twin_makers(max_iter=14, twin_epochs=2)["classical twin (DNN)"](0)
    X, y = _toy(40)
    _assert_network_sees_everything(dnn.fit(X, y), X)


def _reupload_p(circuit: FeatureCircuit, readout: str):
    """``p(signal)`` of the circuit's batched simulation, as a function of ``(X, w, b)``."""
    import jax

    from qmlhep.simulation import patch_simulator

    @jax.jit
    def p(X, w, b):
        states = patch_simulator.final_states(circuit, {"w": w, "b": b}, circuit.patches(X))
        z = patch_simulator.z_expectations(states, circuit.n_qubits)
        return (1 - (z.mean(axis=1) if readout == "mean" else z[:, 0])) / 2

    return p


def _assert_reupload_sees_everything(circuit: FeatureCircuit, readout: str):
    p = _reupload_p(circuit, readout)
    X = RNG.normal(size=(30, circuit.n_features))
    w, b = RNG.normal(size=circuit.param_shape), RNG.uniform(-3, 3, circuit.param_shape)
    theta = np.concatenate([w.ravel(), b.ravel()])
    half = w.size

    def by_params(t):
        return np.asarray(p(X, t[:half].reshape(w.shape), t[half:].reshape(w.shape)))

    assert_sees_everything(
        input_fx=lambda x: np.asarray(p(x, w, b)), X=X, param_f=by_params, theta=theta
    )


def test_reupload_circuits_with_the_mean_readout_see_everything():
    quantum = ReuploadingEventClassifier(n_qubits=2, layers=2, max_iter=1, readout=READOUT)
    makers = make_models(quantum, n_inputs=3)
    for name, entangler in (("quantum", "cz"), ("product", "none")):
        model = makers[name](40, 0)
        assert (model.readout, model.entangler) == ("mean", entangler)
        _assert_reupload_sees_everything(model.circuit(3), model.readout)
    # with the first-qubit readout half the product twin is idle: the flaw this fixes
    with pytest.raises(AssertionError, match="never change the output"):
        _assert_reupload_sees_everything(FeatureCircuit(3, 2, 2, "none"), "first")


@pytest.mark.slow
def test_reupload_network_computes_the_mean_readout():
    import jax

    circuit = FeatureCircuit(3, n_qubits=2, layers=2, entangler="none")
    net = ReuploadingEventClassifier(2, 2, "none", readout="mean")._network(3)
    w, b = (np.asarray(v) for v in net.get_layer("circuit").get_weights())
    X = RNG.normal(size=(5, 3)).astype(np.float32)
    with jax.enable_x64(False):
        expected = _reupload_p(circuit, "mean")(X, w, b)
    np.testing.assert_allclose(np.asarray(net(X)).ravel(), np.asarray(expected), atol=1e-5)


def test_reupload_classical_twin_sees_everything():
    quantum = ReuploadingEventClassifier(n_qubits=2, layers=2, max_iter=1, readout=READOUT)
    X, y = _toy(40)
    _assert_network_sees_everything(make_models(quantum, n_inputs=3)["twin"](40, 0).fit(X, y), X)


def test_reupload_study_circuit_has_no_rz_before_the_measurement():
    # a last upload about Z would commute with the Z readout and idle its weight and bias
    assert FeatureCircuit(7, n_qubits=2, layers=3).pixel_axes()[-1] != "Z"


# -- VQC ----------------------------------------------------------------------------------


def _vqc_p1(entanglement, X, theta):
    states = input_states(feature_map(3, "foe"), X)
    probs = statevector_counts(states, variational_form(3, 1, entanglement), theta, None, 0)
    return probs @ outcome_classes(3)


def test_vqc_product_twin_sees_every_input_and_idles_only_what_the_vqc_idles():
    X = RNG.uniform(-1, 1, (30, 3))
    theta = RNG.uniform(0, 2 * np.pi, 12)
    final_rz = [9, 10, 11]  # RZ just before the Z-basis measurement: idle in any circuit
    idle = {}
    for entanglement in ("none", "full"):
        f = lambda x, e=entanglement: _vqc_p1(e, x, theta)
        g = lambda t, e=entanglement: _vqc_p1(e, X, t)
        assert_sees_everything(input_fx=f, X=X)
        idle[entanglement] = np.flatnonzero(parameter_effects(g, theta) < 1e-9).tolist()
    assert idle["none"] == idle["full"] == final_rz  # the twin idles nothing the VQC uses


def test_vqc_twins_train_on_the_vqcs_events_with_its_stopping_rule():
    rng = np.random.default_rng(1)
    y_pool = np.repeat([0, 1], 100)
    X_pool = rng.normal(size=(200, 3)) + 0.7 * y_pool[:, None]
    pools = (X_pool, y_pool, X_pool[::-1].copy(), y_pool[::-1].copy())
    makers = twin_makers(max_iter=14, twin_epochs=3, simulator="statevector", shots=None)
    trials = {
        name: run_trials(make, *pools, 40, 40, 2, progress=False)
        for name, make in makers.items()
        if name != "linear"
    }
    for t in range(2):
        X_tr = trial_samples(*pools, 40, 40, seed=t)[0]
        vqc, product = trials["VQC (FOE)"].models[t], trials["product twin"].models[t]
        dnn = trials["classical twin (DNN)"].models[t]
        # the same 40 events, all of them used for training by every model
        for model in (vqc, product):
            assert model.scaler_.n_samples_seen_ == 40
            np.testing.assert_array_equal(model.scaler_.data_min_, X_tr.min(axis=0))
        assert dnn.scaler_.n_samples_seen_ == 40
        np.testing.assert_allclose(dnn.scaler_.mean_, X_tr.mean(axis=0), rtol=1e-5)
        # a fixed budget, no event held out, nothing stopping early
        assert len(vqc.history_) <= 14 and len(product.history_) <= 14
        assert not dnn.early_stopping and "val_loss" not in dnn.history_
        assert len(dnn.history_["loss"]) == 3
    assert product.entangler == "none" and vqc.entangler == "full"
