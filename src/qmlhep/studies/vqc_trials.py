"""The VQC studies of Terashi et al.: trials on small balanced samples, train and test.

The paper trains on 40 events (20 signal, 20 background) and tests on another 40, five
times; a *trial* here draws both samples anew (seeded), trains a fresh model and scores
both samples. :func:`run_trials` returns per-trial AUCs, ROC curves on a common grid and
cost histories; :func:`size_table` repeats it for the paper's training sizes (Table 2).

:func:`twin_makers` builds the VQC's controls under the VQC's own protocol (all the
trial's training events, a fixed budget, nothing held out, nothing that stops early), and
:meth:`Trials.scores_on` scores every trial's model on one common set of test events, for
the paired comparisons of :func:`qmlhep.studies.twins.comparison_table`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.metrics import roc_auc_score

from qmlhep import profiles
from qmlhep.data.splits import balanced_subset
from qmlhep.fitting.progress import bar
from qmlhep.storage.results_cache import cached
from qmlhep.studies.size_scan import roc_on_grid
from qmlhep.studies.twins import linear_reference


@dataclass
class Trials:
    """Per-trial results: ``runs`` (trial, auc_train, auc_test, seconds), ROC and cost curves."""

    runs: pd.DataFrame
    tpr_train: list[np.ndarray] = field(default_factory=list)
    tpr_test: list[np.ndarray] = field(default_factory=list)
    costs: list[np.ndarray] = field(default_factory=list)
    models: list[object] = field(default_factory=list)

    def formatted(self, column: str = "auc_test") -> str:
        """``"mean ± error"`` of a column, three decimals (for tables)."""
        mean, err = self.mean(column)
        return f"{mean:.3f} ± {err:.3f}"

    def mean(self, column: str = "auc_test") -> tuple[float, float]:
        """Mean over trials and its standard error."""
        values = self.runs[column].to_numpy()
        err = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0.0
        return float(values.mean()), float(err)

    def scores_on(self, X: np.ndarray) -> np.ndarray:
        """Every trial's model scored on the same events ``X``: ``(trials, N)`` (P(class 1))."""
        return np.stack([np.asarray(m.predict_proba(X)[:, 1], dtype=float) for m in self.models])

    def cost_band(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation of the cost per evaluation (trials cut to the shortest)."""
        n = min(len(c) for c in self.costs)
        curves = np.stack([c[:n] for c in self.costs])
        return curves.mean(axis=0), curves.std(axis=0)


TEST_SEED_OFFSET = 10_000
"""A trial's test sample is drawn with its seed plus this, independently of its training sample."""


def trial_samples(
    X_train_pool, y_train_pool, X_test_pool, y_test_pool, n_train: int, n_test: int, seed: int
):
    """The balanced training and test samples of the trial with ``seed``:
    ``(X_train, y_train, X_test, y_test)``."""
    return (
        *balanced_subset(X_train_pool, y_train_pool, n_train, seed),
        *balanced_subset(X_test_pool, y_test_pool, n_test, seed + TEST_SEED_OFFSET),
    )


def _one_trial(
    make_model, X_train_pool, y_train_pool, X_test_pool, y_test_pool, n_train, n_test, seed
):
    X_tr, y_tr, X_te, y_te = trial_samples(
        X_train_pool, y_train_pool, X_test_pool, y_test_pool, n_train, n_test, seed
    )
    start = time.perf_counter()
    model = make_model(seed).fit(X_tr, y_tr)
    seconds = time.perf_counter() - start
    s_tr, s_te = model.predict_proba(X_tr)[:, 1], model.predict_proba(X_te)[:, 1]
    return (
        roc_auc_score(y_tr, s_tr),
        roc_auc_score(y_te, s_te),
        seconds,
        roc_on_grid(y_tr, s_tr),
        roc_on_grid(y_te, s_te),
        model,
    )


def run_trials(
    make_model: Callable[[int], object],
    X_train_pool: np.ndarray,
    y_train_pool: np.ndarray,
    X_test_pool: np.ndarray,
    y_test_pool: np.ndarray,
    n_train: int = 40,
    n_test: int = 40,
    trials: int = 5,
    seed: int = 0,
    n_jobs: int | None = None,
    desc: str = "trials",
    progress: bool = True,
) -> Trials:
    """``trials`` × (balanced samples of ``n_train`` and ``n_test``, fit ``make_model(seed)``).

    Trial ``t`` uses seed ``seed + t`` for its samples and its model, so results do not
    depend on where the trials run (``n_jobs`` worker processes, or the surrounding
    joblib configuration when None: see :mod:`qmlhep.fitting.parallel`).
    """

    results = Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(_one_trial)(
            make_model,
            X_train_pool,
            y_train_pool,
            X_test_pool,
            y_test_pool,
            n_train,
            n_test,
            seed + t,
        )
        for t in range(trials)
    )
    out = Trials(pd.DataFrame())
    rows = []
    for t, (auc_tr, auc_te, sec, tpr_tr, tpr_te, model) in enumerate(
        bar(results, total=trials, desc=desc, enabled=progress)
    ):
        rows.append({"trial": t, "auc_train": auc_tr, "auc_test": auc_te, "seconds": sec})
        out.tpr_train.append(tpr_tr)
        out.tpr_test.append(tpr_te)
        out.costs.append(
            np.asarray(model.history_["cost"] if "cost" in getattr(model, "history_", {}) else [])
        )
        out.models.append(model)
    out.runs = pd.DataFrame(rows)
    return out


