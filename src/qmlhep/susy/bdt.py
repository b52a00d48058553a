"""Boosted decision trees for the SUSY baselines (scikit-learn).

Terashi et al. grew the BDT with the training sample (their Table 1): more and deeper
trees for more events. :data:`BDT_SCHEDULE` is the schedule this book uses, the same
principle with the capacity doubling roughly with each decade of events.
"""

from __future__ import annotations

from sklearn.ensemble import HistGradientBoostingClassifier

from qmlhep.susy.model_sizes import for_size

BDT_SCHEDULE: tuple[tuple[int, int, int], ...] = (
    # (up to this many training events, number of trees, maximum depth)
    (100, 50, 2),
    (500, 100, 3),
    (1_000, 200, 3),
    (5_000, 400, 4),
    (50_000, 800, 5),
    (10**9, 1_000, 6),
)


def bdt_config(n_train: int) -> tuple[int, int]:
    """(number of trees, maximum depth) for a training set of ``n_train`` events."""
    return for_size(BDT_SCHEDULE, n_train)


def bdt_classifier(n_train: int, random_state: int = 0) -> HistGradientBoostingClassifier:
    """Unfitted gradient-boosted trees sized for ``n_train`` events (learning rate 0.1)."""
    trees, depth = bdt_config(n_train)
    return HistGradientBoostingClassifier(
        max_iter=trees,
        max_depth=depth,
        learning_rate=0.1,
        early_stopping=False,
        min_samples_leaf=max(2, min(20, n_train // 50)),
        random_state=random_state,
    )
