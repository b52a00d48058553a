"""Re-uploading circuits as trainable Keras 3 layers, on the book's batched simulator.

Built on Keras 3's JAX backend and the book's engine (:mod:`qmlhep.simulation.patch_simulator`),
not on ``qml.qnn.KerasLayer`` (removed from PennyLane) or PennyLane's deprecated
TensorFlow interface: a layer's ``call`` is JAX code, so Keras' JAX trainer differentiates
through the circuit exactly like through any other layer. Both layers return ``⟨Z_q⟩`` of
every qubit, ``(B, n_qubits)`` in [-1, 1]; their weights ``w`` and ``b`` have the
circuit's ``param_shape`` and are created, saved and loaded by Keras.

- :class:`QuantumPatchLayer`: images ``(B, rows, cols)`` or ``(B, rows, cols, 1)`` with
  values of order 1, one patch per qubit (:class:`~qmlhep.simulation.patch_circuit.PatchCircuit`);
- :class:`QuantumFeatureLayer`: events ``(B, features)``, every qubit uploading all of
  them (:class:`~qmlhep.simulation.feature_circuit.FeatureCircuit`).
"""

from __future__ import annotations

import math

import keras

from qmlhep.simulation import patch_simulator
from qmlhep.simulation.feature_circuit import FeatureCircuit
from qmlhep.simulation.patch_circuit import PatchCircuit


class _ReuploadingLayer(keras.layers.Layer):
    """What both layers share: the JAX-backend check, the weights, the simulation."""

    circuit: PatchCircuit | FeatureCircuit

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if keras.backend.backend() != "jax":
            raise RuntimeError(
                f"{type(self).__name__} runs on Keras' JAX backend, not "
                f"{keras.backend.backend()!r}: set KERAS_BACKEND=jax before keras is imported "
                "(importing qmlhep first does it)."
            )

    @property
    def n_qubits(self) -> int:
        return self.circuit.n_qubits

    def build(self, input_shape):
        shape = self.circuit.param_shape
        self.w = self.add_weight(
            shape=shape, name="w", initializer=keras.initializers.RandomNormal(stddev=1.0)
        )
        self.b = self.add_weight(
            shape=shape, name="b", initializer=keras.initializers.RandomUniform(-math.pi, math.pi)
        )

    def _patches(self, inputs):
        """``(B, qubits, uploads per qubit)``: what each qubit uploads in every layer."""
        raise NotImplementedError

    def call(self, inputs):
        # imported here, not at the top: optional dependencies (extras): jax
        import jax.numpy as jnp

        params = {"w": jnp.asarray(self.w.value), "b": jnp.asarray(self.b.value)}
        patches = self._patches(inputs).astype(params["w"].dtype)
        states = patch_simulator.final_states(self.circuit, params, patches)
        return patch_simulator.z_expectations(states, self.circuit.n_qubits)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n_qubits)


@keras.saving.register_keras_serializable(package="qmlhep")
class QuantumPatchLayer(_ReuploadingLayer):
    """Upload image patches onto qubits (one patch per qubit), return every ⟨Z⟩."""

    def __init__(
        self,
        image_shape=(9, 9),
        patch: int = 3,
        stride: int | None = 2,
        layers: int = 1,
        entangler: str = "cnot",
        axes: str = "YZ",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.circuit = PatchCircuit(tuple(image_shape), patch, layers, entangler, axes, stride)

    def _patches(self, inputs):
        # imported here, not at the top: optional dependencies (extras): jax
        import jax.numpy as jnp

        c = self.circuit
        flat = jnp.reshape(inputs, (-1, c.image_shape[0] * c.image_shape[1]))
        return flat[:, c.patch_index()]

    def get_config(self):
        c = self.circuit
        return {
            **super().get_config(),
            "image_shape": list(c.image_shape),
            "patch": c.patch,
            "stride": c.stride,
            "layers": c.layers,
            "entangler": c.entangler,
            "axes": c.axes,
        }


@keras.saving.register_keras_serializable(package="qmlhep")
class QuantumFeatureLayer(_ReuploadingLayer):
    """Upload every feature of an event onto every qubit, layer after layer; return ⟨Z⟩."""

    def __init__(
        self,
        n_features: int,
        n_qubits: int = 2,
        layers: int = 3,
        entangler: str = "cz",
        axes: str = "YZ",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.circuit = FeatureCircuit(n_features, n_qubits, layers, entangler, axes)

    def _patches(self, inputs):
        return self.circuit.patches(inputs)

    def get_config(self):
        c = self.circuit
        return {
            **super().get_config(),
            "n_features": c.n_features,
            "n_qubits": c.n_qubits,
            "layers": c.layers,
            "entangler": c.entangler,
            "axes": c.axes,
        }
