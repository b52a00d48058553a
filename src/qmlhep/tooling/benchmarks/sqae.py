"""``sqae.speedup``: forward + gradient per image of the 1440-parameter SQAE.

Baseline (the seed study's way): PennyLane ``lightning.qubit`` with adjoint
differentiation, one image per call, the literal 15-qubit swap-test circuit (9 data, 5
reference qubits, 1 ancilla). Fast path: the batched
engine (:mod:`qmlhep.simulation.patch_simulator`) on a batch of the same kind of images.
Both on the same random 12×12 images.
"""

from __future__ import annotations

import numpy as np

from qmlhep.simulation import swap_test_fidelity
from qmlhep.simulation.patch_circuit import PatchCircuit
from qmlhep.simulation.swap_test_pennylane import swap_test_fidelity_and_grad, swap_test_qnode
from qmlhep.tooling.bench import benchmark, best_time

BATCH, BASELINE_IMAGES, TRASH = 128, 3, (0, 2, 6, 8, 1)


@benchmark("sqae.speedup")
def sqae_speedup() -> dict:
    """Seconds per image for F and dF/dθ, seed-style PennyLane vs the batched patch_simulator."""
    circuit = PatchCircuit(layers=5)
    rng = np.random.default_rng(0)
    params = {**circuit.init_params(0), "ref": np.zeros((circuit.n_qubits, 2))}
    patches = circuit.patches(rng.uniform(0, 1, (BATCH, 12, 12)))
    qnode = swap_test_qnode(circuit, TRASH, "lightning.qubit", "adjoint")
    ref = params["ref"][list(TRASH)]

    def baseline():
        for image in patches[:BASELINE_IMAGES]:
            swap_test_fidelity_and_grad(qnode, params["w"], params["b"], ref, image)

    check = swap_test_fidelity_and_grad(qnode, params["w"], params["b"], ref, patches[0])[0]
    if abs(swap_test_fidelity.fidelities(circuit, params, patches[:1], TRASH)[0] - check) > 1e-8:
        raise AssertionError("engine disagrees with the literal swap-test circuit")
    return {
        "baseline_s": best_time(baseline, repeat=2) / BASELINE_IMAGES,
        "fast_s": best_time(
            lambda: swap_test_fidelity.loss_and_grad(circuit, params, patches, TRASH), repeat=5
        )
        / BATCH,
        "what": "forward + gradient per 12x12 image, 1440-parameter SQAE (5 trash qubits): "
        "lightning.qubit adjoint, literal 15-qubit swap test, one image per call vs "
        f"batched engine (9 qubits, fidelity identity, batch of {BATCH})",
    }
