"""Jet images: particles -> pixels -> the seed study's preprocessing.

The seed study worked on CMS calorimeter images of 125 x 125 pixels of ECAL-crystal size
(0.0174 in eta and phi). To make the EnergyFlow jets comparable, they are pixelised on
the same grid, centred on the pT-weighted (y, phi) centroid. Then, for both kinds of
image, the seed's preprocessing: a centre crop to 80 % (125 -> 100 pixels), a resize to
12 x 12 or 40 x 40, and a division of each image by its largest pixel.

The resize averages the input pixels that each output pixel covers ("area"
resampling), so every hit contributes to the smaller image; bilinear interpolation would
sample only a few input pixels and silently drop most hits of these sparse images.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qmlhep.data.files import DataSchemaError
from qmlhep.data.jet_observables import centroid
from qmlhep.fitting.progress import bar
from qmlhep.fitting.validation import check_count

CMS_PIXEL = 0.0174
"""Pixel size in (y, phi) of the CMS images: one ECAL crystal."""
CMS_NPIX = 125
"""Pixels per side of the CMS jet images."""


def output_pixel(
    size: int, crop_fraction: float = 0.8, npix: int = CMS_NPIX, pixel: float = CMS_PIXEL
) -> float:
    """Width in (y, phi) of one pixel of the preprocessed ``size`` x ``size`` images."""
    return round(crop_fraction * npix) * pixel / size


def pixelate(jets: np.ndarray, npix: int = CMS_NPIX, pixel: float = CMS_PIXEL) -> np.ndarray:
    """Images (n_jets, npix, npix) float32 of summed pT [GeV] per pixel; rows are y, columns phi.

    ``jets`` is (n_jets, M, 4) in the EnergyFlow layout (pT, y, phi, pid), zero-padded.
    Each image is centred on its jet's pT-weighted centroid (y_c, phi_c): a particle lands
    in pixel ``floor((v - v_c) / pixel + npix / 2)`` along each axis, so the centroid sits
    in the middle of the central pixel. Particles outside the window are dropped. The
    azimuth needs no wrapping: the files keep every particle within pi of its jet.
    """
    pt = jets[..., 0].astype(np.float64)
    idx = np.floor((jets[..., 1:3] - centroid(jets)) / pixel + npix / 2).astype(np.int64)
    keep = (pt > 0) & (idx >= 0).all(-1) & (idx < npix).all(-1)
    jet_idx = np.broadcast_to(np.arange(len(jets))[:, None], pt.shape)
    images = np.zeros((len(jets), npix, npix), dtype=np.float64)
    np.add.at(images, (jet_idx[keep], idx[..., 0][keep], idx[..., 1][keep]), pt[keep])
    return images.astype(np.float32)


def crop(images: np.ndarray, fraction: float = 0.8) -> np.ndarray:
    """Centre crop of (n, H, W[, C]) images to ``round(fraction * H)`` pixels per side."""
    h, w = images.shape[1:3]
    ch, cw = round(fraction * h), round(fraction * w)
    top, left = (h - ch) // 2, (w - cw) // 2
    return images[:, top : top + ch, left : left + cw]


def area_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix averaging the input pixels each output pixel covers.

    Output pixel i spans [i s, (i + 1) s) in input pixels, s = n_in / n_out; its weight on
    input pixel j is the overlap of [j, j + 1) with that span, divided by s. Rows sum to 1.
    """
    scale = n_in / n_out
    i = np.arange(n_out)[:, None]
    # span ends as (integer product) / n_out: exact where a boundary falls on a pixel edge,
    # so no input pixel leaks a rounding-error weight into a neighbouring output pixel
    lo, hi = i * n_in / n_out, (i + 1) * n_in / n_out
    j = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, j + 1) - np.maximum(lo, j), 0.0, None)
    return overlap / scale


def resize(images: np.ndarray, size: int) -> np.ndarray:
    """Area-resample (n, H, W[, C]) images to (n, size, size[, C]) float32.

    The same result as ``tf.image.resize(..., method="area")`` (checked in the tests),
    computed as the separable linear map A_h · image · A_w^T with :func:`area_weights`.
    """
    a_h = area_weights(images.shape[1], size).astype(np.float32)
    a_w = area_weights(images.shape[2], size).astype(np.float32)
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 4:  # channels last -> channels first for the batched matrix products
        return np.moveaxis(a_h @ np.moveaxis(x, -1, 1) @ a_w.T, 1, -1)
    return a_h @ x @ a_w.T


