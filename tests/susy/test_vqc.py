"""VQC: the feature map against its formula, both sampling routes against Aer, the
estimator, device noise and mitigation, the job store's resume logic, the secret scan."""

from __future__ import annotations

import json

import numpy as np
import pytest
from qiskit import QuantumCircuit, transpile
from qiskit.quantum_info import Statevector
from qiskit_aer.primitives import SamplerV2

from qmlhep.susy import ibm_devices
from qmlhep.susy.ibm_job_store import ResumableSampler
from qmlhep.susy.vqc import VQCClassifier
from qmlhep.susy.vqc_circuit import (
    feature_map,
    n_params,
    outcome_classes,
    variational_form,
    vqc_circuit,
)
from qmlhep.susy.vqc_sampling import (
    bitarray_counts,
    input_states,
    sampled_counts,
    statevector_counts,
)
from qmlhep.tooling import output_scan

TOL = 1e-10  # exact routes must agree to this


def _z(n):
    """``z[b, k]`` = eigenvalue of Z_k on basis state ``b`` (+1 for bit 0, -1 for bit 1)."""
    b = np.arange(2**n)
    return 1 - 2 * ((b[:, None] >> np.arange(n)) & 1)


def _formula_state(x, encoding):
    """``U_Φ(x) H^n |0⟩`` from the paper's formula: phases exp(i Σ φ_S Π z) / 2^(n/2)."""
    n, z = len(x), _z(len(x))
    phase = z @ x
    if encoding == "soe":
        for j in range(n):
            for k in range(j + 1, n):
                phase = phase + (np.pi - x[j]) * (np.pi - x[k]) * z[:, j] * z[:, k]
    return np.exp(1j * phase) / 2 ** (n / 2)


def _same_up_to_phase(a, b):
    return abs(abs(np.vdot(a, b)) - 1) < TOL


def test_single_qubit_feature_map_by_hand():
    # x = π/4: H|0> = (|0>+|1>)/√2, then exp(iπ/4 Z) = diag(e^{iπ/4}, e^{-iπ/4})
    state = Statevector(feature_map(1, "foe").assign_parameters([np.pi / 4])).data
    assert _same_up_to_phase(
        state, np.array([np.exp(1j * np.pi / 4), np.exp(-1j * np.pi / 4)]) / np.sqrt(2)
    )


@pytest.mark.parametrize("encoding", ["foe", "soe"])
@pytest.mark.parametrize("n", [2, 3])
def test_feature_map_matches_formula(encoding, n):
    x = np.array([0.3, -0.7, 0.9])[:n]
    state = Statevector(feature_map(n, encoding).assign_parameters(x)).data
    assert _same_up_to_phase(state, _formula_state(x, encoding))


def test_feature_map_depth_two_repeats_hadamards_and_phases():
    x = np.array([0.4, -0.2])
    once = _formula_state(x, "soe")  # U_Φ H|00>
    phases = once * 2  # the diagonal of U_Φ
    hadamard = np.array([[1, 1], [1, -1]]) / np.sqrt(2)
    twice = phases * (np.kron(hadamard, hadamard) @ once)  # U_Φ H U_Φ H|00>
    state = Statevector(feature_map(2, "soe", depth=2).assign_parameters(x)).data
    assert _same_up_to_phase(state, twice)


def test_parameter_counts_are_the_papers():
    for n, expected in ((3, 12), (5, 20), (7, 28)):
        assert n_params(n) == expected == variational_form(n).num_parameters
    assert n_params(3, var_depth=3) == variational_form(3, depth=3).num_parameters == 24


def test_outcome_mappings():
    aqua3 = outcome_classes(3, "aqua")  # majority vote
    assert aqua3[0b000] == 0 and aqua3[0b001] == 0 and aqua3[0b011] == 1 and aqua3[0b111] == 1
    assert list(outcome_classes(2, "aqua")) == [0, 1, 1, 0]  # parity for even n
    assert list(outcome_classes(3, "lsb")) == [0, 1] * 4
    with pytest.raises(ValueError, match="mapping"):
        outcome_classes(3, "nope")


def test_bitarray_counts_reads_qubit_order():
    qc = QuantumCircuit(3)
    qc.x(0)
    qc.x(2)
    qc.measure_all()
    result = SamplerV2(seed=1).run([qc], shots=50).result()
    counts = bitarray_counts(result[0].data.meas.reshape(1), 3)
    assert counts.shape == (1, 8) and counts[0, 0b101] == 50


