"""The literal swap-test autoencoder circuit in PennyLane, gate by gate.

Data qubits ``0 … n-1`` (qubit ``q`` holds patch ``q``), one reference qubit per trash
qubit, one ancilla: Hadamard, a controlled SWAP of each trash qubit with its reference,
Hadamard, ``⟨Z⟩`` of the ancilla. This is the seed study's circuit (15 qubits for 9 data
qubits and 5 trash qubits), kept as the reference the engine is tested and benchmarked
against.
"""

from __future__ import annotations

import numpy as np
import pennylane as qml

from qmlhep.simulation.patch_circuit import PatchCircuit

_ROT = {"X": qml.RX, "Y": qml.RY, "Z": qml.RZ}


def upload_gates(circuit: PatchCircuit, w, b, patches_one) -> None:
    """Queue every upload and entangler of one image (``patches_one``: ``(qubits, pixels)``)."""
    axes = circuit.pixel_axes()
    for layer in range(circuit.layers):
        for q in range(circuit.n_qubits):
            for j, axis in enumerate(axes):
                _ROT[axis](w[layer, q, j] * patches_one[q, j] + b[layer, q, j], wires=q)
        gate = qml.CZ if circuit.entangler == "cz" else qml.CNOT
        for control, target in circuit.entangler_pairs():
            gate(wires=[control, target])


def swap_test_qnode(
    circuit: PatchCircuit,
    trash: tuple[int, ...],
    device: str = "lightning.qubit",
    diff_method: str = "adjoint",
):
    """QNode ``f(w, b, ref_angles, patches_one) -> ⟨Z_ancilla⟩`` of the literal circuit.

    ``ref_angles`` ``(len(trash), 2)``: reference qubit ``k`` is prepared as
    ``PhaseShift(φ) RY(θ)|0⟩``.
    """
    n = circuit.n_qubits
    refs = list(range(n, n + len(trash)))
    ancilla = n + len(trash)

    @qml.qnode(qml.device(device, wires=ancilla + 1), diff_method=diff_method)
    def run(w, b, ref_angles, patches_one):
        upload_gates(circuit, w, b, patches_one)
        for k, wire in enumerate(refs):
            qml.RY(ref_angles[k, 0], wires=wire)
            qml.PhaseShift(ref_angles[k, 1], wires=wire)
        return swap_test(ancilla, trash, refs)

    return run


def swap_test(ancilla: int, trash, refs):
    """Queue the swap test of qubits ``trash`` against ``refs`` on ``ancilla`` and return
    the ancilla's ``⟨Z⟩`` measurement (the overlap of the two states)."""
    qml.Hadamard(wires=ancilla)
    for t, r in zip(trash, refs, strict=True):
        qml.CSWAP(wires=[ancilla, t, r])
    qml.Hadamard(wires=ancilla)
    return qml.expval(qml.PauliZ(ancilla))


def swap_test_fidelity_and_grad(qnode, w, b, ref_angles, patches_one):
    """``(F, dF/dw, dF/db, dF/dref)`` for one image through PennyLane's autograd interface."""
    # imported here, not at the top: optional dependencies (extras): pennylane
    from pennylane import numpy as pnp

    args = [
        pnp.array(w, requires_grad=True),
        pnp.array(b, requires_grad=True),
        pnp.array(ref_angles, requires_grad=True),
    ]
    data = pnp.array(patches_one, requires_grad=False)
    value = float(qnode(*args, data))
    grads = qml.grad(qnode, argnums=[0, 1, 2])(*args, data)
    return value, *(np.asarray(g) for g in grads)
