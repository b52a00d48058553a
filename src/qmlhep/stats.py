"""Numbers over seeds and on test events, and the one way the book compares two models.

>>> auc = mean_err([0.71, 0.73, 0.72])
>>> f"{auc}"                                # the mean ± standard error of the mean
'0.720 ± 0.006'

Every "A is above / compatible with / below B" sentence of the book goes through
:func:`compare`: two models scored **on the same test events**, each over one or more
seeds. The difference of their mean AUCs gets an error with two parts:

* the **test sample** — DeLong's variance for correlated ROC curves
  (DeLong, DeLong & Clarke-Pearson 1988): the AUCs of the two models are averages of
  per-event *placement values*, so the variance of their difference is the variance of the
  per-event differences of those placements, over the signal and the background events;
* the **seeds** — the spread over seeds of the per-seed differences (paired seeds), or of
  each model's AUCs (unpaired), divided by the number of seeds.

Each seed's own event noise shows in both: the test-sample part keeps only what the seeds
share (the Obuchowski–Rockette covariance between seeds, as in multi-reader ROC studies,
seeds in the role of readers and test events in that of cases), so nothing is counted
twice.

The interval uses Student's t with the Welch–Satterthwaite degrees of freedom of the two
parts (few seeds give wide intervals; one seed has no seed part, and the
:class:`Difference` says so). Against a published number (no test events of ours),
:func:`interval` gives the model's own interval. A page that makes many comparisons
corrects their p-values with Holm's method (:func:`holm`, from statsmodels).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

LEVEL = 0.95
"""Confidence level of every interval in the book (two-sided)."""

ALPHA = 1.0 - LEVEL
"""Family-wise error rate of a page's comparisons (after Holm's correction)."""

WORDS = ("above", "compatible with", "below")
"""What :meth:`Difference.word` can say, for every outcome."""


@dataclass(frozen=True)
class Estimate:
    """A mean over ``n`` independent runs (seeds) and its standard error (0 for one run)."""

    mean: float
    err: float
    n: int

    def __format__(self, spec: str) -> str:
        return f"{self.mean:{spec or '.3f'}} ± {self.err:{spec or '.3f'}}"

    def __str__(self) -> str:
        return format(self)


def mean_err(values) -> Estimate:
    """Mean and standard error of the mean (``std(ddof=1) / sqrt(n)``) of 1-D ``values``.

    Raises ``ValueError`` for no values or a non-finite one (a diverged seed must be seen,
    not averaged away).
    """
    v = np.asarray(values, dtype=float).ravel()
    if v.size == 0:
        raise ValueError("mean_err: no values (did every seed fail?)")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"mean_err: non-finite values {v[~np.isfinite(v)].tolist()}")
    err = float(v.std(ddof=1) / np.sqrt(v.size)) if v.size > 1 else 0.0
    return Estimate(float(v.mean()), err, int(v.size))


# ---------------------------------------------------------------------------------------
# DeLong: the AUC as a mean of placement values
# ---------------------------------------------------------------------------------------


def _labels(y) -> np.ndarray:
    y = np.asarray(y).ravel()
    classes = np.unique(y)
    if classes.size != 2:
        raise ValueError(
            f"y: an AUC needs test events of exactly two classes, got {classes.size} "
            f"({classes[:5].tolist()})."
        )
    return y == classes[1]


def _scores(name: str, scores, n_events: int) -> np.ndarray:
    s = np.asarray(scores, dtype=float)
    s = s[None, :] if s.ndim == 1 else s
    if s.ndim != 2 or s.shape[1] != n_events:
        raise ValueError(
            f"{name}: expected scores of shape (n_events,) or (n_seeds, n_events) with "
            f"n_events={n_events} (one score per test event), got {np.shape(scores)}."
        )
    if not np.all(np.isfinite(s)):
        raise ValueError(f"{name}: non-finite scores (a diverged model must be seen, not scored).")
    return s


def placements(y, scores) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """DeLong's placement values of ``scores`` (``(k, N)``: k seeds on N test events).

    Returns ``(auc, v10, v01)``: the AUC per seed ``(k,)``; for each signal event the
    fraction of background events it outranks ``(k, n_signal)``; for each background
    event the fraction of signal events that outrank it ``(k, n_background)`` (ties count
    one half). ``auc == v10.mean(1) == v01.mean(1)``.
    """
    positive = _labels(y)
    s = _scores("scores", scores, positive.size)
    n1, n0 = int(positive.sum()), int((~positive).sum())
    if min(n1, n0) < 2:
        raise ValueError(
            f"y: DeLong's variance needs at least 2 test events of each class, got {n1} "
            f"signal and {n0} background."
        )
    pos, neg = s[:, positive], s[:, ~positive]
    rank_all = sps.rankdata(np.concatenate([pos, neg], axis=1), axis=1)
    rank_pos = sps.rankdata(pos, axis=1)
    rank_neg = sps.rankdata(neg, axis=1)
    v10 = (rank_all[:, :n1] - rank_pos) / n0
    v01 = 1.0 - (rank_all[:, n1:] - rank_neg) / n1
    return v10.mean(axis=1), v10, v01


def _test_variance(v10: np.ndarray, v01: np.ndarray) -> float:
    """DeLong's variance of a mean of placement values, ``(n1,)`` and ``(n0,)``."""
    return float(v10.var(ddof=1) / v10.size + v01.var(ddof=1) / v01.size)


