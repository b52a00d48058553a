"""The twins of the jet-image quantum models can win: every input changes their output and
no trainable parameter is idle (:mod:`twin_probe`), on small random images with freshly
initialised parameters.

Twins: the SQAE's product twin (no entangler, every qubit trash) and its tied linear
twin; the hybrid autoencoder's product twin (no CNOT) and classical twin; the quantum
ViT's product twin (no CNOT, query and key read from every qubit).

One family of parameters is idle by construction, in the quantum models as much as in
their product twins: with upload axes Y, Z, Y, Z, … an even number of uploads per qubit
ends on a rotation about Z, and the *last* one of the *last* layer sits right before a
measurement that is diagonal in the computational basis (the SQAE's projector on |0⟩ of
the trash qubits; ⟨Z⟩ of the quantum ViT's circuits; CNOT rings keep both diagonal). It
commutes with the measurement, so its weight and bias never change the output. The tests
check that exactly these are idle in the twin, that they are idle in the quantum model
too (the twin is not handicapped by them), and that every other parameter acts.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

from qmlhep.bsm.dense_autoencoder import build_autoencoder
from qmlhep.fitting.keras_loop import seed_everything
from qmlhep.jets.hybrid_autoencoder import hybrid_autoencoder
from qmlhep.jets.quantum_attention import quantum_vision_transformer
from qmlhep.jets.sqae import SQAE
from qmlhep.simulation.patch_circuit import PatchCircuit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from twin_probe import assert_sees_everything, parameter_effects

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0.0, 1.0, (16, 12, 12))
SIGNED = RNG.normal(0.0, 1.0, (4, 12, 12))
"""Signed pixels for the hybrid models, whose first convolution has ReLU filters: on
non-negative images a fresh filter whose weights are mostly negative is dead by chance of
its initial signs (an accident of initialisation that training moves, not structure)."""


def _last_z_upload(shape: tuple[int, int, int], axes: str) -> np.ndarray:
    """Boolean mask over ``(layers, qubits, uploads)``: the last upload of the last layer
    when it is a rotation about Z (idle before a diagonal measurement)."""
    mask = np.zeros(shape, bool)
    if axes[(shape[-1] - 1) % len(axes)] == "Z":
        mask[-1, :, -1] = True
    return mask


def _only(of_theta, theta, positions):
    """``of_theta`` as a function of the entries ``positions`` of ``theta`` alone."""

    def of_sub(sub):
        full = theta.copy()
        full[positions] = sub
        return of_theta(full)

    return of_sub, theta[positions]


# ---------------------------------------------------------------------------------------
# SQAE: the product twin and the tied linear twin
# ---------------------------------------------------------------------------------------


def _sqae_functions(model: SQAE, X: np.ndarray):
    params = model.initial_params()
    w, b = params["w"], params["b"]
    model.batch_size = len(X)

    def of_theta(theta):
        return model.fidelity(
            X,
            {
                "w": theta[: w.size].reshape(w.shape),
                "b": theta[w.size :].reshape(b.shape),
                "ref": params["ref"],
            },
        )

    return of_theta, np.concatenate([w.ravel(), b.ravel()]), params


@pytest.mark.slow
def test_sqae_product_twin_reads_every_patch_and_trains_every_parameter():
    circuit = PatchCircuit(layers=5, entangler="none")
    twin = SQAE(circuit, latent=0)  # the chapter's product twin: every qubit trash
    twin._layout()
    assert twin.trash_ == tuple(range(circuit.n_qubits))
    f, theta, params = _sqae_functions(twin, IMAGES)
    assert_sees_everything(input_fx=lambda X: twin.fidelity(X, params), X=IMAGES)

    idle = np.tile(_last_z_upload(circuit.param_shape, circuit.axes).ravel(), 2)  # w, b
    assert idle.sum() == 2 * circuit.n_qubits
    # idle: exactly the last Z rotations (so every other parameter acts)
    np.testing.assert_array_equal(parameter_effects(f, theta) < 1e-6, idle)

    # the entangled SQAE has the same idle parameters: the twin is not handicapped by them
    quantum = SQAE(PatchCircuit(layers=5), latent=4)
    g, theta_q, _ = _sqae_functions(quantum, IMAGES)
    assert (parameter_effects(*_only(g, theta_q, np.flatnonzero(idle))) < 1e-6).all()


def test_a_product_twin_with_latent_qubits_would_not_read_their_patches():
    """Why the product twin has no latent qubit: their patches never reach the trash."""
    twin = SQAE(PatchCircuit(layers=2, entangler="none"), latent=4)
    _, _, params = _sqae_functions(twin, IMAGES)
    with pytest.raises(AssertionError, match="never change the output"):
        assert_sees_everything(input_fx=lambda X: twin.fidelity(X, params), X=IMAGES)


def _keras_functions(model, X, output=lambda y: y):
    """``f(X)`` at the initial weights and ``g(theta)`` on ``X``, jitted through
    ``stateless_call``; ``theta`` the initial trainable weights, flattened."""
    trainable = [np.asarray(v.value) for v in model.trainable_variables]
    fixed = [v.value for v in model.non_trainable_variables]
    shapes, sizes = [t.shape for t in trainable], [t.size for t in trainable]
    theta = np.concatenate([t.ravel() for t in trainable]).astype(np.float64)
    splits = np.cumsum(sizes)[:-1]

    def unflatten(flat):
        return [jnp.reshape(p, s) for p, s in zip(jnp.split(flat, splits), shapes, strict=True)]

    @jax.jit
    def run(flat, x):
        out, _ = model.stateless_call(unflatten(flat), fixed, x)
        return output(out)

    x0 = jnp.asarray(X[..., None], jnp.float32)
    flat0 = jnp.asarray(theta, jnp.float32)

    def of_inputs(images):
        return np.asarray(run(flat0, jnp.asarray(images[..., None], jnp.float32)), float)

    def of_theta(t):
        return np.asarray(run(jnp.asarray(t, jnp.float32), x0), float)

    return of_inputs, of_theta, theta


def test_sqae_tied_linear_twin_sees_every_pixel_and_trains_every_weight():
    seed_everything(0)
    n_params = PatchCircuit(layers=5).n_params
    twin = build_autoencoder(144, (), n_params // 144, tied=True)  # as tied_twin builds it
    assert twin.count_params() == n_params
    X = IMAGES.reshape(len(IMAGES), -1)
    trainable = [np.asarray(v.value) for v in twin.trainable_variables]
    (kernel,) = trainable

    @jax.jit
    def error(k, x):  # the anomaly score: mean squared reconstruction error
        out, _ = twin.stateless_call([k], [], x)
        return jnp.mean((out - x) ** 2, axis=1)

    x0 = jnp.asarray(X, jnp.float32)
    assert_sees_everything(
        input_fx=lambda x: np.asarray(error(jnp.asarray(kernel), jnp.asarray(x, jnp.float32))),
        X=X,
        param_f=lambda t: np.asarray(error(jnp.asarray(t.reshape(kernel.shape), jnp.float32), x0)),
        theta=kernel.ravel().astype(np.float64),
    )


# ---------------------------------------------------------------------------------------
# The hybrid autoencoder: product twin and classical twin (the chapter's 16-latent layout)
# ---------------------------------------------------------------------------------------


def test_hybrid_classical_twin_sees_every_pixel_and_trains_every_parameter():
    seed_everything(0)
    twin = hybrid_autoencoder("classical")
    of_inputs, of_theta, theta = _keras_functions(twin, SIGNED)
    assert_sees_everything(input_fx=of_inputs, X=SIGNED, param_f=of_theta, theta=theta)


@pytest.mark.slow
def test_hybrid_product_twin_sees_every_pixel_and_trains_every_parameter():
    seed_everything(0)
    twin = hybrid_autoencoder("quantum", entangler="none")
    layer = twin.get_layer("quantum")
    assert layer.circuit.entangler == "none"
    # 9 uploads per qubit (Y, Z, …, Y): no last rotation about Z to commute with ⟨Z⟩
    assert not _last_z_upload(layer.circuit.param_shape, layer.circuit.axes).any()
    X = SIGNED[:1]  # one image for the parameters (each call simulates 16 qubits)
    of_inputs, of_theta, theta = _keras_functions(twin, X)
    assert_sees_everything(input_fx=of_inputs, X=SIGNED)
    # every parameter before the latent space: the convolutions and the circuit, through
    # the whole model (each call simulates 16 qubits, so the decoder is checked apart)
    paths = [v.path for v in twin.trainable_variables]
    owner = np.repeat(paths, [v.value.size for v in twin.trainable_variables])
    encoder = np.flatnonzero(~np.char.startswith(owner.astype(str), "decoder/"))
    assert encoder.size == theta.size - (16 * 144 + 144)
    of_encoder, theta_encoder = _only(of_theta, theta, encoder)
    assert_sees_everything(param_f=of_encoder, theta=theta_encoder)
    # the decoder's logits are W z + c: its bias always acts, and the weight W_qp acts
    # exactly when z_q ≠ 0 on some image; so no decoder parameter is idle iff every
    # latent value is nonzero somewhere (the same Dense layer is probed in the classical
    # twin's test)
    encode = keras.Model(twin.input, layer.output)
    z = encode.predict(X[..., None].astype(np.float32), verbose=0)
    assert (np.abs(z).max(axis=0) > 1e-6).all()


# ---------------------------------------------------------------------------------------
# The quantum ViT's product twin
# ---------------------------------------------------------------------------------------


def _circuit_masks(model) -> tuple[np.ndarray, list[str]]:
    """Over the flattened trainable weights: the idle last Z uploads of the attention's
    query, key and value circuits, and the weights' paths."""
    masks, paths = [], []
    attention = model.get_layer("attention")
    idle_vars = {
        id(v): _last_z_upload(c.circuit.param_shape, c.circuit.axes)
        for c in (attention.query, attention.key, attention.value)
        for v in (c.w, c.b)
    }
    for v in model.trainable_variables:
        masks.append(idle_vars.get(id(v), np.zeros(v.shape, bool)).ravel())
        paths.append(v.path)
    return np.concatenate(masks), paths


