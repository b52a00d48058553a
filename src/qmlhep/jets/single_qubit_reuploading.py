"""The single-qubit data re-uploading classifier of Pérez-Salinas et al. (2020).

A point ``x ∈ R²`` is uploaded ``L`` times onto one qubit, each time as a general
rotation ``R(b_l + w_l ∘ (x_1, x_2, 0)) = R_Z(φ_3) R_Y(φ_2) R_Z(φ_1)``; the state after the
``L`` layers is compared with the label states ``|0⟩`` (class 0) and ``|1⟩`` (class 1):
``p(1 | x) = |⟨1|ψ(x)⟩|²``, and the loss is the mean infidelity with the true label state.
Rotations are composed as unit quaternions (:mod:`qmlhep.simulation.patch_simulator`) and trained
with Adam (optax) through JAX.
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax
from sklearn.base import BaseEstimator, ClassifierMixin

from qmlhep.fitting.progress import bar
from qmlhep.fitting.validation import BinaryClassifierMixin
from qmlhep.simulation.patch_simulator import fuse, quaternion_rotations


def _p_one(params, X):
    """``|⟨1|ψ(x)⟩|²`` for every row of ``X`` ``(N, 2)``; params ``w, b`` of shape ``(L, 3)``."""
    x3 = jnp.concatenate([X, jnp.zeros((X.shape[0], 1))], axis=1)  # (N, 3)
    angles = params["b"][None] + params["w"][None] * x3[:, None, :]  # (N, L, 3)
    layers = params["w"].shape[0]
    quats = quaternion_rotations(angles.reshape(X.shape[0], -1), "ZYZ" * layers)  # (N, 3L, 4)
    a, b, c, d = jnp.moveaxis(fuse(quats), -1, 0)
    return b**2 + c**2  # U|0> = (a - i d, c - i b)


@partial(jax.jit, static_argnums=(3,))
def _step(params, state, batch, optimiser):
    X, y = batch

    def loss(p):
        p1 = _p_one(p, X)
        return jnp.mean(jnp.where(y == 1, 1 - p1, p1))  # infidelity with the label state

    value, grad = jax.value_and_grad(loss)(params)
    updates, state = optimiser.update(grad, state, params)
    return optax.apply_updates(params, updates), state, value


class ReuploadingClassifier(BinaryClassifierMixin, ClassifierMixin, BaseEstimator):
    """One qubit, ``layers`` uploads of a 2-D point; scikit-learn interface (0/1 labels)."""

    def __init__(
        self,
        layers: int = 3,
        epochs: int = 300,
        learning_rate: float = 0.05,
        random_state: int = 0,
        progress: bool = False,
    ):
        self.layers, self.epochs, self.learning_rate = layers, epochs, learning_rate
        self.random_state, self.progress = random_state, progress

    def fit(self, X, y) -> ReuploadingClassifier:
        """Full-batch Adam on the mean infidelity; ``X`` ``(N, 2)``, ``y`` in {0, 1}."""
        from qmlhep.fitting.validation import check_count, check_training_data

        X, y = check_training_data(self, X, y)
        X = X.astype(np.float32)
        if X.shape[1] != 2:
            raise ValueError(f"the single-qubit classifier takes 2-D points, got {X.shape}.")
        if set(np.unique(y)) != {0, 1}:
            raise ValueError(f"ReuploadingClassifier: y must be 0/1, got {np.unique(y).tolist()}.")
        check_count(self.epochs, "epochs", "ReuploadingClassifier")
        self.classes_ = np.array([0, 1])
        rng = np.random.default_rng(self.random_state)
        params = {
            "w": jnp.asarray(rng.normal(size=(self.layers, 3)), jnp.float32),
            "b": jnp.asarray(rng.uniform(-np.pi, np.pi, (self.layers, 3)), jnp.float32),
        }
        optimiser = optax.adam(self.learning_rate)
        state = optimiser.init(params)
        self.loss_curve_ = []
        for _ in bar(range(self.epochs), desc=f"L = {self.layers}", enabled=self.progress):
            params, state, value = _step(params, state, (jnp.asarray(X), jnp.asarray(y)), optimiser)
            if not np.isfinite(float(value)):
                raise FloatingPointError(
                    f"the loss became {float(value)} at epoch "
                    f"{len(self.loss_curve_) + 1}; lower the learning "
                    "rate."
                )
            self.loss_curve_.append(float(value))
        self.params_ = params
        return self

    @property
    def n_params_(self) -> int:
        """Trained parameters: a weight and a bias per rotation angle, 6 per upload."""
        return sum(int(np.size(v)) for v in self.params_.values())

    def predict_proba(self, X) -> np.ndarray:
        """``(N, 2)``: ``[|⟨0|ψ⟩|², |⟨1|ψ⟩|²]``."""
        from qmlhep.fitting.validation import check_new_data

        X = check_new_data(self, X, "params_").astype(np.float32)
        p1 = np.asarray(_p_one(self.params_, jnp.asarray(X)))
        return np.stack([1 - p1, p1], axis=1)

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] > 0.5).astype(int)


def circle_dataset(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform in [-1, 1]²; label 1 inside the circle of area 2 (radius √(2/π)),
    so both classes are equally likely (the paper's first benchmark)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    return X, (np.sum(X**2, axis=1) < 2 / np.pi).astype(int)
