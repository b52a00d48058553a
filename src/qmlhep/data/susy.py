"""The UCI SUSY dataset (Baldi, Sadowski, Whiteson 2014) as used by Terashi et al. (2021).

Signal: chargino pairs from a heavy Higgs, each chargino -> W (-> l nu) neutralino.
Background: SM WW -> l nu l nu. Each event has 18 features: 8 low-level kinematic
quantities (GeV for momenta and energies, radians for angles) and 10 high-level ones
derived from them. Labels: 1 = signal, 0 = background.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from qmlhep.data.files import DataSchemaError, Provenance, choose_variant, dataset, fetch
from qmlhep.fitting.validation import check_count

FEATURES: tuple[str, ...] = (
    "lep1_pt",
    "lep1_eta",
    "lep1_phi",
    "lep2_pt",
    "lep2_eta",
    "lep2_phi",
    "miss_ene",
    "miss_phi",
    "MET_rel",
    "axial_MET",
    "M_R",
    "M_TR_2",
    "R",
    "MT2",
    "S_R",
    "M_Delta_R",
    "dPhi_r_b",
    "cos_theta_r1",
)
"""Feature names in the file's column order (after the label column)."""

LABELS: dict[str, str] = {
    "lep1_pt": r"lepton 1 $p_T$",
    "lep1_eta": r"lepton 1 $\eta$",
    "lep1_phi": r"lepton 1 $\phi$",
    "lep2_pt": r"lepton 2 $p_T$",
    "lep2_eta": r"lepton 2 $\eta$",
    "lep2_phi": r"lepton 2 $\phi$",
    "miss_ene": r"$E_T^{miss}$",
    "miss_phi": r"$\phi(E_T^{miss})$",
    "MET_rel": r"$E_T^{miss,rel}$",
    "axial_MET": r"axial $E_T^{miss}$",
    "M_R": r"$M_R$",
    "M_TR_2": r"$M_{TR}^2$",
    "R": r"$R$",
    "MT2": r"$M_{T2}$",
    "S_R": r"$\sqrt{\hat s}_R$",
    "M_Delta_R": r"$M_\Delta^R$",
    "dPhi_r_b": r"$\Delta\phi_\beta^R$",
    "cos_theta_r1": r"$|\cos\theta_{R+1}|$",
}
"""Axis labels (MyST/matplotlib math) for every feature."""

PAPER_SELECTIONS: dict[int, tuple[str, ...]] = {
    3: ("lep1_pt", "lep2_pt", "miss_ene"),
    5: ("lep1_pt", "lep2_pt", "miss_ene", "M_TR_2", "M_Delta_R"),
    7: ("lep1_pt", "lep1_eta", "lep2_pt", "lep2_eta", "miss_ene", "M_TR_2", "M_Delta_R"),
}
"""The 3, 5 and 7 variables of Terashi et al. (as used in the ICEPP qc-workbook)."""


@dataclass
class SusyData:
    """Features ``X`` (n_events, n_features) float64, labels ``y`` (n_events,) int8."""

    X: np.ndarray
    y: np.ndarray
    features: tuple[str, ...]
    provenance: Provenance

    def select(self, names: tuple[str, ...] | list[str] | int) -> SusyData:
        """The same events restricted to some features (names, or 3/5/7 for the paper's sets)."""
        names = PAPER_SELECTIONS[names] if isinstance(names, int) else tuple(names)
        unknown = [n for n in names if n not in self.features]
        if unknown:
            raise KeyError(f"unknown SUSY feature(s) {unknown}; known: {', '.join(self.features)}")
        idx = [self.features.index(n) for n in names]
        return SusyData(self.X[:, idx], self.y, tuple(names), self.provenance)


