"""Simple jet observables computed from the particles (EnergyFlow layout, zero-padded).

Both separate quark from gluon jets at generator level: gluon jets radiate more
(colour factor C_A = 3 against C_F = 4/3 for quarks), so they have more constituents
and spread their pT further from the axis.
"""

from __future__ import annotations

import numpy as np


def centroid(jets: np.ndarray) -> np.ndarray:
    """(n_jets, 1, 2) pT-weighted mean (y, phi) of each jet's particles.

    Raises if a jet has no particle with pT > 0 (remove empty jets first).
    """
    pt = jets[..., 0].astype(np.float64)
    total = pt.sum(axis=1, keepdims=True)
    if (total <= 0).any():
        raise ValueError("a jet has no particle with pT > 0; remove empty jets first.")
    return (pt[..., None] * jets[..., 1:3]).sum(axis=1, keepdims=True) / total[..., None]


def multiplicity(jets: np.ndarray) -> np.ndarray:
    """(n_jets,) number of particles with pT > 0 in each jet."""
    return (jets[..., 0] > 0).sum(axis=1)


def width(jets: np.ndarray) -> np.ndarray:
    """(n_jets,) pT-weighted mean distance of the particles from the jet's centroid.

    w = sum_i pT_i dR_i / sum_i pT_i, with dR_i = sqrt(dy_i^2 + dphi_i^2) measured from the
    pT-weighted (y, phi) centroid (the centre of the jet images); dimensionless.
    """
    pt = jets[..., 0].astype(np.float64)
    dr = np.hypot(*np.moveaxis(jets[..., 1:3] - centroid(jets), -1, 0))
    return (pt * dr).sum(axis=1) / pt.sum(axis=1)


def jet_mass(jets: np.ndarray) -> np.ndarray:
    """(n_jets,) invariant mass [GeV] of the summed particles, each taken as massless.

    The layout stores no particle masses; treating pions, kaons and nucleons as massless
    shifts the jet mass by well under a GeV at these momenta, the same for every sample.
    """
    pt, y, phi = (jets[..., k].astype(np.float64) for k in range(3))
    e, pz = (pt * np.cosh(y)).sum(1), (pt * np.sinh(y)).sum(1)
    px, py = (pt * np.cos(phi)).sum(1), (pt * np.sin(phi)).sum(1)
    return np.sqrt(np.clip(e**2 - px**2 - py**2 - pz**2, 0, None))


def hardest(jets: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` highest-pT particles of each jet (particles are sorted by pT)."""
    return jets[:, :k]


def jet_pt(jets: np.ndarray) -> np.ndarray:
    """(n_jets,) transverse momentum [GeV] of the vector sum of each jet's particles."""
    pt, phi = jets[..., 0].astype(np.float64), jets[..., 2].astype(np.float64)
    return np.hypot((pt * np.cos(phi)).sum(1), (pt * np.sin(phi)).sum(1))
