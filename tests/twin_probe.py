"""Probes that a control can win: every input changes its output, no parameter is idle.

Used by the twin tests of every model package: ``tests/susy/test_susy_twins.py``,
``tests/jets/test_jet_twins.py``, ``tests/bsm/test_bsm_twins.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def input_effects(f: Callable[[np.ndarray], np.ndarray], X: np.ndarray, step: float = 0.3):
    """Largest change of ``f``'s output (any shape per row) when one input column of
    ``X`` (``(N, d)``, or ``(N, ...)`` flattened per row) moves by ``step``; ``(d,)``."""
    X = np.asarray(X, dtype=float)
    flat = X.reshape(len(X), -1)
    base = np.asarray(f(X), dtype=float).reshape(len(X), -1)
    effects = np.zeros(flat.shape[1])
    for j in range(flat.shape[1]):
        moved = flat.copy()
        moved[:, j] += step
        out = np.asarray(f(moved.reshape(X.shape)), dtype=float).reshape(len(X), -1)
        effects[j] = np.abs(out - base).max()
    return effects


def parameter_effects(f: Callable[[np.ndarray], np.ndarray], theta: np.ndarray, step=0.3):
    """Largest change of ``f(theta)`` when one parameter moves by ``step``; ``(n_params,)``."""
    theta = np.asarray(theta, dtype=float)
    base = np.asarray(f(theta), dtype=float)
    effects = np.zeros(theta.size)
    for i in range(theta.size):
        moved = theta.copy().ravel()
        moved[i] += step
        effects[i] = np.abs(np.asarray(f(moved.reshape(theta.shape)), dtype=float) - base).max()
    return effects


def assert_sees_everything(input_fx=None, X=None, param_f=None, theta=None, tol=1e-6):
    """Fail, naming the idle inputs or parameters, when any effect is below ``tol``."""
    if input_fx is not None:
        idle = np.flatnonzero(input_effects(input_fx, X) < tol)
        assert idle.size == 0, f"inputs {idle.tolist()} never change the output"
    if param_f is not None:
        idle = np.flatnonzero(parameter_effects(param_f, theta) < tol)
        assert idle.size == 0, f"parameters {idle.tolist()} never change the output"
