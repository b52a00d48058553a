"""Training an autoencoder to reproduce its input (Keras 3): the loop every image and event
autoencoder of the book shares (the convolutional ones of the jet chapters, the hybrid, the
dense ones of the BSM chapter), and their reconstructions.

:func:`train_autoencoder` fits with AdamW and early stopping on the validation loss (best
weights kept, resumable through :func:`qmlhep.fitting.keras_loop.fit`); binary
cross-entropy is computed from the logits (:func:`_on_logits`).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

import qmlhep  # noqa: F401  (selects the Keras backend before keras is imported)
from qmlhep.fitting.keras_loop import EpochTimer, KeepBest, epoch_bar, fit, seed_everything
from qmlhep.fitting.validation import check_finite


def train_autoencoder(
    model: keras.Model,
    X_train,
    X_val,
    epochs: int,
    batch_size: int = 128,
    patience: int = 10,
    learning_rate: float = 1e-3,
    weight_decay: float = 1e-4,
    loss="binary_crossentropy",
    seed: int = 0,
    desc: str = "epochs",
    min_improvement: float = 0.0,
    progress: bool | str = True,
) -> dict:
    """Fit ``model`` to reproduce its input with AdamW; early stopping on the validation
    loss (best weights kept; an epoch improves by more than ``min_improvement`` of the best
    loss, see :class:`~qmlhep.fitting.keras_loop.KeepBest`). Images (n, H, W) or
    (n, H, W, 1). Returns the loss history with the wall time of every epoch in seconds
    (``"seconds"``).
    """
    X_train = check_finite(X_train, "X_train", "train_autoencoder")
    X_val = check_finite(X_val, "X_val", "train_autoencoder")
    seed_everything(seed)
    X_train, X_val = _with_channel(X_train), _with_channel(X_val)
    trained, loss = _on_logits(model, loss)
    trained.compile(
        optimizer=keras.optimizers.AdamW(learning_rate, weight_decay=weight_decay), loss=loss
    )
    timer = EpochTimer()
    history = fit(
        trained,
        X_train,
        X_train,
        validation_data=(X_val, X_val),
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        checkpoint="autoencoder",
        settings={
            "learning_rate": learning_rate,
            "weight_decay": weight_decay,
            "loss": str(loss),
            "seed": seed,
            "patience": patience,
            **({"min_improvement": min_improvement} if min_improvement else {}),
        },
        callbacks={
            "timer": timer,
            "best": KeepBest(patience=patience, min_improvement=min_improvement),
            "bar": epoch_bar(epochs, progress, desc),
        },
    )
    return {**history, "seconds": timer.seconds}


def _on_logits(model: keras.Model, loss):
    """``(model to fit, loss)``: for binary cross-entropy on a model that ends in a sigmoid
    layer, the same network without that layer and the loss computed from logits.

    Cross-entropy on probabilities clips them to [1e-7, 1 - 1e-7], and the clip has no
    gradient: on images that are almost all dark, early steps can push every output below
    1e-7, after which nothing trains and the network returns the same (empty) image for
    every input. From logits, the loss is exact and its gradient never vanishes. The
    weights are shared, so fitting the returned model trains ``model``.
    """
    last = model.layers[-1]
    if (
        loss == "binary_crossentropy"
        and isinstance(last, layers.Activation)
        and last.activation is keras.activations.sigmoid
    ):
        return (
            keras.Model(model.inputs, last.input, name=f"{model.name}_logits"),
            keras.losses.BinaryCrossentropy(from_logits=True),
        )
    return model, loss


def reconstruct(model: keras.Model, X, batch_size: int = 128) -> np.ndarray:
    """Reconstructions (n, H, W) of images (n, H, W), ``batch_size`` images at a time
    (a 16-qubit hybrid holds ~0.5 MB of state per image and per intermediate: 128 keeps
    its peak memory well inside a 2 GB reader's machine)."""
    X = check_finite(X, "the images to reconstruct", "reconstruct")
    return model.predict(_with_channel(X), batch_size=batch_size, verbose=0)[..., 0]


def _with_channel(X):
    X = np.asarray(X, dtype=np.float32)
    return X[..., None] if X.ndim == 3 else X
