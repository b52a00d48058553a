"""Anomaly scores for autoencoders, and the AUC of tagging the anomalous class.

An autoencoder trained on "normal" images reconstructs them well; a large difference
between an image and its reconstruction flags an anomaly. Two ways to measure it:
the per-image binary cross-entropy (the training loss), and the energy mover's distance
(Komiske, Metodiev, Thaler 2019), which charges for *moving* intensity rather than for
mismatched pixels, so a reconstruction shifted by one pixel costs little.
"""

from __future__ import annotations

import numpy as np
import ot
from sklearn.metrics import roc_auc_score

from qmlhep.fitting.progress import bar


def bce_per_image(X: np.ndarray, X_rec: np.ndarray, eps: float = 1e-7) -> np.ndarray:
    """(n,) mean binary cross-entropy between images and reconstructions (values in [0, 1])."""
    p = np.clip(X_rec, eps, 1 - eps)
    ce = -(X * np.log(p) + (1 - X) * np.log(1 - p))
    return ce.reshape(len(X), -1).mean(axis=1)


def pixel_distances(size: int, pixel: float = 1.0) -> np.ndarray:
    """(size², size²) Euclidean distances between pixel centres, in units of ``pixel``."""
    yy, xx = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    centres = np.stack([yy.ravel(), xx.ravel()], axis=1) * pixel
    return np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(-1))


def emd(a: np.ndarray, b: np.ndarray, distances: np.ndarray, R: float = 1.0) -> float:
    """Energy mover's distance between two images of intensities ``a`` and ``b``.

    EMD = min_f sum_ij f_ij d_ij / R + |sum a - sum b|, with the flow f moving
    min(sum a, sum b) of intensity (partial optimal transport, solved exactly by POT's
    :func:`ot.partial.partial_wasserstein2`).
    """
    a, b = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    sa, sb = a.sum(), b.sum()
    if min(sa, sb) <= 0:
        return float(abs(sa - sb))
    moved = ot.partial.partial_wasserstein2(a, b, distances / R, m=min(sa, sb))
    return float(moved) + float(abs(sa - sb))


def emd_per_image(
    X: np.ndarray, X_rec: np.ndarray, pixel: float = 1.0, R: float = 1.0, progress: bool = True
) -> np.ndarray:
    """(n,) EMD between each image and its reconstruction (square images)."""
    d = pixel_distances(X.shape[1], pixel)
    return np.array(
        [emd(a, b, d, R) for a, b in zip(bar(X, desc="EMD", enabled=progress), X_rec, strict=True)]
    )


def anomaly_auc(score: np.ndarray, is_anomaly: np.ndarray) -> float:
    """AUC of tagging ``is_anomaly`` (1 = anomalous) by a higher ``score``."""
    return float(roc_auc_score(is_anomaly, score))


def intensity_score(X: np.ndarray) -> np.ndarray:
    """(n,) the trivial anomaly score: the cross-entropy of an all-zero reconstruction,
    proportional to an image's total intensity (higher: more anomalous, like a loss)."""
    return bce_per_image(X, np.zeros_like(X))


def empty_reconstruction_auc(X: np.ndarray, is_anomaly: np.ndarray) -> float:
    """AUC of the trivial score :func:`intensity_score`.

    That loss is proportional to an image's total intensity, so this is the floor an
    autoencoder must beat to have learned anything beyond how bright an image is.
    """
    return anomaly_auc(intensity_score(X), is_anomaly)


def mean_image_auc(X_train: np.ndarray, X: np.ndarray, is_anomaly: np.ndarray) -> float:
    """AUC of the cross-entropy against the *average training image*, the same
    reconstruction for every input: what an autoencoder scores if it has learned the
    typical normal jet but nothing about the jet in front of it."""
    average = np.broadcast_to(np.asarray(X_train).mean(axis=0), np.shape(X))
    return anomaly_auc(bce_per_image(X, average), is_anomaly)
