"""The book's statistics: mean ± standard error over seeds, and the paired comparison of
two models on the same test events (DeLong plus seeds), its coverage and Holm's method."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm
from sklearn.metrics import roc_auc_score

from qmlhep.stats import (
    LEVEL,
    WORDS,
    Difference,
    Estimate,
    compare,
    compare_trials,
    holm,
    interval,
    mean_err,
    placements,
    seeds_measure,
)


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


# --- synthetic scores with a known AUC -------------------------------------------------


def _binormal(rng, y, shifts, shared=0.5):
    """Scores ``shift_s · y + noise`` for each row ``s``; the noise is partly shared by
    every row (the same events look alike to every model). AUC of row s: Φ(shift_s/√2)."""
    common = rng.standard_normal(y.size)
    own = rng.standard_normal((len(shifts), y.size))
    noise = np.sqrt(shared) * common + np.sqrt(1 - shared) * own
    return np.asarray(shifts)[:, None] * y + noise


def test_placements_give_sklearns_auc_with_ties():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 300)
    s = np.round(rng.normal(size=(3, 300)) + y, 1)  # many ties
    auc, v10, v01 = placements(y, s)
    assert auc == pytest.approx([roc_auc_score(y, row) for row in s], abs=1e-12)
    assert v01.mean(1) == pytest.approx(auc, abs=1e-12)


@pytest.mark.slow
def test_delong_variance_agrees_with_a_large_bootstrap():
    rng = np.random.default_rng(2)
    y = np.repeat([0, 1], 600)
    a, b = _binormal(rng, y, [1.2, 0.9], shared=0.6)
    d = compare(y, a, b)
    boot = []
    sig, bkg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    for _ in range(2000):  # stratified: the test set's class counts are fixed
        idx = np.concatenate([rng.choice(sig, sig.size), rng.choice(bkg, bkg.size)])
        boot.append(roc_auc_score(y[idx], a[idx]) - roc_auc_score(y[idx], b[idx]))
    assert d.err_seeds == 0.0 and d.dof == np.inf
    assert d.err_test_a == pytest.approx(interval(y, a).err) and d.auc_a == pytest.approx(
        roc_auc_score(y, a)
    )
    assert d.err == pytest.approx(np.std(boot, ddof=1), rel=0.10)


def _coverage(n_seeds, seed_sd, draws=1000, n_events=400, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n_events // 2)
    mu_a, mu_b = 1.0, 0.8
    truth = norm.cdf(mu_a / np.sqrt(2 + seed_sd**2)) - norm.cdf(mu_b / np.sqrt(2 + seed_sd**2))
    hits = 0
    for _ in range(draws):
        shifts_a = mu_a + seed_sd * rng.standard_normal(n_seeds)
        shifts_b = mu_b + seed_sd * rng.standard_normal(n_seeds)
        scores = _binormal(rng, y, np.concatenate([shifts_a, shifts_b]))
        d = compare(y, scores[:n_seeds], scores[n_seeds:])
        hits += d.low <= truth <= d.high
    return hits / draws


def test_interval_covers_a_known_difference_on_paired_test_events():
    """One seed each: the error is the test sample's (DeLong); 95 % ± 2 %."""
    assert 0.93 <= _coverage(n_seeds=1, seed_sd=0.0) <= 0.97


def test_interval_covers_a_known_difference_over_several_seeds():
    """Three seeds each, seeds that matter as much as the test sample: the interval holds
    both parts and Student's t for the seeds' few degrees of freedom; 95 % ± 2 %."""
    assert 0.93 <= _coverage(n_seeds=3, seed_sd=0.15, seed=1) <= 0.97


def test_seeds_that_differ_only_in_their_own_noise_are_not_counted_twice():
    """Five seeds, no seed effect beyond each seed's own event noise: the test-sample part
    keeps only what the seeds share, so the interval is not conservative; 95 % ± 2 %."""
    assert 0.93 <= _coverage(n_seeds=5, seed_sd=0.0, seed=2) <= 0.97


def test_too_few_events_of_a_class_are_refused():
    with pytest.raises(ValueError, match="at least 2 test events of each class"):
        compare([0, 0, 0, 0, 0, 1], np.arange(6.0), np.arange(6.0)[::-1])