def _random_case(n=3, events=6, encoding="soe", seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (events, n)), rng.uniform(0, 2 * np.pi, n_params(n)), encoding


def test_statevector_route_matches_the_whole_circuit():
    X, theta, enc = _random_case()
    states = input_states(feature_map(3, enc), X)
    probs = statevector_counts(states, variational_form(3), theta, shots=None, seed=0)
    circuit = vqc_circuit(3, enc, measure=False)
    for x, p in zip(X, probs, strict=True):
        bound = circuit.assign_parameters(np.concatenate([x, theta]))
        np.testing.assert_allclose(p, Statevector(bound).probabilities(), atol=TOL)


def test_aer_sampler_frequencies_agree_with_exact_probabilities():
    X, theta, enc = _random_case(events=4)
    shots = 20_000
    exact = statevector_counts(
        input_states(feature_map(3, enc), X), variational_form(3), theta, shots=None, seed=0
    )
    counts = sampled_counts(SamplerV2(seed=3), vqc_circuit(3, enc), X, theta, shots)
    sigma = np.sqrt(exact * (1 - exact) / shots) + 1e-4
    assert np.all(np.abs(counts / shots - exact) < 5 * sigma)  # 5 standard deviations


def _toy(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 3))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


def test_training_lowers_the_cost_on_separable_data():
    X, y = _toy()
    model = VQCClassifier(simulator="statevector", max_iter=80, random_state=2).fit(X, y)
    assert model.history_.cost.iloc[-1] < model.history_.cost.iloc[0] - 0.05
    assert model.score(X, y) > 0.75
    assert model.predict_proba(X).shape == (len(X), 2)


def test_estimator_errors_say_what_to_do():
    X, y = _toy(10)
    with pytest.raises(ValueError, match="n_params"):
        VQCClassifier(simulator="statevector", max_iter=5).fit(X, y)
    with pytest.raises(ValueError, match="noise model"):
        VQCClassifier(simulator="statevector", mitigator=object()).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        VQCClassifier(n_qubits=4, simulator="statevector").fit(X, y)


def test_device_transpilation_noise_and_mitigation():
    fake = ibm_devices.fake_device("johannesburg", seed=5)
    assert ibm_devices.calibration_date(fake).year == 2020
    qc = QuantumCircuit(3)
    qc.x(range(3))
    qc.measure_all()
    physical = transpile(qc, fake, initial_layout=[0, 1, 2], seed_transpiler=0)
    counts = sampled_counts(
        ibm_devices.noisy_sampler(fake, 1), physical, np.zeros((1, 3)), np.zeros(0), 4000
    )
    raw = counts[0, 0b111] / 4000
    assert raw < 0.95  # readout errors of a few per cent per qubit
    if not ibm_devices.mitigation_available():  # Python 3.13: mthree has no wheel
        with pytest.raises(ImportError, match="mthree"):
            ibm_devices.readout_mitigator(fake, [0, 1, 2])
        return
    model = VQCClassifier(mitigator=ibm_devices.readout_mitigator(fake, [0, 1, 2]))
    model.circuit_ = physical
    mitigated = model._mitigate(counts)[0, 0b111]
    assert abs(1 - mitigated) < abs(1 - raw) / 2


class _CountingSampler:
    """A sampler whose jobs are Aer's, counting submissions."""

    def __init__(self):
        self.inner, self.calls = SamplerV2(seed=4), 0

    def run(self, pubs, shots=None):
        self.calls += 1
        return self.inner.run(pubs, shots=shots)


def test_resumed_fit_submits_nothing_and_gives_the_same_model(tmp_path):
    X, y = _toy(12)
    first = ResumableSampler(_CountingSampler(), tmp_path, "fake")
    a = VQCClassifier(simulator=first, max_iter=15).fit(X, y)
    assert first.submitted == first.sampler.calls == 15
    again = ResumableSampler(_CountingSampler(), tmp_path, "fake")
    b = VQCClassifier(simulator=again, max_iter=15).fit(X, y)
    assert again.sampler.calls == 0
    np.testing.assert_array_equal(a.theta_, b.theta_)


