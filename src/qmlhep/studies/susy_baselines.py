"""The classical SUSY study every SUSY chapter compares against.

:func:`classical_study` loads the events, makes the fixed test set and the training pool,
and runs BDT, DNN and parameter-matched DNN through :func:`qmlhep.studies.size_scan.size_scan`
for the paper's 3, 5 and 7 variables, with the sizes of the ``susy_baselines`` profile.
The result is cached per build (:mod:`qmlhep.storage.results_cache`), so the quantum
chapters reuse the classical chapter's curves on exactly the same splits.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from qmlhep import profiles
from qmlhep.data import PAPER_SELECTIONS, load_susy, train_test
from qmlhep.data.susy import SusyData
from qmlhep.storage.results_cache import cached
from qmlhep.studies.size_scan import SizeScan, size_scan
from qmlhep.susy.bdt import bdt_classifier
from qmlhep.susy.dnn import dnn_for_size, small_dnn

MODELS = ("BDT", "DNN", "DNN (param.-matched)")
KEYS = {"BDT": "bdt", "DNN": "dnn", "DNN (param.-matched)": "dnn_small"}
"""Metric-key stem of each model (``susy.<stem>.auc.nvar3.n100``)."""


@dataclass
class SusySplit:
    """A fixed test set and the training pool (all 18 features; pick columns per study)."""

    data: SusyData
    X_pool: np.ndarray
    y_pool: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def columns(self, nvar: int) -> list[int]:
        """Column indices of the paper's ``nvar``-variable set."""
        return [self.data.features.index(f) for f in PAPER_SELECTIONS[nvar]]

    def sizes(self, wanted) -> list[int]:
        """The wanted training sizes that the pool can provide."""
        return [s for s in wanted if s <= len(self.y_pool)]


def susy_split(n_events: int | None, n_test: int, seed: int = 0) -> SusySplit:
    """Load ``n_events`` (None: all) and hold out ``n_test`` (at most half) as test set."""
    data = load_susy(n_events=n_events, seed=seed, allow_fewer=True)
    n_test = min(n_test, len(data.y) // 2)
    X_pool, X_test, y_pool, y_test = train_test(data, len(data.y) - n_test, n_test, seed=seed)
    return SusySplit(data, X_pool, y_pool, X_test, y_test)


def model_factory(label: str, nvar: int, epochs: int, patience: int):
    """``make_model(size, seed)`` for one of :data:`MODELS`."""
    dnn_args = dict(max_iter=epochs, patience=patience)
    if label == "BDT":
        return lambda n, seed: bdt_classifier(n, random_state=seed)
    if label == "DNN":
        return lambda n, seed: dnn_for_size(n, random_state=seed, **dnn_args)
    if label == "DNN (param.-matched)":
        return lambda n, seed: small_dnn(nvar, random_state=seed, **dnn_args)
    raise KeyError(f"unknown model {label!r}; known: {', '.join(MODELS)}")


@dataclass
class ClassicalStudy:
    """The split, the sizes used, and one :class:`SizeScan` per (nvar, model)."""

    split: SusySplit
    sizes: list[int]
    repeats: int
    scans: dict[tuple[int, str], SizeScan]


def _scans(split: SusySplit, sizes: list[int], cfg: SimpleNamespace) -> dict:
    scans = {}
    for nvar in PAPER_SELECTIONS:
        cols = split.columns(nvar)
        for label in MODELS:
            scans[nvar, label] = size_scan(
                model_factory(label, nvar, cfg.dnn_epochs, cfg.dnn_patience),
                split.X_pool[:, cols],
                split.y_pool,
                split.X_test[:, cols],
                split.y_test,
                sizes,
                cfg.repeats,
                desc=f"{label}, {nvar} variables",
            )
    return scans


def classical_study(cfg: SimpleNamespace | None = None) -> ClassicalStudy:
    """The classical study for ``cfg`` (default: the active profile's ``susy_baselines``).

    The scans are computed once per build for the same data files, settings and code.
    """
    cfg = cfg or profiles.sizes("susy_baselines")
    split = susy_split(cfg.n_events, cfg.n_test)
    sizes = split.sizes(cfg.sizes)
    settings = {
        "cfg": {k: v for k, v in vars(cfg).items() if k != "all18_size"},
        "data": split.data.provenance.sha256,
        "sizes": sizes,
    }
    modules = (
        "qmlhep.studies.susy_baselines",
        "qmlhep.susy.bdt",
        "qmlhep.susy.dnn",
        "qmlhep.studies.size_scan",
    )
    scans = cached("susy_classical", settings, lambda: _scans(split, sizes, cfg), modules)
    return ClassicalStudy(split, sizes, cfg.repeats, scans)
