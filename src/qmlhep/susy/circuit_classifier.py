"""What every COBYLA-trained circuit classifier of Terashi et al. shares (QCL and VQC).

Checking the inputs, scaling each feature linearly to [-1, 1] with the training sample's
range (later data scaled the same way and clipped; or ``prescaled`` data used as they
are), the two classes, random initial angles and COBYLA with a cost history. A subclass
builds its circuit and gives the cost of ``θ`` on the scaled training events.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.preprocessing import MinMaxScaler

from qmlhep.fitting.checkpoints import Checkpoint
from qmlhep.fitting.estimators import BinaryClassifierMixin
from qmlhep.fitting.validation import (
    check_count,
    check_finite,
    check_new_data,
    check_training_data,
)


def check_features(X, n_expected: int | None, who: str = "QCL") -> np.ndarray:
    """``X`` as a finite float array ``(N, n_expected)``, or a ValueError saying how to fix it."""

    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"{who} expects a 2-D array (events × features), got shape {X.shape}.")
    X = check_finite(X, "X", who)
    if n_expected is not None and X.shape[1] != n_expected:
        raise ValueError(
            f"{who}: X has {X.shape[1]} features but the circuit has {n_expected} qubits, one "
            f"per feature; select {n_expected} variables (e.g. SusyData.select({n_expected})) "
            "or build the model with n_qubits=None to take the count from X."
        )
    return X


def initial_angles(random_state: int, n_params: int) -> np.ndarray:
    """The starting point of COBYLA: ``n_params`` angles uniform in [0, 2π), seeded."""
    return np.random.default_rng(random_state).uniform(0, 2 * np.pi, n_params)


class CircuitClassifier(BinaryClassifierMixin, ClassifierMixin, BaseEstimator):
    """Base of :class:`~qmlhep.susy.qcl.QCLClassifier` and :class:`~qmlhep.susy.vqc.VQCClassifier`.

    Subclasses have the parameters ``n_qubits``, ``max_iter``, ``random_state`` and
    ``prescaled``, and a class attribute ``who`` naming the model in error messages.
    """

    who = "circuit"

    def _prepare(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        """Checked, scaled training features ``(N, n)`` and class indices ``(N,)`` in {0, 1}."""

        check_count(self.max_iter, "max_iter", self.who)
        X, y = check_training_data(self, X, y)  # sets n_features_in_
        X = check_features(X, self.n_qubits, who=self.who)
        if X.shape[1] < 2:
            raise ValueError(
                f"{self.who} reads two qubits, so it needs at least 2 features (one per qubit); "
                f"got {X.shape[1]} feature(s)."
            )
        self.classes_, y_index = np.unique(y, return_inverse=True)
        self.scaler_ = MinMaxScaler(feature_range=(-1, 1), clip=True).fit(X)
        return self._scale(X), y_index

    def _scaled(self, X) -> np.ndarray:
        """New events checked against the fitted feature count and scaled like the training ones."""

        return self._scale(check_new_data(self, X, "theta_"))

    def _scale(self, X: np.ndarray) -> np.ndarray:
        if not self.prescaled:
            return self.scaler_.transform(X)
        if np.abs(X).max() > 1.0:
            raise ValueError(
                "prescaled=True but X has values outside [-1, 1]; scale it first "
                "(sklearn.preprocessing.MinMaxScaler(feature_range=(-1, 1))) or "
                "let the classifier scale it (prescaled=False)."
            )
        return X

    journal_every: int = 200
    """Cost evaluations between two saves of the journal (see :meth:`_minimise`)."""

    def _minimise(
        self, cost: Callable[[np.ndarray], float], n_params: int, data: tuple = ()
    ) -> None:
        """COBYLA from angles uniform in [0, 2π) (seeded); sets ``theta_``, ``n_params_``
        and ``history_`` (one row per evaluation, index ``evaluation`` from 1: its ``cost``).

        Every evaluation is journaled into a checkpoint (:mod:`qmlhep.fitting.checkpoints`, keyed
        by the estimator's parameters, the training ``data`` arrays and the code), saved
        every :attr:`journal_every` evaluations. After an interruption the same fit replays
        the journal: COBYLA is deterministic, so it asks for the same angles, gets the
        stored costs without simulating, and continues bit-identically.
        """

        if self.max_iter < n_params + 2:
            raise ValueError(
                f"max_iter={self.max_iter} is too small: COBYLA needs at least "
                f"n_params + 2 = {n_params + 2} evaluations to build its first "
                "simplex."
            )
        theta0 = initial_angles(self.random_state, n_params)
        params = {
            k: v
            if isinstance(v, (int, float, str, bool, type(None), tuple, list))
            else type(v).__qualname__
            for k, v in self.get_params().items()
        }
        ckpt = Checkpoint(
            "cobyla", {"estimator": type(self).__qualname__, "params": params}, [*data, theta0]
        )
        state = ckpt.load(required=("thetas", "values")) or {"thetas": [], "values": []}
        journal = {"thetas": list(state["thetas"]), "values": list(state["values"])}
        history: list[float] = []

        def recorded(theta):
            i = len(history)
            if i < len(journal["thetas"]) and np.array_equal(theta, journal["thetas"][i]):
                value = journal["values"][i]  # replayed from the journal
            else:
                del journal["thetas"][i:], journal["values"][i:]
                value = float(cost(theta))
                if not np.isfinite(value):
                    raise FloatingPointError(
                        f"{self.who}: the cost became {value} at "
                        f"evaluation {i + 1}; check the inputs."
                    )
                journal["thetas"].append(np.array(theta, copy=True))
                journal["values"].append(value)
                if len(journal["values"]) % self.journal_every == 0:
                    ckpt.save(journal)
            history.append(value)
            return value

        result = minimize(recorded, theta0, method="COBYLA", options={"maxiter": self.max_iter})
        ckpt.finish(journal)
        self.theta_ = result.x
        self.n_params_ = int(n_params)
        self.n_iter_ = len(history)
        self.history_ = pd.DataFrame(
            {"cost": history}, index=pd.RangeIndex(1, len(history) + 1, name="evaluation")
        )
