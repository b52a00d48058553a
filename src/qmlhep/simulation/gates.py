"""Gate matrices and the few linear-algebra moves the batched simulators share.

Every function accepts arrays of angles and returns matching stacks of matrices, so one
call builds a gate per event or per parameter.
"""

from __future__ import annotations

import numpy as np

I2 = np.eye(2, dtype=complex)
X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
Z = np.diag([1.0, -1.0]).astype(complex)
HADAMARD = np.array([[1, 1], [1, -1]], dtype=complex) / np.sqrt(2)


def rx(theta) -> np.ndarray:
    """``exp(-i θ X / 2)``; shape ``theta.shape + (2, 2)``."""
    c, s = np.cos(np.asarray(theta) / 2), np.sin(np.asarray(theta) / 2)
    return np.stack([np.stack([c, -1j * s], -1), np.stack([-1j * s, c], -1)], -2)


def ry(theta) -> np.ndarray:
    """``exp(-i θ Y / 2)``; shape ``theta.shape + (2, 2)``."""
    c, s = np.cos(np.asarray(theta) / 2), np.sin(np.asarray(theta) / 2)
    return np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2).astype(complex)


def rz(theta) -> np.ndarray:
    """``exp(-i θ Z / 2)``; shape ``theta.shape + (2, 2)``."""
    phase = np.exp(-0.5j * np.asarray(theta))
    zero = np.zeros_like(phase)
    return np.stack([np.stack([phase, zero], -1), np.stack([zero, phase.conj()], -1)], -2)


def operator(n_qubits: int, factors: dict[int, np.ndarray]) -> np.ndarray:
    """Dense ``2**n × 2**n`` tensor product with ``factors[q]`` on qubit ``q``, 1 elsewhere."""
    out = np.ones((1, 1), dtype=complex)
    for q in reversed(range(n_qubits)):  # qubit n-1 is the most significant factor
        m = factors.get(q, I2)
        out = (out[:, None, :, None] * m[None, :, None, :]).reshape(2 * len(out), -1)
    return out


def z_signs(n_qubits: int) -> np.ndarray:
    """``(n, 2**n)`` array of the eigenvalue ±1 of ``Z_q`` on every basis state."""
    index = np.arange(2**n_qubits)
    return 1.0 - 2.0 * ((index[None, :] >> np.arange(n_qubits)[:, None]) & 1)


def cnot_permutation(n_qubits: int, control: int, target: int) -> np.ndarray:
    """Index array ``p`` with ``states[:, p]`` = CNOT(control → target) applied to ``states``."""
    index = np.arange(2**n_qubits)
    return index ^ (((index >> control) & 1) << target)


def apply_1q(states: np.ndarray, gate: np.ndarray, qubit: int, n_qubits: int) -> np.ndarray:
    """Apply a 2×2 ``gate`` (or one per row, shape ``(batch, 2, 2)``) to ``qubit``.

    ``states`` has shape ``(batch, 2**n)``; the result has the same shape.
    """
    batch = states.shape[0]
    high = 2 ** (n_qubits - 1 - qubit)
    psi = states.reshape(batch, high, 2, 2**qubit)
    if gate.ndim == 3:
        gate = gate[:, None]  # one gate per row, broadcast over the other qubits
    return np.matmul(gate, psi).reshape(batch, -1)


def product_states(singles: np.ndarray) -> np.ndarray:
    """Product states from single-qubit states.

    ``singles`` has shape ``(batch, n, 2)`` (qubit ``q`` in ``singles[:, q]``); returns
    ``(batch, 2**n)`` with qubit 0 as the least significant bit.
    """
    out = singles[:, 0, :]
    for q in range(1, singles.shape[1]):  # each new qubit is the most significant so far
        out = (singles[:, q, :, None] * out[:, None, :]).reshape(len(out), -1)
    return out
