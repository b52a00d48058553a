"""The hybrid classical-quantum autoencoder of the seed study, and its classical twin.

12×12 image → two convolutions (8 filters 3×3, ReLU; 1 filter 2×2, sigmoid) → a 9×9 map
→ latent: either the quantum layer (the 9×9 map in 16 patches of 3×3, stride 2, on 16
qubits, re-uploaded ``layers`` times; the 16 ⟨Z⟩ values) or, for the ablation, a
classical bottleneck with about the same number of parameters and the same 16 values in
[-1, 1] → one dense layer (sigmoid) → the 12×12 reconstruction. With 3 re-uploads the
hybrid model has 3425 parameters (seed study: 3423).

``mean_image`` (the average training jet) starts the decoder's bias at its logit, so an
untrained model returns roughly the average jet. With the default zero bias it returns 0.5 in
every pixel, where jet images are ~91 % empty (mean pixel ~0.01): the first steps then
spend the whole gradient on darkening every pixel, the encoder's output stops depending
on the input, and the three models of the chapter all settled on the mean jet (AUC of
the average-jet reference, reconstructions equal to 1e-6). Started at the mean, the
gradient goes to what differs from jet to jet.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from qmlhep.simulation.keras_layer import QuantumPatchLayer

LATENT = 16


def classical_width(target_params: int, n_in: int = 81, n_out: int = LATENT) -> int:
    """Hidden width ``k`` of ``Dense(k, tanh) → Dense(n_out, tanh)`` on ``n_in`` inputs whose
    parameter count is closest to ``target_params``."""
    return max(1, round((target_params - n_out) / (n_in + 1 + n_out)))


def hybrid_autoencoder(
    latent: str = "quantum",
    reupload_layers: int = 3,
    patch: int = 3,
    stride: int = 2,
    entangler: str = "cnot",
    mean_image: np.ndarray | None = None,
) -> keras.Model:
    """Keras model ``(12, 12, 1) → (12, 12, 1)``; ``latent`` is ``"quantum"`` or ``"classical"``;
    ``mean_image`` (12×12, values in [0, 1]): the decoder's initial output (see the module)."""
    inputs = keras.Input(shape=(12, 12, 1), name="image")
    x = layers.Conv2D(8, 3, activation="relu", name="conv_1")(inputs)  # 10×10×8
    x = layers.Conv2D(1, 2, activation="sigmoid", name="conv_to_9x9")(x)  # 9×9×1
    quantum = QuantumPatchLayer((9, 9), patch, stride, reupload_layers, entangler, name="quantum")
    if latent == "quantum":
        z = quantum(x)
    elif latent == "classical":
        n_quantum = (
            2 * quantum.circuit.n_qubits * quantum.circuit.pixels_per_patch * reupload_layers
        )
        width = classical_width(n_quantum, n_out=quantum.circuit.n_qubits)
        z = layers.Flatten(name="flatten")(x)
        z = layers.Dense(width, activation="tanh", name="bottleneck")(z)
        z = layers.Dense(quantum.circuit.n_qubits, activation="tanh", name="latent")(z)
    else:
        raise ValueError(f"latent must be 'quantum' or 'classical', got {latent!r}.")
    y = layers.Dense(144, name="decoder")(z)
    y = layers.Reshape((12, 12, 1), name="logits")(y)
    outputs = layers.Activation("sigmoid", name="reconstruction")(y)
    model = keras.Model(inputs, outputs, name=f"hae_{latent}")
    if mean_image is not None:
        model.get_layer("decoder").bias.assign(mean_logits(mean_image))
    return model


def mean_logits(mean_image: np.ndarray, eps: float = 1e-4) -> np.ndarray:
    """(144,) the logits of ``mean_image`` (12×12, clipped to [eps, 1 - eps]): the decoder bias
    with which the model returns the average jet."""
    p = np.clip(np.asarray(mean_image, dtype=np.float64).reshape(-1), eps, 1 - eps)
    if p.size != 144:
        raise ValueError(f"mean_image must have 12×12 = 144 pixels, got {p.size}.")
    return np.log(p / (1 - p)).astype("float32")
