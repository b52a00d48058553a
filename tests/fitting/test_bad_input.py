"""Bad input to the estimators and training loops gives a clear error before any training:
non-finite values naming the argument and rows, labels that are not two classes or not one
per sample, non-positive counts, and use before fit."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from qmlhep.jets.image_classifier import ImageClassifier, conv_classifier_12
from qmlhep.susy.dnn import DNNClassifier
from qmlhep.susy.qcl import QCLClassifier
from qmlhep.susy.vqc import VQCClassifier

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 3))
Y = np.repeat([0, 1], 20)


def _with_nan(X, row=7):
    X = np.array(X, dtype=float)
    X[row].flat[0] = np.nan
    return X


@pytest.mark.parametrize(
    "make",
    [
        lambda: QCLClassifier(max_iter=20),
        lambda: VQCClassifier(max_iter=20),
        lambda: DNNClassifier(max_iter=2),
    ],
    ids=["qcl", "vqc", "dnn"],
)
def test_classifiers_check_inputs_before_training(make):
    with pytest.raises(ValueError, match=r"first rows \[7\]"):
        make().fit(_with_nan(X), Y)
    with pytest.raises(ValueError, match="exactly two classes"):
        make().fit(X, np.arange(40) % 3)
    with pytest.raises(ValueError, match="39 labels but there are 40"):
        make().fit(X, Y[:39])
    with pytest.raises(ValueError, match="NaN labels"):
        make().fit(X, np.where(np.arange(40) == 3, np.nan, Y.astype(float)))
    with pytest.raises(NotFittedError):
        make().predict_proba(X)


def test_non_positive_counts_are_refused():
    with pytest.raises(ValueError, match="max_iter=0"):
        QCLClassifier(max_iter=0).fit(X, Y)
    with pytest.raises(ValueError, match="max_iter=0"):
        DNNClassifier(max_iter=0).fit(X, Y)


def test_image_classifier_checks_training_and_validation_images():
    images = RNG.random((40, 12, 12)).astype(np.float32)
    clf = ImageClassifier(lambda: conv_classifier_12(filters=2, hidden=4), max_iter=1)
    with pytest.raises(ValueError, match=r"X has .* \(first rows \[7\]\)"):
        clf.fit(_with_nan(images), Y)
    with pytest.raises(ValueError, match="validation images"):
        clf.fit(images, Y, validation=(_with_nan(images[:10], 2), Y[:10]))
    with pytest.raises(NotFittedError):
        clf.predict_proba(images)


def test_sqae_checks_images_and_counts():
    from qmlhep.jets.sqae import SQAE
    from qmlhep.simulation.patch_circuit import PatchCircuit

    images = RNG.random((40, 12, 12))
    with pytest.raises(ValueError, match=r"SQAE: images .* \(first rows \[7\]\)"):
        SQAE(PatchCircuit(), batch_size=8, max_iter=1).fit(_with_nan(images))
    with pytest.raises(ValueError, match="max_iter=0"):
        SQAE(PatchCircuit(), batch_size=8, max_iter=0).fit(images)


def test_circuits_too_large_for_the_machine_are_refused_before_allocation():
    from qmlhep.susy.qcl_circuit import QCLCircuit

    with pytest.raises(MemoryError, match=r"QCL on 18 qubits .* GiB .* fewer variables"):
        QCLCircuit(18)
    with pytest.raises(MemoryError, match="18 qubits"):
        QCLClassifier(max_iter=50).fit(RNG.normal(size=(40, 18)), Y)


def test_zero_shots_and_unfitted_single_qubit_classifier_are_refused():
    from qmlhep.jets.single_qubit_reuploading import ReuploadingClassifier

    with pytest.raises(ValueError, match="shots=0"):
        VQCClassifier(max_iter=20, shots=0).fit(X, Y)
    with pytest.raises(NotFittedError):
        ReuploadingClassifier().predict_proba(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"first rows \[7\]"):
        ReuploadingClassifier(max_iter=1).fit(_with_nan(RNG.normal(size=(40, 2))), Y)


def test_sqae_scores_only_after_fit_and_reconstruct_checks_images():
    from qmlhep.fitting.autoencoder_training import reconstruct
    from qmlhep.jets.conv_autoencoder import conv_autoencoder_12
    from qmlhep.jets.sqae import SQAE
    from qmlhep.simulation.patch_circuit import PatchCircuit

    images = RNG.random((8, 12, 12))
    model = SQAE(PatchCircuit(), batch_size=8, max_iter=1)
    assert model.fidelity(images).shape == (8,)  # the untrained circuit is a fine thing to ask
    with pytest.raises(NotFittedError):
        model.score_samples(images)
    with pytest.raises(ValueError, match=r"images to reconstruct .* \[7\]"):
        reconstruct(conv_autoencoder_12(), _with_nan(images))


def test_too_few_events_for_the_early_stopping_hold_out_name_the_rule():
    X = np.random.default_rng(0).normal(size=(8, 3))
    y = np.array([0, 1, 1, 1, 1, 1, 1, 1])  # one event of class 0: no stratified hold-out
    with pytest.raises(
        ValueError, match=r"DNNClassifier: early stopping holds out 20%.*1 of class 0"
    ):
        DNNClassifier(max_iter=1).fit(X, y)
    with pytest.raises(ValueError, match=r"at least 2 events of each class and 6 in all"):
        DNNClassifier(max_iter=1).fit(X[:5], np.array([0, 1, 0, 1, 0]))


def test_complex_inputs_are_refused_not_cast():
    from qmlhep.fitting.validation import check_finite

    with pytest.raises(ValueError, match="X is not numeric.*complex"):
        check_finite(np.ones((3, 2)) * (1 + 2j), "X", "model")


def test_an_image_classifier_with_too_few_images_for_its_hold_out_names_the_rule():
    X = np.random.default_rng(0).random((5, 12, 12)).astype("float32")
    with pytest.raises(ValueError, match=r"ImageClassifier: early stopping holds out 20%"):
        ImageClassifier(conv_classifier_12, max_iter=1).fit(X, np.array([0, 1, 0, 1, 0]))
