"""Physically impossible or extreme inputs are refused at the boundary, naming the file or
the argument: one-class files, negative pT, features too extreme for a scaler."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from qmlhep.data.files import DataSchemaError
from qmlhep.data.jet_images import jet_images
from qmlhep.data.labelled import check_labels
from qmlhep.data.qg_jets import _read_npz
from qmlhep.data.splits import balanced_subset, stratified_subset
from qmlhep.fitting.validation import CheckedStandardScaler, check_scalable
from qmlhep.studies.twins import linear_reference
from qmlhep.susy.sklearn_mlp import mlp_classifier


def _jets(n: int = 6) -> np.ndarray:
    X = np.zeros((n, 3, 4), np.float32)
    X[:, 0] = (100.0, 0.1, 0.2, 21)
    X[:, 1] = (20.0, -0.1, 0.1, 22)
    return X


def test_a_jet_file_of_one_class_is_refused_naming_it(tmp_path):
    path = tmp_path / "QG_jets.npz"
    np.savez(path, X=_jets(), y=np.ones(6))
    with pytest.raises(DataSchemaError, match="QG_jets.npz holds only the label 1"):
        _read_npz(path)
    np.savez(path, X=_jets(), y=np.array([0, 1] * 3))
    X, y = _read_npz(path)
    assert X.shape == (6, 3, 4) and y.tolist() == [0, 1] * 3


def test_negative_particle_pt_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "QG_jets.npz"
    X = _jets()
    X[2, 1, 0] = -5.0
    np.savez(path, X=X, y=np.array([0, 1] * 3))
    with pytest.raises(DataSchemaError, match=r"QG_jets.npz: particle pT must not be negative"):
        _read_npz(path)


def test_a_head_of_one_class_may_be_read_when_asked():
    assert check_labels(np.ones(4), "f.h5", both=False).tolist() == [1] * 4
    with pytest.raises(DataSchemaError, match="f.h5 holds only the label 0"):
        check_labels(np.zeros(4), "f.h5")


def _extreme(rng) -> tuple[np.ndarray, np.ndarray]:
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(int)
    X[:, 2] *= 1e200  # finite, but its variance overflows float64
    return X, y


def test_a_standard_scaler_would_silently_drop_an_extreme_feature():
    from sklearn.preprocessing import StandardScaler

    X, _ = _extreme(np.random.default_rng(0))
    with np.errstate(all="ignore"):
        scaled = StandardScaler().fit_transform(X)
    assert np.ptp(scaled[:, 2]) == 0 or not np.isfinite(scaled[:, 2]).all()  # what we avoid
    with pytest.raises(ValueError, match=r"too small\) to scale \(columns \[2\]"):
        CheckedStandardScaler().fit(X)
    X[:, 2] = np.random.default_rng(1).normal(size=len(X)) * 1e-300  # the variance underflows
    with pytest.raises(ValueError, match=r"columns \[2\]"):
        CheckedStandardScaler().fit(X)


@pytest.mark.parametrize("make", [mlp_classifier, linear_reference])
def test_book_pipelines_refuse_extreme_features(make):
    X, y = _extreme(np.random.default_rng(1))
    with pytest.raises(ValueError, match=r"columns \[2\].*rescale"):
        make().fit(X, y)
    X[:, 2] /= 1e200  # the same feature in sensible units trains
    assert make().fit(X, y).predict_proba(X).shape == (200, 2)


def test_check_scalable_passes_ordinary_and_edge_shapes():
    X = np.arange(12.0).reshape(6, 2)
    assert check_scalable(X) is X
    assert check_scalable(np.zeros((0, 3))).shape == (0, 3)
    with pytest.raises(ValueError, match=r"columns \[0\]"):
        check_scalable(np.array([[-1.7e308], [1.7e308]]))


def test_extreme_but_valid_pt_gives_the_same_image_not_an_empty_one():
    from qmlhep.data.jet_images import jet_images, pixelate, preprocess

    jets = _jets(3).astype(np.float64)
    ordinary = jet_images(jets, 12, progress=False)
    for factor in (1e37, 1e-42):  # float32 pixels would overflow to inf, or vanish
        scaled = jets.copy()
        scaled[..., 0] *= factor
        np.testing.assert_allclose(jet_images(scaled, 12, progress=False), ordinary, atol=1e-6)
    huge = jets.copy()
    huge[..., 0] *= 1e37
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert np.nan_to_num(preprocess(pixelate(huge), 12)).max() == 0  # what we avoid
    assert ordinary.max() == 1.0


def test_negative_pt_in_jet_arrays_is_refused():
    from qmlhep.data.jet_images import jet_images

    jets = _jets(4)
    jets[1, 1, 0] = -3.0
    with pytest.raises(DataSchemaError, match=r"negative pT \(first jets \[1\]"):
        jet_images(jets, 12, progress=False)


@pytest.mark.parametrize(
    ("kw", "name"),
    [({"n_val": -5}, "n_val=-5"), ({"n_test": 0}, "n_test=0"), ({"n_train": 0}, "n_train=0")],
)
def test_split_sizes_are_counts(kw, name):
    from qmlhep.data.splits import anomaly_split

    y = np.array([0, 1] * 50)
    sizes = {"n_train": None, "n_val": 10, "n_test": 20, **kw}
    with pytest.raises(ValueError, match=f"anomaly_split: {name}"):
        anomaly_split(np.arange(100), y, normal_label=1, **sizes)
    train, val, test, _ = anomaly_split(np.arange(100), y, 1, None, 10, 20)
    assert not set(train) & set(test) and not set(val) & set(test) and not set(train) & set(val)


def test_a_split_that_shares_events_stops():
    from qmlhep.data.splits import check_disjoint

    check_disjoint(train=np.arange(5), test=np.arange(5, 9))
    with pytest.raises(RuntimeError, match=r"train and test sets share 2 events \(first \[3, 4\]"):
        check_disjoint(train=np.arange(5), test=np.arange(3, 9))


def test_susy_train_test_sizes_are_counts(shared):
    from qmlhep.data import load_susy, train_test

    data = load_susy(n_events=1_000)
    with pytest.raises(ValueError, match="train_test: n_test=-100"):
        train_test(data, 600, -100)


def test_a_folder_where_a_data_file_should_be_is_named(isolated):
    from qmlhep.data import load_susy
    from qmlhep.data.files import DataNotFoundError

    (isolated.data / "SUSY_sample_10k.csv.gz").mkdir()
    with pytest.raises(DataNotFoundError, match="SUSY_sample_10k.csv.gz is a folder, not"):
        load_susy()


def test_a_generated_sample_without_its_arrays_names_the_file(tmp_path):
    import hashlib

    from qmlhep.data.files import ChecksumError
    from qmlhep.data.generated_jets import _read

    body = tmp_path / "body.npz"
    np.savez(body, X=np.zeros((2, 3, 4)))
    data = body.read_bytes()
    path = tmp_path / f"qg_pythia_x.{hashlib.sha256(data).hexdigest()[:16]}.npz"
    path.write_bytes(data)
    with pytest.raises(ChecksumError, match=r"lacks \['seed', 'settings', 'y'\]"):
        _read(path)


def test_susy_counts_are_checked_before_anything_is_read(isolated):
    from qmlhep.data import load_susy

    with pytest.raises(ValueError, match="load_susy: n_events=1 must be an integer ≥ 2"):
        load_susy(n_events=1)  # no file in the data dir: checked before looking


def test_complex_or_too_large_jet_values_are_named_not_dropped_or_called_nan(tmp_path):
    path = tmp_path / "QG_jets.npz"
    np.savez(path, X=_jets().astype(np.complex64) + 1j, y=np.array([0, 1] * 3))
    with pytest.raises(DataSchemaError, match="QG_jets.npz holds complex numbers"):
        _read_npz(path)
    huge = _jets().astype(np.float64)
    huge[1, 0, 0] = 1e300  # finite in the file, infinite as float32
    np.savez(path, X=huge, y=np.array([0, 1] * 3))
    with pytest.raises(DataSchemaError, match=r"values up to 1e\+300, beyond what float32"):
        _read_npz(path)
    with pytest.raises(DataSchemaError, match="must be real numbers"):
        jet_images(_jets().astype(complex), 8, progress=False)


@pytest.mark.parametrize("size", [0, -3, 2.5, "16", [8, 0]])
def test_image_sizes_are_positive_integers(size):
    with pytest.raises(ValueError, match="jet_images: size=.* must be an integer ≥ 1"):
        jet_images(_jets(), size, progress=False)
    assert jet_images(_jets(), np.int64(4), progress=False).shape == (6, 4, 4)


def test_subset_sizes_that_cannot_hold_the_classes_are_refused():
    X, y = np.arange(20.0).reshape(10, 2), np.array([0, 1] * 5)
    for size in (1, 9):
        with pytest.raises(ValueError, match=r"use 2 ≤ size ≤ 8, or size ≥ 10"):
            stratified_subset(X, y, size, seed=0)
    with pytest.raises(ValueError, match="stratified_subset: size=0"):
        stratified_subset(X, y, 0, seed=0)
    assert np.bincount(stratified_subset(X, y, 4, seed=0)[1]).tolist() == [2, 2]
    assert len(stratified_subset(X, y, 12, seed=0)[1]) == 10
    with pytest.raises(ValueError, match="balanced_subset: size=1 must be an integer ≥ 2"):
        balanced_subset(X, y, 1, seed=0)
    with pytest.raises(ValueError, match="must hold two classes"):
        balanced_subset(X, np.zeros(10), 4, seed=0)
    assert np.bincount(balanced_subset(X, y, 5, seed=0)[1]).tolist() == [2, 2]
