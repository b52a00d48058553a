"""``QCLClassifier``: quantum circuit learning as a scikit-learn classifier.

Faithful to Terashi et al.: inputs scaled linearly to [-1, 1] per feature with the
training sample's minimum and maximum (later data scaled the same way and clipped),
the circuit of :class:`~qmlhep.quantum.qcl_circuit.QCLCircuit`, a softmax of
``(⟨Z_0⟩, ⟨Z_1⟩)`` as class probabilities, cross-entropy minimised by COBYLA.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.preprocessing import MinMaxScaler

from qmlhep.quantum.qcl_circuit import QCLCircuit
from qmlhep.quantum.qcl_qulacs import expectations_qulacs

BACKENDS = ("batched", "qulacs")


def check_features(X, n_expected: int | None, who: str = "QCL") -> np.ndarray:
    """``X`` as a finite float array ``(N, n_expected)``, or a ValueError saying how to fix it."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"{who} expects a 2-D array (events × features), got shape {X.shape}.")
    bad = ~np.isfinite(X)
    if bad.any():
        rows = np.flatnonzero(bad.any(axis=1))
        raise ValueError(
            f"{who}: X has {bad.sum()} NaN or infinite values in {len(rows)} events (first "
            f"rows {rows[:5].tolist()}); drop or impute them first: no input angle can be "
            "computed from them.")
    if n_expected is not None and X.shape[1] != n_expected:
        raise ValueError(
            f"{who}: X has {X.shape[1]} features but the circuit has {n_expected} qubits, one "
            f"per feature; select {n_expected} variables (e.g. SusyData.select({n_expected})) "
            "or build the model with n_qubits=None to take the count from X.")
    return X


class QCLClassifier(ClassifierMixin, BaseEstimator):
    """Quantum circuit learning classifier (two classes).

    Parameters
    ----------
    n_qubits: qubits = input features; ``None`` takes the count from ``X`` in ``fit``.
    depth: layers of ``U(θ)`` (the paper: 3).
    time_step: Ising evolution time ``t`` per layer.
    maxiter: COBYLA's maximum number of cost evaluations.
    input_entangler: add the CNOT ladder to ``U_in`` (the paper's alternative encoding).
    backend: ``"batched"`` (exact, all events at once) or ``"qulacs"`` (the paper's
        per-event loop; same numbers, much slower).
    random_state: seeds the Ising couplings and the initial angles (uniform in [0, 2π)).
    prescaled: inputs are already in [-1, 1] (scaled by the caller, e.g. with the whole
        sample's range as in the paper) and are used as they are.

    After ``fit``: ``theta_`` (``n_params`` angles), ``cost_history_`` (cross-entropy per
    evaluation), ``circuit_``, ``scaler_``, ``classes_``.
    """

    def __init__(self, n_qubits: int | None = None, depth: int = 3, time_step: float = 0.77,
                 maxiter: int = 300, input_entangler: bool = False, backend: str = "batched",
                 random_state: int = 0, prescaled: bool = False):
        self.prescaled = prescaled
        self.n_qubits = n_qubits
        self.depth = depth
        self.time_step = time_step
        self.maxiter = maxiter
        self.input_entangler = input_entangler
        self.backend = backend
        self.random_state = random_state

    def _expectations(self, X_scaled: np.ndarray, theta: np.ndarray) -> np.ndarray:
        if self.backend == "qulacs":
            return expectations_qulacs(self.circuit_, X_scaled, theta)
        return self.circuit_.expectations(X_scaled, theta)

    def _scale(self, X: np.ndarray) -> np.ndarray:
        if not self.prescaled:
            return self.scaler_.transform(X)
        if np.abs(X).max() > 1.0:
            raise ValueError("prescaled=True but X has values outside [-1, 1]; scale it first "
                             "(sklearn.preprocessing.MinMaxScaler(feature_range=(-1, 1))) or "
                             "let the classifier scale it (prescaled=False).")
        return X

    def fit(self, X, y) -> QCLClassifier:
        """Scale ``X`` (``(N, n)``) to [-1, 1] and train ``θ`` with COBYLA on labels ``y``."""
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {self.backend!r}.")
        X = check_features(X, self.n_qubits)
        self.classes_, y_index = np.unique(np.asarray(y), return_inverse=True)
        if len(self.classes_) != 2:
            raise ValueError(f"QCLClassifier is binary; y has classes {self.classes_.tolist()}.")
        self.scaler_ = MinMaxScaler(feature_range=(-1, 1), clip=True).fit(X)
        X_scaled = self._scale(X)
        self.n_features_in_ = X.shape[1]
        self.circuit_ = QCLCircuit(X.shape[1], self.depth, self.time_step,
                                   hamiltonian_seed=self.random_state,
                                   input_entangler=self.input_entangler)
        if self.maxiter < self.circuit_.n_params + 2:
            raise ValueError(f"maxiter={self.maxiter} is too small: COBYLA needs at least "
                             f"n_params + 2 = {self.circuit_.n_params + 2} evaluations to build "
                             "its first simplex.")
        rng = np.random.default_rng(self.random_state)
        theta0 = rng.uniform(0, 2 * np.pi, self.circuit_.n_params)
        states = self.circuit_.input_states(X_scaled) if self.backend == "batched" else None
        history: list[float] = []

        def cost(theta):
            z = (self.circuit_.expectations_from_states(states, theta) if states is not None
                 else self._expectations(X_scaled, theta))
            value = -np.mean(log_softmax(z, axis=1)[np.arange(len(z)), y_index])
            history.append(float(value))
            return value

        result = minimize(cost, theta0, method="COBYLA", options={"maxiter": self.maxiter})
        self.theta_ = result.x
        self.cost_history_ = np.array(history)
        return self

    def decision_function(self, X) -> np.ndarray:
        """``(⟨Z_0⟩, ⟨Z_1⟩)`` per event, ``(N, 2)``, the logits of the softmax."""
        X = check_features(X, self.n_features_in_)
        return self._expectations(self._scale(X), self.theta_)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities ``(N, 2)``, columns in the order of ``classes_``."""
        z = self.decision_function(X)
        return np.exp(log_softmax(z, axis=1))

    def predict(self, X) -> np.ndarray:
        """The more probable class per event."""
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]
