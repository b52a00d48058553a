"""The QCL circuit written gate by gate in PennyLane: for drawing, and as an independent
statevector reference for the batched path (wire ``q`` is qubit ``q``)."""

from __future__ import annotations

import numpy as np
import pennylane as qml

from qmlhep.susy.qcl_circuit import QULACS_SIGN, QCLCircuit, readout_weights


def qcl_gates(circuit: QCLCircuit, x: np.ndarray, theta: np.ndarray) -> None:
    """Queue ``U(θ) U_in(x)`` (inputs ``x`` in [-1, 1], ``n`` values) inside a QNode."""
    n = circuit.n_qubits
    th = QULACS_SIGN * np.asarray(theta).reshape(circuit.depth, n, 3)
    for q in range(n):
        qml.RY(QULACS_SIGN * np.arcsin(x[q]), wires=q)
        qml.RZ(QULACS_SIGN * np.arccos(x[q] ** 2), wires=q)
    if circuit.input_entangler:
        for q in range(n - 1):
            qml.CNOT(wires=[q, q + 1])
    for d in range(circuit.depth):
        # the dense matrix lists the most significant qubit first
        qml.QubitUnitary(circuit.time_evolution, wires=list(reversed(range(n))))
        for q in range(n):
            qml.RX(th[d, q, 0], wires=q)
            qml.RZ(th[d, q, 1], wires=q)
            qml.RX(th[d, q, 2], wires=q)


def qcl_qnode(circuit: QCLCircuit, device: str = "default.qubit"):
    """A QNode ``f(x, theta) -> [logit 0, logit 1]`` of the circuit (``[⟨Z_0⟩, ⟨Z_1⟩]``
    for the paper's readout)."""
    W = readout_weights(circuit.n_qubits, circuit.readout)

    @qml.qnode(qml.device(device, wires=circuit.n_qubits))
    def run(x, theta):
        qcl_gates(circuit, x, theta)
        if circuit.readout == "paper":
            return [qml.expval(qml.PauliZ(0)), qml.expval(qml.PauliZ(1))]
        return [
            qml.expval(qml.dot(list(w[w != 0]), [qml.PauliZ(int(q)) for q in np.flatnonzero(w)]))
            for w in W
        ]

    return run
