"""Fully connected classifiers in Keras 3 with the scikit-learn estimator interface.

``DNNClassifier(hidden=(64, 64)).fit(X, y).predict_proba(X)``: inputs standardised
inside the estimator, ReLU hidden layers, one sigmoid output, binary cross-entropy, Adam,
early stopping on the loss of a held-out 20 % of the training set (the best weights are
kept, :class:`qmlhep.fitting.keras_loop.KeepBest`), or, with ``early_stopping=False``, a
fixed budget of ``max_iter`` epochs on *all* the training events (the protocol of the
COBYLA-trained circuits, for their classical twins). :func:`dnn_for_size` grows the
network with the training set, as Terashi et al. did; :func:`small_dnn` is their
parameter-matched network with one hidden layer.
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from qmlhep.fitting.estimators import KerasBinaryClassifier
from qmlhep.fitting.keras_loop import seed_everything, train_classifier
from qmlhep.fitting.validation import check_count, check_holdout, check_training_data
from qmlhep.susy.model_sizes import for_size

DNN_SCHEDULE: tuple[tuple[int, int, int], ...] = (
    # (up to this many training events, hidden layers, nodes per layer)
    (100, 2, 16),
    (500, 3, 32),
    (1_000, 3, 64),
    (5_000, 4, 128),
    (50_000, 5, 256),
    (10**9, 6, 256),
)


def dnn_network(n_inputs: int, hidden: tuple[int, ...]):
    """Keras model ``n_inputs -> hidden... (ReLU) -> 1 (sigmoid)``."""
    # imported here, not at the top: Keras takes seconds to import and only this needs it
    import keras

    inputs = keras.Input(shape=(n_inputs,), name="features")
    x = inputs
    for i, width in enumerate(hidden):
        x = keras.layers.Dense(width, activation="relu", name=f"hidden_{i + 1}")(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="p_signal")(x)
    return keras.Model(inputs, outputs, name="dnn")


class TabularKerasClassifier(KerasBinaryClassifier):
    """How every network on event tables trains: inputs standardised on the training
    events, binary cross-entropy, Adam at ``learning_rate``, mini-batches of
    ``batch_size``, early stopping after ``patience`` epochs without improvement of the
    loss on a held-out 20 % (the best weights kept), at most ``max_iter`` epochs.
    Subclasses say which network: :meth:`_network` (one sigmoid output).

    A subclass with a parameter ``early_stopping`` set to False trains instead on *all*
    the training events for exactly ``max_iter`` epochs and keeps the last weights: no
    event is held out and nothing decides when to stop (``history_`` has no ``val_loss``).
    """

    checkpoint_name = "dnn"

    def _network(self, n_inputs: int):
        raise NotImplementedError

    def fit(self, X: np.ndarray, y: np.ndarray):
        """Train on ``X`` (n, n_features) and two-class labels ``y`` (n,)."""
        # imported here, not at the top: Keras takes seconds to import and only this needs it
        import keras

        check_count(self.max_iter, "max_iter", type(self).__name__)
        X, y = check_training_data(self, X, y)  # sets n_features_in_
        X = X.astype(np.float32)
        target = self._targets(y, len(X))
        seed_everything(self.random_state)
        stopping = getattr(self, "early_stopping", True)
        if stopping:
            check_holdout(target, type(self).__name__)
            X_tr, X_val, t_tr, t_val = train_test_split(
                X, target, test_size=0.2, stratify=target, random_state=self.random_state
            )
        else:  # a fixed budget on every training event
            X_tr, t_tr = X, target
        self.scaler_ = StandardScaler().fit(X_tr)
        self.model_ = self._network(X.shape[1])
        self.model_.compile(
            optimizer=keras.optimizers.Adam(self.learning_rate),
            loss="binary_crossentropy",
            steps_per_execution=16,
        )
        train_classifier(
            self,
            self.scaler_.transform(X_tr),
            t_tr,
            (self.scaler_.transform(X_val), t_val) if stopping else None,
            min(self.batch_size, len(t_tr)),
            self.checkpoint_name,
        )
        return self

    def _inputs(self, X) -> np.ndarray:
        return self.scaler_.transform(np.asarray(X, dtype=np.float32))


class DNNClassifier(TabularKerasClassifier):
    """Binary classifier; ``predict_proba`` returns (n, 2) = [P(0), P(1)].

    ``early_stopping``: True (the book's DNNs): stop on a held-out 20 %; False: exactly
    ``max_iter`` epochs on all the training events (``patience`` unused).
    """

    def __init__(
        self,
        hidden: tuple[int, ...] = (64, 64),
        max_iter: int = 200,
        batch_size: int = 64,
        learning_rate: float = 1e-3,
        patience: int = 15,
        random_state: int = 0,
        early_stopping: bool = True,
        progress: bool | str = False,
    ):
        self.early_stopping = early_stopping
        self.hidden = hidden
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.patience = patience
        self.random_state = random_state
        self.progress = progress

    def _network(self, n_inputs: int):
        return dnn_network(n_inputs, tuple(self.hidden))


def dnn_config(n_train: int) -> tuple[int, ...]:
    """Hidden layer widths for a training set of ``n_train`` events (:data:`DNN_SCHEDULE`)."""
    layers, width = for_size(DNN_SCHEDULE, n_train)
    return (width,) * layers


def dnn_for_size(n_train: int, random_state: int = 0, **kwargs) -> DNNClassifier:
    """Unfitted DNN sized for ``n_train`` events."""
    return DNNClassifier(hidden=dnn_config(n_train), random_state=random_state, **kwargs)


SMALL_DNN_WIDTH: dict[int, int] = {3: 5, 5: 6, 7: 7}
"""Hidden nodes of the parameter-matched DNN per number of inputs (26, 43, 64 parameters)."""


def small_dnn(n_inputs: int, random_state: int = 0, **kwargs) -> DNNClassifier:
    """One hidden layer of 5, 6, 7 nodes for 3, 5, 7 inputs: 26, 43, 64 parameters.

    Terashi et al.'s parameter-matched comparison for the quantum classifiers (their
    Fig. 11), which have 27, 45 and 63 parameters at 3, 5 and 7 qubits.
    """
    if n_inputs not in SMALL_DNN_WIDTH:
        raise ValueError(
            f"the parameter-matched DNN is defined for 3, 5 or 7 inputs, not {n_inputs}"
        )
    return DNNClassifier(hidden=(SMALL_DNN_WIDTH[n_inputs],), random_state=random_state, **kwargs)


def n_params_mlp(n_inputs: int, hidden: tuple[int, ...]) -> int:
    """Parameters of ``n_inputs -> hidden... -> 1`` with biases (no network built)."""
    widths = (n_inputs, *hidden, 1)
    return sum(a * b + b for a, b in zip(widths[:-1], widths[1:], strict=True))


def width_for_params(n_params: int, n_inputs: int) -> int:
    """Hidden nodes ``h`` of a one-hidden-layer DNN whose ``h (n_inputs + 2) + 1``
    parameters (:func:`n_params_mlp`) come nearest to ``n_params`` (at least 1): the width
    of a quantum model's classical twin."""
    return max(1, round((n_params - 1) / (n_inputs + 2)))