# ---------------------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """``metric(a) − metric(b)`` on the same test events, with its error and interval.

    ``value``: difference of the mean AUCs over seeds; ``err``: its standard error
    (``hypot(err_test, err_seeds)``); ``low``/``high``: the :data:`LEVEL` interval with
    ``dof`` degrees of freedom (``inf``: the test sample alone); ``p``: two-sided p-value
    for no difference; ``seeds``: what the seed spread measures (e.g. "initialisation
    only" when every seed trained on the same events).
    """

    value: float
    err: float
    low: float
    high: float
    p: float
    dof: float
    err_test: float
    err_seeds: float
    n_seeds: tuple[int, int]
    n_events: int
    seeds: str = ""
    auc_a: float = float("nan")
    """Model ``a``'s mean AUC over seeds (the quantum model, on the verdict page)."""
    err_test_a: float = float("nan")
    """The test sample's error of ``auc_a`` alone (DeLong): whether the test set is large
    enough to resolve an AUC to a hundredth."""
    level: float = LEVEL
    """The confidence level of ``low``/``high``; :meth:`word` tests at ``1 − level``."""

    def word(self, p: float | None = None, alpha: float | None = None) -> str:
        """``"above"``, ``"compatible with"`` or ``"below"``: ``a`` against ``b`` at level
        ``alpha`` (default ``1 − level``, so the word agrees with the interval; ``p``: e.g.
        the Holm-adjusted p-value; default this comparison's own)."""
        p = self.p if p is None else p
        alpha = 1.0 - self.level if alpha is None else alpha
        if p < alpha:
            return WORDS[0] if self.value > 0 else WORDS[2]
        return WORDS[1]

    def __format__(self, spec: str) -> str:
        f = spec or "+.3f"
        return f"{self.value:{f}} [{self.low:{f}}, {self.high:{f}}]"

    def __str__(self) -> str:
        return format(self)

    def detail(self) -> dict:
        """The fields as plain JSON numbers (for :func:`qmlhep.metrics.record`)."""
        out = asdict(self)
        out["n_seeds"] = list(self.n_seeds)
        out["dof"] = None if np.isinf(self.dof) else float(self.dof)
        for key in ("auc_a", "err_test_a"):  # JSON has no NaN
            out[key] = None if np.isnan(out[key]) else out[key]
        return out

    @classmethod
    def from_detail(cls, detail: dict) -> Difference:
        """The inverse of :meth:`detail`."""
        d = dict(detail)
        d["n_seeds"] = tuple(d["n_seeds"])
        d["dof"] = np.inf if d.get("dof") is None else float(d["dof"])
        for key in ("auc_a", "err_test_a"):
            d[key] = float("nan") if d.get(key) is None else float(d[key])
        d.setdefault("level", LEVEL)
        return cls(**d)


def _own_noise(v10: np.ndarray, v01: np.ndarray) -> float:
    """The part of a seed-averaged AUC's test-sample variance that each seed has on its own
    (``(mean per-seed DeLong variance − DeLong variance of the seed average) / (k − 1)``),
    which the spread over seeds already contains; 0 for one seed."""
    k = v10.shape[0]
    if k < 2:
        return 0.0
    per_seed = np.mean([_test_variance(v10[s], v01[s]) for s in range(k)])
    return max(float((per_seed - _test_variance(v10.mean(0), v01.mean(0))) / (k - 1)), 0.0)


def _split(models, paired: bool) -> tuple[float, float, float]:
    """``(test part, seed part, Welch–Satterthwaite dof term)`` of the variance of a mean
    AUC (one model) or of a difference of mean AUCs (two), in the Obuchowski–Rockette
    form: the seeds' spread, plus the test-sample covariance *shared* by the seeds.

    ``models``: ``[(auc, v10, v01, sign)]`` per model (``sign`` +1 for ``a``, −1 for
    ``b``). DeLong's variance of the seed-averaged placements counts each seed's own
    event noise, which the spread over seeds counts again; it is removed from the test
    part (Hillis 2007), so neither part holds it twice.
    """
    d10 = sum(sign * v10.mean(0) for _, v10, _, sign in models)
    d01 = sum(sign * v01.mean(0) for _, _, v01, sign in models)
    shared = _test_variance(d10, d01)
    if paired:
        (auc_a, v10_a, v01_a, _), (auc_b, v10_b, v01_b, _) = models
        k = auc_a.size
        if k < 2:
            return shared, 0.0, 0.0
        seed = float(np.var(auc_a - auc_b, ddof=1) / k)
        shared -= _own_noise(v10_a - v10_b, v01_a - v01_b)
        return max(shared, 0.0), seed, seed**2 / (k - 1)
    seed, term = 0.0, 0.0
    for auc, v10, v01, _ in models:
        if auc.size > 1:
            v = float(np.var(auc, ddof=1) / auc.size)
            seed, term = seed + v, term + v**2 / (auc.size - 1)
            shared -= _own_noise(v10, v01)
    return max(shared, 0.0), seed, term


def _difference(
    value, var_test, var_seeds, dof_term, n_seeds, n_events, seeds, level, auc_a, var_test_a
):
    var = var_test + var_seeds
    err = float(np.sqrt(var))
    dof = np.inf if dof_term == 0.0 else float(var**2 / dof_term)
    if not np.isfinite(err) or err == 0.0:
        raise ValueError(
            "compare: the difference has no finite, positive error (identical scores on "
            "every event?); nothing can be said about it."
        )
    t = value / err
    p = float(2 * sps.t.sf(abs(t), dof)) if np.isfinite(dof) else float(2 * sps.norm.sf(abs(t)))
    q = (
        float(sps.t.ppf(0.5 + level / 2, dof))
        if np.isfinite(dof)
        else sps.norm.ppf(0.5 + level / 2)
    )
    return Difference(
        float(value),
        err,
        float(value - q * err),
        float(value + q * err),
        p,
        dof,
        float(np.sqrt(var_test)),
        float(np.sqrt(var_seeds)),
        n_seeds,
        n_events,
        seeds,
        float(auc_a),
        float(np.sqrt(var_test_a)),
        float(level),
    )


def compare(
    y,
    scores_a,
    scores_b,
    *,
    paired_seeds: bool | None = None,
    seeds: str = "",
    level: float = LEVEL,
) -> Difference:
    """The AUC of model ``a`` minus that of model ``b``, scored on the same test events.

    ``y``: test labels ``(N,)`` (two classes; the larger label is the signal);
    ``scores_a``/``scores_b``: scores ``(N,)`` or ``(k, N)`` for ``k`` seeds (higher =
    more signal-like). ``paired_seeds``: seed ``i`` of ``a`` and of ``b`` trained on the
    same events (default: when both have the same number of seeds, more than one);
    ``seeds``: what the seed spread measures, kept in the result for the page to say.

    A deterministic reference (one row of scores) is compared with its test-sample error
    alone; a model with one seed has no seed error, and its interval says so by being the
    test sample's alone (``err_seeds == 0``).
    """
    if not 0.5 < level < 1.0:
        raise ValueError(f"level: a two-sided confidence level in (0.5, 1), got {level}.")
    positive = _labels(y)
    a = _scores("scores_a", scores_a, positive.size)
    b = _scores("scores_b", scores_b, positive.size)
    auc_a, v10_a, v01_a = placements(y, a)
    auc_b, v10_b, v01_b = placements(y, b)
    if paired_seeds is None:
        paired_seeds = a.shape[0] == b.shape[0] > 1
    if paired_seeds and a.shape[0] != b.shape[0]:
        raise ValueError(
            f"paired_seeds=True needs as many seeds of a as of b, got {a.shape[0]} and "
            f"{b.shape[0]}."
        )
    var_test, var_seeds, dof_term = _split(
        [(auc_a, v10_a, v01_a, 1.0), (auc_b, v10_b, v01_b, -1.0)], paired_seeds
    )
    value = auc_a.mean() - auc_b.mean()
    return _difference(
        value,
        var_test,
        var_seeds,
        dof_term,
        (a.shape[0], b.shape[0]),
        positive.size,
        seeds,
        level,
        auc_a.mean(),
        _test_variance(v10_a.mean(0), v01_a.mean(0)),
    )


def interval(y, scores, *, reference: float | None = None, seeds: str = "", level: float = LEVEL):
    """A model's mean AUC over seeds with its interval (test sample and seeds), as a
    :class:`Difference` against ``reference`` (e.g. a published number, which carries no
    error of ours; ``None``: against 0, i.e. the AUC itself)."""
    positive = _labels(y)
    s = _scores("scores", scores, positive.size)
    auc, v10, v01 = placements(y, s)
    var_test, var_seeds, dof_term = _split([(auc, v10, v01, 1.0)], paired=False)
    value = auc.mean() - (0.0 if reference is None else float(reference))
    return _difference(
        value,
        var_test,
        var_seeds,
        dof_term,
        (s.shape[0], 0),
        positive.size,
        seeds,
        level,
        auc.mean(),
        _test_variance(v10.mean(0), v01.mean(0)),
    )


def compare_trials(metric_a, metric_b, *, seeds: str = "", level: float = LEVEL) -> Difference:
    """Two models' metric (e.g. test AUC) per *trial*, where each trial draws its own
    training and test events and both models of a trial share them (same seed).

    The per-trial differences are independent draws of everything (test events, training
    events, initialisation), so their mean with Student's t over ``k − 1`` degrees of
    freedom is the whole error; it is reported as the seed part (``err_test == 0``).
    """
    a = np.asarray(metric_a, dtype=float).ravel()
    b = np.asarray(metric_b, dtype=float).ravel()
    if a.shape != b.shape or a.size < 2:
        raise ValueError(
            f"compare_trials: needs the same number (at least 2) of trials of a and b, got "
            f"{a.size} and {b.size}."
        )
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("compare_trials: non-finite values (a diverged trial must be seen).")
    k = a.size
    var = float(np.var(a - b, ddof=1) / k)
    dof_term = var**2 / (k - 1)
    return _difference(
        float(a.mean() - b.mean()),
        0.0,
        var,
        dof_term,
        (a.size, b.size),
        0,
        seeds or "test events, training events and initialisation (each trial draws its own)",
        level,
        a.mean(),
        float("nan"),
    )


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjustment of a family of p-values (statsmodels), same order."""

    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return p
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError(f"holm: p-values must lie in [0, 1], got {p.tolist()}.")
    return multipletests(p, method="holm")[1]


def seeds_measure(same_training_events: bool) -> str:
    """What a spread over seeds measures, in the words every page uses."""
    return (
        "initialisation only (every seed trains on the same events)"
        if same_training_events
        else "training events and initialisation"
    )
