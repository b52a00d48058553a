"""The swap-test fidelity of the SQAE on the batched simulator, and its gradient (JAX).

The ancilla ``⟨Z⟩`` of a swap test between the trash qubits and a pure product reference
``|r⟩`` equals ``⟨ψ|(1 ⊗ |r⟩⟨r|)|ψ⟩``, the probability that the trash qubits are found
in ``|r⟩`` (:func:`trash_fidelity`). Computing that directly on the final states of
:func:`qmlhep.simulation.patch_simulator.final_states` removes the reference and ancilla
qubits (9 qubits instead of 15 for the SQAE). :func:`loss_and_grad` and
:func:`fidelities` run compiled, in double precision, so tests can demand 1e-8.
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from qmlhep.simulation.patch_circuit import PatchCircuit
from qmlhep.simulation.patch_simulator import apply_each_qubit, final_states


def reference_states(angles) -> jnp.ndarray:
    """Single-qubit states ``cos(θ/2)|0⟩ + e^{iφ} sin(θ/2)|1⟩`` from ``(k, 2)`` angles (θ, φ)."""
    theta, phi = angles[:, 0], angles[:, 1]
    return jnp.stack([jnp.cos(theta / 2) + 0j, jnp.exp(1j * phi) * jnp.sin(theta / 2)], -1)


def trash_fidelity(states, n_qubits: int, trash_mask, reference):
    """Probability that the trash qubits are in the product state ``reference``.

    ``states`` ``(B, 2**n)``; ``trash_mask`` ``(n,)`` 1 for trash, 0 for latent qubits;
    ``reference`` ``(n, 2)`` complex unit vectors (rows of latent qubits are ignored).
    Applies the projector ``⊗_q P_q`` (``|r_q⟩⟨r_q|`` on trash, 1 on latent qubits) and
    returns ``‖P ψ‖²``, ``(B,)``: the swap-test ancilla's ⟨Z⟩ against reference qubits in
    that state. The mask is data, not structure, so any choice of latent qubits runs on
    the same compiled code.
    """
    outer = reference[:, :, None] * reference[:, None, :].conj()
    mask = trash_mask[:, None, None]
    proj = mask * outer + (1 - mask) * jnp.eye(2)
    projected = apply_each_qubit(
        states, jnp.broadcast_to(proj, (states.shape[0],) + proj.shape), n_qubits
    )
    return jnp.sum(jnp.abs(projected) ** 2, axis=1)


def fidelity(circuit: PatchCircuit, params: dict, patches, trash_mask):
    """Swap-test fidelity of every image, ``(B,)``: final states, then :func:`trash_fidelity`.

    ``params``: ``{"w", "b", "ref"}``, ``ref`` the (θ, φ) angles of a reference state per
    qubit, ``(n, 2)`` (zeros: ``|0⟩``).
    """
    return trash_fidelity(
        final_states(circuit, params, patches),
        circuit.n_qubits,
        trash_mask,
        reference_states(params["ref"]),
    )


@partial(jax.jit, static_argnames=("circuit",))
def _loss_and_grad(params, patches, trash_mask, circuit):
    return jax.value_and_grad(lambda p: jnp.mean(1.0 - fidelity(circuit, p, patches, trash_mask)))(
        params
    )


_fidelity_jit = jax.jit(fidelity, static_argnames=("circuit",))


def trash_mask(n_qubits: int, trash: tuple[int, ...]) -> np.ndarray:
    """``(n,)`` float mask, 1 on the trash qubits."""
    mask = np.zeros(n_qubits)
    mask[list(trash)] = 1.0
    return mask


def loss_and_grad(circuit: PatchCircuit, params: dict, patches, trash: tuple[int, ...]):
    """Mean ``1 - F`` over the batch (``patches`` ``(B, qubits, pixels)``) and its
    gradient for every entry of ``params`` (see :func:`fidelity`)."""
    with jax.enable_x64(True):
        value, grad = _loss_and_grad(
            _as_jax(params),
            jnp.asarray(patches, jnp.float64),
            jnp.asarray(trash_mask(circuit.n_qubits, trash)),
            circuit,
        )
        return float(value), jax.tree_util.tree_map(np.asarray, grad)


def fidelities(circuit: PatchCircuit, params: dict, patches, trash: tuple[int, ...]) -> np.ndarray:
    """Swap-test fidelity of every image (NumPy ``(B,)``), compiled."""
    with jax.enable_x64(True):
        return np.asarray(
            _fidelity_jit(
                circuit,
                _as_jax(params),
                jnp.asarray(patches, jnp.float64),
                jnp.asarray(trash_mask(circuit.n_qubits, trash)),
            )
        )


def _as_jax(params: dict) -> dict:
    return {k: jnp.asarray(v, jnp.float64) for k, v in params.items()}
