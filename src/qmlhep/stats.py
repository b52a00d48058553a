"""Numbers over seeds, and how a chapter compares them: mean ± standard error, the verdict.

>>> auc = mean_err([0.71, 0.73, 0.72])
>>> f"{auc}"                                # the mean ± standard error of the mean
'0.720 ± 0.006'
>>> verdict(auc, 0.75)                      # against a published number (no error)
'below'

Every chapter states its numbers this way, so "compatible" means the same thing on every
page: two numbers differ when they are more than :data:`SIGMAS` combined standard errors
apart, ``|a - b| > SIGMAS · sqrt(err_a² + err_b²)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SIGMAS = 2.0
"""How many combined standard errors make a difference, on every page of the book."""


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


def _parts(x: Estimate | float | None) -> tuple[float, float]:
    if isinstance(x, Estimate):
        return x.mean, x.err
    return float(x), 0.0


def pull(a: Estimate | float, b: Estimate | float) -> float:
    """``(a - b) / sqrt(err_a² + err_b²)``; ±inf when neither has an error and they differ."""
    (ma, ea), (mb, eb) = _parts(a), _parts(b)
    scale = float(np.hypot(ea, eb))
    if scale == 0.0:
        return 0.0 if ma == mb else float(np.copysign(np.inf, ma - mb))
    return (ma - mb) / scale


def verdict(a: Estimate | float, b: Estimate | float, sigmas: float = SIGMAS) -> str:
    """``"above"``, ``"compatible with"`` or ``"below"``: ``a`` against ``b`` at ``sigmas``."""
    z = pull(a, b)
    return "above" if z > sigmas else "below" if z < -sigmas else "compatible with"
