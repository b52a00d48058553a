"""The book's statistics: mean ± standard error over seeds, pulls and the 2σ verdict."""

from __future__ import annotations

import numpy as np
import pytest

from qmlhep.stats import SIGMAS, Estimate, mean_err, pull, verdict


def test_mean_err_is_the_standard_error_of_the_mean():
    values = [0.70, 0.72, 0.74, 0.76]
    est = mean_err(values)
    assert est.mean == pytest.approx(0.73)
    assert est.err == pytest.approx(np.std(values, ddof=1) / 2)
    assert est.n == 4


def test_one_run_has_no_error_and_formats_with_the_spec():
    est = mean_err([0.81234])
    assert est.err == 0.0
    assert f"{est}" == "0.812 ± 0.000"
    assert f"{Estimate(0.5, 0.0123, 3):.2f}" == "0.50 ± 0.01"


@pytest.mark.parametrize("bad", [[], [0.7, float("nan")], [np.inf]])
def test_no_value_or_a_non_finite_one_is_refused(bad):
    with pytest.raises(ValueError, match="mean_err"):
        mean_err(bad)


def test_pull_combines_both_errors():
    a, b = Estimate(0.80, 0.03, 3), Estimate(0.76, 0.04, 3)
    assert pull(a, b) == pytest.approx(0.04 / 0.05)
    assert pull(a, 0.74) == pytest.approx(2.0)
    assert pull(0.7, 0.7) == 0.0
    assert pull(0.8, 0.7) == np.inf and pull(0.7, 0.8) == -np.inf


def test_verdict_at_the_books_level():
    assert SIGMAS == 2.0
    assert verdict(Estimate(0.80, 0.01, 3), 0.75) == "above"
    assert verdict(Estimate(0.70, 0.01, 3), 0.75) == "below"
    assert verdict(Estimate(0.74, 0.01, 3), 0.75) == "compatible with"
    # a looser level turns a 3σ difference into "compatible with"
    assert verdict(Estimate(0.78, 0.01, 3), 0.75, sigmas=4) == "compatible with"
