"""The paper's implementation of QCL: Qulacs, one state vector per event.

Kept as the reference the batched path of :mod:`qmlhep.susy.qcl_circuit` is tested
and benchmarked against. It builds the same gates with Qulacs' own (``exp(+iθP/2)``)
rotations and the same dense time-evolution matrix.
"""

from __future__ import annotations

import numpy as np

from qmlhep.susy.qcl_circuit import N_OUTPUTS, QCLCircuit, readout_weights


def variational_circuit(circuit: QCLCircuit, theta: np.ndarray):
    """``U(θ)`` as a Qulacs ``ParametricQuantumCircuit``."""
    # imported here, not at the top: optional dependencies (extras): qulacs
    from qulacs import ParametricQuantumCircuit
    from qulacs.gate import DenseMatrix

    n = circuit.n_qubits
    th = np.asarray(theta, dtype=float).reshape(circuit.depth, n, 3)
    u = ParametricQuantumCircuit(n)
    for d in range(circuit.depth):
        u.add_gate(DenseMatrix(list(range(n)), circuit.time_evolution))
        for q in range(n):
            u.add_parametric_RX_gate(q, th[d, q, 0])
            u.add_parametric_RZ_gate(q, th[d, q, 1])
            u.add_parametric_RX_gate(q, th[d, q, 2])
    return u


def input_circuit(circuit: QCLCircuit, x: np.ndarray):
    """``U_in(x)`` for one event as a Qulacs ``QuantumCircuit``."""
    # imported here, not at the top: optional dependencies (extras): qulacs
    from qulacs import QuantumCircuit

    theta_y, theta_z = circuit.input_angles(np.asarray(x)[None, :])
    u = QuantumCircuit(circuit.n_qubits)
    for q in range(circuit.n_qubits):
        u.add_RY_gate(q, theta_y[0, q])
        u.add_RZ_gate(q, theta_z[0, q])
    if circuit.input_entangler:
        for q in range(circuit.n_qubits - 1):
            u.add_CNOT_gate(q, q + 1)
    return u


def expectations_qulacs(circuit: QCLCircuit, X: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """The two logits (``⟨Z_0⟩, ⟨Z_1⟩`` for the paper's readout) for every row of ``X``
    (``(N, n)``), one Qulacs state per event."""
    # imported here, not at the top: optional dependencies (extras): qulacs
    from qulacs import Observable, QuantumState

    n = circuit.n_qubits
    observables = []
    for weights in readout_weights(n, circuit.readout):
        obs = Observable(n)
        for q in np.flatnonzero(weights):
            obs.add_operator(float(weights[q]), f"Z {q}")
        observables.append(obs)
    u = variational_circuit(circuit, theta)
    out = np.empty((len(X), N_OUTPUTS))
    state = QuantumState(n)
    for i, x in enumerate(X):
        state.set_zero_state()
        input_circuit(circuit, x).update_quantum_state(state)
        u.update_quantum_state(state)
        out[i] = [obs.get_expectation_value(state) for obs in observables]
    return out
