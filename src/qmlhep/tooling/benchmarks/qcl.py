"""``qcl.speedup``: one QCL cost evaluation, batched path vs the paper's Qulacs loop."""

from __future__ import annotations

import numpy as np

from qmlhep.susy.qcl_circuit import QCLCircuit
from qmlhep.susy.qcl_qulacs import expectations_qulacs
from qmlhep.tooling.bench import benchmark, best_time

N_EVENTS, N_QUBITS = 1000, 7


@benchmark("qcl.speedup")
def qcl_speedup() -> dict:
    """⟨Z0⟩, ⟨Z1⟩ of 1000 events on 7 qubits (depth 3), same circuit, same inputs."""
    rng = np.random.default_rng(0)
    circuit = QCLCircuit(N_QUBITS, depth=3)
    X = rng.uniform(-1, 1, (N_EVENTS, N_QUBITS))
    theta = rng.uniform(0, 2 * np.pi, circuit.n_params)
    _ = circuit.time_evolution  # built once by both paths; not part of a cost evaluation
    ref = expectations_qulacs(circuit, X, theta)
    if not np.allclose(circuit.expectations(X, theta), ref, atol=1e-10):
        raise AssertionError("batched QCL path disagrees with Qulacs")
    states = circuit.input_states(X)  # fixed during training: QCLClassifier.fit builds them once
    return {
        "baseline_s": best_time(lambda: expectations_qulacs(circuit, X, theta), repeat=3),
        "fast_s": best_time(lambda: circuit.expectations_from_states(states, theta), repeat=10),
        "what": f"one training cost evaluation, {N_EVENTS} events, {N_QUBITS} qubits, depth 3: "
        "per-event Qulacs loop as in the paper (input circuit built per event) vs "
        "batched exact path (input states built once per fit)",
    }
