"""The event quantum autoencoder beside its twins and a larger classical autoencoder.

:func:`qae_study` trains, per seed, on its own random subset of the background training
pool, stops early on the same validation block, and scores the same test events (the
background test block and every signal event):

- ``quantum``: :class:`~qmlhep.bsm.event_qae.EventQAE` (the authors' circuit);
- ``product``: the same circuit without its CNOTs;
- ``twin``: the tied linear autoencoder with as many parameters
  (:func:`~qmlhep.bsm.dense_autoencoder.classical_twin`);
- ``cae``: a larger dense autoencoder (``cfg.cae_hidden``, ``cfg.cae_latent``).

The trivial reference, the scalar sum of the input transverse momenta, needs no
training. ``cfg.train_sizes`` repeats the quantum and the larger classical autoencoder at
other training sizes (the authors' "trains very efficiently").
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
from qmlhep.data.bsm_events import RANGES, BsmSplit, load_bsm_events, paper_split
from qmlhep.fitting.progress import bar
from qmlhep.stats import Estimate, mean_err
from qmlhep.tooling.results_cache import cached

MODELS = ("quantum", "product", "twin", "cae")
LABELS = {
    "quantum": "quantum autoencoder (CNOTs)",
    "product": "product twin (no CNOT)",
    "twin": "classical twin (tied linear AE)",
    "cae": "larger classical AE",
    "reference": "scalar sum of the pT",
}


def make_models(cfg: SimpleNamespace) -> dict:
    """``{name: unfitted estimator}`` for every model of :data:`MODELS`."""
    quantum = EventQAE(
        n_trash=cfg.n_trash, epochs=cfg.epochs, patience=cfg.patience, batch_size=cfg.batch_size
    )
    shared = {k: getattr(quantum, k) for k in ("epochs", "patience", "batch_size")}
    return {
        "quantum": quantum,
        "product": clone(quantum).set_params(entangler="none"),
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
    """Seed 0's anomaly scores of the test events per model (``-score_samples``), float32."""

    def estimate(self, model: str, n: int | None = None) -> Estimate:
        """Mean test AUC ± standard error over the seeds."""
        return mean_err(self.aucs[model] if n is None else self.sizes[model][n])


def _fit_scores(model, split: BsmSplit, n: int, seed: int, n_val: int) -> tuple[np.ndarray, object]:
    """Fit ``model`` on ``n`` pool events drawn with ``seed``; its anomaly scores of the
    test events (``-score_samples``, higher is more anomalous) and the fitted model."""
    rng = np.random.default_rng(seed)
    X = split.pool[rng.choice(len(split.pool), n, replace=False)]
    fitted = clone(model).set_params(random_state=seed).fit(X, validation=split.val[:n_val])
    return -fitted.score_samples(split.X_test), fitted


def qae_study(split: BsmSplit, cfg: SimpleNamespace, progress: bool = True) -> QAEStudy:
    """Every model of :data:`MODELS` over ``cfg.seeds`` seeds at ``cfg.n_train`` events."""
    models = make_models(cfg)
    aucs = {m: [] for m in MODELS}
    n_params, thetas, scores = {}, [], {}
    runs = [(m, s) for m in MODELS for s in range(cfg.seeds)]
    for name, seed in bar(runs, desc="autoencoders × seeds", enabled=progress):
        anomaly, fitted = _fit_scores(models[name], split, cfg.n_train, seed, cfg.n_val)
        aucs[name].append(roc_auc_score(split.y_test, anomaly))
        n_params[name] = fitted.n_params_
        if seed == 0:
            scores[name] = anomaly.astype(np.float32)
        if name == "quantum":
            thetas.append(fitted.theta_)
    sizes = {m: {} for m in ("quantum", "cae")}
    runs = [(m, n, s) for m in sizes for n in cfg.train_sizes for s in range(cfg.seeds)]
    for name, n, seed in bar(runs, desc="training sizes × seeds", enabled=progress):
        anomaly = _fit_scores(models[name], split, n, seed, cfg.n_val)[0]
        sizes[name].setdefault(n, []).append(roc_auc_score(split.y_test, anomaly))
    reference = roc_auc_score(split.y_test, sum_pt(split, split.X_test))
    return QAEStudy(cfg.n_train, aucs, n_params, float(reference), sizes, thetas, scores)


def bsm_qae(cfg: SimpleNamespace | None = None) -> tuple[BsmSplit, QAEStudy]:
    """The study for ``cfg`` (default: the profile's ``bsm_qae``) on the authors' split
    of the events and their four inputs, cached per build."""
    cfg = cfg or profiles.sizes("bsm_qae")
    events = load_bsm_events()
    split = paper_split(events)
    settings = {"cfg": vars(cfg), "data": [p.sha256 for p in events.provenance]}
    modules = (
        "qmlhep.studies.bsm_qae",
        "qmlhep.bsm.event_qae",
        "qmlhep.bsm.qae_circuit",
        "qmlhep.bsm.dense_autoencoder",
        "qmlhep.data.bsm_events",
    )
    return split, cached("bsm_qae", settings, lambda: qae_study(split, cfg), modules)
