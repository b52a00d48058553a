"""Fully connected autoencoders for event variables (Keras 3), as scikit-learn outlier
detectors: the classical side of the BSM chapter.

``DenseAutoencoder(hidden=(16, 8), latent=2)`` maps ``n`` variables through ReLU layers
to a linear ``latent`` layer and back (mirrored); ``tied=True`` with no hidden layers is
the smallest autoencoder there is, ``x̂ = W Wᵀ x`` with ``W`` ``(n, latent)``: ``n ×
latent`` parameters, so with one latent dimension exactly as many as the one-layer
quantum autoencoder on ``n`` qubits (:func:`classical_twin`). Training is the quantum
autoencoder's: Adam, mini-batches, early stopping on a validation set's loss (here the
mean squared reconstruction error). ``score_samples`` is minus that error per event (the
lower, the more abnormal).
"""

from __future__ import annotations

import keras
import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.utils.validation import check_is_fitted

import qmlhep  # noqa: F401  (selects the Keras backend before keras is imported)
from qmlhep.fitting.autoencoder_training import train_autoencoder
from qmlhep.fitting.estimators import OffsetOutlierMixin
from qmlhep.fitting.keras_loop import epoch_table, seed_everything
from qmlhep.fitting.validation import check_count, check_finite


class TiedLinear(keras.layers.Layer):
    """``x ↦ W Wᵀ x``: encoder and decoder share one kernel ``W`` ``(n, latent)``, no bias."""

    def __init__(self, latent: int, **kwargs):
        super().__init__(**kwargs)
        self.latent = latent

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.latent), name="kernel")

    def get_config(self) -> dict:
        return {**super().get_config(), "latent": self.latent}

    def call(self, x):
        return keras.ops.matmul(keras.ops.matmul(x, self.kernel), keras.ops.transpose(self.kernel))


def build_autoencoder(n_inputs: int, hidden: tuple[int, ...], latent: int, tied: bool):
    """Keras model ``n_inputs → hidden… → latent → …hidden → n_inputs``."""
    inputs = keras.Input(shape=(n_inputs,), name="variables")
    if tied:
        if hidden:
            raise ValueError("tied=True is the linear autoencoder: leave hidden empty.")
        return keras.Model(inputs, TiedLinear(latent, name="tied")(inputs), name="tied_ae")
    x = inputs
    for i, width in enumerate(hidden):
        x = keras.layers.Dense(width, activation="relu", name=f"enc_{i + 1}")(x)
    x = keras.layers.Dense(latent, name="latent")(x)
    for i, width in enumerate(reversed(hidden)):
        x = keras.layers.Dense(width, activation="relu", name=f"dec_{i + 1}")(x)
    outputs = keras.layers.Dense(n_inputs, name="reconstruction")(x)
    return keras.Model(inputs, outputs, name="dense_ae")


class DenseAutoencoder(OffsetOutlierMixin, OutlierMixin, BaseEstimator):
    """After ``fit``: ``model_``, ``n_params_``, ``history_`` and ``offset_``."""

    def __init__(
        self,
        hidden: tuple[int, ...] = (16, 8),
        latent: int = 2,
        tied: bool = False,
        learning_rate: float = 0.01,
        batch_size: int = 32,
        max_iter: int = 100,
        patience: int = 10,
        random_state: int = 0,
        contamination: float = 0.05,
        progress: bool | str = False,
    ):
        self.hidden = hidden
        self.latent = latent
        self.tied = tied
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.patience = patience
        self.random_state = random_state
        self.contamination = contamination
        self.progress = progress

    def fit(self, X, y=None, validation=None) -> DenseAutoencoder:
        """Train to reproduce ``X`` ``(N, n)`` (``y`` ignored); ``validation`` (background
        events, default ``X``) stops training early, best epoch restored."""

        check_count(self.max_iter, "max_iter", "DenseAutoencoder")
        X = check_finite(X, "X", "DenseAutoencoder").astype(np.float32)
        if X.ndim != 2:
            raise ValueError(f"DenseAutoencoder: X must be (events, variables), got {X.shape}.")
        if not 0 < self.latent:
            raise ValueError(f"latent must be a positive integer, got {self.latent!r}.")
        val = X if validation is None else check_finite(validation, "validation", "bsm AE")

        seed_everything(self.random_state)
        self.model_ = build_autoencoder(X.shape[1], tuple(self.hidden), self.latent, self.tied)
        self.history_ = epoch_table(
            train_autoencoder(
                self.model_,
                X,
                np.asarray(val, np.float32),
                epochs=self.max_iter,
                batch_size=self.batch_size,
                patience=self.patience,
                learning_rate=self.learning_rate,
                weight_decay=0.0,
                loss="mse",
                seed=self.random_state,
                progress=self.progress,
                desc="AE epochs",
            )
        )
        self.n_params_ = int(self.model_.count_params())
        self.n_iter_ = len(self.history_)
        self.n_features_in_ = X.shape[1]
        self.offset_ = float(np.quantile(self.score_samples(X), self.contamination))
        return self

    def score_samples(self, X) -> np.ndarray:
        """Minus the mean squared reconstruction error per event ``(N, n)`` → ``(N,)``."""
        check_is_fitted(self, "model_")
        X = check_finite(X, "X", "DenseAutoencoder").astype(np.float32)
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"DenseAutoencoder was fitted on {self.n_features_in_} variables; got {X.shape}."
            )
        reco = self.model_.predict(X, batch_size=4096, verbose=0)
        return -np.mean((reco - X) ** 2, axis=1)


TRAINING = ("learning_rate", "batch_size", "max_iter", "patience", "random_state")
"""The settings a twin copies from the quantum model it stands beside."""


def tied_twin(n_inputs: int, n_params: int, like) -> DenseAutoencoder:
    """The tied linear autoencoder on ``n_inputs`` variables with ``n_params`` parameters
    (``n_params / n_inputs`` latent dimensions, which must be a whole number), trained with
    the :data:`TRAINING` settings of the estimator ``like``."""
    latent, rest = divmod(n_params, n_inputs)
    if rest or not latent:
        raise ValueError(
            f"a tied linear autoencoder on {n_inputs} inputs has a multiple of {n_inputs} "
            f"parameters; {n_params} is not one."
        )
    training = {k: getattr(like, k) for k in TRAINING}
    return DenseAutoencoder(hidden=(), latent=latent, tied=True, **training)


def classical_twin(qae) -> DenseAutoencoder:
    """The tied linear autoencoder with as many parameters as the event ``qae`` (its ``n ×
    layers`` angles: one latent dimension per layer), trained the same way."""
    training = {k: getattr(qae, k) for k in TRAINING}
    return DenseAutoencoder(hidden=(), latent=qae.layers, tied=True, **training)
