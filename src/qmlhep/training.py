"""Keras training helpers shared by every network of the book.

:class:`KeepBest` stops training when the monitored loss has not improved for
``patience`` epochs and restores the best weights. It replaces Keras'
``EarlyStopping(restore_best_weights=True)``, whose ``get_weights()`` goes through
``Variable.__array__`` without the ``copy`` keyword and so raises NumPy 2's
DeprecationWarning (Keras 3.15); here the weights are read from the backend arrays.
:class:`EpochBar` is a per-epoch progress bar, :class:`EpochTimer` times every epoch.
"""

from __future__ import annotations

import random
import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

import qmlhep  # noqa: F401  (selects the Keras backend before keras is imported)
import keras  # noqa: E402
from keras.src.backend.common import global_state  # noqa: E402
from keras.src.random import seed_generator  # noqa: E402
from keras.src.utils import rng_utils  # noqa: E402

from qmlhep.progress import bar  # noqa: E402

if keras.backend.backend() != "jax":
    raise RuntimeError(
        f"Keras was imported with the {keras.backend.backend()!r} backend before qmlhep could "
        "select JAX. Import qmlhep before keras (or anything that imports it, such as "
        "tensorflow), or set KERAS_BACKEND=jax in the environment.")


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and Keras' global seed generator (weight initialisation).

    Does what ``keras.utils.set_random_seed`` does for the JAX backend, without its
    ``tf.random.set_seed`` call, which imports TensorFlow (seconds, and C++ log lines on
    every page) although nothing here uses it. Tests check that equal seeds give equal
    networks and that TensorFlow stays unimported.
    """
    global_state.set_global_attribute(rng_utils.GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(seed_generator.GLOBAL_SEED_GENERATOR, None)
    random.seed(seed)
    np.random.seed(seed)


class KerasBinaryClassifier(ClassifierMixin, BaseEstimator):
    """The scikit-learn face of a Keras network with one sigmoid output (class 1).

    Subclasses fit ``model_`` and call :meth:`_targets` (which sets ``classes_``) in
    ``fit``, and say in :meth:`_inputs` how ``X`` becomes the network's input.
    """

    predict_batch: int = 4096

    def _targets(self, y) -> np.ndarray:
        """0/1 float targets for labels ``y``; sets ``classes_`` (two, else an error)."""
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(f"{type(self).__name__} needs two classes, got {self.classes_}.")
        return (y == self.classes_[1]).astype(np.float32)

    def _inputs(self, X) -> np.ndarray:
        raise NotImplementedError

    def predict_proba(self, X) -> np.ndarray:
        """(n, 2) class probabilities."""
        p = self.model_.predict(self._inputs(X), batch_size=self.predict_batch, verbose=0)
        p = np.asarray(p).reshape(-1)
        return np.stack([1.0 - p, p], axis=1)

    def predict(self, X) -> np.ndarray:
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]

    @property
    def n_params_(self) -> int:
        """Number of parameters of the fitted network."""
        return int(self.model_.count_params())


class KeepBest(keras.callbacks.Callback):
    """Early stopping on ``monitor`` with restoration of the best epoch's weights."""

    def __init__(self, monitor: str = "val_loss", patience: int = 10):
        super().__init__()
        self.monitor, self.patience = monitor, patience

    def on_train_begin(self, logs=None):
        self.best, self.best_epoch, self.wait, self.weights = np.inf, -1, 0, None

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            raise KeyError(f"KeepBest monitors {self.monitor!r}, which the logs lack "
                           f"({sorted(logs or {})}); pass validation data or change monitor.")
        if value < self.best:
            self.best, self.best_epoch, self.wait = value, epoch, 0
            self.weights = [np.array(v.value, copy=True) for v in self.model.weights]
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.weights is not None:
            for variable, value in zip(self.model.weights, self.weights):
                variable.assign(value)


class EpochTimer(keras.callbacks.Callback):
    """Wall-clock seconds of every epoch (training and validation), in ``seconds``."""

    def on_train_begin(self, logs=None):
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


class EpochBar(keras.callbacks.Callback):
    """A progress bar over epochs showing the latest losses."""

    def __init__(self, epochs: int, desc: str = "epochs", enabled: bool = True):
        super().__init__()
        self.epochs, self.desc, self.enabled = epochs, desc, enabled

    def on_train_begin(self, logs=None):
        self.bar = bar(total=self.epochs, desc=self.desc, enabled=self.enabled)

    def on_epoch_end(self, epoch, logs=None):
        self.bar.set_postfix({k: f"{v:.4g}" for k, v in (logs or {}).items() if "loss" in k})
        self.bar.update()

    def on_train_end(self, logs=None):
        self.bar.close()
