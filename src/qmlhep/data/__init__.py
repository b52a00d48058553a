"""Datasets of the book: registry, checksummed fetching and loaders.

>>> from qmlhep.data import load_susy, load_qg_jets, jet_images
>>> susy = load_susy(n_events=2000, seed=1)          # stratified, seeded subset
>>> jets = load_qg_jets(n_jets=1000)
>>> images = jet_images(jets.X, size=12)              # (1000, 12, 12) in [0, 1]
"""

from __future__ import annotations

import pandas as pd

from qmlhep.data.files import (
    ChecksumError,
    DataError,
    DataNotFoundError,
    DataSchemaError,
    Provenance,
    fetch,
    locate,
)
from qmlhep.data.image_files import load_cms_qg, load_digits_images, load_electron_photon
from qmlhep.data.jet_images import jet_images, pixelate, preprocess
from qmlhep.data.labelled import Labelled
from qmlhep.data.qg_jets import load_qg_jets
from qmlhep.data.registry import DATASETS
from qmlhep.data.susy import PAPER_SELECTIONS, SusyData, load_susy, train_test

__all__ = [
    "ChecksumError",
    "DataError",
    "DataNotFoundError",
    "DataSchemaError",
    "Provenance",
    "Labelled",
    "SusyData",
    "DATASETS",
    "PAPER_SELECTIONS",
    "fetch",
    "locate",
    "catalogue",
    "load_susy",
    "train_test",
    "load_qg_jets",
    "jet_images",
    "pixelate",
    "preprocess",
    "load_cms_qg",
    "load_electron_photon",
    "load_digits_images",
]


def catalogue() -> pd.DataFrame:
    """One row per registered dataset variant: description, licence, and where it is now."""
    rows = []
    for key, ds in DATASETS.items():
        for name, var in ds.variants.items():
            found = locate(key, var.files[0])
            rows.append(
                {
                    "dataset": key,
                    "variant": name,
                    "files": len(var.files),
                    "description": var.description,
                    "licence": ds.licence,
                    "on this machine": found[1]
                    if found
                    else ("downloadable" if var.files[0].urls else "not available"),
                }
            )
    return pd.DataFrame(rows)
