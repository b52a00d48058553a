"""The event quantum autoencoder as a scikit-learn outlier detector, trained with Adam.

``EventQAE(n_trash=2).fit(angles, validation=val_angles)`` maximises the mean trash
fidelity ``F`` (:mod:`qmlhep.bsm.qae_circuit`) of background events; ``score_samples`` is
``F`` (the lower, the more abnormal, as for :class:`sklearn.ensemble.IsolationForest`),
so the anomaly score is ``1 - F``. The authors trained with the quantum natural gradient,
one event per step; the book uses Adam on mini-batches with early stopping on the
validation loss, exactly as for the classical autoencoders it is compared with.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.utils.validation import check_is_fitted

from qmlhep.bsm.qae_circuit import check_layout, fidelity_function, quiet_trace
from qmlhep.fitting import optax_loop
from qmlhep.fitting.checkpoints import Checkpoint
from qmlhep.fitting.estimators import OffsetOutlierMixin
from qmlhep.fitting.validation import check_count, check_finite


class EventQAE(OffsetOutlierMixin, OutlierMixin, BaseEstimator):
    """One qubit per input variable (angles in ``[0, π]``), the last ``n_trash`` trash
    (with ``entangler="none"`` up to every qubit: the product twin reads them all).

    After ``fit``: ``theta_`` ``(layers, n)``, ``n_params_``, ``history_`` (per epoch:
    loss, validation loss, seconds) and ``offset_`` (the ``contamination`` quantile of the
    training fidelities, used by :meth:`predict`).
    """

    def __init__(
        self,
        n_trash: int = 2,
        layers: int = 1,
        entangler: str = "all_pairs",
        learning_rate: float = 0.01,
        batch_size: int = 32,
        max_iter: int = 100,
        patience: int = 10,
        random_state: int = 0,
        contamination: float = 0.05,
        progress: bool | str = False,
    ):
        self.n_trash = n_trash
        self.layers = layers
        self.entangler = entangler
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.patience = patience
        self.random_state = random_state
        self.contamination = contamination
        self.progress = progress

    def _fidelity(self, theta, X) -> np.ndarray:
        f = fidelity_function(X.shape[1], self.n_trash, self.layers, self.entangler)
        with jax.enable_x64(True):
            return np.asarray(f(jnp.asarray(theta), jnp.asarray(X, jnp.float64)))

    def fit(self, X, y=None, validation=None) -> EventQAE:
        """Adam on ``1 - F`` over shuffled mini-batches of ``X`` ``(N, n)`` (``y`` ignored);
        ``validation`` (background events) stops training early, best epoch restored."""
        X = check_finite(X, "X", "EventQAE")
        if X.ndim != 2:
            raise ValueError(f"EventQAE: X must be (events, variables), got shape {X.shape}.")
        check_layout(X.shape[1], self.n_trash, self.layers, self.entangler)
        for name in ("max_iter", "batch_size", "patience"):
            check_count(getattr(self, name), name, "EventQAE")
        if not 0.0 < self.contamination < 0.5:
            raise ValueError(f"contamination must be in (0, 0.5), got {self.contamination}.")
        val = X if validation is None else check_finite(validation, "validation", "EventQAE")
        rng = np.random.default_rng(self.random_state)
        theta = rng.uniform(0, np.pi, (self.layers, X.shape[1]))  # the authors' start
        f = fidelity_function(X.shape[1], self.n_trash, self.layers, self.entangler)
        gradient = jax.jit(jax.value_and_grad(lambda p, batch: jnp.mean(1 - f(p["theta"], batch))))
        settings = {k: getattr(self, k) for k in ("n_trash", "layers", "entangler")}
        settings |= {k: getattr(self, k) for k in ("learning_rate", "batch_size", "max_iter")}
        settings |= {"patience": self.patience, "random_state": self.random_state}

        def loss_and_grad(params, rows):
            with quiet_trace():
                return gradient(params, jnp.asarray(X[rows], jnp.float64))

        trained = optax_loop.train(
            {"theta": theta},
            loss_and_grad,
            len(X),
            learning_rate=self.learning_rate,
            epochs=self.max_iter,
            rng=rng,
            batch_size=min(self.batch_size, len(X)),
            evaluate=lambda p: {"val_loss": float(np.mean(1 - self._fidelity(p["theta"], val)))},
            monitor="val_loss",
            patience=self.patience,
            checkpoint=Checkpoint("event_qae", settings, [X, val, theta], min_interval=None),
            x64=True,
            desc="QAE epochs",
            progress=self.progress,
        )
        best_theta = trained.params["theta"]
        self.theta_ = best_theta
        self.n_params_ = int(best_theta.size)
        self.n_features_in_ = X.shape[1]
        self.history_ = trained.history
        self.n_iter_ = len(trained.history)
        self.offset_ = float(np.quantile(self._fidelity(best_theta, X), self.contamination))
        return self

    def score_samples(self, X) -> np.ndarray:
        """Trash fidelity ``F`` per event ``(N, n)`` → ``(N,)``: the lower, the more abnormal."""
        check_is_fitted(self, "theta_")
        X = check_finite(X, "X", "EventQAE")
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"EventQAE was fitted on {self.n_features_in_} variables; got shape {X.shape}."
            )
        return self._fidelity(self.theta_, X)