def _read(path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, header=None, compression="gzip", dtype=np.float64)
    except (EOFError, OSError, zlib.error, gzip.BadGzipFile, pd.errors.ParserError) as exc:
        raise DataSchemaError(
            f"{path} could not be read as a gzipped CSV ({exc}); it is probably truncated "
            "or corrupted: delete it and fetch it again."
        ) from exc
    except ValueError as exc:  # an empty file, a header line, text where numbers belong
        raise DataSchemaError(
            f"{path} is not the SUSY layout (no header, 19 numeric columns: label then the "
            f"18 features): {exc}"
        ) from exc
    if frame.shape[1] != 1 + len(FEATURES):
        raise DataSchemaError(
            f"{path} has {frame.shape[1]} columns; the SUSY layout has "
            f"{1 + len(FEATURES)} (label + 18 features)."
        )
    values = frame.to_numpy()
    if not np.isfinite(values).all():
        raise DataSchemaError(f"{path} contains NaN or infinite values.")
    if not np.isin(values[:, 0], (0.0, 1.0)).all():
        raise DataSchemaError(f"{path}: the first column must be the 0/1 label.")
    if len(np.unique(values[:, 0])) != 2:
        raise DataSchemaError(
            f"{path}: holds only the label {values[0, 0]:.0f}; the SUSY data "
            "have signal (1) and background (0) events."
        )
    return frame


def load_susy(
    n_events: int | None = None,
    seed: int = 0,
    variant: str | None = None,
    allow_fewer: bool = False,
) -> SusyData:
    """Load SUSY events; ``n_events`` draws a stratified, seeded subset (all if None).

    More events than the file holds is an error, unless ``allow_fewer`` (the profiles'
    sizes are upper limits: a small offline sample gives what it has).

    Online, when no SUSY file is on disk yet and ``n_events`` is at most 250,000, only the
    first 500,000 events of the official file are downloaded (variant ``head-500k``,
    about 88 MB instead of 880 MB).

    The file's rows may be grouped by label (the shared sample is), so a subset is never
    the first rows: it is drawn with :func:`sklearn.model_selection.train_test_split`.
    """
    if n_events is not None:  # before anything is fetched: a stratified draw needs 2
        check_count(n_events, "n_events", "load_susy", minimum=2)
    head = dataset("susy").variants["head-500k"].files[0]
    variant = choose_variant(
        "susy",
        variant,
        download="head-500k" if n_events is not None and n_events <= head.rows // 2 else None,
    )
    spec = dataset("susy").variants[variant].files[0]
    path, origin, digest = fetch("susy", spec)
    values = _read(path).to_numpy()
    if spec.rows is not None and len(values) != spec.rows:
        raise DataSchemaError(
            f"{path} has {len(values):,} events; {spec.name} has "
            f"{spec.rows:,}. It is truncated or a different file: delete "
            "it and fetch it again."
        )
    X, y = values[:, 1:], values[:, 0].astype(np.int8)
    if n_events is not None:
        if n_events > len(y) and not allow_fewer:
            raise ValueError(
                f"load_susy: asked for {n_events:,} events, but {path.name} "
                f"({variant}) holds {len(y):,}; ask for fewer, or pass "
                "allow_fewer=True to take all it has."
            )
    if n_events is not None and n_events < len(y):
        X, _, y, _ = train_test_split(X, y, train_size=n_events, stratify=y, random_state=seed)
    prov = Provenance("susy", variant, origin, (str(path),), (digest,), len(y))
    return SusyData(X, y, FEATURES, prov)


def train_test(data: SusyData, n_train: int, n_test: int, seed: int = 0):
    """Disjoint stratified train and test subsets: ``(X_train, X_test, y_train, y_test)``."""
    check_count(n_train, "n_train", "train_test", minimum=2)  # both classes in each part
    check_count(n_test, "n_test", "train_test", minimum=2)
    if n_train + n_test > len(data.y):
        raise ValueError(
            f"asked for {n_train} + {n_test} events but only {len(data.y)} are "
            "loaded; load more (or the full dataset) or ask for fewer."
        )
    rest = len(data.y) - n_train - n_test
    X_tr, X_te, y_tr, y_te = train_test_split(
        data.X,
        data.y,
        train_size=n_train,
        test_size=n_test + rest,
        stratify=data.y,
        random_state=seed,
    )
    if rest:
        X_te, _, y_te, _ = train_test_split(
            X_te, y_te, train_size=n_test, stratify=y_te, random_state=seed
        )
    return X_tr, X_te, y_tr, y_te
