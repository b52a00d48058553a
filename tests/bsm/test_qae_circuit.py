"""The event QAE's fast fidelity against the authors' literal swap-test circuit and
against its classical-bits form."""

from __future__ import annotations

import jax
import numpy as np
import pytest

from qmlhep.bsm.qae_circuit import (
    classical_fidelity,
    cnot_parities,
    fidelity_function,
    swap_test_qnode,
)

RNG = np.random.default_rng(7)


def _fast(n, trash, layers, entangler, theta, X):
    with jax.enable_x64(True):
        return np.asarray(fidelity_function(n, trash, layers, entangler)(theta, X))


@pytest.mark.parametrize(
    "n, trash, layers, entangler",
    [
        (4, 2, 1, "all_pairs"),
        (4, 1, 1, "all_pairs"),
        (5, 3, 2, "all_pairs"),
        (4, 2, 1, "none"),
        (4, 4, 1, "none"),
    ],
)
def test_fidelity_is_the_swap_test_ancilla(n, trash, layers, entangler):
    theta, X = RNG.uniform(0, np.pi, (layers, n)), RNG.uniform(0, np.pi, (6, n))
    literal = swap_test_qnode(n, trash, layers, entangler)
    expected = np.array([float(literal(theta, x)) for x in X])
    np.testing.assert_allclose(_fast(n, trash, layers, entangler, theta, X), expected, atol=1e-12)


@pytest.mark.parametrize("n, trash", [(4, 2), (4, 1), (5, 2), (6, 3)])
def test_the_entangled_circuit_is_classical_random_bits(n, trash):
    theta, X = RNG.uniform(0, np.pi, (1, n)), RNG.uniform(0, np.pi, (20, n))
    np.testing.assert_allclose(
        classical_fidelity(theta, X, trash), _fast(n, trash, 1, "all_pairs", theta, X), atol=1e-12
    )


def test_closed_form_for_four_qubits_ignores_qubit_zero():
    theta, X = RNG.uniform(0, np.pi, (1, 4)), RNG.uniform(0, np.pi, (50, 4))
    p = (1 - np.cos(theta[0, 1:]) * np.cos(X[:, 1:])) / 2
    closed = np.prod(1 - p, axis=1) + np.prod(p, axis=1)
    np.testing.assert_allclose(_fast(4, 2, 1, "all_pairs", theta, X), closed, atol=1e-12)
    np.testing.assert_array_equal(cnot_parities(4)[2:], [[0, 1, 1, 0], [0, 0, 1, 1]])
    f = fidelity_function(4, 2, 1, "all_pairs")
    with jax.enable_x64(True):
        grad = jax.grad(lambda t: f(t, X).mean())(theta)
    assert abs(float(grad[0, 0])) < 1e-12 and np.abs(grad[0, 1:]).max() > 1e-4


def test_product_twin_is_a_product_over_trash_qubits():
    theta, X = RNG.uniform(0, np.pi, (1, 4)), RNG.uniform(0, np.pi, (30, 4))
    p0 = (1 + np.cos(theta[0]) * np.cos(X)) / 2  # P(0) of each qubit
    np.testing.assert_allclose(_fast(4, 2, 1, "none", theta, X), p0[:, 2] * p0[:, 3], atol=1e-12)
    # the chapter's product twin reads out every qubit, so every input counts
    np.testing.assert_allclose(_fast(4, 4, 1, "none", theta, X), p0.prod(axis=1), atol=1e-12)


@pytest.mark.parametrize(
    "args, match",
    [
        ((4, 4, 1, "all_pairs"), "n_trash must be 1 to 3"),
        ((4, 0, 1, "all_pairs"), "n_trash"),
        ((4, 5, 1, "none"), "n_trash must be 1 to 4"),
        ((4, 2, 1, "ring"), "entangler must be one of"),
        ((4, 2, 0, "none"), "layers"),
    ],
)
def test_bad_layouts_are_refused(args, match):
    with pytest.raises(ValueError, match=match):
        fidelity_function(*args)
