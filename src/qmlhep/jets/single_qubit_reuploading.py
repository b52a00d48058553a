"""The single-qubit data re-uploading classifier of Pérez-Salinas et al. (2020).

A point ``x ∈ R²`` is uploaded ``L`` times onto one qubit, each time as a general
rotation ``R(b_l + w_l ∘ (x_1, x_2, 0)) = R_Z(φ_3) R_Y(φ_2) R_Z(φ_1)``; the state after the
``L`` layers is compared with the label states ``|0⟩`` (class 0) and ``|1⟩`` (class 1):
``p(1 | x) = |⟨1|ψ(x)⟩|²``, and the loss is the mean infidelity with the true label state.
Rotations are composed as unit quaternions (:mod:`qmlhep.simulation.patch_simulator`) and trained
with Adam (optax) through JAX.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from qmlhep.fitting import optax_loop
from qmlhep.fitting.checkpoints import Checkpoint
from qmlhep.fitting.estimators import BinaryClassifierMixin
from qmlhep.fitting.validation import (
    check_count,
    check_new_data,
    check_training_data,
)
from qmlhep.simulation.patch_simulator import fuse, quaternion_rotations


def _p_one(params, X):
    """``|⟨1|ψ(x)⟩|²`` for every row of ``X`` ``(N, 2)``; params ``w, b`` of shape ``(L, 3)``."""
    x3 = jnp.concatenate([X, jnp.zeros((X.shape[0], 1))], axis=1)  # (N, 3)
    angles = params["b"][None] + params["w"][None] * x3[:, None, :]  # (N, L, 3)
    layers = params["w"].shape[0]
    quats = quaternion_rotations(angles.reshape(X.shape[0], -1), "ZYZ" * layers)  # (N, 3L, 4)
    a, b, c, d = jnp.moveaxis(fuse(quats), -1, 0)
    return b**2 + c**2  # U|0> = (a - i d, c - i b)


@jax.jit
@jax.value_and_grad
def _loss(params, X, y):
    """Mean infidelity with the label state, and its gradient in ``params``."""
    p1 = _p_one(params, X)
    return jnp.mean(jnp.where(y == 1, 1 - p1, p1))


class ReuploadingClassifier(BinaryClassifierMixin, ClassifierMixin, BaseEstimator):
    """One qubit, ``layers`` uploads of a 2-D point; scikit-learn interface (0/1 labels).

    After ``fit``: ``params_`` (``w``, ``b`` of shape ``(layers, 3)``), ``n_params_`` and
    ``history_`` (per epoch: training loss and seconds), trained by
    :func:`qmlhep.fitting.optax_loop.train` for all ``max_iter`` epochs (no early stopping: a
    full-batch toy whose loss curve the chapter shows)."""

    def __init__(
        self,
        layers: int = 3,
        max_iter: int = 300,
        learning_rate: float = 0.05,
        random_state: int = 0,
        progress: bool | str = False,
    ):
        self.layers, self.max_iter, self.learning_rate = layers, max_iter, learning_rate
        self.random_state, self.progress = random_state, progress

    def fit(self, X, y) -> ReuploadingClassifier:
        """Full-batch Adam on the mean infidelity; ``X`` ``(N, 2)``, ``y`` in {0, 1}."""

        X, y = check_training_data(self, X, y)
        X = X.astype(np.float32)
        if X.shape[1] != 2:
            raise ValueError(f"the single-qubit classifier takes 2-D points, got {X.shape}.")
        if set(np.unique(y)) != {0, 1}:
            raise ValueError(f"ReuploadingClassifier: y must be 0/1, got {np.unique(y).tolist()}.")
        check_count(self.max_iter, "max_iter", "ReuploadingClassifier")
        self.classes_ = np.array([0, 1])
        rng = np.random.default_rng(self.random_state)
        params = {
            "w": rng.normal(size=(self.layers, 3)).astype(np.float32),
            "b": rng.uniform(-np.pi, np.pi, (self.layers, 3)).astype(np.float32),
        }
        Xj, yj = jnp.asarray(X), jnp.asarray(y)
        settings = {k: getattr(self, k) for k in ("layers", "max_iter", "learning_rate")}
        trained = optax_loop.train(
            params,
            lambda p, rows: _loss(p, Xj, yj),  # full batch: every point, every step
            len(X),
            learning_rate=self.learning_rate,
            epochs=self.max_iter,
            rng=rng,
            checkpoint=Checkpoint(
                "reuploading",
                settings | {"seed": self.random_state},
                [X, y, *params.values()],
                min_interval=None,  # a toy's epochs take milliseconds: save every 20 s
            ),
            desc=f"L = {self.layers}",
            progress=self.progress,
        )
        self.history_ = trained.history
        self.n_iter_ = len(trained.history)
        self.params_ = trained.params
        self.n_params_ = sum(int(np.size(v)) for v in self.params_.values())  # 6 per upload
        return self

    def predict_proba(self, X) -> np.ndarray:
        """``(N, 2)``: ``[|⟨0|ψ⟩|², |⟨1|ψ⟩|²]``."""

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
