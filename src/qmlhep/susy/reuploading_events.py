"""A data re-uploading classifier for SUSY events, its product twin and its classical twin.

``ReuploadingEventClassifier(n_qubits=2, layers=3).fit(X, y)``: the event's standardised
variables are uploaded onto every qubit in every layer
(:class:`~qmlhep.simulation.feature_circuit.FeatureCircuit`), and the probability of
signal is read off the qubits by ``readout``: ``"first"``, the probability of finding
qubit 0 in ``|1⟩``, ``p = (1 - ⟨Z_0⟩) / 2``; ``"mean"``, the same of the mean over all
qubits, ``p = (1 - mean_q ⟨Z_q⟩) / 2`` — every qubit reaches the output with no extra
parameter, so the product twin (where no gate links qubit ``q > 0`` to qubit 0) has no
idle parameter either. It is
trained exactly like the book's DNN (:class:`~qmlhep.susy.dnn.TabularKerasClassifier`:
binary cross-entropy, Adam, early stopping on a held-out 20 %, the best weights kept).

Twins, for the question "is any of it quantum?":

- ``entangler="none"``: the product twin, every two-qubit gate removed (compare it with the
  ``readout="mean"`` model: with ``"first"`` its qubits ``q > 0`` are idle);
- :func:`classical_twin`: a one-hidden-layer DNN with (as nearly as widths allow) the same
  number of trainable parameters, the same inputs and output, trained the same way.
"""

from __future__ import annotations

import keras

from qmlhep.simulation.feature_circuit import FeatureCircuit
from qmlhep.simulation.keras_layer import QuantumFeatureLayer
from qmlhep.susy.dnn import DNNClassifier, TabularKerasClassifier, width_for_params


@keras.saving.register_keras_serializable(package="qmlhep")
class FirstQubitProbability(keras.layers.Layer):
    """``⟨Z⟩`` of every qubit ``(B, n)`` → ``P(qubit 0 in |1⟩) = (1 - ⟨Z_0⟩) / 2``, ``(B, 1)``."""

    def call(self, z):
        return (1.0 - z[:, :1]) / 2.0

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)


@keras.saving.register_keras_serializable(package="qmlhep")
class MeanQubitProbability(keras.layers.Layer):
    """``⟨Z⟩`` of every qubit ``(B, n)`` → ``(1 - mean_q ⟨Z_q⟩) / 2``, ``(B, 1)``: the
    probability of ``|1⟩`` averaged over the qubits."""

    def call(self, z):
        return (1.0 - keras.ops.mean(z, axis=1, keepdims=True)) / 2.0

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)


READOUTS = {"first": FirstQubitProbability, "mean": MeanQubitProbability}


class ReuploadingEventClassifier(TabularKerasClassifier):
    """Re-uploading circuit on ``n_qubits`` qubits; ``predict_proba`` returns (n, 2)."""

    checkpoint_name = "reuploading_events"

    def __init__(
        self,
        n_qubits: int = 2,
        layers: int = 3,
        entangler: str = "cz",
        max_iter: int = 200,
        batch_size: int = 64,
        learning_rate: float = 1e-2,
        patience: int = 15,
        random_state: int = 0,
        readout: str = "first",
        progress: bool | str = False,
    ):
        self.readout = readout
        self.n_qubits = n_qubits
        self.layers = layers
        self.entangler = entangler
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.patience = patience
        self.random_state = random_state
        self.progress = progress

    def circuit(self, n_features: int) -> FeatureCircuit:
        """The circuit this classifier builds for ``n_features`` input variables."""
        return FeatureCircuit(n_features, self.n_qubits, self.layers, self.entangler)

    def _network(self, n_inputs: int):
        if self.readout not in READOUTS:
            raise ValueError(f"readout must be one of {tuple(READOUTS)}, got {self.readout!r}.")
        c = self.circuit(n_inputs)
        inputs = keras.Input(shape=(n_inputs,), name="features")
        z = QuantumFeatureLayer(
            n_inputs, c.n_qubits, c.layers, c.entangler, c.axes, name="circuit"
        )(inputs)
        p = READOUTS[self.readout](name="p_signal")(z)
        return keras.Model(inputs, p, name="reuploading")


def classical_twin(quantum: ReuploadingEventClassifier, n_inputs: int) -> DNNClassifier:
    """The parameter-matched DNN of ``quantum`` on ``n_inputs`` variables: same ``max_iter``,
    batch size, patience and seed; Adam at the DNN's own learning rate."""
    width = width_for_params(quantum.circuit(n_inputs).n_params, n_inputs)
    return DNNClassifier(
        hidden=(width,),
        max_iter=quantum.max_iter,
        batch_size=quantum.batch_size,
        patience=quantum.patience,
        random_state=quantum.random_state,
    )
