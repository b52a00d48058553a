"""Measured outcome counts of a parametrised circuit for a batch of events.

Two routes give the same distribution (tested against each other):

* :func:`sampled_counts`: any Qiskit ``SamplerV2`` (Aer's, Aer with a device noise model,
  IBM Runtime's for real hardware); all events go in one primitive call, one parameter
  row per event (batched binding, one job per cost evaluation);
* :func:`statevector_counts`: exact outcome probabilities from Qiskit's ``Statevector``
  (the input states once per data set, ``U(θ)`` as one ``Operator`` per call), shots drawn
  with NumPy's multinomial. Ideal simulation only, tens of times faster than a sampler,
  which spends most of its time turning every single shot into a bit string.

Counts are arrays ``(N, 2**n)`` indexed by the measured integer (bit ``k`` = qubit ``k``).
"""

from __future__ import annotations

import numpy as np
from qiskit import QuantumCircuit
from qiskit.quantum_info import Operator, Statevector


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
    from qmlhep.fitting.validation import check_memory

    check_memory(
        2 * 16 * len(X) * 2.0**feature_map.num_qubits,
        f"the statevectors of {len(X):,} events on {feature_map.num_qubits} qubits",
        "Use fewer variables or events, or a shot-based sampler.",
    )
    return np.stack([Statevector(feature_map.assign_parameters(x)).data for x in X])


def statevector_counts(
    states: np.ndarray, variational: QuantumCircuit, theta: np.ndarray, shots: int | None, seed: int
) -> np.ndarray:
    """Counts ``(N, 2**n)`` of ``U(θ)`` applied to ``states``; probabilities if ``shots``
    is None."""
    unitary = Operator(variational.assign_parameters(theta)).data
    probs = np.abs(states @ unitary.T) ** 2
    if shots is None:
        return probs
    probs /= probs.sum(axis=1, keepdims=True)
    return np.random.default_rng(seed).multinomial(shots, probs)
