"""The autoencoder anomaly-tagging study of the classical chapter as one call.

:func:`cae_tagging` trains the 12×12 and the 40×40 convolutional autoencoders on the
quark jets of a :class:`~qmlhep.jets.anomaly_scores.JetAnomalyData` split and scores gluon jets as
the anomaly, and trains the 40×40 network on gluons to tag quarks (the reverse
direction). The generator chapter uses it to repeat the study on jets with all their
constituents.
"""

from __future__ import annotations

import numpy as np

from qmlhep.data.splits import JetAnomalyData, anomaly_split
from qmlhep.fitting.autoencoder_training import reconstruct, train_autoencoder
from qmlhep.fitting.keras_loop import seed_everything
from qmlhep.jets.anomaly_scores import anomaly_auc, bce_per_image
from qmlhep.jets.conv_autoencoder import conv_autoencoder_12, conv_autoencoder_40


def _auc(model, X_train, X_val, X_test, is_anomaly, epochs, batch_size, patience, desc):

    train_autoencoder(
        model, X_train, X_val, epochs=epochs, batch_size=batch_size, patience=patience, desc=desc
    )
    return anomaly_auc(bce_per_image(X_test, reconstruct(model, X_test)), is_anomaly)


def cae_tagging(
    data: JetAnomalyData,
    epochs12: int,
    epochs40: int,
    batch_size: int,
    patience: int,
    seed: int = 0,
) -> dict[str, float]:
    """AUCs ``{"cae12.q_vs_g", "cae40.q_vs_g", "cae40.g_vs_q"}`` on ``data`` (sizes 12, 40)."""

    seed_everything(seed)
    out = {
        "cae12.q_vs_g": _auc(
            conv_autoencoder_12(latent=8),
            *data.split(12),
            data.is_gluon,
            epochs12,
            batch_size,
            patience,
            "12x12 on quarks",
        ),
        "cae40.q_vs_g": _auc(
            conv_autoencoder_40(latent=32),
            *data.split(40),
            data.is_gluon,
            epochs40,
            batch_size,
            patience,
            "40x40 on quarks",
        ),
    }
    tr, va, te, is_quark = anomaly_split(
        np.arange(len(data.jets)),
        data.jets.y,
        normal_label=0,
        n_train=len(data.train_idx),
        n_val=len(data.val_idx),
        n_test=len(data.test_idx),
        seed=seed,
    )
    images = data.images[40]
    out["cae40.g_vs_q"] = _auc(
        conv_autoencoder_40(latent=32),
        images[tr],
        images[va],
        images[te],
        is_quark,
        epochs40,
        batch_size,
        patience,
        "40x40 on gluons",
    )
    return out
