"""Input checks shared by every estimator and training loop of the book.

One place decides what a bad input is and how the error reads: non-finite values name the
argument and the first bad rows; labels must be two classes, without NaN, as many as the
samples; features must have a range a scaler can divide by; counts (epochs, batch sizes,
shots) must be positive integers. They run before
any training, so a day of computing never starts from data that cannot give an answer.
"""

from __future__ import annotations

import numbers

import numpy as np
import psutil
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data


def check_finite(X, name: str = "X", who: str = "model") -> np.ndarray:
    """``X`` as a float array (float32 kept), or a ValueError naming ``name`` and its first
    bad rows."""
    try:
        X = np.asarray(X)
        if X.dtype.kind == "c":
            raise ValueError(
                "it holds complex numbers; pass the real quantity (e.g. np.abs or .real), "
                "the book never drops an imaginary part silently"
            )
        if X.dtype.kind != "f":
            X = X.astype(float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{who}: {name} is not numeric ({err}).") from None
    bad = ~np.isfinite(X)
    if bad.any():
        rows = np.flatnonzero(bad.reshape(len(X), -1).any(axis=1)) if X.ndim else np.array([0])
        raise ValueError(
            f"{who}: {name} has {int(bad.sum())} NaN or infinite values in {len(rows)} "
            f"samples (first rows {rows[:5].tolist()}); drop or impute them first."
        )
    return X


def check_labels(y, n_samples: int, name: str = "y", who: str = "model") -> np.ndarray:
    """``y`` as an array of exactly two classes and ``n_samples`` entries, without NaN."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{who}: {name} must be 1-D (one label per sample), got shape {y.shape}.")
    if len(y) != n_samples:
        raise ValueError(f"{who}: {name} has {len(y)} labels but there are {n_samples} samples.")
    if y.dtype.kind == "f" and np.isnan(y).any():
        raise ValueError(
            f"{who}: {name} holds NaN labels (first rows "
            f"{np.flatnonzero(np.isnan(y))[:5].tolist()})."
        )

    kind = type_of_target(y, input_name=name)
    if kind in ("continuous", "continuous-multioutput"):
        raise ValueError(f"Unknown label type: {who} got {kind} {name}; it needs class labels.")
    classes = np.unique(y)
    if len(classes) != 2:
        raise ValueError(
            f"Only binary classification is supported: {who} is a binary classifier and "
            f"{name} must hold exactly two classes, it holds {classes.tolist()[:10]}."
        )
    return y


FLOATS = (np.float64, np.float32)


def check_scalable(X: np.ndarray, name: str = "X", who: str = "model") -> np.ndarray:
    """``X`` unchanged if every feature (column) of ``(N, n_features)`` has a finite range
    and variance in float64; else a ValueError naming the features.

    A feature spanning more than float64 can hold (values near ±1e308, or ±1e200 whose
    square overflows) gets an infinite scale in a standard or min-max scaler, which then
    silently turns it into a constant: the model would train without it. A feature whose
    values differ but whose variance underflows to 0 (values ~1e-300) is kept unscaled at
    that size by a standard scaler, as good as constant: refused too.
    """
    x = np.asarray(X, dtype=np.float64)
    if x.ndim != 2 or not len(x):
        return X
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        spread, var = np.ptp(x, axis=0), x.var(axis=0)
        bad = ~(np.isfinite(spread) & np.isfinite(var)) | ((spread > 0) & (var == 0))
    if bad.any():
        cols = np.flatnonzero(bad)
        raise ValueError(
            f"{who}: {name} has features whose values are too extreme (too large or too "
            f"small) to scale (columns {cols[:5].tolist()}, largest magnitude "
            f"{np.abs(x[:, cols]).max():.3g}): a scaler would divide them by an infinite "
            "range, or leave them at a size no network can use, silently; rescale them "
            "(e.g. a logarithm or units) first."
        )
    return X


def check_training_data(estimator, X, y) -> tuple[np.ndarray, np.ndarray]:
    """``X`` ``(N, n_features)`` and two-class labels ``y`` ``(N,)`` for ``estimator.fit``.

    scikit-learn's :func:`~sklearn.utils.validation.validate_data` refuses what is not a
    dense 2-D real table of at least 2 samples and sets ``n_features_in_``; then
    :func:`check_finite` and :func:`check_labels` name the bad rows or labels.
    """

    who = type(estimator).__name__
    if y is None:
        raise ValueError(f"{who} requires y to be passed, but the target y is None.")
    X = validate_data(estimator, X, ensure_all_finite=False, dtype=FLOATS, ensure_min_samples=2)
    X = check_scalable(check_finite(X, "X", who), "X", who)
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    return X, check_labels(y, len(X), who=who)


def check_holdout(y: np.ndarray, who: str, fraction: float = 0.2) -> None:
    """Refuse training events too few for a stratified hold-out of ``fraction``: both
    parts must hold both classes, so each class needs 2 events and the held-out part
    ``ceil(fraction * n)`` at least 2."""
    n_min = int(np.floor(1 / fraction)) + 1  # the smallest n with ceil(fraction * n) >= 2
    classes, counts = np.unique(y, return_counts=True)
    if counts.min() < 2 or len(y) < n_min:
        got = ", ".join(f"{n} of class {c:g}" for c, n in zip(classes, counts, strict=True))
        raise ValueError(
            f"{who}: early stopping holds out {fraction:.0%} of the training events for "
            f"validation, which needs at least 2 events of each class and {n_min} in all; "
            f"got {got}. Train on more events (or with early_stopping=False where the model "
            "has it)."
        )


def check_new_data(estimator, X, fitted: str) -> np.ndarray:
    """``X`` for ``predict``/``predict_proba`` of a fitted ``estimator`` (``fitted``: an
    attribute ``fit`` sets): a :class:`~sklearn.exceptions.NotFittedError` before ``fit``,
    a ValueError for a different number of features or non-finite values."""

    check_is_fitted(estimator, fitted)
    X = validate_data(estimator, X, reset=False, ensure_all_finite=False, dtype=FLOATS)
    return check_finite(X, "X", type(estimator).__name__)


def check_count(value, name: str, who: str = "model", minimum: int = 1) -> int:
    """A positive integer count (epochs, batch size, shots…), or a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{who}: {name}={value!r} must be an integer ≥ {minimum}.")
    return int(value)


def available_memory() -> int:
    """Bytes of memory this machine can still give (psutil's ``available``)."""

    return int(psutil.virtual_memory().available)


def check_memory(needed: float, what: str, how: str) -> None:
    """Refuse, before allocating, work that needs more memory than is available: a
    MemoryError with the memory it would need, what is free, and how to proceed."""
    free = available_memory()
    if needed > free:
        raise MemoryError(
            f"{what} would need about {needed / 2**30:,.1f} GiB of memory; this "
            f"machine has {free / 2**30:,.1f} GiB available. {how}"
        )


class CheckedStandardScaler(StandardScaler):
    """scikit-learn's :class:`~sklearn.preprocessing.StandardScaler` that refuses, in
    ``fit``, features too extreme to scale (:func:`check_scalable`) instead of silently
    turning them into constants."""

    def fit(self, X, y=None, sample_weight=None):
        check_scalable(np.asarray(X), "X", "StandardScaler")
        return super().fit(X, y, sample_weight)
