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
from qmlhep.jets.anomaly_scores import anomaly_auc, bce_per_image
from qmlhep.jets.collapse import MeanCheck


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

    @property
    def epochs_run(self) -> int:
        return len(self.history)

    @property
    def stopped_early(self) -> bool:
        from qmlhep.jets.stopping import stopped_early

        return stopped_early(self.epochs_run, self.max_epochs)

    @property
    def n_params(self) -> int:
        return int(self.model.count_params())

    @property
    def best_epoch(self) -> int:
        """Epochs until the lowest validation loss (the weights that were kept)."""
        return int(self.history.val_loss.idxmin()) + 1

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
    **model_kw,
) -> HybridRun:
    """Train one hybrid (``latent="quantum"``) or classical-twin model on ``data``'s 12×12
    quark jets (``data.train``/``data.val``) and score ``data.test``.

    ``n_train``: train on that many jets drawn from ``data.train`` with ``seed`` (None, or
    at least the pool: the whole pool, the same jets for every seed). ``mean_start``: the
    decoder starts at the average training jet (False: a zero bias, which collapses).

    ``model_kw`` go to :func:`~qmlhep.jets.hybrid_autoencoder.hybrid_autoencoder` (``patch``,
    ``stride``, ``reupload_layers``, ``entangler``).
    """
    from qmlhep.fitting.autoencoder_training import reconstruct, train_autoencoder
    from qmlhep.fitting.keras_loop import seed_everything
    from qmlhep.jets.collapse import distances_to_mean
    from qmlhep.jets.hybrid_autoencoder import hybrid_autoencoder

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