@pytest.mark.slow
def test_quantum_vit_product_twin_sees_every_pixel_and_trains_every_parameter():
    seed_everything(0)
    twin = quantum_vision_transformer(layers=2, entangler="none")
    attention = twin.get_layer("attention")
    assert attention.entangler == "none" and attention.readout == "mean"
    of_inputs, of_theta, theta = _keras_functions(twin, IMAGES[:8])
    assert_sees_everything(input_fx=of_inputs, X=IMAGES[:8])

    idle, _ = _circuit_masks(twin)
    assert idle.sum() == 3 * 2 * attention.n_qubits  # 3 circuits, w and b, every qubit
    # idle: exactly the last Z rotations (so every other parameter acts)
    np.testing.assert_array_equal(parameter_effects(of_theta, theta) < 1e-6, idle)

    # the entangled quantum ViT has the same idle parameters
    seed_everything(0)
    quantum = quantum_vision_transformer(layers=2)
    _, of_theta_q, theta_q = _keras_functions(quantum, IMAGES[:8])
    idle_q, _ = _circuit_masks(quantum)
    np.testing.assert_array_equal(idle_q, idle)
    assert (parameter_effects(*_only(of_theta_q, theta_q, np.flatnonzero(idle_q))) < 1e-6).all()


def test_quantum_vit_product_twin_reading_qubit_0_alone_would_leave_parameters_idle():
    """Why the product twin's query and key read every qubit: with ⟨Z_0⟩ alone, the
    parameters of their other qubits would never change the output."""
    seed_everything(0)
    first = quantum_vision_transformer(layers=2, entangler="none", readout="first")
    _, of_theta, theta = _keras_functions(first, IMAGES[:8])
    idle, paths = _circuit_masks(first)
    owner = np.repeat(paths, [v.value.size for v in first.trainable_variables])
    newly_idle = (parameter_effects(of_theta, theta) < 1e-6) & ~idle
    assert newly_idle.any()
    assert {p.split("/")[-2] for p in owner[newly_idle]} == {"query", "key"}
