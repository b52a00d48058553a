"""Training and scoring of the hybrid autoencoder and its ablations (one call per model).

:func:`train_hybrid` builds a model with :func:`~qmlhep.jets.hybrid_autoencoder.hybrid_autoencoder`,
trains it on quark jets with the book's autoencoder loop (AdamW, binary cross-entropy,
early stopping on the validation loss, best weights kept) and scores the test jets by
their reconstruction loss: gluon jets are the anomaly. The decoder starts at the seed's
average training jet (see :mod:`qmlhep.jets.hybrid_autoencoder`), and every run says how
far its reconstructions are from its reconstruction of that mean jet
(:func:`qmlhep.jets.collapse.recon_vs_mean`).

Where the split's training pool is larger than ``n_train``, seed ``s`` trains on its own
``n_train`` jets drawn from the pool with ``s``; :func:`same_training_events` says whether
the runs did.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from qmlhep.data.splits import JetAnomalyData
from qmlhep.fitting.autoencoder_training import reconstruct, train_autoencoder
from qmlhep.fitting.early_stopping import kept_epoch
from qmlhep.fitting.keras_loop import seed_everything
from qmlhep.fitting.progress import bar
from qmlhep.jets import stopping
from qmlhep.jets.anomaly_scores import anomaly_auc, bce_per_image, intensity_score
from qmlhep.jets.collapse import MeanCheck, distances_to_mean
from qmlhep.jets.hybrid_autoencoder import hybrid_autoencoder
from qmlhep.stats import Difference, mean_err, seeds_measure
from qmlhep.storage.kept_runs import code_digest, thin
from qmlhep.studies.twins import comparison_table

MODULES = (
    "qmlhep.studies.hybrid",
    "qmlhep.studies.twins",
    "qmlhep.jets.hybrid_autoencoder",
    "qmlhep.simulation.keras_layer",
    "qmlhep.simulation.patch_circuit",
    "qmlhep.simulation.patch_simulator",
    "qmlhep.fitting.autoencoder_training",
    "qmlhep.fitting.keras_loop",
    "qmlhep.jets.anomaly_scores",
    "qmlhep.jets.collapse",
    "qmlhep.jets.stopping",
    "qmlhep.data.qg_jets",
    "qmlhep.data.labelled",
    "qmlhep.data.jet_observables",
    "qmlhep.data.jet_images",
    "qmlhep.data.splits",
    "qmlhep.stats",
)
"""The code that computes the hybrid's numbers (the loader, the images, the split, the
model, its engine, the training loop and its stopping rule, the scores and the paired
comparisons): its digest is kept with a converged run."""

LABELS = {
    "quantum": "hybrid (quantum layer)",
    "product": "product twin (no CNOT)",
    "classical": "classical twin",
    "reference": "total intensity",
}
"""The label of each model (and of the intensity reference) in tables and sentences."""


@dataclass
class HybridRun:
    """One trained model: ``history`` has ``loss``, ``val_loss`` and ``seconds`` per epoch;
    ``scores`` the test jets' per-image binary cross-entropy (the anomaly score)."""

    model: object
    history: pd.DataFrame
    scores: np.ndarray
    auc: float
    max_epochs: int = 0
    train_idx: np.ndarray | None = None
    """Positions in the split's training pool (``data.train``) of the jets this run fitted."""
    mean_image: np.ndarray | None = None
    """The average of those jets (the decoder's start and the collapse check's reference)."""
    vs_mean: MeanCheck | None = None
    """Test jets' median distance to the mean-jet reconstruction (collapsed below 1e-3)."""
    min_improvement: float = 0.0
    """The early-stopping tolerance it trained with (which epoch's weights were kept)."""

    @property
    def epochs_run(self) -> int:
        return len(self.history)

    @property
    def stopped_early(self) -> bool:
        return stopping.stopped_early(self.epochs_run, self.max_epochs)

    @property
    def n_params(self) -> int:
        return int(self.model.count_params())

    @property
    def best_epoch(self) -> int:
        """The epoch whose weights were kept (1-based): the last that improved the
        validation loss by more than ``min_improvement`` (:func:`kept_epoch`)."""
        return kept_epoch(self.history.val_loss, self.min_improvement)

    @property
    def s_per_epoch(self) -> float:
        """Mean wall time of an epoch in seconds, without the first (it compiles)."""
        seconds = self.history.seconds
        return float(seconds.iloc[1:].mean() if len(seconds) > 1 else seconds.iloc[0])


