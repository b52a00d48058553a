"""A fully connected classifier (Keras 3) with the scikit-learn estimator interface.

``DNNClassifier(hidden=(64, 64)).fit(X, y).predict_proba(X)`` — inputs are standardised
inside the estimator, the network ends in one sigmoid unit, the loss is binary
cross-entropy, the optimiser Adam. ``random_state`` fixes initialisation and shuffling.
"""

from __future__ import annotations

import os

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.preprocessing import StandardScaler


def _keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    return keras


def build_mlp(n_inputs: int, hidden: tuple[int, ...], activation: str = "relu"):
    """Keras model ``n_inputs -> hidden... -> 1 (sigmoid)``."""
    keras = _keras()
    inputs = keras.Input(shape=(n_inputs,), name="features")
    x = inputs
    for i, width in enumerate(hidden):
        x = keras.layers.Dense(width, activation=activation, name=f"hidden_{i + 1}")(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="p_signal")(x)
    return keras.Model(inputs, outputs, name="dnn")


class DNNClassifier(ClassifierMixin, BaseEstimator):
    """Binary classifier; ``predict_proba`` returns (n, 2) [P(0), P(1)]."""

    def __init__(self, hidden: tuple[int, ...] = (64, 64), epochs: int = 40,
                 batch_size: int = 256, learning_rate: float = 1e-3, random_state: int = 0):
        self.hidden = hidden
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray) -> DNNClassifier:
        """Train on ``X`` (n, n_features) and 0/1 labels ``y`` (n,)."""
        keras = _keras()
        X, y = np.asarray(X, dtype=np.float32), np.asarray(y)
        if not np.isfinite(X).all():
            raise ValueError("X contains NaN or infinite values; clean the inputs first.")
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(f"DNNClassifier needs two classes, got {self.classes_}.")
        keras.utils.set_random_seed(self.random_state)
        self.scaler_ = StandardScaler().fit(X)
        self.model_ = build_mlp(X.shape[1], tuple(self.hidden))
        self.model_.compile(optimizer=keras.optimizers.Adam(self.learning_rate),
                            loss="binary_crossentropy")
        target = (y == self.classes_[1]).astype(np.float32)
        self.history_ = self.model_.fit(self.scaler_.transform(X), target, epochs=self.epochs,
                                        batch_size=self.batch_size, verbose=0).history
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, 2) class probabilities."""
        x = self.scaler_.transform(np.asarray(X, dtype=np.float32))
        p = np.asarray(self.model_(x, training=False)).reshape(-1)
        return np.stack([1.0 - p, p], axis=1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]

    @property
    def n_params_(self) -> int:
        """Number of trainable parameters of the fitted network."""
        return int(self.model_.count_params())