def size_table(
    make_model: Callable[[int], object],
    X_train_pool,
    y_train_pool,
    X_test_pool,
    y_test_pool,
    sizes,
    trials: int,
    seed: int = 0,
    n_jobs: int | None = None,
) -> dict[int, Trials]:
    """:func:`run_trials` at every training size, testing on as many events as trained on."""
    return {
        n: run_trials(
            make_model,
            X_train_pool,
            y_train_pool,
            X_test_pool,
            y_test_pool,
            n,
            n,
            trials,
            seed,
            n_jobs,
            desc=f"{n} events",
        )
        for n in bar(sizes, desc="training sizes")
    }


def summary(results: dict[int, Trials]) -> pd.DataFrame:
    """Train and test AUC (mean ± error over trials) per training size."""
    rows = []
    for n, trials in results.items():
        (tr, tr_err), (te, te_err) = trials.mean("auc_train"), trials.mean("auc_test")
        rows.append(
            {
                "events": n,
                "AUC train": tr,
                "± train": tr_err,
                "AUC test": te,
                "± test": te_err,
                "s per fit": trials.runs.seconds.mean(),
            }
        )
    return pd.DataFrame(rows).set_index("events")


def susy_pools(nvar: int = 3):
    """The classical chapter's split (``susy_baselines`` sizes) as VQC pools.

    Returns ``(split, (X_train_pool, y_train_pool, X_test_pool, y_test_pool))`` with the
    columns of the paper's ``nvar`` variables.
    """
    # imported here, not at the top: it needs keras (an extra), this module does not
    from qmlhep.studies.susy_baselines import susy_split

    base = profiles.sizes("susy_baselines")
    split = susy_split(base.n_events, base.n_test)
    cols = split.columns(nvar)
    return split, (split.X_pool[:, cols], split.y_pool, split.X_test[:, cols], split.y_test)


