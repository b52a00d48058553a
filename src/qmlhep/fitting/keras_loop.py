"""Keras training helpers shared by every network of the book.

:class:`KeepBest` stops training when the monitored loss has not improved for
``patience`` epochs and restores the best weights. It replaces Keras'
``EarlyStopping(restore_best_weights=True)``, whose ``get_weights()`` goes through
``Variable.__array__`` without the ``copy`` keyword and so raises NumPy 2's
DeprecationWarning (Keras 3.15); here the weights are read from the backend arrays.
:class:`EpochBar` is a per-epoch progress bar, :class:`EpochTimer` times every epoch.
:func:`fit` is the one training loop of every Keras model of the book: it checkpoints
after every epoch and resumes bit-identically after an interruption.
"""

from __future__ import annotations

import json
import random
import time

import keras
import numpy as np
import pandas as pd
from keras.src.backend.common import global_state
from keras.src.random import seed_generator
from keras.src.utils import rng_utils

import qmlhep  # noqa: F401  (selects the Keras backend before keras is imported)
from qmlhep.fitting.checkpoints import Checkpoint
from qmlhep.fitting.early_stopping import check_rule, improves
from qmlhep.fitting.progress import bar, bar_label
from qmlhep.fitting.validation import check_count, check_finite

if keras.backend.backend() != "jax":
    raise RuntimeError(
        f"Keras was imported with the {keras.backend.backend()!r} backend before qmlhep could "
        "select JAX. Import qmlhep before keras (or anything that imports it, such as "
        "tensorflow), or set KERAS_BACKEND=jax in the environment."
    )


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
    np.random.seed(seed)  # noqa: NPY002 (Keras shuffles with the global NumPy generator)


class Resumable(keras.callbacks.Callback):
    """A callback whose state survives an interruption: :func:`fit` saves ``state()``
    after every epoch and, on resuming, calls ``restore()`` before training continues."""

    _restored = False

    def state(self) -> dict:
        return {}

    def restore(self, state: dict) -> None:
        self.__dict__.update(state)
        self._restored = True

    def on_train_begin(self, logs=None):
        if not self._restored:
            self.reset()

    def reset(self) -> None:
        pass


class KeepBest(Resumable):
    """Early stopping on ``monitor`` with restoration of the best epoch's weights.

    An epoch improves when ``monitor`` falls below the best value so far by more than
    ``min_improvement`` of it (relative: 5e-3 = 0.5 %); training stops after ``patience``
    epochs without an improvement, so a loss must gain that much within ``patience``
    epochs to go on. With the default 0, any decrease counts, and a loss that keeps
    creeping down never stops; a tolerance stops where the curve has flattened.
    """

    def __init__(self, monitor: str = "val_loss", patience: int = 10, min_improvement: float = 0.0):
        super().__init__()
        check_rule(patience, min_improvement, "min")
        self.monitor, self.patience, self.min_improvement = monitor, patience, min_improvement

    def reset(self):
        self.best, self.best_epoch, self.wait, self.weights = np.inf, -1, 0, None

    def state(self) -> dict:
        return {k: getattr(self, k) for k in ("best", "best_epoch", "wait", "weights")}

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            raise KeyError(
                f"KeepBest monitors {self.monitor!r}, which the logs lack "
                f"({sorted(logs or {})}); pass validation data or change monitor."
            )
        if improves(value, self.best, self.min_improvement):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            self.weights = [np.array(v.value, copy=True) for v in self.model.weights]
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.weights is not None:
            for variable, value in zip(self.model.weights, self.weights, strict=True):
                variable.assign(value)


class EpochTimer(Resumable):
    """Wall-clock seconds of every epoch (training and validation), in ``seconds``."""

    def reset(self):
        self.seconds: list[float] = []

    def state(self) -> dict:
        return {"seconds": list(self.seconds)}

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def epoch_table(history: dict[str, list]) -> pd.DataFrame:
    """A training's per-epoch ``history`` (losses, seconds) as the ``history_`` every
    estimator of the book has: one row per epoch, index ``epoch`` from 1."""
    table = pd.DataFrame(history)
    table.index = pd.RangeIndex(1, len(table) + 1, name="epoch")
    return table


def epoch_bar(epochs: int, progress: bool | str, default: str = "epochs") -> EpochBar:
    """The progress bar an estimator's ``progress`` asks for (False: none; True: labelled
    ``default``; a string: that label)."""
    shown, label = bar_label(progress, default)
    return EpochBar(epochs, label, shown)


