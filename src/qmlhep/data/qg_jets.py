"""Pythia 8 quark and gluon jets in the EnergyFlow layout (Komiske, Metodiev, Thaler 2019).

Z(-> nu nu) + jet at sqrt(s) = 14 TeV, anti-kT R = 0.4, jet pT in [500, 550] GeV, |y| < 1.7.
Each jet is an array of particles ``(pT [GeV], rapidity y, azimuth phi [rad], PDG id)``,
zero-padded to a common length and sorted by pT. Labels: quark = 1, gluon = 0.
"""

from __future__ import annotations

import math
import zipfile

import numpy as np

from qmlhep.data.files import DataSchemaError, Provenance, choose_variant, dataset, fetch
from qmlhep.data.labelled import Labelled, check_finite, check_labels
from qmlhep.fitting.validation import check_count


def _read_npz(path) -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(path) as f:
            missing = {"X", "y"} - set(f.files)
            if missing:
                raise DataSchemaError(
                    f"{path} lacks the array(s) {sorted(missing)}; an "
                    "EnergyFlow jet file holds 'X' (N, M, 4) and 'y' (N,)."
                )
            X, y = f["X"], f["y"]
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise DataSchemaError(
            f"{path} is not a readable .npz file ({exc}); it is probably "
            "truncated: delete it and fetch it again."
        ) from exc
    if X.ndim != 3 or X.shape[2] < 4 or len(X) != len(y):
        raise DataSchemaError(
            f"{path}: X has shape {X.shape}, expected (N, M, 4) with N = len(y) = {len(y)}."
        )
    X = check_finite(X[..., :4], path)
    if (X[..., 0] < 0).any():
        raise DataSchemaError(
            f"{path}: particle pT must not be negative (minimum {X[..., 0].min():.3g} GeV); "
            "the file is damaged or not an EnergyFlow jet file (pT, y, phi, pid)."
        )
    return X, check_labels(y, path)


def _pad(arrays: list[np.ndarray]) -> np.ndarray:
    width = max(a.shape[1] for a in arrays)
    return np.concatenate([np.pad(a, ((0, 0), (0, width - a.shape[1]), (0, 0))) for a in arrays])


def load_qg_jets(
    n_jets: int | None = None, variant: str | None = None, allow_fewer: bool = False
) -> Labelled:
    """Jets ``X`` (n_jets, M, 4) float32 and labels ``y`` (quark = 1), first ``n_jets``.

    The official variant is split into files of 100,000 jets; only the files needed for
    ``n_jets`` are read (and downloaded). The jets in each file are already shuffled.
    With ``allow_fewer`` a variant holding fewer than ``n_jets`` returns all it has.
    """
    if n_jets is not None:
        check_count(n_jets, "n_jets", "load_qg_jets")
    variant = choose_variant("qg_jets", variant)
    var = dataset("qg_jets").variants[variant]
    n_files = (
        len(var.files)
        if n_jets is None or var.rows_per_file is None
        else min(len(var.files), math.ceil(n_jets / var.rows_per_file))
    )
    Xs, ys, paths, digests, origins = [], [], [], [], set()
    for spec in var.files[:n_files]:
        path, origin, digest = fetch("qg_jets", spec)
        X, y = _read_npz(path)
        Xs.append(X), ys.append(y), paths.append(str(path)), digests.append(digest)
        origins.add(origin)
    y = np.concatenate(ys)
    prov = Provenance(
        "qg_jets", variant, "/".join(sorted(origins)), tuple(paths), tuple(digests), len(y)
    )
    return Labelled(_pad(Xs), y, prov).head(n_jets, allow_fewer)
