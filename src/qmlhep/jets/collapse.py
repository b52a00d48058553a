"""Has an autoencoder learned more than the mean jet?

An autoencoder that returns the same image for every input (the average training jet,
or anything else) still scores test jets: its reconstruction loss is then the
cross-entropy against one fixed image, and its AUC is that of the average-jet reference.
:func:`recon_vs_mean` measures how far each jet's reconstruction is from the
reconstruction of the mean jet, relative to the jet's own image:

.. math::

    d_i = \\lVert \\hat x(x_i) - \\hat x(\\bar x) \\rVert_2 / \\lVert x_i \\rVert_2,

and reports the median over jets; :attr:`MeanCheck.collapsed` flags a model whose median
distance is below ``tol`` (1e-3 by default): its reconstructions equal the mean-jet
reconstruction to that precision. An identity-like model has ``d_i`` of the order of the
jets' own distance to the mean (about 0.4 for 12×12 quark-jet images).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

COLLAPSE_TOL = 1e-3


def distances_to_mean(
    X: np.ndarray, reconstructions: np.ndarray, mean_reconstruction: np.ndarray
) -> np.ndarray:
    """(n,) ``‖x̂_i − x̂(x̄)‖₂ / ‖x_i‖₂`` for images ``X`` (n, ...) with reconstructions
    (n, ...) and the reconstruction of the mean image (one image, same shape as ``X[0]``)."""
    X = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
    rec = np.asarray(reconstructions, dtype=np.float64).reshape(len(X), -1)
    ref = np.asarray(mean_reconstruction, dtype=np.float64).reshape(1, -1)
    if rec.shape[1] != X.shape[1] or ref.shape[1] != X.shape[1]:
        raise ValueError(
            f"images have {X.shape[1]} pixels, reconstructions {rec.shape[1]}, the mean-jet "
            f"reconstruction {ref.shape[1]}."
        )
    norm = np.linalg.norm(X, axis=1)
    norm = np.where(norm > 0, norm, 1.0)  # an empty image: the absolute distance
    return np.linalg.norm(rec - ref, axis=1) / norm


@dataclass(frozen=True)
class MeanCheck:
    """``median``: the median of :func:`distances_to_mean` over the jets; ``collapsed``:
    ``median < tol``."""

    median: float
    tol: float = COLLAPSE_TOL

    @property
    def collapsed(self) -> bool:
        return bool(self.median < self.tol)

    def word(self) -> str:
        return "collapsed to the mean jet" if self.collapsed else "more than the mean jet"


def recon_vs_mean(
    reconstruct: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    mean_image: np.ndarray,
    tol: float = COLLAPSE_TOL,
) -> MeanCheck:
    """How far an autoencoder's reconstructions of ``X`` are from its reconstruction of
    ``mean_image`` (e.g. the average training jet); ``reconstruct`` maps images (n, H, W)
    to reconstructions (n, H, W), e.g. ``lambda X: autoencoder_training.reconstruct(model, X)``."""
    X = np.asarray(X, dtype=np.float32)
    rec = np.asarray(reconstruct(X))
    ref = np.asarray(reconstruct(np.asarray(mean_image, dtype=np.float32)[None]))[0]
    return MeanCheck(float(np.median(distances_to_mean(X, rec, ref))), tol)