def normalise(images: np.ndarray) -> np.ndarray:
    """Divide each image (and each channel separately) by its largest pixel; empty stay 0."""
    peak = images.max(axis=(1, 2), keepdims=True)
    return np.divide(images, peak, out=np.zeros_like(images), where=peak > 0)


def preprocess(images: np.ndarray, size: int, crop_fraction: float = 0.8) -> np.ndarray:
    """The seed's preprocessing: crop to ``crop_fraction``, resize to ``size``, max-normalise."""
    return normalise(resize(crop(images, crop_fraction), size))


def jet_images(
    jets: np.ndarray,
    size: int | Sequence[int],
    npix: int = CMS_NPIX,
    pixel: float = CMS_PIXEL,
    crop_fraction: float = 0.8,
    chunk: int = 2048,
    progress: bool = True,
) -> np.ndarray | dict[int, np.ndarray]:
    """Images in [0, 1] from EnergyFlow-layout jets (n_jets, M, 4).

    ``size`` an int gives one (n_jets, size, size) float32 array; a sequence of sizes gives
    ``{size: array}`` from a single pixelisation. Jets are processed ``chunk`` at a time so
    that the full-resolution images never all sit in memory.
    """
    jets = np.asarray(jets)
    if jets.dtype.kind not in "fiu":
        raise DataSchemaError(
            f"jets have dtype {jets.dtype}; (pT, y, phi) must be real numbers (the book "
            "never drops an imaginary part)."
        )
    several = isinstance(size, (Sequence, np.ndarray)) and not isinstance(size, str)
    sizes = [check_count(s, "size", "jet_images") for s in (size if several else [size])]
    if not 0 < crop_fraction <= 1:
        raise ValueError(f"jet_images: crop_fraction={crop_fraction!r} must be in (0, 1].")
    check_count(chunk, "chunk", "jet_images")
    if jets.ndim != 3 or jets.shape[2] < 3:
        raise DataSchemaError(
            f"jets have shape {jets.shape}; expected (n_jets, M, 4) in the "
            "EnergyFlow layout (pT, y, phi, pid)."
        )
    bad = ~np.isfinite(jets[..., :3]).all(axis=(1, 2))
    if bad.any():
        raise DataSchemaError(
            f"{int(bad.sum())} jets have NaN or infinite (pT, y, phi) values (first jets "
            f"{np.flatnonzero(bad)[:5].tolist()}); they would become wrong images. Drop them "
            "(jets[np.isfinite(jets[..., :3]).all(axis=(1, 2))]) first."
        )
    negative = (jets[..., 0] < 0).any(axis=1)
    if negative.any():
        raise DataSchemaError(
            f"{int(negative.sum())} jets have particles with negative pT (first jets "
            f"{np.flatnonzero(negative)[:5].tolist()}); a pT cannot be negative."
        )
    out = {s: np.empty((len(jets), s, s), dtype=np.float32) for s in sizes}
    for start in bar(range(0, len(jets), chunk), desc="jet images", enabled=progress):
        raw = pixelate(_relative_pt(jets[start : start + chunk]), npix, pixel)
        for s in sizes:
            out[s][start : start + chunk] = preprocess(raw, s, crop_fraction)
    return out if several else out[sizes[0]]


def _relative_pt(jets: np.ndarray) -> np.ndarray:
    """The jets (float64) with each particle's pT divided by its jet's hardest: the images
    are divided by their largest pixel anyway, and in these units a valid but extreme pT
    (1e39 GeV, 1e-40 GeV) neither overflows nor vanishes in the float32 pixels."""
    scaled = np.array(jets, dtype=np.float64)
    hardest = scaled[..., 0].max(axis=1, keepdims=True)
    scaled[..., 0] /= np.where(hardest > 0, hardest, 1.0)
    return scaled


def active_fraction(images: np.ndarray) -> np.ndarray:
    """(n,) fraction of pixels with a non-zero value in each image."""
    flat = images.reshape(len(images), -1)
    return (flat > 0).mean(axis=1)


def top_k_fraction(images: np.ndarray, ks: Sequence[int]) -> np.ndarray:
    """(n, len(ks)) fraction of each image's total intensity in its ``k`` brightest pixels."""
    flat = np.sort(images.reshape(len(images), -1), axis=1)[:, ::-1]
    cumulative = np.cumsum(flat, axis=1)
    total = np.where(cumulative[:, -1:] > 0, cumulative[:, -1:], 1.0)
    return cumulative[:, np.asarray(ks) - 1] / total
