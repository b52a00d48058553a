"""A TOY detector response for generated jets — for teaching, not a simulation of any detector.

Charged particles become tracks whose pT is smeared with a tracker-like resolution;
photons are summed into ECAL cells and neutral hadrons into HCAL cells of a fixed
(y, φ) grid, each cell's energy smeared with a calorimeter-like resolution and reported
as one pseudo-particle at the cell centre (PDG id 22 for ECAL, 130 for HCAL). Everything
is vectorised over all jets at once. The numbers below are round, CMS-like orders of
magnitude, chosen for illustration.
"""

from __future__ import annotations

import numpy as np

CHARGED = (11, 13, 211, 321, 2212, 3112, 3222, 3312, 3334)
"""|PDG id| of the stable charged particles Pythia leaves in a jet."""
TRACK_RES = (5e-4, 0.01)
"""σ(pT)/pT = a·pT [GeV] ⊕ b."""
ECAL = {"cell": 0.02, "stochastic": 0.05, "constant": 0.005, "pid": 22}
HCAL = {"cell": 0.1, "stochastic": 1.0, "constant": 0.05, "pid": 130}


def _cells(X: np.ndarray, mask: np.ndarray, cal: dict, rng) -> np.ndarray:
    """Summed, smeared deposits of the masked particles, as (n_jets, n_cells, 4)."""
    n_jets = len(X)
    jet, part = np.nonzero(mask)
    y, phi, pt = X[jet, part, 1], X[jet, part, 2], X[jet, part, 0]
    iy, iphi = (
        np.floor(y / cal["cell"]).astype(np.int64),
        np.floor(phi / cal["cell"]).astype(np.int64),
    )
    keys = np.stack([jet, iy, iphi], axis=1)
    cells, where = np.unique(keys, axis=0, return_inverse=True)
    energy = np.bincount(where.ravel(), weights=pt * np.cosh(y), minlength=len(cells))
    y_c, phi_c = (cells[:, 1] + 0.5) * cal["cell"], (cells[:, 2] + 0.5) * cal["cell"]
    sigma = np.hypot(cal["stochastic"] / np.sqrt(energy), cal["constant"])
    energy = np.clip(energy * (1 + sigma * rng.standard_normal(len(energy))), 0, None)
    out_pt = energy / np.cosh(y_c)
    counts = np.bincount(cells[:, 0], minlength=n_jets)
    width = max(int(counts.max()) if len(counts) else 0, 1)
    out = np.zeros((n_jets, width, 4))
    slot = np.arange(len(cells)) - np.repeat(np.cumsum(counts) - counts, counts)
    out[cells[:, 0], slot] = np.stack([out_pt, y_c, phi_c, np.full(len(cells), cal["pid"])], 1)
    return out


def smear(X: np.ndarray, seed: int) -> np.ndarray:
    """Jets ``(n, M, 4)`` (EnergyFlow layout) after the toy detector, sorted by pT, padded."""
    rng = np.random.default_rng(seed)
    real = X[..., 0] > 0
    pid = np.abs(X[..., 3]).astype(int)
    charged = real & np.isin(pid, CHARGED)
    tracks = np.where(charged[..., None], X, 0.0)
    pt = tracks[..., 0]
    sigma = np.hypot(TRACK_RES[0] * pt, TRACK_RES[1])
    tracks[..., 0] = np.where(charged, pt * (1 + sigma * rng.standard_normal(pt.shape)), 0.0)
    photons = real & (pid == 22)
    hadrons = real & ~charged & ~photons
    parts = [tracks, _cells(X, photons, ECAL, rng), _cells(X, hadrons, HCAL, rng)]
    joined = np.concatenate(parts, axis=1)
    order = np.argsort(-joined[..., 0], axis=1, kind="stable")
    joined = np.take_along_axis(joined, order[..., None], axis=1)
    width = int((joined[..., 0] > 0).sum(axis=1).max())
    return joined[:, :width]
