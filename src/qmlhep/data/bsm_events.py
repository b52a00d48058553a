"""Dileptonic tt̄-like events with two b-jets: SM background and a 2.5 TeV resonance.

The events of Ngairangbam, Spannowsky and Takeuchi (2022), one CSV per process (a header,
an index column, then the nine variables of :data:`FEATURES`). :func:`load_bsm_events`
reads and checks both files; :func:`to_angles` maps variables to rotation angles in
``[0, π]`` the way the authors did (a min–max map with fixed upper edges, :data:`RANGES`;
events beyond an edge are dropped and counted, ``edges="drop"``), or keeps those events
with their variables clipped at the edge (``edges="clip"``, angle π), counted too, so no
event is ever lost silently; :func:`paper_split` cuts the background into the authors'
training pool, validation and test blocks.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field

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
EDGES = ("drop", "clip")
"""What happens to an event with a variable outside ``[0, edge)``: ``"drop"`` (the
authors' choice) removes it, ``"clip"`` keeps it with the variable clipped to the range."""


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


def to_angles(
    frame: pd.DataFrame, features=PAPER_FEATURES, edges: str = "drop"
) -> tuple[np.ndarray, np.ndarray]:
    """``(angles, inside)``: each variable ``v`` becomes ``π v / edge`` (:data:`RANGES`);
    ``inside`` ``(n,) bool`` says which events have every variable in ``[0, edge)``.

    ``edges="drop"`` (the authors'): ``angles`` ``(inside.sum(), k)``, the events outside
    are dropped; ``edges="clip"``: ``angles`` ``(n, k)``, every event kept, a variable
    outside clipped to ``[0, edge]`` (angle 0 or π)."""
    if edges not in EDGES:
        raise ValueError(f"to_angles: edges must be one of {EDGES}, got {edges!r}.")
    unknown = [f for f in features if f not in RANGES]
    if unknown:
        raise ValueError(
            f"to_angles: no fixed range for {unknown}; choose among {', '.join(RANGES)}."
        )
    values = frame[list(features)].to_numpy(dtype=float)
    upper = np.array([RANGES[f] for f in features])
    inside = np.all((values >= 0) & (values < upper), axis=1)
    if edges == "clip":
        return np.pi * np.clip(values, 0.0, upper) / upper, inside
    return np.pi * values[inside] / upper, inside


@dataclass
class BsmSplit:
    """Angles of the background training pool, validation and test blocks and of the
    signal; ``dropped`` and ``clipped``: events outside the ranges, per process, dropped
    (``edges="drop"``) or kept with clipped variables (``edges="clip"``; the other is 0)."""

    pool: np.ndarray
    val: np.ndarray
    test_bg: np.ndarray
    test_sig: np.ndarray
    dropped: dict[str, int]
    features: tuple[str, ...]
    provenance: str = ""
    edges: str = "drop"
    clipped: dict[str, int] = field(default_factory=lambda: {"background": 0, "signal": 0})

    @property
    def X_test(self) -> np.ndarray:
        return np.concatenate([self.test_bg, self.test_sig])

    @property
    def y_test(self) -> np.ndarray:
        """0 background, 1 signal (the anomaly)."""
        return np.r_[np.zeros(len(self.test_bg), np.int8), np.ones(len(self.test_sig), np.int8)]


def paper_split(
    events: BsmEvents, features=PAPER_FEATURES, blocks=(30_000, 5_000, 15_000), edges="drop"
) -> BsmSplit:
    """The authors' split of the background in file order: the first ``blocks[0]`` (kept)
    events are the training pool, the next ``blocks[1]`` validation, the next ``blocks[2]``
    the test background; every kept signal event is tested. ``edges``: what happens to an
    event beyond an edge (:data:`EDGES`); ``"clip"`` keeps every event, so the blocks are
    cut from all events of the file (the same blocks as ``"drop"`` when no background
    event is beyond an edge, as in the shared sample) and every signal event is tested."""
    bg, inside_bg = to_angles(events.background, features, edges)
    sig, inside_sig = to_angles(events.signal, features, edges)
    n_pool, n_val, n_test = blocks
    if n_pool + n_val + n_test > len(bg):
        raise ValueError(
            f"paper_split: blocks {blocks} need {sum(blocks):,} background events; "
            f"{len(bg):,} are {'in range' if edges == 'drop' else 'in the file'}."
        )
    beyond = {"background": int((~inside_bg).sum()), "signal": int((~inside_sig).sum())}
    none = dict.fromkeys(beyond, 0)
    return BsmSplit(
        pool=bg[:n_pool],
        val=bg[n_pool : n_pool + n_val],
        test_bg=bg[n_pool + n_val : n_pool + n_val + n_test],
        test_sig=sig,
        dropped=beyond if edges == "drop" else none,
        features=tuple(features),
        provenance="; ".join(str(p) for p in events.provenance),
        edges=edges,
        clipped=beyond if edges == "clip" else none,
    )
