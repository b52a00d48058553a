"""Measured outcome counts of a parametrised circuit for a batch of events.

Two routes give the same distribution (tested against each other):

* :func:`sampled_counts`: any Qiskit ``SamplerV2`` (Aer's, Aer with a device noise model,
  IBM Runtime's for real hardware); all events go in one primitive call, one parameter
  row per event (batched binding, one job per cost evaluation);
* :func:`statevector_counts`: exact outcome probabilities from Qiskit's ``Statevector``
  (the input states once per data set, ``U(θ)`` built per call by :func:`unitary` from the
  circuit's own gates), shots drawn with NumPy's multinomial. Ideal simulation only,
  tens of times faster than a sampler, which spends most of its time turning every single
  shot into a bit string.

Counts are arrays ``(N, 2**n)`` indexed by the measured integer (bit ``k`` = qubit ``k``).
"""

from __future__ import annotations

import numpy as np
from qiskit import QuantumCircuit
from qiskit.quantum_info import Operator, Statevector

from qmlhep.fitting.validation import check_memory
from qmlhep.simulation import gates


def parameter_rows(circuit: QuantumCircuit, X: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Values ``(N, n_parameters)`` in ``circuit.parameters`` order: ``x[k] = X[:, k]``, ``θ``."""
    columns = []
    for p in circuit.parameters:
        vector, index = p.vector.name, p.index
        if vector == "x":
            columns.append(X[:, index])
        elif vector == "θ":
            columns.append(np.full(len(X), theta[index]))
        else:
            raise ValueError(
                f"unexpected circuit parameter {p.name!r}; the VQC circuit has "
                "only x[...] (inputs) and θ[...] (trainable angles)."
            )
    return np.stack(columns, axis=1) if columns else np.empty((len(X), 0))


def bitarray_counts(bits, n_qubits: int) -> np.ndarray:
    """Counts ``(N, 2**n)`` from a sampler's ``BitArray`` of shape ``(N,)``."""
    raw = bits.array.astype(np.int64)  # (N, shots, n_bytes), big-endian bytes
    values = np.zeros(raw.shape[:2], dtype=np.int64)
    for j in range(raw.shape[2]):
        values = (values << 8) | raw[..., j]
    n_events, n_out = raw.shape[0], 2**n_qubits
    flat = values + n_out * np.arange(n_events)[:, None]
    return np.bincount(flat.ravel(), minlength=n_events * n_out).reshape(n_events, n_out)


def sampled_counts(
    sampler, circuit: QuantumCircuit, X: np.ndarray, theta: np.ndarray, shots: int
) -> np.ndarray:
    """Counts ``(N, 2**n)`` of ``circuit`` (measured into ``meas``) run by ``sampler``."""
    result = sampler.run([(circuit, parameter_rows(circuit, X, theta))], shots=shots).result()
    return bitarray_counts(result[0].data.meas, X.shape[1])


def input_states(feature_map: QuantumCircuit, X: np.ndarray) -> np.ndarray:
    """``U_in(x)|0⟩`` for every event, ``(N, 2**n)`` complex."""

    check_memory(
        2 * 16 * len(X) * 2.0**feature_map.num_qubits,
        f"the statevectors of {len(X):,} events on {feature_map.num_qubits} qubits",
        "Use fewer variables or events, or a shot-based sampler.",
    )
    return np.stack([Statevector(feature_map.assign_parameters(x)).data for x in X])


_ROTATIONS = {"rx": gates.rx, "ry": gates.ry, "rz": gates.rz}


def unitary(circuit: QuantumCircuit, theta: np.ndarray) -> np.ndarray:
    """The ``2**n × 2**n`` matrix of ``circuit`` at ``θ`` (in ``circuit.parameters`` order).

    Rotations, ``h``, ``cz`` and ``cx`` are applied to the identity with the book's gate
    functions (:mod:`qmlhep.simulation.gates`), qubit ``k`` the bit ``k`` as in Qiskit;
    any other gate (or an angle that is an expression) falls back to Qiskit's
    ``Operator``, which builds the same matrix with far more overhead per gate: on the
    VQC's 7 qubits it took most of a cost evaluation's time (``make bench``,
    ``vqc.vs_best_peer``).
    """
    n = circuit.num_qubits
    values = dict(zip(circuit.parameters, np.asarray(theta, dtype=float), strict=True))
    rows = np.eye(2**n, dtype=complex)  # row j: U applied to |j>, built gate by gate
    signs = gates.z_signs(n)
    for inst in circuit.data:
        name, qubits = inst.operation.name, [circuit.find_bit(q).index for q in inst.qubits]
        angle = inst.operation.params[0] if name in _ROTATIONS else None
        if angle is not None and angle not in values and getattr(angle, "parameters", None):
            name = "expression"  # a function of the parameters: Qiskit evaluates it
        if name in _ROTATIONS:
            angle = values[angle] if angle in values else float(angle)
            rows = gates.apply_1q(rows, _ROTATIONS[name](angle), qubits[0], n)
        elif name == "h":
            rows = gates.apply_1q(rows, gates.HADAMARD, qubits[0], n)
        elif name == "cz":
            rows = rows * ((1 - signs[qubits[0]]) * (1 - signs[qubits[1]]) / -2 + 1)
        elif name == "cx":
            rows = rows[:, gates.cnot_permutation(n, qubits[0], qubits[1])]
        else:
            return Operator(circuit.assign_parameters(theta)).data
    return rows.T


def statevector_counts(
    states: np.ndarray, variational: QuantumCircuit, theta: np.ndarray, shots: int | None, seed: int
) -> np.ndarray:
    """Counts ``(N, 2**n)`` of ``U(θ)`` applied to ``states``; probabilities if ``shots``
    is None."""
    probs = np.abs(states @ unitary(variational, theta).T) ** 2
    if shots is None:
        return probs
    probs /= probs.sum(axis=1, keepdims=True)
    return np.random.default_rng(seed).multinomial(shots, probs)
