"""``hae.speedup``: forward + gradient per image of the hybrid autoencoder.

Fast path: the whole Keras model (convolutions, 16-qubit quantum layer on the batched
engine, decoder) on a batch of 12×12 images, value and gradient of the binary
cross-entropy with respect to every trainable weight.

Baselines, one image per call, the 16-qubit circuit alone (its 432 rotations, 3
re-uploads of 16 patches, CNOT rings) in PennyLane ``lightning.qubit`` with adjoint
differentiation, gradients with respect to weights, biases *and* the 9×9 input map (the
convolutions upstream need them):

- ``hae.speedup``: the seed study's way, as ``qml.qnn.KerasLayer`` did it: the adjoint
  Jacobian of the 16 ⟨Z⟩ (one backward sweep per output), contracted with the loss's
  cotangent;
- ``hae.speedup_vjp``: lightning's own vector-Jacobian product (``device_vjp=True``, one
  backward sweep), the fastest per-image use of lightning.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from qmlhep.tooling.bench import benchmark, best_time

BATCH, BASELINE_IMAGES = 64, 2


@cache
def _setup():
    # imported here, not at the top: optional dependencies (extras): jax, keras
    import jax
    import keras

    # imported here, not at the top: it needs keras (an extra), this module does not
    from qmlhep.jets.hybrid_autoencoder import hybrid_autoencoder

    model = hybrid_autoencoder("quantum")
    images = np.random.default_rng(0).uniform(0, 1, (BATCH, 12, 12, 1)).astype("float32")
    encoder = keras.Model(model.input, model.get_layer("conv_to_9x9").output)
    maps = np.asarray(encoder(images[:BASELINE_IMAGES]))[..., 0]  # the quantum layer's input

    def loss(weights, x):
        y, _ = model.stateless_call(weights, [], x)
        return keras.ops.mean(keras.losses.binary_crossentropy(x, y))

    step = jax.jit(jax.value_and_grad(loss))
    trainable = [np.array(v.value) for v in model.trainable_variables]
    return images, trainable, step, model.get_layer("quantum"), maps


def _baseline(device_vjp: bool) -> float:
    """Seconds per image of the PennyLane adjoint evaluation (checked against the layer)."""
    # imported here, not at the top: optional dependencies (extras): pennylane
    import pennylane as qml
    from pennylane import numpy as pnp

    # imported here, not at the top: it needs pennylane (an extra), this module does not
    from qmlhep.simulation.swap_test_pennylane import upload_gates

    images, trainable, step, layer, maps = _setup()
    circuit = layer.circuit
    w, b = (np.asarray(v.value, dtype=float) for v in (layer.w, layer.b))
    patches = circuit.patches(maps.astype(float))
    cotangent = np.random.default_rng(1).normal(size=circuit.n_qubits)

    @qml.qnode(
        qml.device("lightning.qubit", wires=circuit.n_qubits),
        diff_method="adjoint",
        device_vjp=device_vjp,
    )
    def expvals(w, b, patch):
        upload_gates(circuit, w, b, patch)
        return [qml.expval(qml.PauliZ(q)) for q in range(circuit.n_qubits)]

    def loss(w, b, patch):
        return pnp.dot(pnp.stack(expvals(w, b, patch)), cotangent)

    check = np.array(expvals(w, b, patches[0]))
    layer_z = np.asarray(layer(maps[:1]))[0]
    if np.abs(check - layer_z).max() > 1e-5:  # float32 layer
        raise AssertionError("quantum layer disagrees with the PennyLane circuit")
    grad = qml.grad(loss, argnums=[0, 1, 2])
    args = [pnp.array(w, requires_grad=True), pnp.array(b, requires_grad=True)]

    def run():
        for patch in patches:
            grad(*args, pnp.array(patch, requires_grad=True))

    return best_time(run, repeat=2) / BASELINE_IMAGES


def _fast() -> float:
    # imported here, not at the top: optional dependencies (extras): jax
    import jax

    images, trainable, step, layer, maps = _setup()
    return best_time(lambda: jax.block_until_ready(step(trainable, images)), repeat=5) / BATCH


_WHAT = (
    "forward + gradient per 12x12 image, hybrid autoencoder (3425 parameters, 16 "
    "qubits): lightning.qubit adjoint of the 16-qubit circuit one image per call ({}) "
    f"vs the Keras model on the batched engine (batch of {BATCH})"
)


@benchmark("hae.speedup")
def hae_speedup() -> dict:
    """Seed-style baseline: the adjoint Jacobian of the 16 outputs, per image."""
    return {
        "baseline_s": _baseline(device_vjp=False),
        "fast_s": _fast(),
        "what": _WHAT.format("Jacobian of the 16 <Z>, as KerasLayer"),
    }


@benchmark("hae.speedup_vjp")
def hae_speedup_vjp() -> dict:
    """Lightning's single-sweep vector-Jacobian product, per image."""
    return {
        "baseline_s": _baseline(device_vjp=True),
        "fast_s": _fast(),
        "what": _WHAT.format("device_vjp, one backward sweep"),
    }
