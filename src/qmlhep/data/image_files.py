"""Calorimeter image datasets: CMS quark/gluon jets, electrons/photons, and 8x8 digits.

All loaders return :class:`~qmlhep.data.labelled.Labelled` with images (n, H, W[, C]).
"""

from __future__ import annotations

import h5py
import numpy as np
from sklearn.datasets import load_digits

from qmlhep.data.files import DataSchemaError, Provenance, choose_variant, dataset, fetch
from qmlhep.data.jet_images import preprocess
from qmlhep.data.labelled import Labelled, check_finite, check_labels
from qmlhep.fitting.validation import check_count

CMS_CHANNELS = ("ECAL", "HCAL", "tracks")
CMS_QUARK_LABEL_STORED = 0
"""In the ML4SCI file, ``y`` = 0 marks quark jets and 1 gluon jets (the loader flips it)."""


def _h5_arrays(
    path, keys: tuple[str, ...], n: int | None, rows: int | None = None
) -> dict[str, np.ndarray]:
    """The first ``n`` rows (all if None) of ``keys``; the file must hold ``rows`` rows
    (what the registry knows of a file without a published checksum)."""
    try:
        with h5py.File(path, "r") as f:
            missing = [k for k in keys if k not in f]
            if missing:
                raise DataSchemaError(
                    f"{path} lacks the HDF5 key(s) {missing}; found {sorted(f.keys())}."
                )
            held = {k: f[k].shape[0] for k in keys}
            if rows is not None and set(held.values()) != {rows}:
                raise DataSchemaError(
                    f"{path} holds {held} rows, but the registered file has "
                    f"{rows:,}: it is truncated or a different file. "
                    "Delete it and fetch it again."
                )
            return {k: f[k][:n] for k in keys}
    except OSError as exc:
        raise DataSchemaError(
            f"{path} is not a readable HDF5 file ({exc}); it is probably "
            "truncated: delete it and fetch it again."
        ) from exc


def load_cms_qg(
    n_jets: int | None = None, variant: str | None = None, preprocess_size: int | None = None
) -> Labelled:
    """CMS quark/gluon images (Andrews et al. 2020): ``X`` (n, 125, 125, 3), quark = 1.

    Channels are ECAL, HCAL and tracks (see :data:`CMS_CHANNELS`). Only the first
    ``n_jets`` rows are read from disk. With ``preprocess_size`` the images go through
    :func:`qmlhep.data.jet_images.preprocess` per channel (crop 80 %, resize, max-normalise).
    """
    if n_jets is not None:
        check_count(n_jets, "n_jets", "load_cms_qg")
    variant = choose_variant("cms_qg", variant)
    spec = dataset("cms_qg").variants[variant].files[0]
    path, origin, digest = fetch("cms_qg", spec)
    arrays = _h5_arrays(path, ("X_jets", "y"), n_jets, spec.rows)
    if n_jets is not None and len(arrays["y"]) < n_jets:
        raise ValueError(
            f"load_cms_qg: n_jets={n_jets:,} is more than {path} holds "
            f"({len(arrays['y']):,} jets); ask for at most that many (or None for all)."
        )
    X = check_finite(arrays["X_jets"], path)
    if X.size and X.min() < 0:
        raise DataSchemaError(
            f"{path}: X_jets holds negative deposits (minimum {X.min():.3g}); energies and "
            "track momenta cannot be negative: the file is damaged or not the CMS sample."
        )
    if X.ndim != 4 or X.shape[-1] != len(CMS_CHANNELS):
        raise DataSchemaError(f"{path}: X_jets has shape {X.shape}, expected (N, H, W, 3).")
    # the whole file must hold quark and gluon jets; its first n_jets may by chance not
    y = check_labels(arrays["y"].reshape(-1), path, both=n_jets is None)
    y = (y == CMS_QUARK_LABEL_STORED).astype(np.int8)
    if preprocess_size is not None:
        X = preprocess(X, preprocess_size)
    prov = Provenance("cms_qg", variant, origin, (str(path),), (digest,), len(y))
    return Labelled(X, y, prov)


def load_electron_photon(n_images: int | None = None, variant: str | None = None) -> Labelled:
    """32x32 ECAL energy images ``X`` (n, 32, 32) float32; ``y``: electron = 1, photon = 0.

    Official files: half the images from each of the photon and electron files, interleaved.
    Shared sample: its published train split (first 100) followed by its test split.
    """
    if n_images is not None:
        check_count(n_images, "n_images", "load_electron_photon")
    variant = choose_variant("electron_photon", variant)
    var = dataset("electron_photon").variants[variant]
    paths, digests, origins, parts = [], [], set(), []
    for label, spec in enumerate(var.files):  # official: photon file then electron file
        path, origin, digest = fetch("electron_photon", spec)
        paths.append(str(path)), digests.append(digest), origins.add(origin)
        if path.suffix == ".npz":
            with np.load(path) as f:
                need = {"x_train", "x_test", "y_train", "y_test"}
                if not need <= set(f.files):
                    raise DataSchemaError(f"{path} lacks {sorted(need - set(f.files))}.")
                X = np.concatenate([f["x_train"], f["x_test"]])
                y = np.concatenate([f["y_train"], f["y_test"]])
            if X.ndim != 3 or X.shape[1:] != (32, 32):
                raise DataSchemaError(
                    f"{path}: its images have shape {X.shape[1:]}, expected (32, 32)."
                )
            parts.append((X, check_labels(y, path)))
        else:
            half = None if n_images is None else (n_images + 1) // 2
            X = _h5_arrays(path, ("X",), half, spec.rows)["X"]
            if X.ndim != 4 or X.shape[1:3] != (32, 32):
                raise DataSchemaError(
                    f"{path}: X has shape {X.shape}; the electron/photon files hold "
                    "(N, 32, 32, 2) images (energy, time)."
                )
            X = X[..., 0]  # channel 0: energy
            parts.append((X, np.full(len(X), label, dtype=np.int8)))
    if len(parts) == 2:  # interleave photons and electrons so any head() is balanced
        n = min(len(p[0]) for p in parts)
        X = np.stack([parts[0][0][:n], parts[1][0][:n]], axis=1).reshape(2 * n, 32, 32)
        y = np.tile(np.array([0, 1], dtype=np.int8), n)
    else:
        X, y = parts[0]
    X = check_finite(X, paths[0])
    prov = Provenance(
        "electron_photon", variant, "/".join(sorted(origins)), tuple(paths), tuple(digests), len(y)
    )
    return Labelled(X, y, prov).head(n_images)


def load_digits_images() -> Labelled:
    """scikit-learn's bundled 8x8 handwritten digits: ``X`` (1797, 8, 8) in [0, 1], ``y`` 0-9.

    Used to validate quantum image encodings before jets. Labels are the digit (int8),
    not a 0/1 class.
    """

    digits = load_digits()
    X = (digits.images / 16.0).astype(np.float32)
    prov = Provenance(
        "digits", "scikit-learn", "bundled with scikit-learn", ("load_digits",), ("n/a",), len(X)
    )
    return Labelled(X, digits.target.astype(np.int8), prov)
