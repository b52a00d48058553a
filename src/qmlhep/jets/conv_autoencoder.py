"""Convolutional autoencoders for jet images (Keras 3), in the style of Finke et al. (2021).

Both models map an image in [0, 1] to a reconstruction in [0, 1] (a final sigmoid layer)
and are trained with binary cross-entropy computed from the logits (see
:func:`train_autoencoder`); the per-image reconstruction loss is the anomaly score.
PReLU activations have one slope per feature-map element (Keras' default), which is where
most of the 40x40 model's ~900k parameters live, as in the original.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

import qmlhep  # noqa: F401  (selects the Keras backend before keras is imported)


def _conv(x, filters: int, name: str, kernel: int = 4, shared: bool = False):
    x = layers.Conv2D(filters, kernel, padding="same", name=name)(x)
    return layers.PReLU(shared_axes=[1, 2] if shared else None, name=f"{name}_prelu")(x)


def _dense(x, units: int, name: str):
    return layers.PReLU(name=f"{name}_prelu")(layers.Dense(units, name=name)(x))


def conv_autoencoder_40(latent: int = 32) -> keras.Model:
    """40x40x1 -> latent -> 40x40x1; 903k parameters for ``latent`` = 32.

    Encoder: two 4x4 convolutions (10, 5 filters), average pooling, two more (5, 5),
    pooling, dense 700 -> 100 -> latent; the decoder mirrors it.
    """
    inputs = keras.Input((40, 40, 1), name="image")
    x = _conv(inputs, 10, "enc_conv1")
    x = _conv(x, 5, "enc_conv2")
    x = layers.AveragePooling2D(2, name="enc_pool1")(x)  # 20x20x5
    x = _conv(x, 5, "enc_conv3")
    x = _conv(x, 5, "enc_conv4")
    x = layers.AveragePooling2D(2, name="enc_pool2")(x)  # 10x10x5
    x = layers.Flatten(name="enc_flatten")(x)
    x = _dense(x, 700, "enc_dense1")
    x = _dense(x, 100, "enc_dense2")
    z = layers.Dense(latent, name="latent")(x)
    x = _dense(z, 100, "dec_dense1")
    x = _dense(x, 700, "dec_dense2")
    x = _dense(x, 500, "dec_dense3")
    x = layers.Reshape((10, 10, 5), name="dec_reshape")(x)
    x = _conv(x, 5, "dec_conv1")
    x = layers.UpSampling2D(2, name="dec_up1")(x)  # 20x20x5
    x = _conv(x, 5, "dec_conv2")
    x = _conv(x, 5, "dec_conv3")
    x = layers.UpSampling2D(2, name="dec_up2")(x)  # 40x40x5
    x = _conv(x, 10, "dec_conv4")
    x = layers.Conv2D(1, 4, padding="same", name="logits")(x)
    outputs = layers.Activation("sigmoid", name="reconstruction")(x)
    return keras.Model(inputs, outputs, name="cae40")


def conv_autoencoder_12(latent: int = 8) -> keras.Model:
    """12x12x1 -> latent -> 12x12x1; 3,241 parameters for ``latent`` = 8.

    Two 3x3 convolutions of 8 filters with pooling down to 3x3x8, a dense latent layer,
    and the mirror image back up; PReLU slopes are shared per channel to stay small.
    """
    inputs = keras.Input((12, 12, 1), name="image")
    x = _conv(inputs, 8, "enc_conv1", kernel=3, shared=True)
    x = layers.AveragePooling2D(2, name="enc_pool1")(x)  # 6x6x8
    x = _conv(x, 8, "enc_conv2", kernel=3, shared=True)
    x = layers.AveragePooling2D(2, name="enc_pool2")(x)  # 3x3x8
    x = layers.Flatten(name="enc_flatten")(x)
    z = layers.Dense(latent, name="latent")(x)
    x = _dense(z, 72, "dec_dense1")
    x = layers.Reshape((3, 3, 8), name="dec_reshape")(x)
    x = layers.UpSampling2D(2, name="dec_up1")(x)  # 6x6x8
    x = _conv(x, 8, "dec_conv1", kernel=3, shared=True)
    x = layers.UpSampling2D(2, name="dec_up2")(x)  # 12x12x8
    x = _conv(x, 8, "dec_conv2", kernel=3, shared=True)
    x = layers.Conv2D(1, 3, padding="same", name="logits")(x)
    outputs = layers.Activation("sigmoid", name="reconstruction")(x)
    return keras.Model(inputs, outputs, name="cae12")


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
) -> dict:
    """Fit ``model`` to reproduce its input with AdamW; early stopping on the validation
    loss (best weights kept). Images (n, H, W) or (n, H, W, 1). Returns the loss history
    with the wall time of every epoch in seconds (``"seconds"``).
    """
    from qmlhep.fitting.keras_loop import EpochBar, EpochTimer, KeepBest, fit, seed_everything
    from qmlhep.fitting.validation import check_finite

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
        },
        callbacks={
            "timer": timer,
            "best": KeepBest(patience=patience),
            "bar": EpochBar(epochs, desc),
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
    from qmlhep.fitting.validation import check_finite

    X = check_finite(X, "the images to reconstruct", "reconstruct")
    return model.predict(_with_channel(X), batch_size=batch_size, verbose=0)[..., 0]


def _with_channel(X):
    import numpy as np

    X = np.asarray(X, dtype=np.float32)
    return X[..., None] if X.ndim == 3 else X
