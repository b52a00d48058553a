"""Convolutional autoencoders for jet images (Keras 3), in the style of Finke et al. (2021).

Both models map an image in [0, 1] to a reconstruction in [0, 1] (a final sigmoid layer)
and are trained with binary cross-entropy computed from the logits
(:func:`qmlhep.fitting.autoencoder_training.train_autoencoder`); the per-image
reconstruction loss is the anomaly score. PReLU activations have one slope per
feature-map element (Keras' default), as in the original; most of the 40x40 model's ~900k
parameters sit in its two dense layers between 500 and 700 units.
"""

from __future__ import annotations

import keras
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
