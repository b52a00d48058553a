"""Re-uploading of a feature vector (an event's kinematic variables) onto a few qubits.

The tabular sibling of :class:`~qmlhep.simulation.patch_circuit.PatchCircuit`: instead
of one image patch per qubit, *every* qubit uploads *all* ``n_features`` variables of
the event, each as a rotation ``R_{a_j}(w_{lqj} x_j + b_{lqj})`` with its own weight and
bias (axes cycling through ``axes``), then the qubits are entangled (CZ ring, CNOT
ladder, or nothing), and this is repeated ``layers`` times (Pérez-Salinas et al. 2020,
their multi-qubit classifier). ``entangler="none"`` is the *product twin*: the same
uploads with every two-qubit gate removed. Parameters: ``2 × layers × qubits × features``.

It has the attributes the batched simulator reads (``n_qubits``, ``entangler``,
:meth:`pixel_axes`, :meth:`entangler_pairs`), so
:func:`qmlhep.simulation.patch_simulator.final_states` runs it unchanged, with
:meth:`patches` giving every qubit the same features.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qmlhep.simulation.patch_circuit import UploadLayout


@dataclass(frozen=True)
class FeatureCircuit(UploadLayout):
    """Layout and gate choices of a feature re-uploading circuit."""

    n_features: int
    n_qubits: int = 2
    layers: int = 3
    entangler: str = "cz"
    axes: str = "YZ"

    def __post_init__(self):
        for name in ("n_features", "n_qubits", "layers"):
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or value < 1:
                raise ValueError(
                    f"FeatureCircuit: {name} must be a positive integer, got {value!r}."
                )
        self._check_gates()

    @property
    def param_shape(self) -> tuple[int, int, int]:
        """Shape of the weights and of the biases: ``(layers, qubits, features)``."""
        return self.layers, self.n_qubits, self.n_features

    def patches(self, X):
        """``(B, features)`` events → ``(B, qubits, features)``: every qubit sees the event."""
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(
                f"expected events of shape (n, {self.n_features}), got {tuple(X.shape)}."
            )
        return X[:, None, :] * np.ones((1, self.n_qubits, 1), dtype=X.dtype)
