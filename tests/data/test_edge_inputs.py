"""Physically impossible or extreme inputs are refused at the boundary, naming the file or
the argument: one-class files, negative pT, features too extreme for a scaler."""

from __future__ import annotations

import numpy as np
import pytest

from qmlhep.data.files import DataSchemaError
from qmlhep.data.labelled import check_labels
from qmlhep.data.qg_jets import _read_npz
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
    with pytest.raises(ValueError, match=r"too extreme to scale \(columns \[2\]"):
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
