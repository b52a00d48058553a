"""The event quantum autoencoder beside its twins and a larger classical autoencoder.

:func:`qae_study` trains, per seed, on its own random subset of the background training
pool, stops early on the same validation block, and scores the same test events (the
background test block and every signal event):

- ``quantum``: :class:`~qmlhep.bsm.event_qae.EventQAE` (the authors' circuit);
- ``product``: the same circuit without its CNOTs, reading out every qubit (without CNOTs
  the inputs of the latent qubits would otherwise change nothing);
- ``twin``: the tied linear autoencoder with as many parameters
  (:func:`~qmlhep.bsm.dense_autoencoder.classical_twin`);
- ``cae``: a larger dense autoencoder (``cfg.cae_hidden``, ``cfg.cae_latent``).

The trivial reference, the scalar sum of the input transverse momenta, needs no
training. Every seed's test scores of every model are kept (:attr:`QAEStudy.scores`), for
the paired comparisons of :func:`qmlhep.stats.compare`. Given a second split of the same
events that keeps the events beyond the authors' edges with clipped variables
(``paper_split(..., edges="clip")``, the same training and validation events), the same
fitted models also score its test events (:attr:`QAEStudy.clipped_scores`).
:mod:`qmlhep.studies.bsm_compare` turns the study into the chapter's comparisons.
``cfg.train_sizes`` repeats the quantum and the larger classical autoencoder at other
training sizes (the authors' "trains very efficiently").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
from sklearn.base import clone
from sklearn.metrics import roc_auc_score

from qmlhep import profiles
from qmlhep.bsm.dense_autoencoder import DenseAutoencoder, classical_twin
from qmlhep.bsm.event_qae import EventQAE
from qmlhep.data.bsm_events import (
    PAPER_FEATURES,
    RANGES,
    BsmSplit,
    load_bsm_events,
    paper_split,
)
from qmlhep.fitting.progress import bar
from qmlhep.stats import Estimate, mean_err, seeds_measure
from qmlhep.storage.results_cache import cached

MODELS = ("quantum", "product", "twin", "cae")
LABELS = {
    "quantum": "quantum autoencoder (CNOTs)",
    "product": "product twin (no CNOT)",
    "twin": "classical twin (tied linear AE)",
    "cae": "larger classical AE",
    "reference": "scalar sum of the pT",
}


def make_models(cfg: SimpleNamespace, n_inputs: int = len(PAPER_FEATURES)) -> dict:
    """``{name: unfitted estimator}`` for every model of :data:`MODELS`, for events of
    ``n_inputs`` variables (the product twin reads out all ``n_inputs`` qubits)."""
    quantum = EventQAE(
        n_trash=cfg.n_trash, max_iter=cfg.epochs, patience=cfg.patience, batch_size=cfg.batch_size
    )
    shared = {k: getattr(quantum, k) for k in ("max_iter", "patience", "batch_size")}
    return {
        "quantum": quantum,
        "product": clone(quantum).set_params(entangler="none", n_trash=n_inputs),
        "twin": classical_twin(quantum),
        "cae": DenseAutoencoder(hidden=tuple(cfg.cae_hidden), latent=cfg.cae_latent, **shared),
    }


def sum_pt(split: BsmSplit, X: np.ndarray) -> np.ndarray:
    """The trivial anomaly score: the sum of the input variables in GeV (angles undone)."""
    edges = np.array([RANGES[f] for f in split.features])
    return X @ edges / np.pi


@dataclass
class QAEStudy:
    """Test AUCs per model and seed at ``n_train``; ``sizes[model][n]``: AUCs per seed."""

    n_train: int
    aucs: dict[str, list[float]]
    n_params: dict[str, int]
    reference: float
    sizes: dict[str, dict[int, list[float]]] = field(default_factory=dict)
    thetas: list[np.ndarray] = field(default_factory=list)
    """The quantum autoencoder's trained angles, one ``(1, n)`` array per seed."""
    scores: dict[str, np.ndarray] = field(default_factory=dict)
    """Anomaly scores of the test events (higher: more anomalous), ``(seeds, N)`` float32
    per model of :data:`MODELS` (``-score_samples``, row ``i``: seed ``i``) and ``(1, N)``
    for the ``"reference"`` (no training)."""
    clipped_scores: dict[str, np.ndarray] = field(default_factory=dict)
    """The same for the test events of the split with clipped edges (empty without it)."""
    same_training_events: bool = False
    """Whether every seed trained on the same events (here not: each draws its own)."""

    def estimate(self, model: str, n: int | None = None) -> Estimate:
        """Mean test AUC ± standard error over the seeds."""
        return mean_err(self.aucs[model] if n is None else self.sizes[model][n])

    @property
    def seeds(self) -> str:
        """What the spread over seeds measures (:func:`qmlhep.stats.seeds_measure`)."""
        return seeds_measure(self.same_training_events)


