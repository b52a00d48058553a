"""One estimator vocabulary (docs/architecture.md, "Estimators follow scikit-learn"): the
same name for the same idea in every estimator of the package, found by walking it, so a
new estimator is checked without being listed here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

import qmlhep

DIALECTS = {
    "epochs": "max_iter",
    "maxiter": "max_iter",
    "n_epochs": "max_iter",
    "depth": "layers",
    "var_depth": "layers",
    "input_depth": "input_layers",
    "entanglement": "entangler",
    "product": 'entangler="none"',
    "backend": "simulator",
    "desc": "progress",
    "verbose": "progress",
    "seed": "random_state",
}
"""Names the book no longer uses for an estimator setting → the one it uses."""

VOCABULARY = ("max_iter", "layers", "entangler", "simulator", "progress", "random_state")


def _estimators() -> list[type]:
    """Every scikit-learn estimator class defined in ``qmlhep`` with its own parameters
    (not the abstract bases, not scikit-learn's own classes subclassed unchanged)."""
    found = []
    for info in pkgutil.walk_packages(qmlhep.__path__, "qmlhep."):
        if info.name.startswith("qmlhep.tooling"):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not (inspect.isclass(cls) and issubclass(cls, BaseEstimator)):
                continue
            own = getattr(cls.__init__, "__module__", None) or ""
            if cls.__module__ != info.name or not own.startswith("qmlhep"):
                continue
            params = inspect.signature(cls.__init__).parameters
            if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params.values()):
                continue  # a base without parameters of its own
            found.append(cls)
    return sorted(found, key=lambda c: c.__qualname__)


ESTIMATORS = _estimators()


def _params(cls: type) -> set[str]:
    return set(inspect.signature(cls.__init__).parameters) - {"self"}


def test_the_walk_finds_the_book_estimators():
    names = {cls.__name__ for cls in ESTIMATORS}
    assert {"SQAE", "EventQAE", "QCLClassifier", "VQCClassifier", "DNNClassifier"} <= names
    assert len(ESTIMATORS) >= 9


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_no_estimator_speaks_a_dialect(cls):
    spoken = {name: DIALECTS[name] for name in _params(cls) & set(DIALECTS)}
    assert not spoken, f"{cls.__name__} names its settings {spoken} (old name → book's name)"
    assert "random_state" in _params(cls) and "max_iter" in _params(cls)
    fit = inspect.signature(cls.fit).parameters
    assert not set(fit) & ({"progress", "desc", "verbose"} | set(DIALECTS)), (
        f"{cls.__name__}.fit takes settings that belong in __init__: {sorted(fit)}"
    )


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_gradient_trained_estimators_show_progress_from_init(cls):
    if "learning_rate" in _params(cls):  # every loop a reader waits for
        assert "progress" in _params(cls)
        assert inspect.signature(cls.__init__).parameters["progress"].default is False


def _tiny_fits():
    from qmlhep.bsm.dense_autoencoder import DenseAutoencoder
    from qmlhep.bsm.event_qae import EventQAE
    from qmlhep.jets.single_qubit_reuploading import ReuploadingClassifier, circle_dataset
    from qmlhep.jets.sqae import SQAE
    from qmlhep.simulation.patch_circuit import PatchCircuit
    from qmlhep.susy.dnn import DNNClassifier
    from qmlhep.susy.qcl import QCLClassifier

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), np.array([0, 1] * 20)
    angles = rng.uniform(0, np.pi, (32, 4))
    images = (rng.random((24, 12, 12)) < 0.1) * rng.random((24, 12, 12))
    return [
        (QCLClassifier(layers=1, max_iter=20), (X, y)),
        (QCLClassifier(layers=1, max_iter=20, entangler="none"), (X, y)),
        (DNNClassifier(hidden=(4,), max_iter=2), (X, y)),
        (ReuploadingClassifier(layers=1, max_iter=3), circle_dataset(20)),
        (EventQAE(max_iter=2, batch_size=16, entangler="none", n_trash=4), (angles,)),
        (DenseAutoencoder(max_iter=2, latent=1, hidden=(2,)), (angles,)),
        (SQAE(PatchCircuit(layers=1), max_iter=1, batch_size=8), (images,)),
    ]


@pytest.mark.slow
def test_history_is_a_table_and_n_params_comes_with_fit(isolated):
    for model, data in _tiny_fits():
        name = type(model).__name__
        assert not any(hasattr(model, a) for a in ("n_params_", "history_", "n_iter_")), name
        model.fit(*data)
        assert isinstance(model.history_, pd.DataFrame) and len(model.history_) >= 1, name
        assert model.history_.index[0] == 1, name  # epochs (or evaluations) count from 1
        assert isinstance(model.n_params_, int) and model.n_params_ > 0, name
        assert model.n_iter_ == len(model.history_), name  # scikit-learn's name for it


def test_the_architecture_page_states_the_vocabulary():
    page = (Path(__file__).parents[1] / "docs" / "architecture.md").read_text()
    for name in (*VOCABULARY, "history_", "n_params_", 'entangler="none"'):
        assert f"`{name}" in page, name
