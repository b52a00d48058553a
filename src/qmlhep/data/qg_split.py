"""Quark and gluon jet images split for supervised classification.

:func:`quark_gluon_split` loads jets (:func:`qmlhep.data.load_qg_jets`), makes images of
one size and splits them, stratified and seeded, into test, validation and training sets
(in that order, so a larger training set never changes the test set). The profile's
sizes are upper limits: the test set is capped at a fifth and the validation set at a
tenth of the jets at hand, and ``n_train=None`` takes every jet left over.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import train_test_split


@dataclass
class ImageSplit:
    """Images ``(n, size, size)`` and labels (quark = 1) of each part, with provenance."""

    train: np.ndarray
    y_train: np.ndarray
    val: np.ndarray
    y_val: np.ndarray
    test: np.ndarray
    y_test: np.ndarray
    provenance: object


def quark_gluon_split(n_jets: int | None, n_train: int | None, n_val: int, n_test: int,
                      size: int = 12, seed: int = 0) -> ImageSplit:
    """Stratified, seeded split of ``n_jets`` jets' ``size``×``size`` images."""
    from qmlhep.data import jet_images, load_qg_jets

    jets = load_qg_jets(n_jets=n_jets, allow_fewer=True)
    images, y = jet_images(jets.X, size=size), np.asarray(jets.y)
    n_test, n_val = min(n_test, len(y) // 5), min(n_val, len(y) // 10)
    index = np.arange(len(y))
    rest, test = train_test_split(index, test_size=n_test, stratify=y, random_state=seed)
    rest, val = train_test_split(rest, test_size=n_val, stratify=y[rest], random_state=seed)
    if n_train is not None and n_train < len(rest):
        rest, _ = train_test_split(rest, train_size=n_train, stratify=y[rest], random_state=seed)
    return ImageSplit(images[rest], y[rest], images[val], y[val], images[test], y[test],
                      jets.provenance)