def train_hybrid(
    data: JetAnomalyData,
    latent: str = "quantum",
    seed: int = 0,
    epochs: int = 30,
    patience: int = 5,
    batch_size: int = 64,
    learning_rate: float = 3e-3,
    desc: str | None = None,
    n_train: int | None = None,
    mean_start: bool = True,
    min_improvement: float = 0.0,
    **model_kw,
) -> HybridRun:
    """Train one hybrid (``latent="quantum"``) or classical-twin model on ``data``'s 12×12
    quark jets (``data.train``/``data.val``) and score ``data.test``.

    ``n_train``: train on that many jets drawn from ``data.train`` with ``seed`` (None, or
    at least the pool: the whole pool, the same jets for every seed). ``mean_start``: the
    decoder starts at the average training jet (False: a zero bias, which collapses).
    ``min_improvement``: the relative tolerance of early stopping (0: any decrease of the
    validation loss counts as an improvement).

    ``model_kw`` go to :func:`~qmlhep.jets.hybrid_autoencoder.hybrid_autoencoder` (``patch``,
    ``stride``, ``reupload_layers``, ``entangler``).
    """
    if data.train.shape[1:] != (12, 12):
        raise ValueError(
            f"the hybrid autoencoder takes 12×12 images, got {data.train.shape[1:]}; "
            "make the split with quark_gluon_images(..., sizes=(12,))."
        )
    pool = data.train
    idx = training_draw(len(pool), n_train, seed)
    train = pool[idx]
    mean_image = train.mean(axis=0)
    seed_everything(seed)
    model = hybrid_autoencoder(latent, mean_image=mean_image if mean_start else None, **model_kw)
    history = train_autoencoder(
        model,
        train,
        data.val,
        epochs=epochs,
        batch_size=batch_size,
        patience=patience,
        learning_rate=learning_rate,
        seed=seed,
        desc=desc or f"{latent}, seed {seed}",
        min_improvement=min_improvement,
    )
    test = data.test
    rebuilt = reconstruct(model, test)
    scores = bce_per_image(test, rebuilt)
    mean_rebuilt = reconstruct(model, mean_image[None])[0]
    vs_mean = MeanCheck(float(np.median(distances_to_mean(test, rebuilt, mean_rebuilt))))
    return HybridRun(
        model,
        pd.DataFrame(history),
        scores,
        anomaly_auc(scores, data.is_gluon),
        max_epochs=epochs,
        train_idx=idx,
        mean_image=mean_image,
        vs_mean=vs_mean,
        min_improvement=min_improvement,
    )


def training_draw(pool: int, n_train: int | None, seed: int) -> np.ndarray:
    """Positions of the training jets of seed ``seed``: ``n_train`` of ``pool`` drawn with the
    seed, or every one (sorted) when ``n_train`` is None or at least ``pool``."""
    if n_train is None or n_train >= pool:
        return np.arange(pool)
    if n_train < 1:
        raise ValueError(f"n_train must be positive, got {n_train}.")
    return np.sort(np.random.default_rng(seed).choice(pool, n_train, replace=False))


def same_training_events(runs) -> bool:
    """True when every run of ``runs`` (HybridRuns) fitted the same training jets."""
    sets = [tuple(np.asarray(r.train_idx).tolist()) for r in runs]
    return len(set(sets)) <= 1


def variant_settings(cfg, n_train: int) -> dict[str, dict]:
    """The training settings of the hybrid and its two twins from a profile's sizes
    ``cfg``: the hybrid and its product twin for at most ``cfg.epochs`` epochs with patience
    ``cfg.patience``; the classical twin (about a second per hundred epochs) until early
    stopping with patience ``cfg.twin_patience`` (``cfg.twin_epochs`` only a safety cap).
    All three stop on the same rule: an improvement is a fall of the validation loss by more
    than ``cfg.min_improvement`` of its best value."""
    settings = dict(
        epochs=cfg.epochs,
        patience=cfg.patience,
        batch_size=cfg.batch_size,
        learning_rate=cfg.learning_rate,
        n_train=n_train,
        min_improvement=cfg.min_improvement,
    )
    twin = dict(settings, epochs=cfg.twin_epochs, patience=cfg.twin_patience)
    return {
        "quantum": dict(latent="quantum", **settings),
        "product": dict(latent="quantum", entangler="none", **settings),
        "classical": dict(latent="classical", **twin),
    }


def train_variants(data: JetAnomalyData, cfg, n_train: int) -> dict[str, dict[int, HybridRun]]:
    """The hybrid, its product twin and its classical twin, ``cfg.seeds`` seeds each, on
    the same data with the same seeds: ``{"quantum"|"product"|"classical": {seed: run}}``."""
    return {
        name: {
            seed: train_hybrid(data, seed=seed, desc=f"{name}, seed {seed}", **kw)
            for seed in bar(range(cfg.seeds), desc=f"{name} seeds")
        }
        for name, kw in variant_settings(cfg, n_train).items()
    }


