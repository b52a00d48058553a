"""One small variational circuit, written in NumPy, PennyLane, Qiskit and Qulacs.

The circuit on two qubits, for an input ``x = (x0, x1)`` (radians) and four trained
angles ``theta``::

    q0: ─RY(x0)─RY(θ0)─●─RY(θ2)─  ⟨Z0⟩
    q1: ─RY(x1)─RY(θ1)─X─RY(θ3)─

with ``RY(a) = exp(-i a Y / 2)``. :func:`expectation` is the reference (plain NumPy
matrices from :mod:`qmlhep.simulation.gates`); the three framework versions must agree
with it to 1e-12 (the primer shows it, the tests check it), and :func:`parameter_shift`
is the exact gradient rule a quantum computer uses, checked against PennyLane's automatic
differentiation.
"""

from __future__ import annotations

import numpy as np

from qmlhep.simulation import gates

N_QUBITS, N_PARAMS = 2, 4


def expectation(x, theta) -> float:
    """⟨Z0⟩ of the circuit for one input ``x`` (2,) and angles ``theta`` (4,)."""
    x, theta = np.asarray(x, dtype=float), np.asarray(theta, dtype=float)
    state = np.zeros(4, dtype=complex)
    state[0] = 1.0
    layer = np.kron(gates.ry(theta[0]) @ gates.ry(x[0]), gates.ry(theta[1]) @ gates.ry(x[1]))
    cnot = np.eye(4)[:, [0, 1, 3, 2]]  # control qubit 0 (the left factor), target qubit 1
    last = np.kron(gates.ry(theta[2]), gates.ry(theta[3]))
    state = last @ cnot @ layer @ state
    z0 = np.kron(np.diag([1.0, -1.0]), np.eye(2))
    return float(np.real(state.conj() @ z0 @ state))


def pennylane_expectation(x, theta) -> float:
    """The same circuit on PennyLane's ``default.qubit``."""

    return float(_pennylane_qnode()(np.asarray(x, dtype=float), np.asarray(theta, dtype=float)))


def _pennylane_qnode():
    # imported here, not at the top: optional dependencies (extras): pennylane
    import pennylane as qml

    dev = qml.device("default.qubit", wires=N_QUBITS)

    @qml.qnode(dev)
    def circuit(x, theta):
        qml.RY(x[0], wires=0)
        qml.RY(x[1], wires=1)
        qml.RY(theta[0], wires=0)
        qml.RY(theta[1], wires=1)
        qml.CNOT(wires=[0, 1])
        qml.RY(theta[2], wires=0)
        qml.RY(theta[3], wires=1)
        return qml.expval(qml.PauliZ(0))

    return circuit


def qiskit_circuit(x, theta):
    """The circuit as a Qiskit ``QuantumCircuit`` (drawn by the primer, run by
    :func:`qiskit_expectation`)."""
    # imported here, not at the top: optional dependencies (extras): qiskit
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(N_QUBITS)
    qc.ry(float(x[0]), 0)
    qc.ry(float(x[1]), 1)
    qc.ry(float(theta[0]), 0)
    qc.ry(float(theta[1]), 1)
    qc.cx(0, 1)
    qc.ry(float(theta[2]), 0)
    qc.ry(float(theta[3]), 1)
    return qc


def qiskit_expectation(x, theta) -> float:
    """The same circuit with Qiskit's exact ``Statevector``. Qiskit orders qubits from the
    right, so Z on qubit 0 is the Pauli string ``"IZ"``."""
    # imported here, not at the top: optional dependencies (extras): qiskit
    from qiskit.quantum_info import SparsePauliOp, Statevector

    state = Statevector.from_instruction(qiskit_circuit(x, theta))
    return float(np.real(state.expectation_value(SparsePauliOp("IZ"))))


def qulacs_expectation(x, theta) -> float:
    """The same circuit on Qulacs. Its ``add_RY_gate`` rotates by ``exp(+i a Y/2)``, the
    opposite sign; ``add_RotY_gate`` is the textbook ``RY`` used here."""
    # imported here, not at the top: optional dependencies (extras): qulacs
    from qulacs import Observable, QuantumCircuit, QuantumState

    circuit = QuantumCircuit(N_QUBITS)
    for qubit, angle in ((0, x[0]), (1, x[1]), (0, theta[0]), (1, theta[1])):
        circuit.add_RotY_gate(qubit, float(angle))
    circuit.add_CNOT_gate(0, 1)
    circuit.add_RotY_gate(0, float(theta[2]))
    circuit.add_RotY_gate(1, float(theta[3]))
    state = QuantumState(N_QUBITS)
    state.set_zero_state()
    circuit.update_quantum_state(state)
    z0 = Observable(N_QUBITS)
    z0.add_operator(1.0, "Z 0")
    return float(z0.get_expectation_value(state))


def parameter_shift(x, theta, f=expectation) -> np.ndarray:
    """∂f/∂θ_k for every angle by the parameter-shift rule,
    ``(f(θ + π/2 e_k) − f(θ − π/2 e_k)) / 2``: exact for gates ``exp(−i a P / 2)``."""
    theta = np.asarray(theta, dtype=float)
    grad = np.zeros_like(theta)
    for k in range(theta.size):
        shift = np.zeros_like(theta)
        shift[k] = np.pi / 2
        grad[k] = (f(x, theta + shift) - f(x, theta - shift)) / 2
    return grad


def pennylane_gradient(x, theta) -> np.ndarray:
    """∂⟨Z0⟩/∂θ by PennyLane's automatic differentiation (its autograd interface)."""
    # imported here, not at the top: optional dependencies (extras): pennylane
    import pennylane as qml
    from pennylane import numpy as pnp

    qnode = _pennylane_qnode()
    x_const = pnp.array(np.asarray(x, dtype=float), requires_grad=False)
    return np.asarray(qml.grad(lambda t: qnode(x_const, t))(pnp.array(theta, requires_grad=True)))


def sampled_expectation(x, theta, shots: int, rng: np.random.Generator) -> float:
    """⟨Z0⟩ estimated from ``shots`` measurements of qubit 0, as hardware would."""
    p0 = (1.0 + expectation(x, theta)) / 2.0
    zeros = rng.binomial(shots, p0)
    return (2.0 * zeros - shots) / shots


def draw(x=(0.4, 1.1), theta=(0.3, -0.5, 0.9, 0.2)):
    """``(figure, axes)`` of the circuit, drawn by PennyLane with matplotlib."""
    # imported here, not at the top: optional dependencies (extras): pennylane
    import pennylane as qml

    return qml.draw_mpl(_pennylane_qnode(), decimals=2)(np.asarray(x), np.asarray(theta))
