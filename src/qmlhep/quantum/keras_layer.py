"""``QuantumPatchLayer``: a patch re-uploading circuit as a trainable Keras 3 layer.

Built on Keras 3's JAX backend and the book's engine (:mod:`qmlhep.quantum.engine`), not
on ``qml.qnn.KerasLayer`` (removed from PennyLane) or PennyLane's deprecated TensorFlow
interface: the layer's ``call`` is JAX code, so Keras' JAX trainer differentiates through
the circuit exactly like through any other layer. Input: images ``(B, rows, cols)`` or
``(B, rows, cols, 1)`` with values of order 1; output: ``⟨Z_q⟩`` of every qubit,
``(B, n_qubits)`` in [-1, 1]. Weights ``w`` and ``b`` have shape
``(layers, qubits, pixels per patch)`` and are created, saved and loaded by Keras.
"""

from __future__ import annotations

import math

import keras

from qmlhep.quantum import engine
from qmlhep.quantum.patch_circuit import PatchCircuit


@keras.saving.register_keras_serializable(package="qmlhep")
class QuantumPatchLayer(keras.layers.Layer):
    """Upload image patches onto qubits (one patch per qubit), return every ⟨Z⟩."""

    def __init__(self, image_shape=(9, 9), patch: int = 3, stride: int | None = 2,
                 layers: int = 1, entangler: str = "cnot", axes: str = "YZ", **kwargs):
        super().__init__(**kwargs)
        if keras.backend.backend() != "jax":
            raise RuntimeError(
                f"QuantumPatchLayer runs on Keras' JAX backend, not {keras.backend.backend()!r}: "
                "set KERAS_BACKEND=jax before keras is imported (importing qmlhep first does it).")
        self.circuit = PatchCircuit(tuple(image_shape), patch, layers, entangler, axes, stride)

    @property
    def n_qubits(self) -> int:
        return self.circuit.n_qubits

    def build(self, input_shape):
        shape = self.circuit.param_shape
        self.w = self.add_weight(shape=shape, name="w",
                                 initializer=keras.initializers.RandomNormal(stddev=1.0))
        self.b = self.add_weight(shape=shape, name="b",
                                 initializer=keras.initializers.RandomUniform(-math.pi, math.pi))

    def call(self, inputs):
        import jax.numpy as jnp

        c = self.circuit
        flat = jnp.reshape(inputs, (-1, c.image_shape[0] * c.image_shape[1]))
        patches = flat[:, c.patch_index()]
        params = {"w": jnp.asarray(self.w.value), "b": jnp.asarray(self.b.value)}
        states = engine.final_states(c, params, patches.astype(params["w"].dtype))
        return engine.z_expectations(states, c.n_qubits)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n_qubits)

    def get_config(self):
        c = self.circuit
        return {**super().get_config(), "image_shape": list(c.image_shape), "patch": c.patch,
                "stride": c.stride, "layers": c.layers, "entangler": c.entangler, "axes": c.axes}