def test_three_seeds_at_the_normal_quantile_would_undercover():
    """Why t: the same seeds with the normal quantile cover less (the old 2σ rule)."""
    rng = np.random.default_rng(3)
    y = np.repeat([0, 1], 2000)
    widths_t, widths_z = [], []
    for _ in range(50):
        scores = _binormal(rng, y, 1.0 + 0.2 * rng.standard_normal(6))
        d = compare(y, scores[:3], scores[3:])
        widths_t.append(d.high - d.low)
        widths_z.append(2 * norm.ppf(0.975) * d.err)
    assert np.mean(widths_t) > 1.3 * np.mean(widths_z)


def test_words_for_every_outcome_and_a_deterministic_reference():
    rng = np.random.default_rng(4)
    y = np.repeat([0, 1], 500)
    good, bad = _binormal(rng, y, [1.5, 0.2])
    assert compare(y, good, bad).word() == "above"
    assert compare(y, bad, good).word() == "below"
    same = _binormal(rng, y, [1.0, 1.0], shared=0.99)
    assert compare(y, same[0], same[1]).word() == "compatible with"
    assert set(WORDS) == {"above", "compatible with", "below"}
    d = compare(y, good, bad)
    assert d.word(p=1.0) == "compatible with"  # e.g. after Holm's correction
    assert Difference.from_detail(d.detail()) == d
    assert np.isfinite(d.err) and d.err > 0


def test_unpaired_seeds_and_a_one_row_reference():
    rng = np.random.default_rng(5)
    y = np.repeat([0, 1], 500)
    scores = _binormal(rng, y, [1.0, 1.1, 0.9, 0.3])
    d = compare(y, scores[:3], scores[3], seeds=seeds_measure(True))
    assert d.n_seeds == (3, 1) and d.err_seeds > 0 and np.isfinite(d.dof)
    assert d.seeds.startswith("initialisation only")
    with pytest.raises(ValueError, match="paired_seeds"):
        compare(y, scores[:3], scores[3], paired_seeds=True)


def test_interval_of_one_model_against_a_published_number():
    rng = np.random.default_rng(6)
    y = np.repeat([0, 1], 2000)
    scores = _binormal(rng, y, [1.0, 1.0, 1.0])
    auc = norm.cdf(1 / np.sqrt(2))
    own = interval(y, scores)
    assert own.low < auc < own.high and own.value == pytest.approx(auc, abs=0.03)
    assert interval(y, scores, reference=auc).word() == "compatible with"
    assert interval(y, scores, reference=auc + 0.1).word() == "below"


@pytest.mark.parametrize(
    "y, a, match",
    [
        (np.zeros(10), np.zeros(10), "exactly two classes"),
        (np.repeat([0, 1], 5), np.zeros(7), "n_events=10"),
        (np.repeat([0, 1], 5), np.full(10, np.nan), "non-finite"),
    ],
)
def test_bad_inputs_name_the_argument(y, a, match):
    with pytest.raises(ValueError, match=match):
        compare(y, a, np.arange(10.0))


def test_trials_with_their_own_test_events_use_the_spread_of_the_differences():
    a, b = [0.80, 0.76, 0.83, 0.79], [0.70, 0.71, 0.75, 0.69]
    d = compare_trials(a, b)
    diffs = np.subtract(a, b)
    assert d.value == pytest.approx(diffs.mean()) and d.dof == pytest.approx(3)
    assert d.err == pytest.approx(diffs.std(ddof=1) / 2) and d.word() == "above"
    assert "each trial draws its own" in d.seeds
    with pytest.raises(ValueError, match="at least 2"):
        compare_trials([0.8], [0.7])


def test_holm_matches_the_step_down_rule():
    p = [0.01, 0.04, 0.03, 0.20]
    adjusted = holm(p)
    # sorted: 0.01*4, 0.03*3, 0.04*2 (kept monotone), 0.20*1
    assert adjusted == pytest.approx([0.04, 0.09, 0.09, 0.20])
    assert holm([]).size == 0
    with pytest.raises(ValueError, match="holm"):
        holm([1.5])
    assert LEVEL == 0.95
