"""The book's one early-stopping rule, shared by the Keras loop and the optax loop.

An epoch *improves* when its monitored value beats the best so far by more than
``min_improvement`` of the best (relative, as Keras' ``min_delta`` but scaled: 5e-3 is
0.5 %); training stops after ``patience`` epochs without an improvement and keeps the
parameters of the last epoch that improved. ``mode`` says which way is better: ``"min"``
for a loss, ``"max"`` for an AUC-like criterion. With ``min_improvement=0`` any strict
improvement counts.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

MODES = ("min", "max")


def check_rule(patience: int | None, min_improvement: float, mode: str) -> None:
    """A ValueError naming the setting that cannot define a stopping rule."""
    if mode not in MODES:
        raise ValueError(f"mode={mode!r} must be one of {MODES}.")
    if not 0.0 <= min_improvement < 1.0:
        raise ValueError(f"min_improvement={min_improvement!r} must be in [0, 1).")
    if patience is not None and (
        isinstance(patience, bool) or int(patience) != patience or patience < 1
    ):
        raise ValueError(f"patience={patience!r} must be an integer ≥ 1 (or None: no stopping).")


def improves(value: float, best: float, min_improvement: float = 0.0, mode: str = "min") -> bool:
    """Whether ``value`` beats ``best`` by more than ``min_improvement`` of ``|best|``
    (``best`` infinite, as before the first epoch: any finite value does)."""
    margin = min_improvement * abs(best if np.isfinite(best) else 0.0)
    if mode == "max":
        return bool(value > best + margin)
    return bool(value < best - margin)


def kept_epoch(values: Iterable[float], min_improvement: float = 0.0, mode: str = "min") -> int:
    """The epoch (1-based) whose parameters the rule keeps for the monitored ``values``
    per epoch: the last that improved on the best so far (0 if none did). With no
    tolerance, the first epoch of the best value."""
    best, epoch = (np.inf if mode == "min" else -np.inf), 0
    for i, value in enumerate(values):
        if improves(value, best, min_improvement, mode):
            best, epoch = value, i + 1
    return epoch


def replay(
    values: Iterable[float], patience: int, min_improvement: float = 0.0, mode: str = "min"
) -> tuple[int, int]:
    """Replay the rule on per-epoch ``values``: ``(kept epoch, epoch the training stops
    at)``, both 1-based (the stop is the last value when patience never ran out)."""
    best, kept, waited, epoch = (np.inf if mode == "min" else -np.inf), 0, 0, 0
    for epoch, value in enumerate(values, start=1):
        if improves(value, best, min_improvement, mode):
            best, kept, waited = value, epoch, 0
        else:
            waited += 1
        if waited >= patience:
            break
    return kept, epoch
