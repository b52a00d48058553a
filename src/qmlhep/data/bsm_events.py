"""Dileptonic tt̄-like events with two b-jets: SM background and a 2.5 TeV resonance.

The events of Ngairangbam, Spannowsky and Takeuchi (2022), one CSV per process (a header,
an index column, then the nine variables of :data:`FEATURES`). :func:`load_bsm_events`
reads and checks both files; :func:`to_angles` maps variables to rotation angles in
``[0, π]`` the way the authors did (a min–max map with fixed upper edges, :data:`RANGES`;
events beyond an edge are dropped and counted, never clipped); :func:`paper_split` cuts the
background into the authors' training pool, validation and test blocks.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from qmlhep.data.files import DataSchemaError, Provenance, choose_variant, dataset, fetch

FEATURES = (
    "lep1pt",
    "lep2pt",
    "theta_ll",
    "b1pt",
    "b2pt",
    "theta_bb",
    "MET",
    "dR_l1",
    "dR_l2",
)
"""Transverse momenta (GeV) of the leptons and b-jets, opening angles θ (rad) of the two
leptons and of the two b-jets, missing transverse energy (GeV), ΔR of each lepton to the
nearest b-jet."""
PAPER_FEATURES = ("MET", "b1pt", "lep1pt", "lep2pt")
"""The authors' default inputs, in their (alphabetical) qubit order."""
RANGES = {
    "lep1pt": 1000.0,
    "lep2pt": 900.0,
    "theta_ll": np.pi,
    "b1pt": 1000.0,
    "b2pt": 900.0,
    "theta_bb": np.pi,
    "MET": 1000.0,
}
"""Upper edge of every variable the authors map to ``[0, π]`` (lower edge 0)."""


@dataclass
class BsmEvents:
    """``background`` and ``signal`` frames (events × :data:`FEATURES`) and their files."""

    background: pd.DataFrame
    signal: pd.DataFrame
    provenance: tuple[Provenance, Provenance]


def _read(path, rows: int | None) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, index_col=0, compression="gzip")
    except (EOFError, OSError, zlib.error, gzip.BadGzipFile, pd.errors.ParserError) as exc:
        raise DataSchemaError(
            f"{path} could not be read as a gzipped CSV ({exc}); it is probably truncated "
            "or corrupted: delete it and fetch it again."
        ) from exc
    missing = [f for f in FEATURES if f not in frame.columns]
    if missing:
        raise DataSchemaError(
            f"{path} lacks the column(s) {missing}; the layout is a header, an index "
            f"column, then {', '.join(FEATURES)}."
        )
    frame = frame[list(FEATURES)]
    numeric = all(pd.api.types.is_numeric_dtype(t) for t in frame.dtypes)
    if not numeric or not np.isfinite(frame.to_numpy(dtype=float)).all():
        raise DataSchemaError(f"{path} holds non-numeric, NaN or infinite values.")
    if rows is not None and len(frame) != rows:
        raise DataSchemaError(
            f"{path} has {len(frame):,} events, not the registered {rows:,}: it is "
            "truncated or a different file; delete it and fetch it again."
        )
    return frame.astype(float)


def load_bsm_events(variant: str | None = None) -> BsmEvents:
    """Both processes of dataset ``bsm_qae`` (variant: the first found on disk)."""
    variant = choose_variant("bsm_qae", variant)
    frames, provs = [], []
    for spec in dataset("bsm_qae").variants[variant].files:
        path, origin, digest = fetch("bsm_qae", spec)
        frames.append(_read(path, spec.rows))
        provs.append(
            Provenance("bsm_qae", variant, origin, (str(path),), (digest,), len(frames[-1]))
        )
    return BsmEvents(frames[0], frames[1], (provs[0], provs[1]))


def to_angles(frame: pd.DataFrame, features=PAPER_FEATURES) -> tuple[np.ndarray, np.ndarray]:
    """``(angles (n_kept, k) in [0, π], kept (n,) bool)``: each variable ``v`` becomes
    ``π v / edge`` (:data:`RANGES`); events with a variable outside ``[0, edge)`` are
    dropped, as by the authors, and ``kept`` says which."""
    unknown = [f for f in features if f not in RANGES]
    if unknown:
        raise ValueError(
            f"to_angles: no fixed range for {unknown}; choose among {', '.join(RANGES)}."
        )
    values = frame[list(features)].to_numpy(dtype=float)
    edges = np.array([RANGES[f] for f in features])
    kept = np.all((values >= 0) & (values < edges), axis=1)
    return np.pi * values[kept] / edges, kept


@dataclass
class BsmSplit:
    """Angles of the background training pool, validation and test blocks and of the
    signal; ``dropped``: events outside the ranges, per process."""

    pool: np.ndarray
    val: np.ndarray
    test_bg: np.ndarray
    test_sig: np.ndarray
    dropped: dict[str, int]
    features: tuple[str, ...]
    provenance: str = ""

    @property
    def X_test(self) -> np.ndarray:
        return np.concatenate([self.test_bg, self.test_sig])

    @property
    def y_test(self) -> np.ndarray:
        """0 background, 1 signal (the anomaly)."""
        return np.r_[np.zeros(len(self.test_bg), np.int8), np.ones(len(self.test_sig), np.int8)]


def paper_split(
    events: BsmEvents, features=PAPER_FEATURES, blocks=(30_000, 5_000, 15_000)
) -> BsmSplit:
    """The authors' split of the (kept) background in file order: the first ``blocks[0]``
    events are the training pool, the next ``blocks[1]`` validation, the next
    ``blocks[2]`` the test background; every kept signal event is tested."""
    bg, kept_bg = to_angles(events.background, features)
    sig, kept_sig = to_angles(events.signal, features)
    n_pool, n_val, n_test = blocks
    if n_pool + n_val + n_test > len(bg):
        raise ValueError(
            f"paper_split: blocks {blocks} need {sum(blocks):,} background events; "
            f"{len(bg):,} are in range."
        )
    return BsmSplit(
        pool=bg[:n_pool],
        val=bg[n_pool : n_pool + n_val],
        test_bg=bg[n_pool + n_val : n_pool + n_val + n_test],
        test_sig=sig,
        dropped={"background": int((~kept_bg).sum()), "signal": int((~kept_sig).sum())},
        features=tuple(features),
        provenance="; ".join(str(p) for p in events.provenance),
    )
