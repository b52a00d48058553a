"""The variational quantum classifier circuit of Terashi et al. (Qiskit).

``U_in(x)``: Hadamards on every qubit, then the diagonal ``U_Φ(x) = exp(i Σ_S φ_S(x) Π_{k∈S} Z_k)``
(Havlíček et al. 2019) with

* FOE (first-order expansion): ``φ_k = x_k`` on every qubit;
* SOE (second-order expansion): additionally ``φ_lm = (π − x_l)(π − x_m)`` on every pair,

the pair ``H, U_Φ`` repeated ``input_depth`` times. ``U(θ)``: an ``RY, RZ`` layer, then per
variational layer an entangler (CZ on every pair, drawn in the paper as Hadamard–CNOT–
Hadamard) and another ``RY, RZ`` layer: ``2 n (var_depth + 1)`` angles, 12/20/28 for 3/5/7
qubits at ``var_depth = 1``. All qubits are measured. ``entanglement="none"`` drops the CZ
gates: with the FOE encoding (one-qubit phases only) that is the *product twin*, a circuit
with no entangling gate at all (SOE's ``ZZ`` phases still entangle).

Qiskit's ``z_feature_map``/``zz_feature_map`` apply ``P(α φ)``, i.e. ``exp(−i α φ Z / 2)``
up to a global phase; ``α = −2`` gives the paper's ``exp(+i φ Z)``. (Qiskit Aqua, which the
paper used, had ``α = +2``; the two are complex conjugates and, since ``RY`` is real and
``RZ(θ)* = RZ(−θ)``, define the same family of classifiers.)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from qiskit import QuantumCircuit
from qiskit.circuit.library import n_local, z_feature_map, zz_feature_map

ENCODINGS = ("foe", "soe")
MAPPINGS = ("aqua", "parity", "lsb")
ALPHA = -2.0
"""Qiskit's feature-map prefactor that gives the paper's ``exp(+i φ Z)``."""


def feature_map(n_qubits: int, encoding: str = "foe", depth: int = 1) -> QuantumCircuit:
    """``U_in(x)`` with parameters ``x[0..n-1]`` (the scaled input variables)."""
    if encoding not in ENCODINGS:
        raise ValueError(
            f"encoding must be one of {ENCODINGS} (first- or second-order "
            f"expansion), got {encoding!r}."
        )
    build = z_feature_map if encoding == "foe" else zz_feature_map
    return build(
        n_qubits, reps=depth, alpha=ALPHA, parameter_prefix="x", name=f"U_in ({encoding.upper()})"
    )


def variational_form(n_qubits: int, depth: int = 1, entanglement: str = "full") -> QuantumCircuit:
    """``U(θ)`` with parameters ``θ[0..2n(depth+1)-1]``: RY RZ, then ``depth`` × (CZ, RY RZ).

    ``entanglement``: Qiskit's (``"full"``, ``"linear"``, ...), or ``"none"`` for no CZ."""
    return n_local(
        n_qubits,
        ["ry", "rz"],
        "cz",
        entanglement=[] if entanglement == "none" else entanglement,
        reps=depth,
        parameter_prefix="θ",
        name="U(θ)",
    )


def vqc_circuit(
    n_qubits: int,
    encoding: str = "foe",
    input_depth: int = 1,
    var_depth: int = 1,
    entanglement: str = "full",
    measure: bool = True,
) -> QuantumCircuit:
    """``U(θ) U_in(x)`` on ``n_qubits``, every qubit measured into ``meas`` if ``measure``."""
    circuit = feature_map(n_qubits, encoding, input_depth).compose(
        variational_form(n_qubits, var_depth, entanglement)
    )
    if measure:
        circuit.measure_all()
    return circuit


def n_params(n_qubits: int, var_depth: int = 1) -> int:
    """Trainable angles of ``U(θ)``: ``2 n (var_depth + 1)``."""
    return 2 * n_qubits * (var_depth + 1)


def outcome_classes(n_qubits: int, mapping: str = "aqua") -> np.ndarray:
    """Class (0 or 1) of each measured integer ``0 .. 2**n − 1`` (bit ``k`` = qubit ``k``).

    * ``"aqua"`` (the paper's Qiskit Aqua VQC): majority vote of the bits for an odd number
      of qubits, parity for an even number;
    * ``"parity"``: parity of the Hamming weight;
    * ``"lsb"``: the bit of qubit 0 (qiskit-machine-learning's default ``x % 2``).
    """
    if mapping not in MAPPINGS:
        raise ValueError(f"mapping must be one of {MAPPINGS}, got {mapping!r}.")
    outcomes = np.arange(2**n_qubits)
    weight = np.array([bin(k).count("1") for k in outcomes])
    if mapping == "lsb":
        return outcomes % 2
    if mapping == "aqua" and n_qubits % 2:
        return (weight > n_qubits / 2).astype(int)
    return weight % 2


def interpret(n_qubits: int, mapping: str = "aqua") -> Callable[[int], int]:
    """``outcome -> class`` as a function, for qiskit-machine-learning's ``interpret``."""
    table = outcome_classes(n_qubits, mapping)
    return lambda outcome: int(table[outcome])