def _fit_scores(model, split: BsmSplit, n: int, seed: int, n_val: int) -> tuple[np.ndarray, object]:
    """Fit ``model`` on ``n`` pool events drawn with ``seed``; its anomaly scores of the
    test events (``-score_samples``, higher is more anomalous) and the fitted model."""
    rng = np.random.default_rng(seed)
    X = split.pool[rng.choice(len(split.pool), n, replace=False)]
    fitted = clone(model).set_params(random_state=seed).fit(X, validation=split.val[:n_val])
    return -fitted.score_samples(split.X_test), fitted


def _same_training(split: BsmSplit, other: BsmSplit) -> None:
    """Refuse a second split whose training or validation events differ from ``split``'s
    (its models would need training of their own)."""
    same = all(
        getattr(split, b).shape == getattr(other, b).shape
        and np.array_equal(getattr(split, b), getattr(other, b))
        for b in ("pool", "val")
    )
    if not same or split.features != other.features:
        raise ValueError(
            "qae_study: the clipped split must have the same training pool, validation "
            f"events and inputs as the study's split (background beyond the edges: "
            f"{split.dropped['background']} dropped, {other.clipped['background']} clipped); "
            "its models would have to be trained anew."
        )


def qae_study(
    split: BsmSplit,
    cfg: SimpleNamespace,
    progress: bool = True,
    clipped: BsmSplit | None = None,
) -> QAEStudy:
    """Every model of :data:`MODELS` over ``cfg.seeds`` seeds at ``cfg.n_train`` events,
    every seed's test scores kept; ``clipped``: a split of the same training events whose
    test events the fitted models score too (:attr:`QAEStudy.clipped_scores`)."""
    if clipped is not None:
        _same_training(split, clipped)
    models = make_models(cfg, split.pool.shape[1])
    aucs = {m: [] for m in MODELS}
    n_params, thetas = {}, []
    scores = {m: [] for m in MODELS}
    kept = {m: [] for m in MODELS}
    runs = [(m, s) for m in MODELS for s in range(cfg.seeds)]
    for name, seed in bar(runs, desc="autoencoders × seeds", enabled=progress):
        anomaly, fitted = _fit_scores(models[name], split, cfg.n_train, seed, cfg.n_val)
        aucs[name].append(roc_auc_score(split.y_test, anomaly))
        n_params[name] = fitted.n_params_
        scores[name].append(anomaly.astype(np.float32))
        if clipped is not None:
            kept[name].append((-fitted.score_samples(clipped.X_test)).astype(np.float32))
        if name == "quantum":
            thetas.append(fitted.theta_)
    sizes = {m: {} for m in ("quantum", "cae")}
    runs = [(m, n, s) for m in sizes for n in cfg.train_sizes for s in range(cfg.seeds)]
    for name, n, seed in bar(runs, desc="training sizes × seeds", enabled=progress):
        anomaly = _fit_scores(models[name], split, n, seed, cfg.n_val)[0]
        sizes[name].setdefault(n, []).append(roc_auc_score(split.y_test, anomaly))
    reference = sum_pt(split, split.X_test)
    stacked = {m: np.stack(v) for m, v in scores.items()}
    stacked["reference"] = reference[None].astype(np.float32)
    clipped_scores = {}
    if clipped is not None:
        clipped_scores = {m: np.stack(v) for m, v in kept.items()}
        clipped_scores["reference"] = sum_pt(clipped, clipped.X_test)[None].astype(np.float32)
    return QAEStudy(
        cfg.n_train,
        aucs,
        n_params,
        float(roc_auc_score(split.y_test, reference)),
        sizes,
        thetas,
        stacked,
        clipped_scores,
        same_training_events=False,  # every seed draws its own training events
    )


def bsm_qae(cfg: SimpleNamespace | None = None) -> tuple[BsmSplit, BsmSplit, QAEStudy]:
    """The study for ``cfg`` (default: the profile's ``bsm_qae``) on the authors' split
    of the events and their four inputs, cached per build; ``(split, clipped, study)``:
    ``clipped`` keeps the events beyond the authors' edges (clipped), scored by the same
    fitted models."""
    cfg = cfg or profiles.sizes("bsm_qae")
    events = load_bsm_events()
    split = paper_split(events)
    clipped = paper_split(events, edges="clip")
    settings = {"cfg": vars(cfg), "data": [p.sha256 for p in events.provenance]}
    modules = (
        "qmlhep.studies.bsm_qae",
        "qmlhep.bsm.event_qae",
        "qmlhep.bsm.qae_circuit",
        "qmlhep.bsm.dense_autoencoder",
        "qmlhep.data.bsm_events",
    )
    study = cached("bsm_qae", settings, lambda: qae_study(split, cfg, clipped=clipped), modules)
    return split, clipped, study
