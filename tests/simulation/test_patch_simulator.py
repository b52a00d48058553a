"""The batched SQAE engine against the literal swap-test circuit (PennyLane), to 1e-8."""

from __future__ import annotations

import numpy as np
import pytest

from qmlhep.jets.sqae import SQAE, centre_first
from qmlhep.simulation import swap_test_fidelity
from qmlhep.simulation.patch_circuit import PatchCircuit
from qmlhep.simulation.swap_test_pennylane import swap_test_fidelity_and_grad, swap_test_qnode

TOL = 1e-8


def _case(circuit, n_trash, seed):
    rng = np.random.default_rng(seed)
    trash = tuple(sorted(rng.choice(circuit.n_qubits, n_trash, replace=False).tolist()))
    params = {**circuit.init_params(seed), "ref": rng.uniform(0, np.pi, (circuit.n_qubits, 2))}
    images = rng.uniform(0, 1, (2,) + circuit.image_shape)
    return trash, params, circuit.patches(images)


def _compare(circuit, trash, params, patches, device):
    qnode = swap_test_qnode(
        circuit, trash, device, "adjoint" if device == "lightning.qubit" else "backprop"
    )
    ours = swap_test_fidelity.fidelities(circuit, params, patches, trash)
    for i in range(len(patches)):
        value, gw, gb, gref = swap_test_fidelity_and_grad(
            qnode, params["w"], params["b"], params["ref"][list(trash)], patches[i]
        )
        assert abs(ours[i] - value) < TOL
        _, grad = swap_test_fidelity.loss_and_grad(circuit, params, patches[i : i + 1], trash)
        # the engine differentiates the loss 1 - F: its gradient is -dF
        latent = [q for q in range(circuit.n_qubits) if q not in trash]
        assert not grad["ref"][latent].any()  # latent rows of the reference play no role
        for mine, theirs in ((grad["w"], gw), (grad["b"], gb), (grad["ref"][list(trash)], gref)):
            np.testing.assert_allclose(-mine, theirs, atol=TOL, rtol=0)


@pytest.mark.parametrize("n_trash", [1, 3, 6])
def test_sqae_engine_matches_lightning_literal_swap_test(n_trash):
    circuit = PatchCircuit(layers=2)  # 12x12 in 4x4 patches: 9 data qubits
    _compare(circuit, *_case(circuit, n_trash, seed=n_trash), device="lightning.qubit")


@pytest.mark.parametrize("entangler", ["cnot", "cz", "cnot_linear", "none"])
# PennyLane's backprop through autograd casts the (real) expectation of a complex state
@pytest.mark.filterwarnings("ignore:Casting complex values to real:numpy.exceptions.ComplexWarning")
def test_engine_matches_default_qubit_for_every_entangler(entangler):
    circuit = PatchCircuit((8, 8), patch=4, layers=3, entangler=entangler, axes="XYZ")
    _compare(circuit, *_case(circuit, 2, seed=7), device="default.qubit")


@pytest.mark.slow
def test_full_size_sqae_matches_lightning():
    circuit = PatchCircuit(layers=5)  # the paper's 1440 parameters, 15-qubit literal circuit
    assert circuit.n_params == 1440
    trash, params, patches = _case(circuit, 5, seed=3)
    _compare(circuit, trash, params, patches[:1], device="lightning.qubit")


def test_patches_are_row_major_blocks():
    circuit = PatchCircuit((8, 8), patch=4)
    image = np.arange(64.0).reshape(1, 8, 8)
    patches = circuit.patches(image)
    np.testing.assert_array_equal(patches[0, 1], image[0, :4, 4:].ravel())
    np.testing.assert_array_equal(patches[0, 2], image[0, 4:, :4].ravel())
    with pytest.raises(ValueError, match="5×5 patches every 5 pixels do not cover"):
        PatchCircuit((12, 12), patch=5)
    overlapping = PatchCircuit((9, 9), patch=3, stride=2)  # the hybrid model's 16 patches
    assert overlapping.n_qubits == 16
    nine = np.arange(81.0).reshape(1, 9, 9)
    np.testing.assert_array_equal(overlapping.patches(nine)[0, 5], nine[0, 2:5, 2:5].ravel())
    with pytest.raises(ValueError, match="expected images of shape"):
        circuit.patches(np.zeros((1, 12, 12)))


def test_zero_parameters_are_the_pseudo_solution():
    circuit = PatchCircuit(layers=2)
    model = SQAE(circuit, latent=4, reference="zero")
    zeros = {k: np.zeros_like(v) for k, v in model.initial_params().items()}
    images = np.random.default_rng(0).uniform(0, 1, (70, 12, 12))
    np.testing.assert_allclose(model.fidelity(images, zeros), 1.0, atol=1e-12)


@pytest.mark.slow
def test_training_raises_the_fidelity_and_latent_qubits_are_central():
    circuit = PatchCircuit((8, 8), patch=4, layers=2)
    assert centre_first(PatchCircuit())[:5] == [4, 1, 3, 5, 7]
    images = np.random.default_rng(1).uniform(0, 1, (128, 8, 8))
    model = SQAE(
        circuit, latent=2, reference="trainable", batch_size=32, max_iter=4, learning_rate=0.05
    )
    before = model.fidelity(images).mean()
    ref_before = model.initial_params()["ref"]
    model.fit(images)
    assert model.fidelity(images).mean() > before + 0.05
    assert not np.allclose(model.params_["ref"], ref_before)  # the reference is trained
    assert model.n_params_ == circuit.n_params + 2 * 2  # (θ, φ) per trash qubit
    assert list(model.history_.columns[:2]) == ["loss", "seconds"]
    frozen = SQAE(circuit, latent=2, batch_size=32, max_iter=1, frozen=("w",))
    w0 = frozen.initial_params()["w"]
    frozen.fit(images)
    assert np.array_equal(frozen.params_["w"], w0) and frozen.n_params_ == circuit.n_params // 2
    with pytest.raises(ValueError, match="frozen names"):
        SQAE(circuit, latent=2, frozen=("weights",)).fit(images)
    # a scikit-learn outlier detector: F is the score, lower is more abnormal
    assert model.score_samples(images).shape == (128,)
    np.testing.assert_allclose(model.score_samples(images), model.fidelity(images))
    outliers = model.predict(images) == -1
    assert 0 < outliers.mean() <= 0.1 and set(np.unique(model.predict(images))) <= {-1, 1}
    np.testing.assert_array_equal(outliers, model.decision_function(images) < 0)
