"""The quantum circuit learning (QCL) circuit of Terashi et al., simulated exactly in batch.

The circuit on ``n`` qubits (one per input variable, ``x ∈ [-1, 1]^n``):

* ``U_in(x)``: on every qubit ``RY(arcsin x_q)`` then ``RZ(arccos x_q²)`` (Mitarai et al.
  2018), optionally followed by a CNOT ladder ``q → q+1`` (the entangling variant);
* ``U(θ)``: ``depth`` times [``exp(-i H t)`` with the transverse-field Ising Hamiltonian
  ``H = Σ_q a_q X_q + Σ_{q<r} J_qr Z_q Z_r`` (``a``, ``J`` uniform in [-1, 1], drawn once
  per model), then ``RX RZ RX`` on every qubit] — ``3 n depth`` parameters;
* outputs (the two logits of the softmax), by ``readout``:
  ``"paper"``: ``⟨Z_0⟩, ⟨Z_1⟩`` (Terashi et al.); ``"all"``: the mean of ``⟨Z_q⟩`` over the
  even qubits and over the odd qubits, so every qubit reaches the output with no new
  parameter (with ``n > 2`` qubits, the paper's readout never hears qubits ``2 … n-1``
  in the product twin).

``product=True`` is the circuit's *product twin*: the same draws of ``a`` and ``J``, but
every ``J_qr`` set to zero, so ``exp(-i H t)`` factorises into one-qubit gates and no
gate of the circuit entangles (the CNOT encoding cannot be combined with it).

The paper ran Qulacs, whose ``RX/RY/RZ(θ)`` are ``exp(+i θ P / 2)``, the opposite sign of
the textbook gate. To be the paper's circuit exactly, every angle above enters the
standard gates of :mod:`qmlhep.simulation.gates` with :data:`QULACS_SIGN`.

Batched path: every input state is a product state (plus a fixed permutation for the
ladder), and ``U(θ)`` is the same for all events, so a cost evaluation is one batch of
``(N, 2**n)`` states times one ``2**n × 2**n`` unitary — no loop over events.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from qmlhep.fitting.validation import check_memory
from qmlhep.simulation import gates
from qmlhep.simulation.gates import cnot_permutation

QULACS_SIGN = -1.0
"""Qulacs' ``RX(θ)`` equals the standard ``RX(-θ)`` (same for RY, RZ)."""

N_OUTPUTS = 2
"""The classifier has two logits (the paper reads ``⟨Z⟩`` on qubits 0 and 1)."""

READOUTS = ("paper", "all")
"""``"paper"``: logits ``⟨Z_0⟩, ⟨Z_1⟩``; ``"all"``: the mean ``⟨Z_q⟩`` over even ``q`` and
over odd ``q`` (every qubit read, no extra parameter)."""


def readout_weights(n_qubits: int, readout: str = "paper") -> np.ndarray:
    """``W`` with logits ``= W @ (⟨Z_0⟩, …, ⟨Z_{n-1}⟩)``, shape ``(2, n_qubits)``."""
    if readout not in READOUTS:
        raise ValueError(f"readout must be one of {READOUTS}, got {readout!r}.")
    W = np.zeros((N_OUTPUTS, n_qubits))
    if readout == "paper":
        W[0, 0] = W[1, 1] = 1.0
    else:
        for k in range(N_OUTPUTS):
            qubits = np.arange(k, n_qubits, N_OUTPUTS)
            W[k, qubits] = 1.0 / qubits.size
    return W