class EpochBar(keras.callbacks.Callback):
    """A progress bar over epochs showing the latest losses."""

    def __init__(self, epochs: int, desc: str = "epochs", enabled: bool = True):
        super().__init__()
        self.epochs, self.desc, self.enabled = epochs, desc, enabled

    def on_train_begin(self, logs=None):
        self.bar = bar(
            total=self.epochs,
            desc=self.desc,
            enabled=self.enabled,
            initial=getattr(self, "initial", 0),
        )

    def on_epoch_end(self, epoch, logs=None):
        self.bar.set_postfix({k: f"{v:.4g}" for k, v in (logs or {}).items() if "loss" in k})
        self.bar.update()

    def on_train_end(self, logs=None):
        self.bar.close()


class _EpochSeed(keras.callbacks.Callback):
    """Seeds NumPy (with which Keras shuffles) at the start of every epoch from ``seed`` and
    the epoch number, so an epoch's order of batches does not depend on what ran before:
    a resumed training shuffles its remaining epochs exactly as an uninterrupted one."""

    def __init__(self, seed: int):
        super().__init__()
        self.seed = seed

    def on_epoch_begin(self, epoch, logs=None):
        np.random.seed([self.seed, epoch])  # noqa: NPY002 (Keras shuffles with it)


class _SaveEachEpoch(keras.callbacks.Callback):
    """Records the history, stops on a non-finite loss, and saves the whole training state
    into the checkpoint (if any) after every epoch (runs after the other callbacks)."""

    def __init__(self, checkpoint, resumable: dict[str, Resumable], history: dict):
        super().__init__()
        self.checkpoint, self.resumable, self.history = checkpoint, resumable, history
        self.last: dict = {}

    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            value = float(value)
            if not np.isfinite(value):
                self.model.stop_training = True
                raise FloatingPointError(
                    f"the training {name} became {value} at epoch {epoch + 1}; stopped. Lower "
                    "the learning rate or check the inputs for extreme values."
                )
            self.history.setdefault(name, []).append(value)
        if self.checkpoint is not None:
            self.last = training_state(self.model, epoch, self.resumable, self.history)
            self.checkpoint.save(self.last)


def training_state(model, epoch: int, resumable: dict[str, Resumable], history: dict) -> dict:
    """Everything needed to continue a Keras training after ``epoch`` exactly."""
    return {
        "epoch": epoch,
        "stopped": bool(model.stop_training),
        "weights": [np.array(v.value, copy=True) for v in model.weights],
        "optimizer": [np.array(v.value, copy=True) for v in model.optimizer.variables],
        "callbacks": {name: cb.state() for name, cb in resumable.items()},
        "history": {k: list(v) for k, v in history.items()},
    }


def _settings(layer) -> dict:
    """A layer's public plain settings (units, activation, its circuit's entangler…),
    without its name."""
    out = {}
    for key, value in sorted(vars(layer).items()):
        if key.startswith("_") or key == "name":
            continue
        if isinstance(value, (bool, int, float, str)) or (
            isinstance(value, tuple) and all(isinstance(v, (bool, int, float, str)) for v in value)
        ):
            out[key] = value
        elif callable(value) and hasattr(value, "__name__"):  # an activation function
            out[key] = value.__name__
        elif type(value).__module__.startswith("qmlhep."):  # the book's own parts (a circuit)
            out[key] = [type(value).__name__, _settings(value)]
    return out


def architecture(model) -> str:
    """The model's layers as text, for the checkpoint key: two models with the same weight
    shapes and initial values but different layers (a circuit with or without its
    entanglers, another activation) must never share a checkpoint. Each layer's class and
    plain settings, without its name (Keras numbers unnamed layers per session, which would
    change the key of the same model from one run to the next). Read from the layers'
    attributes: ``get_config`` would import TensorFlow where it is installed."""
    return json.dumps([(type(layer).__name__, _settings(layer)) for layer in model.layers])


