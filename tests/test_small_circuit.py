"""The primer's circuit: NumPy, PennyLane, Qiskit and Qulacs agree to 1e-12, and the
parameter-shift rule equals PennyLane's automatic derivative."""

from __future__ import annotations

import numpy as np
import pytest

from qmlhep.primers import small_circuit as sc

rng = np.random.default_rng(7)
CASES = [(rng.uniform(0, np.pi, 2), rng.uniform(-np.pi, np.pi, 4)) for _ in range(4)]


@pytest.mark.parametrize(
    "framework", [sc.pennylane_expectation, sc.qiskit_expectation, sc.qulacs_expectation]
)
def test_every_framework_gives_the_reference_value(framework):
    for x, theta in CASES:
        assert framework(x, theta) == pytest.approx(sc.expectation(x, theta), abs=1e-12)


def test_the_reference_is_right_where_it_can_be_computed_by_hand():
    # no rotations but the encoding, no flip (qubit 0 stays the control): <Z0> = cos x0
    assert sc.expectation([0.7, 1.3], [0, 0, 0, 0]) == pytest.approx(np.cos(0.7), abs=1e-14)
    # in general, with a = x0 + θ0 and b = x1 + θ1: the CNOT keeps Z0 and maps X0 to X0 X1,
    # and the last R_Y(θ2) turns Z0 into cos θ2 Z0 - sin θ2 X0, so
    # <Z0> = cos θ2 cos a - sin θ2 sin a sin b (θ3 does not enter)
    x, t = np.array([0.2, 0.9]), np.array([0.5, -0.3, 0.4, 1.7])
    a, b = x[0] + t[0], x[1] + t[1]
    by_hand = np.cos(t[2]) * np.cos(a) - np.sin(t[2]) * np.sin(a) * np.sin(b)
    assert sc.expectation(x, t) == pytest.approx(by_hand, abs=1e-14)


def test_parameter_shift_equals_automatic_differentiation_and_finite_differences():
    for x, theta in CASES:
        shift = sc.parameter_shift(x, theta)
        np.testing.assert_allclose(shift, sc.pennylane_gradient(x, theta), atol=1e-10)
        eps = 1e-6
        fd = [
            (sc.expectation(x, theta + eps * e) - sc.expectation(x, theta - eps * e)) / (2 * eps)
            for e in np.eye(4)
        ]
        np.testing.assert_allclose(shift, fd, atol=1e-8)
        assert shift[3] == pytest.approx(0.0, abs=1e-12)  # outside the light cone of Z0


def test_sampled_expectation_is_unbiased_with_the_binomial_error():
    x, theta = CASES[0]
    exact = sc.expectation(x, theta)
    draws = [sc.sampled_expectation(x, theta, 400, np.random.default_rng(s)) for s in range(400)]
    assert np.mean(draws) == pytest.approx(exact, abs=4 * np.sqrt((1 - exact**2) / 400 / 400))
    assert np.std(draws) == pytest.approx(np.sqrt((1 - exact**2) / 400), rel=0.15)
