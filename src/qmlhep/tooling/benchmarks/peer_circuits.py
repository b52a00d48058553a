"""The book's circuits as plain gate lists, so that every peer simulator runs the same ones.

A :class:`GateList` holds ``n_qubits``, the gates in order and the *diagonal* observables
whose expectations the book needs. Every rotation reads one entry of a per-sample angle
vector ``a`` (``(B, n_angles)``): the engine's inputs and weights enter only through these
angles (``a = w x + b`` for the re-uploading circuits), so a peer that differentiates with
respect to ``a`` does the same work as the engine differentiating with respect to ``w`` and
``b`` (the chain rule is one multiplication per angle). Qubit ``q`` is bit ``q`` of a
basis-state index, as in the engine, Qulacs and Qiskit.

Every observable the book reads is diagonal: the swap-test fidelity is the probability of
``|0…0⟩`` on the trash qubits, the hybrid layer's loss a weighted sum of ``⟨Z_q⟩``, QCL's
outputs ``⟨Z_0⟩, ⟨Z_1⟩``, the VQC's output the probability of the class-1 outcomes. A
diagonal ``f(z)`` is a sum of Z strings (:func:`z_strings`, a Walsh–Hadamard transform),
which is how the peers take it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qmlhep.simulation.gates import z_signs
from qmlhep.susy.qcl_circuit import QULACS_SIGN

ROTATIONS = ("RX", "RY", "RZ")


@dataclass(frozen=True)
class Gate:
    """One gate: ``name`` in RX, RY, RZ (angle ``a[angle]``), H, CNOT, CZ or U (``matrix``
    on all ``wires``, qubit ``wires[0]`` the least significant)."""

    name: str
    wires: tuple[int, ...]
    angle: int | None = None
    matrix: np.ndarray | None = None


@dataclass(frozen=True)
class GateList:
    """A circuit on ``|0…0⟩`` and the diagonal observables ``(k, 2**n)`` read after it."""

    n_qubits: int
    gates: tuple[Gate, ...]
    observables: np.ndarray

    @property
    def n_angles(self) -> int:
        return 1 + max(g.angle for g in self.gates if g.angle is not None)


def z_strings(f: np.ndarray, tol: float = 1e-12) -> list[tuple[float, tuple[int, ...]]]:
    """``f(z) = Σ_S c_S Π_{q∈S} (1 − 2 z_q)`` for a diagonal ``f`` of length ``2**n``:
    the nonzero ``(c_S, S)``, ``S`` the qubits of the Z string (empty: the identity)."""
    c = np.array(f, dtype=float)
    n = len(c).bit_length() - 1
    h = 1
    while h < len(c):  # fast Walsh–Hadamard transform, normalised at the end
        c = c.reshape(-1, 2, h)
        c = np.stack([c[:, 0] + c[:, 1], c[:, 0] - c[:, 1]], axis=1).reshape(-1)
        h *= 2
    c /= len(c)
    return [
        (float(c[s]), tuple(q for q in range(n) if s >> q & 1))
        for s in range(len(c))
        if abs(c[s]) > tol
    ]


def patch_gates(circuit) -> tuple[Gate, ...]:
    """The uploads and entanglers of a :class:`~qmlhep.simulation.patch_circuit.PatchCircuit`
    (or any upload layout), angle ``(layer, qubit, upload)`` in row-major order."""
    axes = circuit.pixel_axes()
    layers, n, uploads = circuit.param_shape
    two = "CZ" if circuit.entangler == "cz" else "CNOT"
    gates = []
    for layer in range(layers):
        for q in range(n):
            for j, axis in enumerate(axes):
                gates.append(Gate("R" + axis, (q,), (layer * n + q) * uploads + j))
        gates += [Gate(two, pair) for pair in circuit.entangler_pairs()]
    return tuple(gates)


def patch_angles(circuit, params: dict, patches: np.ndarray) -> np.ndarray:
    """``a = w x + b`` per image, ``(B, n_angles)``, in :func:`patch_gates`' order."""
    return (params["w"][None] * patches[:, None] + params["b"][None]).reshape(len(patches), -1)


def trash_projector(n_qubits: int, trash: tuple[int, ...]) -> np.ndarray:
    """``f(z) = 1`` where every trash qubit is 0: the swap-test fidelity against ``|0⟩``."""
    index = np.arange(2**n_qubits)
    mask = sum(1 << q for q in trash)
    return ((index & mask) == 0).astype(float)


def weighted_z(n_qubits: int, weights: np.ndarray) -> np.ndarray:
    """``f = Σ_q w_q Z_q``: the cotangent a backward pass sends into the ``⟨Z_q⟩`` outputs."""

    return np.asarray(weights) @ z_signs(n_qubits)


def qcl_gates(circuit) -> tuple[Gate, ...]:
    """QCL (:class:`~qmlhep.susy.qcl_circuit.QCLCircuit`, no CNOT encoding): angles ``2n``
    inputs (the RY, RZ of every qubit), then ``3 n depth`` weights."""
    n = circuit.n_qubits
    gates = [g for q in range(n) for g in (Gate("RY", (q,), 2 * q), Gate("RZ", (q,), 2 * q + 1))]
    for d in range(circuit.depth):
        gates.append(Gate("U", tuple(range(n)), matrix=circuit.time_evolution))
        for q in range(n):
            base = 2 * n + 3 * (d * n + q)
            gates += [Gate(r, (q,), base + k) for k, r in enumerate(("RX", "RZ", "RX"))]
    return tuple(gates)


def qcl_angles(circuit, X: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """``(N, 2n + 3 n depth)`` angles of :func:`qcl_gates` (with Qulacs' sign)."""

    theta_y, theta_z = circuit.input_angles(X)
    inputs = np.stack([theta_y, theta_z], axis=-1).reshape(len(X), -1)
    weights = np.broadcast_to(np.asarray(theta, float), (len(X), len(theta)))
    return QULACS_SIGN * np.concatenate([inputs, weights], axis=1)


def vqc_gates(n_qubits: int, var_depth: int = 1) -> tuple[Gate, ...]:
    """The VQC with the first-order encoding (:mod:`qmlhep.susy.vqc_circuit`) and full CZ
    entanglement: H and a Z phase per qubit (angles ``0…n-1``), then Qiskit's ``n_local``
    (RY, RZ; CZ on every pair; RY, RZ), angles ``n + θ index``."""
    n = n_qubits
    gates = [Gate("H", (q,)) for q in range(n)] + [Gate("RZ", (q,), q) for q in range(n)]
    for rep in range(var_depth + 1):
        if rep:
            gates += [Gate("CZ", (i, j)) for i in range(n) for j in range(i + 1, n)]
        base = n + 2 * n * rep
        gates += [Gate("RY", (q,), base + q) for q in range(n)]
        gates += [Gate("RZ", (q,), base + n + q) for q in range(n)]
    return tuple(gates)


def vqc_angles(X: np.ndarray, theta: np.ndarray, alpha: float) -> np.ndarray:
    """Angles of :func:`vqc_gates`: the phase ``P(α x)`` is ``RZ(α x)`` up to a global
    phase (no effect on any probability), then ``θ``; ``alpha`` is
    :data:`qmlhep.susy.vqc_circuit.ALPHA`."""
    weights = np.broadcast_to(np.asarray(theta, float), (len(X), len(theta)))
    return np.concatenate([alpha * X, weights], axis=1)