def paper_trials(encoding: str, trials: int, max_iter: int, n_jobs: int | None = None) -> Trials:
    """The paper's study on Aer's noiseless sampler: 40 + 40 events, 3 variables.

    Cached per build (:func:`qmlhep.storage.results_cache.cached`), so the device chapter draws the
    ideal reference of the simulator chapter without training it again.
    """
    # imported here, not at the top: it needs qiskit (an extra), this module does not
    from qmlhep.susy.vqc import VQCClassifier

    split, pools = susy_pools(3)

    def compute():
        make = lambda seed: VQCClassifier(encoding=encoding, max_iter=max_iter, random_state=seed)
        return run_trials(
            make, *pools, 40, 40, trials, n_jobs=n_jobs, desc=f"{encoding.upper()}, Aer"
        )

    settings = {
        "encoding": encoding,
        "trials": trials,
        "max_iter": max_iter,
        "susy": vars(profiles.sizes("susy_baselines")),
        "data": split.data.provenance.sha256,
    }
    modules = (
        "qmlhep.susy.vqc",
        "qmlhep.susy.vqc_circuit",
        "qmlhep.susy.vqc_sampling",
        "qmlhep.studies.vqc_trials",
        "qmlhep.studies.size_scan",
    )
    return cached("vqc-paper-trials", settings, compute, modules)


COMMON_TEST = 1_000
"""Events of the common test sample on which every trial's model is scored for the paired
comparisons (the paper's 40 test events per trial differ from trial to trial)."""


def common_test_events(pools, n_test: int = COMMON_TEST, seed: int = 2 * TEST_SEED_OFFSET):
    """One balanced sample of ``n_test`` events of the test pool (at most all of it), the
    same for every model and trial: ``(X, y)``."""
    X_test_pool, y_test_pool = pools[2], pools[3]
    n = min(n_test, 2 * int(np.bincount(y_test_pool.astype(int)).min()))
    return balanced_subset(X_test_pool, y_test_pool, n, seed)


TWIN_EPOCHS = 200
"""The classical twin's fixed budget: Adam epochs on all the training events (the DNN's
default; the VQC's budget is COBYLA's ``max_iter`` cost evaluations)."""


def twin_makers(max_iter: int, n_inputs: int = 3, twin_epochs: int = TWIN_EPOCHS, **vqc) -> dict:
    """``{label: make(seed)}`` for the FOE VQC and its three controls, all trained the VQC's
    way: on every event of the trial's training sample, for a fixed budget, with no event
    held out and no early stopping.

    - ``"VQC (FOE)"``: :class:`~qmlhep.susy.vqc.VQCClassifier` (``vqc``: further settings,
      e.g. ``simulator``);
    - ``"product twin"``: the same circuit without the CZ gates of ``U(θ)``;
    - ``"classical twin (DNN)"``: one hidden layer with as many parameters as the circuit
      (as nearly as widths allow), ``twin_epochs`` full-batch epochs (``early_stopping=False``);
    - ``"linear"``: logistic regression, fitted to convergence on the same events.
    """
    # imported here, not at the top: it needs keras, qiskit (an extra), this module does not
    from qmlhep.susy.dnn import DNNClassifier, width_for_params
    from qmlhep.susy.vqc import VQCClassifier
    from qmlhep.susy.vqc_circuit import n_params

    width = width_for_params(n_params(n_inputs, vqc.get("layers", 1)), n_inputs)

    def vqc_maker(**extra):
        return lambda seed: VQCClassifier(max_iter=max_iter, random_state=seed, **{**vqc, **extra})

    return {
        "VQC (FOE)": vqc_maker(encoding="foe"),
        "product twin": vqc_maker(encoding="foe", entangler="none"),
        "classical twin (DNN)": lambda seed: DNNClassifier(
            hidden=(width,),
            max_iter=twin_epochs,  # mini-batches of 64: one full batch of 40 events per epoch
            early_stopping=False,
            random_state=seed,
        ),
        "linear": lambda seed: linear_reference(seed),
    }


def identical_training_samples(pools, n_train: int, trials: int, seed: int = 0) -> bool:
    """Whether every trial of :func:`run_trials` trains on the same events (as sets)."""
    X_pool, y_pool = pools[0], pools[1]
    rows = []
    for t in range(trials):
        X, y = balanced_subset(X_pool, y_pool, n_train, seed + t)
        rows.append(np.unique(np.column_stack([X, y]), axis=0))
    return all(np.array_equal(r, rows[0]) for r in rows[1:])
