"""``QCLClassifier``: quantum circuit learning as a scikit-learn classifier.

Faithful to Terashi et al.: inputs scaled linearly to [-1, 1] per feature with the
training sample's minimum and maximum (later data scaled the same way and clipped),
the circuit of :class:`~qmlhep.susy.qcl_circuit.QCLCircuit`, a softmax of
``(⟨Z_0⟩, ⟨Z_1⟩)`` as class probabilities (``readout="paper"``; ``readout="all"``: of the
mean ``⟨Z_q⟩`` over even and over odd qubits, so every qubit is read), cross-entropy
minimised by COBYLA.
"""

from __future__ import annotations

import numpy as np
from scipy.special import log_softmax

from qmlhep.susy.circuit_classifier import CircuitClassifier
from qmlhep.susy.qcl_circuit import QCLCircuit
from qmlhep.susy.qcl_qulacs import expectations_qulacs

SIMULATORS = ("batched", "qulacs")
ENTANGLERS = ("ising", "none")
"""``entangler``: the Ising couplings of the paper, or none (the product twin, ``J = 0``)."""


class QCLClassifier(CircuitClassifier):
    """Quantum circuit learning classifier (two classes).

    Parameters
    ----------
    n_qubits: qubits = input features; ``None`` takes the count from ``X`` in ``fit``.
    layers: layers of ``U(θ)`` (the paper: 3).
    time_step: Ising evolution time ``t`` per layer.
    max_iter: COBYLA's maximum number of cost evaluations (each one over every training event).
    input_entangler: add the CNOT ladder to ``U_in`` (the paper's alternative encoding).
    entangler: ``"ising"``, the paper's time evolution; ``"none"``, the product twin: the
        Ising couplings ``J`` set to zero, so no gate entangles.
    readout: ``"paper"``: logits ``(⟨Z_0⟩, ⟨Z_1⟩)``; ``"all"``: the mean ``⟨Z_q⟩`` over even
        and over odd qubits (every qubit reaches the output, no extra parameter; the
        readout of the twin comparison, where the paper's would leave qubits 2… of the
        product twin unread).
    simulator: ``"batched"`` (exact, all events at once) or ``"qulacs"`` (the paper's
        per-event loop; same numbers, much slower).
    random_state: seeds the Ising couplings and the initial angles (uniform in [0, 2π)).
    prescaled: inputs are already in [-1, 1] (scaled by the caller, e.g. with the whole
        sample's range as in the paper) and are used as they are.

    After ``fit``: ``theta_``, ``n_params_`` (its length), ``history_`` (the cross-entropy
    ``cost`` per evaluation), ``circuit_``, ``scaler_``, ``classes_``.
    """

    who = "QCL"

    def __init__(
        self,
        n_qubits: int | None = None,
        layers: int = 3,
        time_step: float = 0.77,
        max_iter: int = 300,
        input_entangler: bool = False,
        simulator: str = "batched",
        random_state: int = 0,
        prescaled: bool = False,
        entangler: str = "ising",
        readout: str = "paper",
    ):
        self.readout = readout
        self.prescaled = prescaled
        self.entangler = entangler
        self.n_qubits = n_qubits
        self.layers = layers
        self.time_step = time_step
        self.max_iter = max_iter
        self.input_entangler = input_entangler
        self.simulator = simulator
        self.random_state = random_state

    def _expectations(self, X_scaled: np.ndarray, theta: np.ndarray) -> np.ndarray:
        if self.simulator == "qulacs":
            return expectations_qulacs(self.circuit_, X_scaled, theta)
        return self.circuit_.expectations(X_scaled, theta)

    def fit(self, X, y) -> QCLClassifier:
        """Scale ``X`` (``(N, n)``) to [-1, 1] and train ``θ`` with COBYLA on labels ``y``."""
        if self.simulator not in SIMULATORS:
            raise ValueError(f"simulator must be one of {SIMULATORS}, got {self.simulator!r}.")
        if self.entangler not in ENTANGLERS:
            raise ValueError(f"entangler must be one of {ENTANGLERS}, got {self.entangler!r}.")
        X_scaled, y_index = self._prepare(X, y)
        self.circuit_ = QCLCircuit(
            X_scaled.shape[1],
            self.layers,
            self.time_step,
            hamiltonian_seed=self.random_state,
            input_entangler=self.input_entangler,
            product=self.entangler == "none",
            readout=self.readout,
        )
        states = self.circuit_.input_states(X_scaled) if self.simulator == "batched" else None

        def cost(theta):
            z = (
                self.circuit_.expectations_from_states(states, theta)
                if states is not None
                else self._expectations(X_scaled, theta)
            )
            return -np.mean(log_softmax(z, axis=1)[np.arange(len(z)), y_index])

        self._minimise(cost, self.circuit_.n_params, data=(X_scaled, y_index))
        return self

    def expectations(self, X) -> np.ndarray:
        """The logits of the softmax per event, ``(N, 2)`` (``(⟨Z_0⟩, ⟨Z_1⟩)`` for the
        paper's readout)."""
        return self._expectations(self._scaled(X), self.theta_)

    def decision_function(self, X) -> np.ndarray:
        """The log-odds of ``classes_[1]`` per event, ``(N,)``: logit 1 − logit 0."""
        z = self.expectations(X)
        return z[:, 1] - z[:, 0]

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities ``(N, 2)``, columns in the order of ``classes_``."""
        return np.exp(log_softmax(self.expectations(X), axis=1))

    def predict(self, X) -> np.ndarray:
        """The more probable class per event."""
        index = (self.decision_function(X) > 0).astype(int)
        return self.classes_[index]