@dataclass(frozen=True)
class QCLCircuit:
    """One QCL model structure; the Ising couplings are drawn from ``hamiltonian_seed``."""

    n_qubits: int
    depth: int = 3
    time_step: float = 0.77
    hamiltonian_seed: int = 0
    input_entangler: bool = False
    product: bool = False
    readout: str = "paper"

    def __post_init__(self):
        if self.readout not in READOUTS:
            raise ValueError(f"readout must be one of {READOUTS}, got {self.readout!r}.")
        if self.product and self.input_entangler:
            raise ValueError(
                "product=True removes every entangling gate; it cannot be combined with "
                "input_entangler=True (the CNOT encoding)."
            )
        if self.n_qubits < N_OUTPUTS:
            raise ValueError(
                f"QCL needs at least {N_OUTPUTS} qubits (one per logit of its readout); "
                f"got n_qubits={self.n_qubits}."
            )
        if self.depth < 1:
            raise ValueError(f"depth must be at least 1, got {self.depth}.")

        # the dense Hamiltonian, its eigenvectors, exp(-iHt) and U(θ): ~5 complex 4^n arrays
        check_memory(
            5 * 16 * 4.0**self.n_qubits,
            f"QCL on {self.n_qubits} qubits (dense 2^{self.n_qubits} × 2^{self.n_qubits} matrices)",
            "Use fewer variables (one qubit each; the paper used 3, 5 and 7), or a "
            "machine with more memory.",
        )

    @property
    def n_params(self) -> int:
        """Number of trainable angles, ``3 × n_qubits × depth``."""
        return 3 * self.n_qubits * self.depth

    @cached_property
    def couplings(self) -> tuple[np.ndarray, np.ndarray]:
        """``(a, J)``: transverse fields ``(n,)`` and upper-triangular ZZ couplings ``(n, n)``."""
        rng = np.random.default_rng(self.hamiltonian_seed)
        n = self.n_qubits
        a, J = np.zeros(n), np.zeros((n, n))
        for q in range(n):
            a[q] = rng.uniform(-1, 1)
            for r in range(q + 1, n):
                J[q, r] = rng.uniform(-1, 1)
        return a, (np.zeros_like(J) if self.product else J)

    def hamiltonian(self) -> np.ndarray:
        """The dense ``2**n × 2**n`` Ising Hamiltonian (in units of 1/t)."""
        n, (a, J) = self.n_qubits, self.couplings
        H = sum(a[q] * gates.operator(n, {q: gates.X}) for q in range(n))
        zz = gates.z_signs(n)
        H = H + np.diag(sum(J[q, r] * zz[q] * zz[r] for q in range(n) for r in range(q + 1, n)))
        return H

    @cached_property
    def time_evolution(self) -> np.ndarray:
        """``exp(-i H t)`` as a dense matrix, from the eigendecomposition of ``H``."""
        energies, vectors = np.linalg.eigh(self.hamiltonian())
        return (vectors * np.exp(-1j * self.time_step * energies)) @ vectors.conj().T

    @staticmethod
    def input_angles(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(arcsin x, arccos x²)``, each ``(N, n)``, for inputs already in [-1, 1]."""
        X = np.clip(X, -1.0, 1.0)
        return np.arcsin(X), np.arccos(X**2)

    def input_states(self, X: np.ndarray) -> np.ndarray:
        """``U_in(x)|0…0⟩`` for every row of ``X`` (``(N, n)`` in [-1, 1]); ``(N, 2**n)``."""

        check_memory(
            3 * 16 * len(X) * 2.0**self.n_qubits,
            f"the input states of {len(X):,} events on {self.n_qubits} qubits",
            "Train on fewer events, or use backend='qulacs' (one event at a time).",
        )
        theta_y, theta_z = self.input_angles(X)
        # RZ(b) RY(a)|0> = (e^{-ib/2} cos(a/2), e^{+ib/2} sin(a/2)), with Qulacs' signs
        a, phase = QULACS_SIGN * theta_y / 2, np.exp(-0.5j * QULACS_SIGN * theta_z)
        singles = np.stack([phase * np.cos(a), phase.conj() * np.sin(a)], axis=-1)
        states = gates.product_states(singles)
        if self.input_entangler:
            for q in range(self.n_qubits - 1):
                states = states[:, cnot_permutation(self.n_qubits, q, q + 1)]
        return states

    def layer_gates(self, theta: np.ndarray) -> np.ndarray:
        """The ``RX RZ RX`` block of every layer and qubit, ``(depth, n, 2, 2)``."""
        th = QULACS_SIGN * np.asarray(theta, dtype=float).reshape(self.depth, self.n_qubits, 3)
        return gates.rx(th[..., 2]) @ gates.rz(th[..., 1]) @ gates.rx(th[..., 0])

    def _check_theta(self, theta: np.ndarray) -> None:
        if len(theta) != self.n_params:
            raise ValueError(
                f"expected {self.n_params} parameters (3 × {self.n_qubits} qubits "
                f"× depth {self.depth}), got {len(theta)}."
            )

    def evolve(self, states: np.ndarray, theta: np.ndarray) -> np.ndarray:
        """``U(θ)`` applied to every row of ``states`` (``(B, 2**n)`` → ``(B, 2**n)``)."""
        self._check_theta(theta)
        return self._layers(states, theta, evolved=False)

    def _layers(self, states: np.ndarray, theta: np.ndarray, evolved: bool) -> np.ndarray:
        """Every layer on the rows of ``states``; ``evolved``: the first layer's time
        evolution is already applied."""
        T_rows = self.time_evolution.T  # row-vector convention: psi_out = psi_in @ U.T
        blocks = self.layer_gates(theta)
        for d in range(self.depth):
            if d or not evolved:
                states = states @ T_rows
            for q in range(self.n_qubits):
                states = gates.apply_1q(states, blocks[d, q], q, self.n_qubits)
        return states

    def unitary(self, theta: np.ndarray) -> np.ndarray:
        """The dense ``U(θ)``, ``2**n × 2**n``: the layers applied to the rows of the
        identity, starting from the time evolution itself (``depth - 1`` dense products,
        cost ``(depth - 1) × 8**n``; the one-qubit blocks cost ``O(n 4**n)``)."""
        self._check_theta(theta)
        return self._layers(np.ascontiguousarray(self.time_evolution.T), theta, evolved=True).T

    @cached_property
    def readout_matrix(self) -> np.ndarray:
        """``(2**n, 2)``: probabilities of the basis states times this gives the logits."""
        return gates.z_signs(self.n_qubits).T @ readout_weights(self.n_qubits, self.readout).T

    def expectations_from_states(self, states: np.ndarray, theta: np.ndarray) -> np.ndarray:
        """The two logits (``⟨Z_0⟩, ⟨Z_1⟩`` for the paper's readout) after ``U(θ)`` for
        input states ``(N, 2**n)``; ``(N, 2)``.

        With more events than amplitudes, ``U(θ)`` is built once and applied to the whole
        batch as one matrix product; otherwise the layers act on the batch directly.
        """
        if len(states) > 2**self.n_qubits:
            out = states @ self.unitary(theta).T
        else:
            out = self.evolve(states, theta)
        return (out.real**2 + out.imag**2) @ self.readout_matrix

    def expectations(self, X: np.ndarray, theta: np.ndarray) -> np.ndarray:
        """The two logits for every row of ``X`` (``(N, n)`` in [-1, 1]); ``(N, 2)``."""
        return self.expectations_from_states(self.input_states(X), theta)
