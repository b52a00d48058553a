"""The re-uploading classifier on SUSY events beside its twins, as one cached call.

:func:`twin_study` trains, on the same stratified training subsets of the SUSY pool and
scores on the same fixed test set as the classical chapter:

- ``quantum``: :class:`~qmlhep.susy.reuploading_events.ReuploadingEventClassifier`,
  reading the mean ``⟨Z⟩`` of all its qubits (:data:`READOUT`);
- ``product``: the same circuit with every entangling gate removed, with the same readout
  (so every qubit, and every parameter, reaches the output);
- ``twin``: the parameter-matched DNN (:func:`~qmlhep.susy.reuploading_events.classical_twin`);
- ``linear``: logistic regression on the standardised variables (the trivial reference).

Each model runs through :func:`qmlhep.studies.size_scan.size_scan` at one training size,
one fit per seed; every run's test scores are kept (:meth:`TwinStudy.scores`), so the
chapter compares the models pairwise on the same test events
(:func:`qmlhep.studies.twins.comparison_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
from sklearn.base import clone

from qmlhep import profiles
from qmlhep.data.splits import identical_subsets
from qmlhep.stats import Estimate
from qmlhep.storage.results_cache import cached
from qmlhep.studies.size_scan import SizeScan, size_scan
from qmlhep.studies.susy_baselines import SusySplit, susy_split
from qmlhep.studies.twins import linear_reference, n_params_linear
from qmlhep.susy.reuploading_events import ReuploadingEventClassifier, classical_twin

MODELS = ("quantum", "product", "twin", "linear")
READOUT = "mean"
"""The readout of the circuit and of its product twin: ``(1 - mean_q ⟨Z_q⟩) / 2``."""
LABELS = {
    "quantum": "re-uploading (CZ)",
    "product": "product twin (no entangler)",
    "twin": "classical twin (DNN)",
    "linear": "logistic regression",
}


def make_models(quantum: ReuploadingEventClassifier, n_inputs: int) -> dict:
    """``{name: make_model(size, seed)}`` for every model of :data:`MODELS`."""

    def seeded(template):
        return lambda n, seed: clone(template).set_params(random_state=seed)

    return {
        "quantum": seeded(quantum),
        "product": seeded(clone(quantum).set_params(entangler="none")),
        "twin": seeded(classical_twin(quantum, n_inputs)),
        "linear": lambda n, seed: linear_reference(random_state=seed),
    }


@dataclass
class TwinStudy:
    """One :class:`SizeScan` per model at ``n_train`` events; ``n_params`` per model."""

    n_train: int
    scans: dict[str, SizeScan]
    n_params: dict[str, int]
    same_training_events: bool = False
    """Every seed trained on the same events (the training size took the whole pool)."""

    def estimate(self, model: str) -> Estimate:
        """Mean test AUC ± standard error over the seeds."""
        return self.scans[model].estimate(self.n_train)

    def scores(self, model: str) -> np.ndarray:
        """The test scores of every seed, ``(seeds, N)`` (the same test events for all)."""
        return self.scans[model].test_scores(self.n_train)

    @property
    def y_test(self) -> np.ndarray:
        return self.scans[MODELS[0]].y_test


def _n_params(model) -> int:
    """Trained parameters of a fitted model (a Keras-backed one, or the linear pipeline)."""
    if hasattr(model, "n_params_"):
        return model.n_params_
    return n_params_linear(model.n_features_in_)


def twin_study(
    split: SusySplit, columns: list[int], cfg: SimpleNamespace, progress: bool = True
) -> TwinStudy:
    """Every model of :data:`MODELS` on ``split`` restricted to ``columns``.

    ``cfg``: ``n_train``, ``seeds``, ``n_qubits``, ``layers``, ``epochs``, ``patience``.
    """
    n_train = min(cfg.n_train, len(split.y_pool))
    quantum = ReuploadingEventClassifier(
        n_qubits=cfg.n_qubits,
        layers=cfg.layers,
        max_iter=cfg.epochs,
        patience=cfg.patience,
        readout=READOUT,
    )
    makers = make_models(quantum, len(columns))
    scans = {
        name: size_scan(
            make,
            split.X_pool[:, columns],
            split.y_pool,
            split.X_test[:, columns],
            split.y_test,
            [n_train],
            cfg.seeds,
            desc=LABELS[name],
            progress=progress,
            keep_models=True,
        )
        for name, make in makers.items()
    }
    n_params = {}
    for name, scan in scans.items():
        n_params[name] = _n_params(scan.models[n_train, 0])
        scan.models.clear()  # the study is cached: keep numbers, not networks
    same = identical_subsets(split.X_pool[:, columns], split.y_pool, n_train, cfg.seeds)
    return TwinStudy(n_train, scans, n_params, same)


def reupload_susy(cfg: SimpleNamespace | None = None) -> tuple[SusySplit, TwinStudy]:
    """The study for ``cfg`` (default: the profile's ``reupload_susy``), on the split of
    the classical chapter (the ``susy_baselines`` profile's events and test set), cached
    per build."""
    cfg = cfg or profiles.sizes("reupload_susy")
    base = profiles.sizes("susy_baselines")
    split = susy_split(base.n_events, base.n_test)
    columns = split.columns(cfg.nvar)
    settings = {
        "cfg": vars(cfg),
        "data": split.data.provenance.sha256,
        "split": (base.n_events, base.n_test),
    }
    modules = (
        "qmlhep.studies.reupload_susy",
        "qmlhep.susy.reuploading_events",
        "qmlhep.simulation.feature_circuit",
        "qmlhep.susy.dnn",
        "qmlhep.studies.size_scan",
    )
    study = cached("reupload_susy", settings, lambda: twin_study(split, columns, cfg), modules)
    return split, study
