"""The container every loader returns: arrays, labels and where they came from."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from qmlhep.data.files import DataSchemaError, Provenance
from qmlhep.fitting.validation import check_count


@dataclass
class Labelled:
    """``X`` (n, ...) with labels ``y`` (n,) int8 and the :class:`Provenance` of the files."""

    X: np.ndarray
    y: np.ndarray
    provenance: Provenance

    def __len__(self) -> int:
        return len(self.y)

    def head(self, n: int | None, allow_fewer: bool = False) -> Labelled:
        """The first ``n`` examples (all if None); too few is an error unless ``allow_fewer``."""
        if n is not None:
            check_count(n, "the number of examples", self.provenance.dataset)
        if n is None or (allow_fewer and n >= len(self.y)):
            return self
        if n > len(self.y):
            raise ValueError(
                f"asked for {n:,} examples but {self.provenance.dataset} "
                f"[{self.provenance.variant}] holds {len(self.y):,}; ask for fewer, or make "
                "the full dataset available (QMLHEP_DATA_DIR or a download)."
            )
        prov = replace(self.provenance, rows=n)
        return replace(self, X=self.X[:n], y=self.y[:n], provenance=prov)


def check_labels(y: np.ndarray, path, both: bool = True) -> np.ndarray:
    """Labels as int8 in {0, 1}, or a :class:`DataSchemaError` naming the file; ``both``:
    the file must hold both classes (a file of one class cannot train or test a tagger)."""
    if not np.isin(y, (0, 1)).all():
        raise DataSchemaError(f"{path}: labels must be 0 or 1, found {np.unique(y)[:5]}.")
    if both and len(y) and len(np.unique(y)) != 2:
        raise DataSchemaError(
            f"{path} holds only the label {int(y[0])}; the file must hold both classes "
            "(0 and 1): it is damaged or not the dataset's file."
        )
    return np.asarray(y, dtype=np.int8)


def check_finite(X, path, dtype=np.float32) -> np.ndarray:
    """``X`` as ``dtype`` (float32: what the jet and image loaders hold), or a
    :class:`DataSchemaError` naming the file: complex or non-numeric values, NaN or
    infinity, or finite values too large for ``dtype`` (a pT of 1e300 GeV in a float64
    file would become infinity in float32: reported as what it is, not as a NaN)."""
    X = np.asarray(X)
    if X.dtype.kind == "c":
        raise DataSchemaError(
            f"{path} holds complex numbers; jet and image files hold real quantities "
            "(the book never drops an imaginary part): it is damaged or not the dataset's file."
        )
    if X.dtype.kind not in "fiub":
        raise DataSchemaError(f"{path} holds non-numeric values (dtype {X.dtype}).")
    if X.dtype.kind == "f" and not np.isfinite(X).all():
        raise DataSchemaError(f"{path} contains NaN or infinite values.")
    big = np.finfo(dtype).max
    if X.size and X.dtype.kind in "fiu" and np.abs(X).max() > big:
        raise DataSchemaError(
            f"{path} holds values up to {np.abs(X).max():.3g}, beyond what {np.dtype(dtype)} "
            f"holds (±{big:.3g}); no jet or detector quantity is that large: the file is "
            "damaged."
        )
    return X.astype(dtype, copy=False)
