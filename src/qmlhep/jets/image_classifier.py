"""Supervised jet-image classifiers with the scikit-learn interface, and the conv baseline.

``ImageClassifier(build).fit(X, y, validation=(X_val, y_val)).predict_proba(X)`` trains
any Keras model ``build()`` that maps images ``(H, W, 1)`` to one sigmoid output (quark
or gluon) with AdamW and binary cross-entropy, stops early on the validation loss (the
best weights are kept) and records the loss and wall time of every epoch in
``history_``. :func:`conv_classifier_12` is the 12×12 convolutional baseline of the
transformer chapter.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted

from qmlhep.fitting.estimators import KerasBinaryClassifier
from qmlhep.fitting.keras_loop import seed_everything, train_classifier
from qmlhep.fitting.validation import check_count, check_finite, check_holdout, check_labels


def conv_classifier_12(filters: int = 8, hidden: int = 16):
    """12×12×1 → Conv(f, 3×3) → pool → Conv(2f, 3×3) → global average → Dense → sigmoid."""
    # imported here, not at the top: optional dependencies (extras): keras
    import keras
    from keras import layers

    inputs = keras.Input(shape=(12, 12, 1), name="image")
    x = layers.Conv2D(filters, 3, padding="same", activation="relu", name="conv_1")(inputs)
    x = layers.MaxPooling2D(2, name="pool")(x)  # 6×6
    x = layers.Conv2D(2 * filters, 3, padding="same", activation="relu", name="conv_2")(x)
    x = layers.GlobalAveragePooling2D(name="average")(x)
    x = layers.Dense(hidden, activation="relu", name="hidden")(x)
    outputs = layers.Dense(1, activation="sigmoid", name="p_quark")(x)
    return keras.Model(inputs, outputs, name="conv12")


class ImageClassifier(KerasBinaryClassifier):
    """Binary image classifier around a Keras model builder; ``predict_proba`` is (n, 2)."""

    def __init__(
        self,
        build: Callable[[], object],
        max_iter: int = 50,
        patience: int = 8,
        batch_size: int = 64,
        learning_rate: float = 3e-3,
        weight_decay: float = 1e-4,
        random_state: int = 0,
        progress: bool | str = False,
    ):
        self.build = build
        self.max_iter = max_iter
        self.patience = patience
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.random_state = random_state
        self.progress = progress

    def fit(
        self, X: np.ndarray, y: np.ndarray, validation: tuple[np.ndarray, np.ndarray] | None = None
    ) -> ImageClassifier:
        """Train on images ``X`` (n, H, W) and 0/1 labels ``y``; early stopping watches the
        loss on ``validation`` (default: a stratified fifth of ``X``)."""
        # imported here, not at the top: Keras takes seconds to import and only this needs it
        import keras

        who = type(self).__name__
        check_count(self.max_iter, "max_iter", who)
        X = check_finite(X, "X", who)
        self._targets(y, len(X))  # two classes, one per image: checked before splitting
        if validation is None:
            check_holdout(np.asarray(y), who)
            X, X_val, y, y_val = train_test_split(
                X, y, test_size=0.2, stratify=y, random_state=self.random_state
            )
        else:
            X_val, y_val = validation
            X_val = check_finite(X_val, "the validation images", who)
            check_labels(y_val, len(X_val), "the validation labels", who)
        target = self._targets(y)
        unknown = set(np.unique(y_val)) - set(self.classes_)
        if unknown:
            raise ValueError(
                f"{who}: the validation labels hold {sorted(unknown)}, not among "
                f"the training classes {self.classes_.tolist()}."
            )
        val_target = (np.asarray(y_val) == self.classes_[1]).astype(np.float32)
        seed_everything(self.random_state)
        self.model_ = self.build()
        self.model_.compile(
            optimizer=keras.optimizers.AdamW(self.learning_rate, weight_decay=self.weight_decay),
            loss="binary_crossentropy",
        )
        train_classifier(
            self,
            _images(X),
            target,
            (_images(X_val), val_target),
            self.batch_size,
            "image_classifier",
            unkeyed=("build", "progress"),
        )
        return self

    predict_batch = 512

    def _checked(self, X) -> np.ndarray:

        check_is_fitted(self, "model_")
        return check_finite(X, "X", type(self).__name__)

    def _inputs(self, X) -> np.ndarray:
        return _images(X)

    @property
    def s_per_epoch_(self) -> float:
        """Mean epoch wall time in seconds, without the first (it compiles)."""
        s = self.history_.seconds
        return float(s.iloc[1:].mean() if len(s) > 1 else s.iloc[0])


def _images(X) -> np.ndarray:
    X = np.asarray(X, dtype=np.float32)
    return X[..., None] if X.ndim == 3 else X
