"""``{c}.vs_best_peer``: the book's engine against the best use of every peer simulator.

For each book circuit (``c`` = ``sqae``, ``hae``, ``qcl``, ``vqc``) the engine and every
peer of :data:`~.peers.PEERS` do the same work on the same circuit (a
:class:`~.peer_circuits.GateList`): forward pass and gradient per sample for the
circuits trained by gradient (SQAE, hybrid layer), the forward pass per event for those
trained by COBYLA (QCL, VQC). Every peer's values, and gradients after the chain rule to
the engine's parameters, are checked against the engine to :data:`.comparison.TOLERANCE` before any
clock starts. The entry's ``ratio`` is the fastest peer's time per sample over the
engine's; ``what`` names that peer; ``peers`` holds every peer's time, batch and (for JAX
programs) compile time, XLA's flop count and temporary memory; ``machine`` the measured
peak rates (:mod:`.machine`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, partial
from types import SimpleNamespace

import numpy as np

from qmlhep.simulation.gates import z_signs
from qmlhep.simulation.patch_circuit import PatchCircuit
from qmlhep.susy.qcl_circuit import QCLCircuit
from qmlhep.tooling.bench import benchmark
from qmlhep.tooling.benchmarks import peer_circuits as pc
from qmlhep.tooling.benchmarks.comparison import (
    check,
    compare,
    engine_entry,
    forward_batches,
    jax_program,
)
from qmlhep.tooling.benchmarks.peers import PEERS


def gradient_check(circuit, patches, want_values, want_grads, scale: float):
    """``expect`` for the re-uploading circuits: per-sample values, then the gradient
    with respect to ``w`` and ``b`` (``scale`` dL/dvalue per sample) by the chain rule."""

    def expect(name, values, grads, b):
        check(f"{name} (values)", values[:, 0], want_values[:b])
        g = scale * grads.reshape((b,) + circuit.param_shape)
        check(f"{name} (dL/dw)", (g * patches[:b, None]).sum(0), want_grads[b]["w"])
        check(f"{name} (dL/db)", g.sum(0), want_grads[b]["b"])

    return expect


@cache
def sqae_setup(n_images: int) -> SimpleNamespace:
    """The SQAE of the benchmarks (9 qubits, 5 layers, 5 trash qubits) on ``n_images``
    random 12×12 images (seed 0; the first ``k`` are the same for every ``n_images``):
    ``circuit``, ``trash``, ``params`` (with the reference angles), ``patches``, ``loss``
    (the engine's training step: mean 1 − F), ``spec`` and ``angles`` for the peers."""
    # imported here, not at the top: optional dependencies (extras): jax
    import jax.numpy as jnp

    # imported here, not at the top: it needs jax (an extra), this module does not
    from qmlhep.simulation import swap_test_fidelity as stf

    circuit, trash = PatchCircuit(layers=5), (0, 2, 6, 8, 1)
    params = {**circuit.init_params(0), "ref": np.zeros((circuit.n_qubits, 2))}
    patches = circuit.patches(np.random.default_rng(0).uniform(0, 1, (n_images, 12, 12)))
    mask = jnp.asarray(stf.trash_mask(circuit.n_qubits, trash))

    def loss(prm, x):
        return jnp.mean(1.0 - stf.fidelity(circuit, prm, x, mask))

    spec = pc.GateList(
        circuit.n_qubits, pc.patch_gates(circuit), pc.trash_projector(circuit.n_qubits, trash)[None]
    )
    angles = pc.patch_angles(circuit, params, patches)
    return SimpleNamespace(
        circuit=circuit,
        trash=trash,
        params=params,
        patches=patches,
        loss=loss,
        spec=spec,
        angles=angles,
    )


def sqae_expect(setup: SimpleNamespace, batches: Iterable[int]) -> Callable:
    """``expect`` for the SQAE's peers: the engine's fidelities and, for every batch size
    in ``batches``, its gradient of mean 1 − F."""
    # imported here, not at the top: it needs jax (an extra), this module does not
    from qmlhep.simulation import swap_test_fidelity as stf

    circuit, trash, params, patches = setup.circuit, setup.trash, setup.params, setup.patches
    batches = set(batches)
    values = stf.fidelities(circuit, params, patches[: max(batches)], trash)
    grads = {b: stf.loss_and_grad(circuit, params, patches[:b], trash)[1] for b in batches}

    def expect(name, v, g, b):
        gradient_check(circuit, patches, values, grads, -1.0 / b)(name, v, g, b)

    return expect


@benchmark("sqae.vs_best_peer")
def sqae_vs_best_peer() -> dict:
    """SQAE: 9 qubits, 720 rotations, fidelity of 5 trash qubits; value and gradient."""
    # imported here, not at the top: optional dependencies (extras): jax
    import jax

    sq = sqae_setup(128)
    run, xla = jax_program(jax.value_and_grad(sq.loss), sq.params, sq.patches)
    engine = engine_entry(
        f"SQAE, 9 qubits, 720 rotations ({sq.circuit.n_params} parameters)",
        len(sq.patches),
        run,
        xla,
    )
    batches = {"default": 4, next(iter(PEERS)): 16, list(PEERS)[-1]: 2}
    expect = sqae_expect(sq, batches.values())
    return compare("sqae", sq.spec, sq.angles, engine, batches, True, expect)


@benchmark("hae.vs_best_peer")
def hae_vs_best_peer() -> dict:
    """The hybrid's quantum layer: 16 qubits, 432 rotations, the 16 ⟨Z⟩ contracted with a
    cotangent (one backward pass of training); gradient for weights, biases and inputs."""
    # imported here, not at the top: optional dependencies (extras): jax
    import jax
    import jax.numpy as jnp

    # imported here, not at the top: it needs keras, jax (an extra), this module does not
    from qmlhep.jets.hybrid_autoencoder import hybrid_autoencoder
    from qmlhep.simulation import patch_simulator as ps

    circuit = hybrid_autoencoder("quantum").get_layer("quantum").circuit
    n, batch = circuit.n_qubits, 64
    rng = np.random.default_rng(0)
    params = circuit.init_params(0)
    patches = circuit.patches(rng.uniform(0, 1, (batch,) + circuit.image_shape))
    cotangent = rng.normal(size=n)

    def per_sample(w, b, x):
        return ps.z_expectations(ps.final_states(circuit, {"w": w, "b": b}, x), n) @ cotangent

    def loss(w, b, x):
        return jnp.sum(per_sample(w, b, x))

    step = jax.value_and_grad(loss, argnums=(0, 1, 2))
    run, xla = jax_program(step, params["w"], params["b"], patches)
    rotations = int(np.prod(circuit.param_shape))
    engine = engine_entry(f"hybrid layer, {n} qubits, {rotations} rotations", batch, run, xla)
    with jax.enable_x64(True):
        args = [jnp.asarray(a, jnp.float64) for a in (params["w"], params["b"], patches)]
        values = np.asarray(jax.jit(per_sample)(*args))
        grads = {}
        for b in (1, 2, 4):
            g = jax.jit(jax.grad(loss, argnums=(0, 1)))(args[0], args[1], args[2][:b])
            grads[b] = {"w": np.asarray(g[0]), "b": np.asarray(g[1])}
    spec = pc.GateList(n, pc.patch_gates(circuit), pc.weighted_z(n, cotangent)[None])
    angles = pc.patch_angles(circuit, params, patches)
    batches = {"default": 2, next(iter(PEERS)): 4, list(PEERS)[-1]: 1}
    expect = gradient_check(circuit, patches, values, grads, 1.0)
    return compare("hae", spec, angles, engine, batches, True, expect)


def qcl_comparison(n_qubits: int, events: int = 1000, peer_events: int = 100) -> dict:
    """QCL on ``n_qubits`` (depth 3): ⟨Z_0⟩, ⟨Z_1⟩ of every event, one cost evaluation."""

    rng = np.random.default_rng(0)
    circuit = QCLCircuit(n_qubits, depth=3)
    X = rng.uniform(-1, 1, (events, n_qubits))
    theta = rng.uniform(0, 2 * np.pi, circuit.n_params)
    _ = circuit.time_evolution  # built once per model, by every path
    states = circuit.input_states(X)  # fixed during a fit: QCLClassifier builds them once
    want = circuit.expectations_from_states(states, theta)
    engine = engine_entry(
        f"QCL, {n_qubits} qubits, depth 3 ({circuit.n_params} parameters)",
        events,
        lambda: circuit.expectations_from_states(states, theta),
    )
    spec = pc.GateList(n_qubits, pc.qcl_gates(circuit), z_signs(n_qubits)[:2])

    def expect(name, values, grads, b):
        check(name, values, want[:b])

    return compare(
        "qcl",
        spec,
        pc.qcl_angles(circuit, X, theta),
        engine,
        # Aer copies a dense gate into every bound row: at most ~1 GiB of them
        forward_batches(events, peer_events, max(1, 2**30 // (48 * 4**n_qubits))),
        False,
        expect,
    )


@benchmark("qcl.vs_best_peer")
def qcl_vs_best_peer() -> dict:
    """QCL at the paper's largest size, 7 qubits."""
    return qcl_comparison(7)


SCALING_QUBITS = {3: 1000, 6: 1000, 9: 1024, 12: 32}
"""QCL sizes of the scaling entries ``qcl.vs_best_peer.{n}q`` and the events of one cost
evaluation at each. Up to 9 qubits a training set holds more events than the state has
amplitudes, so the engine builds ``U(θ)`` once per evaluation; at 12 qubits (a dense
4096 × 4096 time evolution, 256 MiB; twice the paper's largest) 32 events, so the engine
and the peers do the same three dense products per event."""

for _n, _events in SCALING_QUBITS.items():
    benchmark(f"qcl.vs_best_peer.{_n}q", slow=_n > 9)(
        partial(
            qcl_comparison,
            _n,
            events=_events,
            peer_events=20 if _n < 9 else 4,  # the per-event loops are slowest there
        )
    )


@benchmark("vqc.vs_best_peer")
def vqc_vs_best_peer() -> dict:
    """The VQC (first-order encoding, full CZ, 7 qubits): P(class 1) of every event."""
    # imported here, not at the top: it needs qiskit (an extra), this module does not
    from qmlhep.susy.vqc_circuit import (
        ALPHA,
        feature_map,
        n_params,
        outcome_classes,
        variational_form,
    )

    # imported here, not at the top: it needs qiskit (an extra), this module does not
    from qmlhep.susy.vqc_sampling import input_states, statevector_counts

    n, events = 7, 1000
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (events, n))
    theta = rng.uniform(0, 2 * np.pi, n_params(n))
    classes = outcome_classes(n).astype(float)
    states = input_states(feature_map(n), X)  # once per fit, as VQCClassifier does
    form = variational_form(n)

    def engine_run():
        return statevector_counts(states, form, theta, None, 0) @ classes

    want = engine_run()
    engine = engine_entry(
        f"VQC, {n} qubits, FOE, full CZ ({n_params(n)} parameters)", events, engine_run
    )
    spec = pc.GateList(n, pc.vqc_gates(n), classes[None])

    def expect(name, values, grads, b):
        check(name, values[:, 0], want[:b])

    batches = forward_batches(events, 100)
    return compare("vqc", spec, pc.vqc_angles(X, theta, ALPHA), engine, batches, False, expect)
