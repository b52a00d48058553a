"""One evaluation loop for every classifier of the book: AUC versus training-set size.

``size_scan(make_model, X_pool, y_pool, X_test, y_test, sizes, repeats)`` trains
``make_model(size, seed)`` on ``repeats`` different stratified subsets of each size
drawn from the pool, and scores each on the same fixed test set. It works for anything
with scikit-learn's ``fit``/``predict_proba`` (BDT, DNN, QCL, VQC).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.metrics import roc_auc_score, roc_curve

from qmlhep.data.splits import stratified_subset
from qmlhep.fitting.progress import bar
from qmlhep.stats import Estimate, mean_err

FPR_GRID = np.linspace(0.0, 1.0, 201)
"""False-positive rates at which every ROC curve is sampled, so curves can be averaged."""


@dataclass
class SizeScan:
    """Per-run AUCs (``runs``: size, repeat, auc) and ROC curves (TPR on :data:`FPR_GRID`)."""

    runs: pd.DataFrame
    tpr: dict[int, list[np.ndarray]] = field(default_factory=dict)
    models: dict[tuple[int, int], object] = field(default_factory=dict)
    """The fitted models by (size, repeat), when the scan was asked to keep them."""
    scores: dict[int, list[np.ndarray]] = field(default_factory=dict)
    """Every run's test scores by size, one ``(N,)`` array per repeat, in repeat order:
    what a paired comparison on the same test events needs (:meth:`test_scores`)."""
    y_test: np.ndarray | None = None
    """The labels of the test events every run was scored on."""

    def test_scores(self, size: int) -> np.ndarray:
        """The test scores of every repeat at one size, ``(repeats, N)``."""
        if size not in self.scores:
            raise KeyError(
                f"no test scores kept for training size {size} (sizes: {sorted(self.scores)})."
            )
        return np.stack(self.scores[size])

    def estimate(self, size: int) -> Estimate:
        """Mean AUC ± standard error over the repeats at one training size."""
        return mean_err(self.runs.loc[self.runs["size"] == size, "auc"])

    def summary(self) -> pd.DataFrame:
        """Mean AUC and its standard error (:func:`qmlhep.stats.mean_err`) per training size."""
        sizes = sorted(self.runs["size"].unique())
        rows = [self.estimate(s) for s in sizes]
        return pd.DataFrame(
            {
                "auc": [r.mean for r in rows],
                "err": [r.err for r in rows],
                "repeats": [r.n for r in rows],
            },
            index=pd.Index(sizes, name="size"),
        )

    def tpr_band(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation of the TPR over repeats at one size."""
        curves = np.stack(self.tpr[size])
        return curves.mean(axis=0), curves.std(axis=0)


def roc_on_grid(y: np.ndarray, score: np.ndarray) -> np.ndarray:
    """True-positive rate interpolated at :data:`FPR_GRID`."""
    fpr, tpr, _ = roc_curve(y, score)
    return np.interp(FPR_GRID, fpr, tpr)


def _one_run(make_model, X_pool, y_pool, X_test, y_test, size, seed, keep):
    X_tr, y_tr = stratified_subset(X_pool, y_pool, size, seed)
    model = make_model(size, seed).fit(X_tr, y_tr)
    score = model.predict_proba(X_test)[:, 1]
    auc = roc_auc_score(y_test, score)
    return auc, roc_on_grid(y_test, score), model if keep else None, score


def size_scan(
    make_model: Callable[[int, int], object],
    X_pool: np.ndarray,
    y_pool: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    sizes,
    repeats: int,
    seed: int = 0,
    desc: str = "training sizes",
    progress: bool = True,
    n_jobs: int | None = None,
    keep_models: bool = False,
) -> SizeScan:
    """Train and test ``make_model(size, seed + r)`` for every size and repeat ``r``.

    ``keep_models`` keeps every fitted model (``SizeScan.models``), so a chapter can show
    e.g. a training curve without training the same model again.

    The runs are independent fits handed to joblib (:mod:`qmlhep.fitting.parallel`):
    ``n_jobs`` worker processes, or, when None, whatever the surrounding
    ``joblib.parallel_config`` says (one after the other by default; a Dask cluster under
    :func:`~qmlhep.fitting.parallel.on_cluster`). Results do not depend on it, since every
    run has its own seed.
    """

    too_big = [s for s in sizes if s > len(y_pool)]
    if too_big:
        raise ValueError(
            f"training sizes {too_big} exceed the pool of {len(y_pool)} events; "
            "load more data or drop those sizes."
        )
    tasks = [(size, r) for size in sizes for r in range(repeats)]
    results = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(_one_run)(make_model, X_pool, y_pool, X_test, y_test, size, seed + r, keep_models)
        for size, r in tasks
    )
    rows, tpr, models, scores = [], {}, {}, {}
    for (size, r), (auc, curve, model, score) in zip(
        tasks, bar(results, total=len(tasks), desc=desc, enabled=progress), strict=True
    ):
        rows.append({"size": size, "repeat": r, "auc": auc})
        tpr.setdefault(size, []).append(curve)
        scores.setdefault(size, []).append(np.asarray(score, dtype=float))
        if keep_models:
            models[size, r] = model
    return SizeScan(pd.DataFrame(rows), tpr, models, scores, np.asarray(y_test))
