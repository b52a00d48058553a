"""The event quantum autoencoder's circuit (Ngairangbam, Spannowsky, Takeuchi 2022), in PennyLane.

An event's ``n`` variables, mapped to angles ``x_q ∈ [0, π]``, are uploaded once as
``R_X(x_q)`` on qubit ``q``; each of ``layers`` layers applies ``R_Y(θ_{lq})`` to every
qubit, then a CNOT from every qubit to every later one (``entangler="all_pairs"``, the
authors' choice; ``"none"`` removes them). The last ``n_trash`` qubits are the trash.
Without CNOTs an input reaches its own qubit only, so the *product twin* reads out every
qubit (``entangler="none"``, ``n_trash=n``, the one layout where every qubit is trash);
with fewer trash qubits the inputs of the latent ones would change nothing.
The autoencoder's fidelity is the probability that the trash qubits end in ``|0…0⟩``: the
swap test against reference qubits in ``|0⟩`` measures exactly that (its ancilla's
``⟨Z⟩``), so :func:`fidelity_function` computes it without reference or ancilla qubits and
:func:`swap_test_qnode` keeps the literal circuit, which the tests compare it with.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from functools import cache
from itertools import combinations

import jax
import jax.numpy as jnp
import numpy as np
import pennylane as qml

from qmlhep.simulation.swap_test_pennylane import swap_test

ENTANGLERS = ("all_pairs", "none")


def check_layout(n_qubits: int, n_trash: int, layers: int, entangler: str) -> None:
    """A clear error for a layout the circuit cannot have."""
    if entangler not in ENTANGLERS:
        raise ValueError(f"entangler must be one of {ENTANGLERS}, got {entangler!r}.")
    most = n_qubits if entangler == "none" else n_qubits - 1
    if not 0 < n_trash <= most:
        raise ValueError(
            f"n_trash must be 1 to {most} for {n_qubits} input variables with "
            f"entangler={entangler!r}, got {n_trash}."
        )
    if layers < 1:
        raise ValueError(f"layers must be a positive integer, got {layers!r}.")


def encoder_gates(theta, x, layers: int, entangler: str) -> None:
    """Queue the upload and the trained layers: ``theta`` ``(layers, n)``, ``x`` ``(n,)``
    or a batch ``(B, n)`` (PennyLane broadcasts it)."""
    n = theta.shape[-1]
    qml.AngleEmbedding(x, wires=range(n), rotation="X")
    for layer in range(layers):
        for q in range(n):
            qml.RY(theta[layer, q], wires=q)
        if entangler == "all_pairs":
            for control, target in combinations(range(n), 2):
                qml.CNOT(wires=[control, target])


@cache
def fidelity_function(n_qubits: int, n_trash: int, layers: int, entangler: str):
    """Compiled ``F(theta, X) -> (B,)``: the probability of ``|0…0⟩`` on the trash qubits
    for every event of ``X`` ``(B, n_qubits)``, on ``default.qubit`` with JAX, in double
    precision."""
    check_layout(n_qubits, n_trash, layers, entangler)
    trash = list(range(n_qubits - n_trash, n_qubits))

    @qml.qnode(qml.device("default.qubit", wires=n_qubits), interface="jax")
    def probs(theta, X):
        encoder_gates(theta, X, layers, entangler)
        return qml.probs(wires=trash)

    compiled = jax.jit(lambda theta, X: probs(theta, X)[..., 0])

    def fidelity(theta, X):
        with quiet_trace(), jax.enable_x64(True):  # double precision, also when traced
            return compiled(jnp.asarray(theta, jnp.float64), jnp.asarray(X, jnp.float64))

    return fidelity


@contextmanager
def quiet_trace():
    """Silence one deprecation PennyLane itself raises while JAX traces a QNode.

    PennyLane 0.45 asks ``jax.core.is_concrete`` whether a tensor is traced, which JAX
    0.10 deprecates; nothing in this package calls it, and the strict warning policy of
    the book build would otherwise turn PennyLane's call into an error. Every other
    warning stays as it is.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="jax.core.is_concrete is deprecated", category=DeprecationWarning
        )
        yield


def swap_test_qnode(
    n_qubits: int, n_trash: int, layers: int = 1, entangler: str = "all_pairs"
) -> qml.QNode:
    """The authors' literal circuit for one event: ``f(theta, x) -> ⟨Z_ancilla⟩``, with one
    reference qubit in ``|0⟩`` per trash qubit and a swap test on an ancilla."""
    check_layout(n_qubits, n_trash, layers, entangler)
    trash = range(n_qubits - n_trash, n_qubits)
    refs = range(n_qubits, n_qubits + n_trash)
    ancilla = n_qubits + n_trash

    @qml.qnode(qml.device("default.qubit", wires=ancilla + 1))
    def literal(theta, x):
        encoder_gates(theta, x, layers, entangler)
        return swap_test(ancilla, trash, refs)

    return literal


def cnot_parities(n_qubits: int) -> np.ndarray:
    """``(n, n)`` 0/1 matrix ``M``: after the all-pairs CNOT network, the computational-basis
    bit of qubit ``q`` is the parity ``⊕_k M[q, k] b_k`` of the bits ``b`` before it (a CNOT
    permutes basis states: ``b_target ← b_target ⊕ b_control``)."""
    M = np.eye(n_qubits, dtype=np.int64)
    for control, target in combinations(range(n_qubits), 2):
        M[target] = (M[target] + M[control]) % 2
    return M


def classical_fidelity(theta, X, n_trash: int) -> np.ndarray:
    """The one-layer all-pairs autoencoder's fidelity computed with classical random bits.

    Before the CNOTs every qubit is ``R_Y(θ_q) R_X(x_q)|0⟩``, independently, with
    ``P(b_q = 1) = (1 - cos θ_q cos x_q) / 2``; the CNOTs only permute basis states
    (:func:`cnot_parities`), and the trash fidelity is a computational-basis probability,
    so it is the probability that independent bits ``b`` give even parity on every trash
    row of ``M``: no amplitude is ever needed. ``theta`` ``(1, n)``, ``X`` ``(B, n)`` →
    ``(B,)``, summed over the ``2^n`` bit strings.
    """
    theta, X = np.asarray(theta), np.asarray(X, dtype=float)
    n = X.shape[1]
    p_one = (1 - np.cos(theta[0]) * np.cos(X)) / 2  # (B, n)
    bits = (np.arange(2**n)[:, None] >> np.arange(n)[None, ::-1]) & 1  # (2^n, n), qubit 0 first
    trash_bits = bits @ cnot_parities(n)[n - n_trash :].T % 2  # (2^n, n_trash)
    ok = ~trash_bits.any(axis=1)
    prob = np.prod(np.where(bits[None], p_one[:, None], 1 - p_one[:, None]), axis=2)
    return prob[:, ok].sum(axis=1)
