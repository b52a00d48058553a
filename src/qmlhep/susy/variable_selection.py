"""Greedy forward selection of input variables by the validation AUC of a classifier.

Start from no variables; at each step try adding each remaining variable, train a fresh
classifier on the training set, and keep the variable whose addition gives the highest
AUC on a separate validation set. This is how Terashi et al. ordered the SUSY features.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from qmlhep.fitting.progress import bar as progress_bar


@dataclass
class Selection:
    """The chosen variables in order, the AUC after each step, and every trial's AUC."""

    order: list[str]
    auc: list[float]
    trials: pd.DataFrame  # columns: step, candidate, auc

    def first(self, n: int) -> list[str]:
        return self.order[:n]


def greedy_forward(
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    names: list[str] | tuple[str, ...],
    n_select: int,
    make_model: Callable[[], object],
    progress: bool = True,
) -> Selection:
    """Select ``n_select`` of the columns of ``X_*`` (named ``names``) greedily by AUC."""
    chosen: list[int] = []
    aucs: list[float] = []
    trials = []
    n_total = sum(len(names) - k for k in range(n_select))
    with progress_bar(total=n_total, desc="greedy selection", enabled=progress) as bar:
        for step in range(1, n_select + 1):
            best, best_auc = None, -np.inf
            for j in range(len(names)):
                if j in chosen:
                    continue
                cols = chosen + [j]
                model = make_model().fit(X_train[:, cols], y_train)
                auc = roc_auc_score(y_val, model.predict_proba(X_val[:, cols])[:, 1])
                trials.append({"step": step, "candidate": names[j], "auc": auc})
                if auc > best_auc:
                    best, best_auc = j, auc
                bar.update()
            chosen.append(best)
            aucs.append(float(best_auc))
            bar.set_postfix(last=names[best], auc=f"{best_auc:.3f}")
    return Selection([names[j] for j in chosen], aucs, pd.DataFrame(trials))