def compare_variants(
    data: JetAnomalyData, runs: dict[str, dict[int, HybridRun]]
) -> tuple[object, dict[str, Difference]]:
    """The comparison table and the paired differences (hybrid minus each twin and minus
    the total-intensity reference) on the same test jets, Holm-corrected over the three."""
    seeds = seeds_measure(
        same_training_events=same_training_events(
            [run for by_seed in runs.values() for run in by_seed.values()]
        )
    )
    scores = {
        LABELS[name]: np.stack([run.scores for run in by_seed.values()])
        for name, by_seed in runs.items()
    }
    scores[LABELS["reference"]] = intensity_score(data.test)  # deterministic: one row
    n_params = {LABELS[name]: by_seed[0].n_params for name, by_seed in runs.items()}
    return comparison_table(
        data.is_gluon,
        scores,
        {**n_params, LABELS["reference"]: 0},
        quantum=LABELS["quantum"],
        seeds=seeds,
    )


def kept_record(
    data: JetAnomalyData,
    runs: dict[str, dict[int, HybridRun]],
    cfg,
    *,
    provenance: dict,
) -> dict:
    """What a converged run keeps (:mod:`qmlhep.storage.kept_runs`): per model and seed the
    AUC, epochs run, best epoch, whether it stopped early, its distance from the mean jet
    and its thinned training curves; the paired differences; the sizes and the data.
    ``provenance``: commit, machine, wall time and date, from the harness that ran it (a
    ``code_digest`` there, taken when the run started, wins over today's)."""
    _, diffs = compare_variants(data, runs)
    models = {}
    numbers = {}
    for name, by_seed in runs.items():
        seeds = list(by_seed.values())
        models[name] = {
            "label": LABELS[name],
            "n_params": seeds[0].n_params,
            "max_epochs": seeds[0].max_epochs,
            "auc": [r.auc for r in seeds],
            "epochs_run": [r.epochs_run for r in seeds],
            "best_epoch": [r.best_epoch for r in seeds],
            "stopped_early": [bool(r.stopped_early) for r in seeds],
            "recon_vs_mean": [r.vs_mean.median for r in seeds],
            "s_per_epoch": [r.s_per_epoch for r in seeds],
            "curves": [_curve(r.history, r.best_epoch) for r in seeds],
            "train_s": [float(r.history.seconds.sum()) for r in seeds],
        }
        auc = mean_err(models[name]["auc"])
        numbers[f"auc.{name}"] = {"value": auc.mean, "err": auc.err}
        vs = mean_err(models[name]["recon_vs_mean"])
        numbers[f"recon_vs_mean.{name}"] = {"value": vs.mean, "err": vs.err}
    ref = {
        "product": LABELS["product"],
        "twin": LABELS["classical"],
        "reference": LABELS["reference"],
    }
    for role, label in ref.items():
        d = diffs[label]
        numbers[f"delta.{role}"] = {"value": d.value, "err": d.err, "detail": d.detail()}
    return {
        "name": "hybrid",
        "chapter": "quantum/hybrid",
        "numbers": numbers,
        "models": models,
        "provenance": {
            "code_digest": code_digest(MODULES),
            **provenance,
            "modules": list(MODULES),
            "train_s": round(sum(sum(m["train_s"]) for m in models.values()), 1),
            "data": {
                "dataset": data.provenance.dataset,
                "variant": data.provenance.variant,
                "files": [str(f).rsplit("/", 1)[-1] for f in data.provenance.files],
                "sha256": list(data.provenance.sha256),
                "rows": data.provenance.rows,
            },
            "sizes": {k: v for k, v in vars(cfg).items()},
            "n_train": int(len(next(iter(runs["quantum"].values())).train_idx)),
            "n_val": len(data.val),
            "n_test": len(data.test),
            "n_test_gluon": int(np.sum(data.is_gluon)),
        },
    }


def _curve(history: pd.DataFrame, best_epoch: int) -> dict[str, list]:
    """The loss curves of one run, thinned to at most 60 epochs (the kept epoch kept)."""
    keep = thin(history.val_loss.to_numpy(), keep=best_epoch - 1)
    return {
        "epoch": [i + 1 for i in keep],
        "loss": [float(history.loss.iloc[i]) for i in keep],
        "val_loss": [float(history.val_loss.iloc[i]) for i in keep],
    }
