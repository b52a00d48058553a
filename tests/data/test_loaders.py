"""Loaders on the shared real samples: shapes, labels, provenance, stratified subsets."""

from __future__ import annotations

import numpy as np
import pytest

from qmlhep.data import (
    PAPER_SELECTIONS,
    load_digits_images,
    load_electron_photon,
    load_qg_jets,
    load_susy,
    train_test,
)
from qmlhep.data.files import sha256sum


def test_susy_sample_layout_and_provenance(shared):
    data = load_susy()
    assert data.X.shape == (10_000, 18) and data.y.shape == (10_000,)
    assert set(np.unique(data.y)) == {0, 1} and data.y.sum() == 5_000
    p = data.provenance
    assert p.variant == "sample-10k" and p.source == "data dir" and p.rows == 10_000
    assert p.sha256[0] == "77afd1c3844190ad730fb42b131ece9161c3f16c5c6177f73ce19e5881d21e95"


def test_susy_subset_is_stratified_and_seeded(shared):
    a, b = load_susy(n_events=1000, seed=3), load_susy(n_events=1000, seed=3)
    c = load_susy(n_events=1000, seed=4)
    assert a.y.sum() == 500  # the file is grouped by label: a head() would be all one class
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert a.provenance.rows == 1000


def test_susy_train_test_disjoint_and_balanced(shared):
    data = load_susy()
    X_tr, X_te, y_tr, y_te = train_test(data, 600, 400, seed=0)
    assert len(y_tr) == 600 and len(y_te) == 400 and y_tr.sum() == 300 and y_te.sum() == 200
    rows_tr = {r.tobytes() for r in X_tr}
    assert not any(r.tobytes() in rows_tr for r in X_te)
    with pytest.raises(ValueError, match="only 10000"):
        train_test(data, 8000, 4000)


def test_susy_paper_selections_by_name(shared):
    data = load_susy(n_events=200)
    for k, names in PAPER_SELECTIONS.items():
        sub = data.select(k)
        assert sub.X.shape == (200, k) and sub.features == names
        np.testing.assert_array_equal(sub.X[:, 0], data.X[:, data.features.index(names[0])])
    with pytest.raises(KeyError, match="unknown SUSY feature"):
        data.select(["lep1_pt", "not_a_feature"])


def test_qg_jets_all_particle_sample_is_what_offline_builds_load(shared):
    jets = load_qg_jets(n_jets=500)
    assert jets.provenance.variant == "sample-all-20k"
    assert jets.X.shape[0] == 500 and jets.X.shape[1] > 10 and jets.X.dtype == np.float32
    assert jets.provenance.sha256[0] == sha256sum(shared / "qg_jets" / "QG_jets_pythia_all_20k.npz")
    pts = jets.X[..., 0]
    assert (np.diff(pts, axis=1) <= 1e-3).all()  # sorted by pT, zero-padded
    assert 480 < np.median(pts.sum(axis=1)) < 560  # every particle: the whole jet pT
    n = (pts > 0).sum(axis=1)
    assert n[jets.y == 0].mean() > n[jets.y == 1].mean() > 15  # gluons have more particles
    assert len(load_qg_jets(n_jets=30_000, allow_fewer=True)) == 20_000


def test_qg_jets_ten_particle_sample(shared):
    jets = load_qg_jets(n_jets=500, variant="sample-top10-10k")
    assert jets.X.shape == (500, 10, 4) and jets.X.dtype == np.float32
    assert 150 < jets.y.sum() < 350  # about half quarks
    pts = jets.X[..., 0]
    assert (np.diff(pts, axis=1) <= 1e-3).all()  # sorted by pT
    jet_pt = pts.sum(axis=1)  # the 10 hardest particles carry most of the jet's pT
    assert 300 < np.median(jet_pt) < 560
    assert jets.provenance.variant == "sample-top10-10k"
    assert jets.provenance.sha256[0] == sha256sum(
        shared / "qg_jets" / "QG_jets_pythia_top10_10k.npz"
    )
    with pytest.raises(ValueError, match="holds 10,000"):
        load_qg_jets(n_jets=20_000, variant="sample-top10-10k")
    assert len(load_qg_jets(n_jets=20_000, variant="sample-top10-10k", allow_fewer=True)) == 10_000


def test_electron_photon_sample(shared):
    ep = load_electron_photon()
    assert ep.X.shape == (200, 32, 32) and set(np.unique(ep.y)) == {0, 1}
    assert (ep.X >= 0).all()


def test_digits_bundled():
    d = load_digits_images()
    assert d.X.shape == (1797, 8, 8) and d.X.max() == 1.0 and d.X.min() == 0.0
    assert set(np.unique(d.y)) == set(range(10))


def test_bad_data_files_and_counts_give_clear_errors(isolated):
    import gzip

    import numpy as np

    from qmlhep.data import DataSchemaError, jet_images, load_qg_jets, load_susy

    # the official file has no published checksum: its schema is checked, naming it
    susy = isolated.data / "SUSY.csv.gz"
    for content, why in (
        (b"", "not the SUSY layout"),
        (b"label,a,b\n1,2,3\n", "not the SUSY"),
        (b"1," + b",".join([b"0.5"] * 18) + b"\n", "only the label 1"),
    ):
        susy.write_bytes(gzip.compress(content))
        with pytest.raises(DataSchemaError, match=f"SUSY.csv.gz.*{why}"):
            load_susy(variant="full")

    jets = np.zeros((5, 3, 4), np.float32)
    jets[:, 0] = (100.0, 0.1, 0.2, 21)
    jets[3, 0, 1] = np.nan
    with pytest.raises(DataSchemaError, match=r"first jets \[3\]"):
        jet_images(jets, 12, progress=False)
    with pytest.raises(ValueError, match="must be an integer"):
        load_qg_jets(n_jets=0)


def test_more_events_than_a_file_holds_is_an_error(shared):
    from qmlhep.data import load_susy

    with pytest.raises(ValueError, match="holds 10,000"):
        load_susy(n_events=20_000)
    assert len(load_susy(n_events=20_000, allow_fewer=True).y) == 10_000
    with pytest.raises(ValueError, match="n_events=-5"):
        load_susy(n_events=-5)
