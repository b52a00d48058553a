"""A small vision transformer for 12×12 jet images (Keras 3), with a swappable attention.

Image ``(12, 12, 1)`` → non-overlapping ``patch × patch`` patches, each linearly embedded
in ``dim`` features (a strided convolution) → plus a learned position embedding → ``blocks``
pre-norm encoder blocks ``x + A(LN(x))``, ``x + MLP(LN(x))`` → mean over tokens → layer
norm → one sigmoid output. ``A`` is a self-attention layer returning ``(output,
weights)``; :class:`SelfAttention` (Keras' multi-head attention) by default, the
quantum self-attention of :mod:`qmlhep.jets.quantum_attention` for the quantum ViT.
The first block's attention layer is named ``"attention"`` (see :func:`attention_maps`).
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
from keras import layers


@keras.saving.register_keras_serializable(package="qmlhep")
class PositionEmbedding(keras.layers.Layer):
    """Adds a learned ``(tokens, dim)`` embedding to every sequence of tokens."""

    def build(self, input_shape):
        self.position = self.add_weight(
            shape=tuple(input_shape[1:]),
            name="position",
            initializer=keras.initializers.RandomNormal(stddev=0.02),
        )

    def call(self, tokens):
        return tokens + self.position


@keras.saving.register_keras_serializable(package="qmlhep")
class SelfAttention(keras.layers.Layer):
    """Classical self-attention ``(B, T, dim) → ((B, T, dim), (B, T, T))``: Keras'
    :class:`~keras.layers.MultiHeadAttention` with ``heads`` heads of ``key_dim``
    features; the weights returned are averaged over heads."""

    def __init__(self, dim: int, heads: int = 1, key_dim: int = 4, **kwargs):
        super().__init__(**kwargs)
        self.dim, self.heads, self.key_dim = dim, heads, key_dim
        self.mha = layers.MultiHeadAttention(heads, key_dim, value_dim=key_dim, name="mha")

    def build(self, input_shape):
        self.mha.build(input_shape, input_shape)

    def call(self, tokens):
        out, scores = self.mha(tokens, tokens, return_attention_scores=True)
        return out, keras.ops.mean(scores, axis=1)

    def compute_output_shape(self, input_shape):
        return input_shape, (input_shape[0], input_shape[1], input_shape[1])

    def get_config(self):
        return {
            **super().get_config(),
            "dim": self.dim,
            "heads": self.heads,
            "key_dim": self.key_dim,
        }


def vision_transformer(
    attention: Callable[[int, str], keras.layers.Layer] | None = None,
    image_size: int = 12,
    patch: int = 4,
    dim: int = 16,
    blocks: int = 1,
    mlp_ratio: int = 2,
    name: str = "vit",
) -> keras.Model:
    """Keras model ``(image_size, image_size, 1) → P(quark)``.

    ``attention(dim, name)`` makes each block's attention layer (default
    ``SelfAttention(dim)``); with the defaults there are 9 tokens of 16 features and about
    1,900 parameters.
    """
    if image_size % patch:
        raise ValueError(
            f"patch {patch} does not tile a {image_size}×{image_size} image; "
            "choose a divisor of the image size."
        )
    attention = attention or (lambda d, n: SelfAttention(d, name=n))
    tokens = (image_size // patch) ** 2
    inputs = keras.Input(shape=(image_size, image_size, 1), name="image")
    x = layers.Conv2D(dim, patch, strides=patch, name="patch_embedding")(inputs)
    x = layers.Reshape((tokens, dim), name="tokens")(x)
    x = PositionEmbedding(name="position_embedding")(x)
    for b in range(blocks):
        suffix = "" if b == 0 else f"_{b + 1}"
        h = layers.LayerNormalization(epsilon=1e-6, name=f"norm_a{suffix}")(x)
        h, _ = attention(dim, f"attention{suffix}")(h)
        x = layers.Add(name=f"residual_a{suffix}")([x, h])
        h = layers.LayerNormalization(epsilon=1e-6, name=f"norm_m{suffix}")(x)
        h = layers.Dense(mlp_ratio * dim, activation="gelu", name=f"mlp_1{suffix}")(h)
        h = layers.Dense(dim, name=f"mlp_2{suffix}")(h)
        x = layers.Add(name=f"residual_m{suffix}")([x, h])
    x = layers.GlobalAveragePooling1D(name="mean_over_tokens")(x)
    x = layers.LayerNormalization(epsilon=1e-6, name="norm_head")(x)
    outputs = layers.Dense(1, activation="sigmoid", name="p_quark")(x)
    return keras.Model(inputs, outputs, name=name)


def attention_maps(model: keras.Model, X) -> np.ndarray:
    """Attention weights ``(n, T, T)`` of the first block for images ``X`` (n, H, W);
    row ``s`` is how token ``s`` distributes its attention over the tokens."""
    probe = keras.Model(model.inputs, model.get_layer("attention").output[1])
    X = np.asarray(X, dtype=np.float32)
    return np.asarray(probe.predict(X[..., None] if X.ndim == 3 else X, verbose=0))
