"""Training and scoring of the hybrid autoencoder and its ablations (one call per model).

:func:`train_hybrid` builds a model with :func:`~qmlhep.jets.hybrid_autoencoder.hybrid_autoencoder`,
trains it on quark jets with the book's autoencoder loop (AdamW, binary cross-entropy,
early stopping on the validation loss, best weights kept) and scores the test jets by
their reconstruction loss: gluon jets are the anomaly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from qmlhep.data.splits import JetAnomalyData
from qmlhep.jets.anomaly_scores import anomaly_auc, bce_per_image


@dataclass
class HybridRun:
    """One trained model: ``history`` has ``loss``, ``val_loss`` and ``seconds`` per epoch;
    ``scores`` the test jets' per-image binary cross-entropy (the anomaly score)."""

    model: object
    history: pd.DataFrame
    scores: np.ndarray
    auc: float

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
    **model_kw,
) -> HybridRun:
    """Train one hybrid (``latent="quantum"``) or classical-twin model on ``data``'s 12×12
    quark jets (``data.train``/``data.val``) and score ``data.test``.

    ``model_kw`` go to :func:`~qmlhep.jets.hybrid_autoencoder.hybrid_autoencoder` (``patch``,
    ``stride``, ``reupload_layers``, ``entangler``).
    """
    from qmlhep.fitting.keras_loop import seed_everything
    from qmlhep.jets.conv_autoencoder import reconstruct, train_autoencoder
    from qmlhep.jets.hybrid_autoencoder import hybrid_autoencoder

    if data.train.shape[1:] != (12, 12):
        raise ValueError(
            f"the hybrid autoencoder takes 12×12 images, got {data.train.shape[1:]}; "
            "make the split with quark_gluon_images(..., sizes=(12,))."
        )
    seed_everything(seed)
    model = hybrid_autoencoder(latent, **model_kw)
    history = train_autoencoder(
        model,
        data.train,
        data.val,
        epochs=epochs,
        batch_size=batch_size,
        patience=patience,
        learning_rate=learning_rate,
        seed=seed,
        desc=desc or f"{latent}, seed {seed}",
    )
    scores = bce_per_image(data.test, reconstruct(model, data.test))
    return HybridRun(model, pd.DataFrame(history), scores, anomaly_auc(scores, data.is_gluon))