def fit(
    model,
    x,
    y,
    *,
    validation_data,
    epochs: int,
    batch_size: int,
    callbacks: dict[str, keras.callbacks.Callback],
    seed: int = 0,
    checkpoint: str | None = None,
    settings: dict | None = None,
    extra_callbacks: list | None = None,
) -> dict:
    """``model.fit`` (compiled, seeded) that resumes from a checkpoint after an interruption.

    Every epoch shuffles with NumPy seeded from ``seed`` and the epoch number.

    ``callbacks`` are named; the :class:`Resumable` ones are saved with the weights, the
    optimiser state and the history after every epoch, into
    :class:`qmlhep.fitting.checkpoints.Checkpoint` ``checkpoint`` (a kind, e.g. ``"autoencoder"``;
    None: no checkpoint), keyed by ``settings``, the data, the initial weights, the
    model's layers (:func:`architecture`), the seed and the code. A non-finite loss stops
    training with a FloatingPointError naming the epoch. Returns the history
    (``{name: [value per epoch]}``).
    """

    check_count(epochs, "epochs", "training")
    check_count(batch_size, "batch_size", "training")
    check_finite(x, "the training inputs", "training")
    if validation_data is not None:
        check_finite(validation_data[0], "the validation inputs", "training")
    resumable = {n: cb for n, cb in callbacks.items() if isinstance(cb, Resumable)}
    history: dict[str, list[float]] = {}
    start = 0
    ckpt = None
    if checkpoint is not None:
        initial = [np.asarray(v.value) for v in model.weights]
        val = validation_data or ()
        ckpt = Checkpoint(
            checkpoint,
            {
                "settings": settings or {},
                "epochs": epochs,
                "batch_size": batch_size,
                "layout": [(v.path, v.shape) for v in model.weights],
                "architecture": architecture(model),
            },
            [x, y, *val, *initial, np.array([seed])],
            min_interval=None,
        )
        state = ckpt.load(
            required=("weights", "optimizer", "callbacks", "history", "epoch", "stopped")
        )
        if state is not None:
            model.optimizer.build(model.trainable_variables)
            for variable, value in zip(model.weights, state["weights"], strict=True):
                variable.assign(value)
            for variable, value in zip(model.optimizer.variables, state["optimizer"], strict=True):
                variable.assign(value)
            for name, cb in resumable.items():
                cb.restore(state["callbacks"][name])
            history = {k: list(v) for k, v in state["history"].items()}
            start = state["epoch"] + 1
            if state["stopped"] or start >= epochs:  # it had finished: only wrap up
                for cb in resumable.values():
                    cb.set_model(model)
                    cb.on_train_end()
                    cb._restored = False
                ckpt.finish(state)
                return history
    for cb in callbacks.values():
        if isinstance(cb, EpochBar):
            cb.initial = start
    saver = _SaveEachEpoch(ckpt, resumable, history)
    try:
        model.fit(
            x,
            y,
            validation_data=validation_data,
            epochs=epochs,
            initial_epoch=start,
            batch_size=batch_size,
            verbose=0,
            callbacks=[_EpochSeed(seed), *callbacks.values(), saver, *(extra_callbacks or [])],
        )
    finally:
        for cb in resumable.values():
            cb._restored = False
    if ckpt is not None:
        ckpt.finish(saver.last)
    return history


def train_classifier(
    estimator,
    x: np.ndarray,
    target: np.ndarray,
    validation_data: tuple | None,
    batch_size: int,
    checkpoint: str,
    unkeyed: tuple[str, ...] = ("progress",),
) -> None:
    """The one training step of the book's Keras classifiers
    (:class:`~qmlhep.fitting.estimators.KerasBinaryClassifier`): train the compiled
    ``estimator.model_`` with :func:`fit` for at most ``max_iter`` epochs (early stopping
    on the validation loss with ``patience`` when there is ``validation_data``, else every
    epoch on all of ``x``) and set ``history_``, ``n_iter_`` and ``n_params_``.
    ``unkeyed``: parameters left out of the checkpoint key (they do not change the result)."""
    timer = EpochTimer()
    history = fit(
        estimator.model_,
        x,
        target,
        validation_data=validation_data,
        epochs=estimator.max_iter,
        batch_size=batch_size,
        seed=estimator.random_state,
        checkpoint=checkpoint,
        settings={k: v for k, v in estimator.get_params().items() if k not in unkeyed},
        callbacks={
            "timer": timer,
            **({"best": KeepBest(patience=estimator.patience)} if validation_data else {}),
            "bar": epoch_bar(estimator.max_iter, estimator.progress, "epochs"),
        },
    )
    estimator.history_ = epoch_table({**history, "seconds": timer.seconds})
    estimator.n_iter_ = len(estimator.history_)
    estimator.n_params_ = int(estimator.model_.count_params())