def test_interrupted_job_is_looked_up_not_resubmitted(tmp_path):
    X, theta, enc = _random_case(events=2)
    circuit = vqc_circuit(3, enc)
    store = ResumableSampler(_CountingSampler(), tmp_path, "fake")
    first = sampled_counts(store, circuit, X, theta, 100)
    (entry_path,) = tmp_path.glob("*.json")
    job_id = json.loads(entry_path.read_text())["job_id"]
    for result in tmp_path.glob("*.npz"):  # as if the notebook stopped while queued
        result.unlink()
    kept = _CountingSampler().run([(circuit, np.zeros((2, 15)))], shots=100)
    looked_up = []
    resumed = ResumableSampler(
        _CountingSampler(), tmp_path, "fake", lookup=lambda i: looked_up.append(i) or kept
    )
    sampled_counts(resumed, circuit, X, theta, 100)
    assert looked_up == [job_id] and resumed.sampler.calls == 0
    assert first.sum() == 200  # 2 events x 100 shots
    for result in tmp_path.glob("*.npz"):
        result.unlink()
    with pytest.raises(RuntimeError, match="lookup"):  # an id but no way to fetch it
        sampled_counts(
            ResumableSampler(_CountingSampler(), tmp_path, "fake"), circuit, X, theta, 100
        )
    local = ResumableSampler(_CountingSampler(), tmp_path, "fake", resubmit_unfinished=True)
    sampled_counts(local, circuit, X, theta, 100)  # a local job died with its process
    assert local.sampler.calls == 1


def test_output_scan_finds_a_token_in_outputs_only(tmp_path, monkeypatch):
    secret = "canary-token-123456"
    monkeypatch.setenv("QISKIT_IBM_TOKEN", secret)
    cells = [
        {"cell_type": "code", "source": "os.environ['QISKIT_IBM_TOKEN']", "outputs": []},
        {
            "cell_type": "code",
            "source": "print(token)",
            "outputs": [{"output_type": "stream", "text": f"token is {secret}\n"}],
        },
    ]
    (tmp_path / "leaky.ipynb").write_text(json.dumps({"cells": cells}))
    (tmp_path / "clean.ipynb").write_text(json.dumps({"cells": cells[:1]}))
    secrets = output_scan.known_secrets(tmp_path / "no-accounts.json")
    assert secrets == [secret]
    assert output_scan.scan(tmp_path, secrets) == {tmp_path / "leaky.ipynb": [1]}
    assert output_scan.main([str(tmp_path)]) == 1


def test_product_twin_has_no_entangling_gate_and_stays_a_product_state():
    from qiskit.quantum_info import partial_trace

    rng = np.random.default_rng(2)
    for entanglement, product in (("none", True), ("full", False)):
        circuit = vqc_circuit(3, "foe", entanglement=entanglement, measure=False)
        flat = circuit.decompose(reps=3)
        two_qubit = [inst for inst in flat.data if inst.operation.num_qubits == 2]
        assert (not two_qubit) == product
        values = rng.uniform(0, 2 * np.pi, circuit.num_parameters)
        state = Statevector(circuit.assign_parameters(values))
        purity = [
            partial_trace(state, [r for r in range(3) if r != q]).purity().real for q in range(3)
        ]
        # every one-qubit reduced state is pure exactly when the state is a product
        assert np.allclose(purity, 1.0) == product


@pytest.mark.parametrize("entanglement", ["full", "linear", "none"])
@pytest.mark.parametrize("n, depth", [(3, 1), (4, 2)])
def test_the_fast_unitary_is_qiskits_operator(n, depth, entanglement):
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import Operator

    from qmlhep.susy.vqc_sampling import unitary

    form = variational_form(n, depth, entanglement)
    form.h(0)
    form.cx(0, n - 1)
    theta = np.random.default_rng(n).uniform(0, 2 * np.pi, form.num_parameters)
    want = Operator(form.assign_parameters(theta)).data
    assert np.abs(unitary(form, theta) - want).max() < 1e-12
    other = QuantumCircuit(2)  # a gate it does not know, and an angle expression
    a = Parameter("a")
    other.rx(2 * a, 0)
    other.swap(0, 1)
    want = Operator(other.assign_parameters([0.3])).data
    assert np.abs(unitary(other, [0.3]) - want).max() < 1e-12
