"""Anomaly scores for autoencoders, and the AUC of tagging the anomalous class.

An autoencoder trained on "normal" images reconstructs them well; a large difference
between an image and its reconstruction flags an anomaly. Two ways to measure it:
the per-image binary cross-entropy (the training loss), and the energy mover's distance
(Komiske, Metodiev, Thaler 2019), which charges for *moving* intensity rather than for
mismatched pixels, so a reconstruction shifted by one pixel costs little.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import ot
from sklearn.metrics import roc_auc_score

from qmlhep.progress import bar


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


def emd_per_image(X: np.ndarray, X_rec: np.ndarray, pixel: float = 1.0, R: float = 1.0,
                  progress: bool = True) -> np.ndarray:
    """(n,) EMD between each image and its reconstruction (square images)."""
    d = pixel_distances(X.shape[1], pixel)
    return np.array([emd(a, b, d, R) for a, b in
                     zip(bar(X, desc="EMD", enabled=progress), X_rec)])


def anomaly_auc(score: np.ndarray, is_anomaly: np.ndarray) -> float:
    """AUC of tagging ``is_anomaly`` (1 = anomalous) by a higher ``score``."""
    return float(roc_auc_score(is_anomaly, score))


def empty_reconstruction_auc(X: np.ndarray, is_anomaly: np.ndarray) -> float:
    """AUC of the trivial score: the cross-entropy of an all-zero reconstruction.

    That loss is proportional to an image's total intensity, so this is the floor an
    autoencoder must beat to have learned anything beyond how bright an image is.
    """
    return anomaly_auc(bce_per_image(X, np.zeros_like(X)), is_anomaly)


def mean_image_auc(X_train: np.ndarray, X: np.ndarray, is_anomaly: np.ndarray) -> float:
    """AUC of the cross-entropy against the *average training image*, the same
    reconstruction for every input: what an autoencoder scores if it has learned the
    typical normal jet but nothing about the jet in front of it."""
    average = np.broadcast_to(np.asarray(X_train).mean(axis=0), np.shape(X))
    return anomaly_auc(bce_per_image(X, average), is_anomaly)


def anomaly_split(X: np.ndarray, y: np.ndarray, normal_label: int, n_train: int | None,
                  n_val: int, n_test: int, seed: int = 0):
    """Split labelled examples for anomaly detection.

    First a balanced test set of ``n_test`` examples (half normal, half anomalous) is set
    aside; the training and validation sets are then drawn from the remaining *normal*
    examples only (``n_train`` None = all that remain). The test set is shuffled, so any
    leading slice of it is balanced on average. Returns
    ``X_train, X_val, X_test, is_anomaly_test``.
    """
    rng = np.random.default_rng(seed)
    normal = rng.permutation(np.flatnonzero(y == normal_label))
    anomalous = rng.permutation(np.flatnonzero(y != normal_label))
    half = n_test // 2
    if half > len(anomalous) or half + n_val + 1 > len(normal):
        raise ValueError(f"not enough examples: {len(normal)} normal and {len(anomalous)} "
                         f"anomalous for a test set of {n_test} and {n_val} for validation.")
    test = rng.permutation(np.concatenate([normal[:half], anomalous[:half]]))  # mixed order
    rest = normal[half:]
    val, train = rest[:n_val], rest[n_val:]
    train = train if n_train is None else train[:n_train]
    return X[train], X[val], X[test], (y[test] != normal_label).astype(np.int8)


@dataclass
class JetAnomalyData:
    """Jets split once for quark-trained tagging, as images of one or more sizes.

    ``images[size]``: every jet's image ``(N, size, size)``; ``train_idx``/``val_idx``:
    quark jets; ``test_idx``: a balanced quark/gluon test set labelled by ``is_gluon``.
    ``train``/``val``/``test`` are the images of the first size.
    """

    jets: object
    images: dict[int, np.ndarray]
    train_idx: np.ndarray
    val_idx: np.ndarray
    test_idx: np.ndarray
    is_gluon: np.ndarray

    @property
    def provenance(self):
        return self.jets.provenance

    def split(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(train, val, test)`` images of one size (the same jets at every size)."""
        images = self.images[size]
        return images[self.train_idx], images[self.val_idx], images[self.test_idx]

    @property
    def train(self) -> np.ndarray:
        return self.split(next(iter(self.images)))[0]

    @property
    def val(self) -> np.ndarray:
        return self.split(next(iter(self.images)))[1]

    @property
    def test(self) -> np.ndarray:
        return self.split(next(iter(self.images)))[2]


def quark_gluon_images(n_jets: int, n_train: int | None, n_val: int, n_test: int,
                       sizes: tuple[int, ...] = (12,), seed: int = 0,
                       jets=None) -> JetAnomalyData:
    """Load jets, make images of every size in ``sizes``, split once for quark training.

    The profile's sizes are upper limits: the test set is capped at a fifth and the
    validation set at a tenth of the jets at hand (e.g. the offline sample). ``jets``
    (a :class:`~qmlhep.data.Labelled`, quark = 1) replaces the loaded sample, e.g. jets
    generated with :func:`qmlhep.data.generated_jets.generate_qg_jets`.
    """
    from qmlhep.data import jet_images, load_qg_jets

    jets = load_qg_jets(n_jets=n_jets, allow_fewer=True) if jets is None else jets.head(
        n_jets, allow_fewer=True)
    made = jet_images(jets.X, size=sizes if len(sizes) > 1 else sizes[0])
    images = made if len(sizes) > 1 else {sizes[0]: made}
    n_test, n_val = min(n_test, len(jets) // 5), min(n_val, len(jets) // 10)
    tr, va, te, is_gluon = anomaly_split(np.arange(len(jets)), jets.y, normal_label=1,
                                         n_train=n_train, n_val=n_val, n_test=n_test, seed=seed)
    return JetAnomalyData(jets, {s: images[s] for s in sizes}, tr, va, te, is_gluon)
