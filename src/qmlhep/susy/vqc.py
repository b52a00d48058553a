"""``VQCClassifier``: the variational quantum classifier as a scikit-learn classifier.

As in Terashi et al.: inputs scaled linearly to [-1, 1] with the training sample's range,
the circuit of :mod:`qmlhep.susy.vqc_circuit`, every qubit measured with ``shots``
shots, the outcomes mapped to the two classes (:func:`~qmlhep.susy.vqc_circuit.outcome_classes`),
the class frequencies as probabilities, cross-entropy minimised by COBYLA for ``max_iter``
evaluations. Each cost evaluation is one sampler call with one parameter row per event.
"""

from __future__ import annotations

import numpy as np
from qiskit import transpile

from qmlhep.fitting.validation import check_count
from qmlhep.susy.circuit_classifier import CircuitClassifier
from qmlhep.susy.vqc_circuit import (
    feature_map,
    n_params,
    outcome_classes,
    variational_form,
    vqc_circuit,
)
from qmlhep.susy.vqc_sampling import input_states, sampled_counts, statevector_counts

EPS = 1e-10
"""Probabilities are clipped to [EPS, 1 - EPS] before the logarithm of the cross-entropy."""


def default_sampler(seed: int):
    """Aer's noiseless ``SamplerV2`` with a fixed seed (the paper's QASM simulator)."""
    # imported here, not at the top: optional dependencies (extras): qiskit_aer
    from qiskit_aer.primitives import SamplerV2

    return SamplerV2(seed=seed)


class VQCClassifier(CircuitClassifier):
    """Variational quantum classifier (two classes).

    Parameters
    ----------
    n_qubits: qubits = input features; ``None`` takes the count from ``X``.
    encoding: ``"foe"`` or ``"soe"`` (first- or second-order expansion of ``U_Φ``).
    input_layers, layers: repetitions of ``U_in`` and of the entangling layer of ``U(θ)``.
    entangler: the CZ pairs of ``U(θ)`` (Qiskit's ``"full"``, ...); ``"none"`` removes
        them (with ``encoding="foe"``: the product twin).
    mapping: outcome-to-class map (``"aqua"``: the paper's, majority vote for odd ``n``).
    shots: shots per event and evaluation (1024); ``None`` with ``simulator="statevector"``
        uses exact probabilities.
    max_iter: COBYLA's maximum number of cost evaluations (the paper's N_iter = 100).
    simulator: ``"aer"`` (Aer's ``SamplerV2``), ``"statevector"`` (exact probabilities and
        NumPy shots, noiseless only), or any ``SamplerV2`` instance (Aer with a noise model,
        IBM Runtime on a device, or a :class:`~qmlhep.susy.ibm_job_store.ResumableSampler`).
    device: a backend to transpile to (its qubits, basis and connectivity), with
        ``initial_layout`` the physical qubits (the paper: ``[0, 1, 2]``).
    mitigator: a calibrated ``mthree.M3Mitigation``; counts are corrected before use.
    random_state: seeds the initial angles (uniform in [0, 2π)), the transpiler and shots.
    prescaled: inputs are already in [-1, 1] and are used as they are.

    After ``fit``: ``theta_``, ``n_params_``, ``history_`` (the ``cost`` per evaluation),
    ``circuit_`` (as run), ``scaler_``, ``classes_``.
    """

    who = "VQC"

    def __init__(
        self,
        n_qubits: int | None = None,
        encoding: str = "foe",
        input_layers: int = 1,
        layers: int = 1,
        entangler: str = "full",
        mapping: str = "aqua",
        shots: int | None = 1024,
        max_iter: int = 100,
        simulator="aer",
        device=None,
        initial_layout=None,
        mitigator=None,
        random_state: int = 0,
        prescaled: bool = False,
    ):
        self.n_qubits = n_qubits
        self.encoding = encoding
        self.input_layers = input_layers
        self.layers = layers
        self.entangler = entangler
        self.mapping = mapping
        self.shots = shots
        self.max_iter = max_iter
        self.simulator = simulator
        self.device = device
        self.initial_layout = initial_layout
        self.mitigator = mitigator
        self.random_state = random_state
        self.prescaled = prescaled

    # -- circuit and sampling -------------------------------------------------------------
    def _build(self, n: int) -> None:
        self.classes_of_outcomes_ = outcome_classes(n, self.mapping)
        self.n_params_ = n_params(n, self.layers)
        if isinstance(self.simulator, str) and self.simulator == "statevector":
            if self.device is not None or self.mitigator is not None:
                raise ValueError(
                    "simulator='statevector' is noiseless: use a SamplerV2 with "
                    "the device's noise model (ibm_devices.noisy_sampler) for "
                    "device runs and mitigation."
                )
            self._feature_map = feature_map(n, self.encoding, self.input_layers)
            self._variational = variational_form(n, self.layers, self.entangler)
            self.circuit_ = vqc_circuit(
                n, self.encoding, self.input_layers, self.layers, self.entangler
            )
            self._sampler = None
            return
        if isinstance(self.simulator, str) and self.simulator != "aer":
            raise ValueError(
                f"simulator must be 'aer', 'statevector' or a SamplerV2, got {self.simulator!r}."
            )
        if self.shots is None:
            raise ValueError("shots=None (exact probabilities) needs simulator='statevector'.")
        circuit = vqc_circuit(n, self.encoding, self.input_layers, self.layers, self.entangler)
        if self.device is not None:
            circuit = transpile(
                circuit,
                self.device,
                initial_layout=self.initial_layout,
                optimization_level=1,
                seed_transpiler=self.random_state,
            )
        self.circuit_ = circuit
        self._sampler = (
            default_sampler(self.random_state)
            if isinstance(self.simulator, str)
            else self.simulator
        )

    def _class1_probability(
        self, X_scaled: np.ndarray, theta: np.ndarray, states: np.ndarray | None = None
    ) -> np.ndarray:
        """P(class 1) per event, ``(N,)``: the frequency of class-1 outcomes."""
        if self._sampler is None:
            states = input_states(self._feature_map, X_scaled) if states is None else states
            counts = statevector_counts(
                states, self._variational, theta, self.shots, self.random_state
            )
        else:
            counts = sampled_counts(self._sampler, self.circuit_, X_scaled, theta, self.shots)
        if self.mitigator is not None:
            counts = self._mitigate(counts)
        p = counts @ self.classes_of_outcomes_ / counts.sum(axis=1)
        return np.clip(p, EPS, 1 - EPS)

    def _mitigate(self, counts: np.ndarray) -> np.ndarray:
        """Readout-corrected quasi-probabilities ``(N, 2**n)`` (M3, on the measured qubits)."""
        n = counts.shape[1].bit_length() - 1
        measured = {
            self.circuit_.find_bit(op.clbits[0]).index: self.circuit_.find_bit(op.qubits[0]).index
            for op in self.circuit_.data
            if op.operation.name == "measure"
        }
        qubits = [measured[k] for k in range(n)]  # physical qubit of each classical bit
        dicts = [{format(k, f"0{n}b"): int(c) for k, c in enumerate(row) if c} for row in counts]
        quasis = self.mitigator.apply_correction(dicts, qubits)
        out = np.zeros(counts.shape)
        for i, quasi in enumerate(quasis):
            for key, value in quasi.items():
                out[i, int(key, 2)] = value
        return out

    # -- scikit-learn interface -----------------------------------------------------------
    def fit(self, X, y) -> VQCClassifier:
        """Scale ``X`` (``(N, n)``) to [-1, 1] and train ``θ`` with COBYLA on labels ``y``."""
        X_scaled, y_index = self._prepare(X, y)
        if self.shots is not None:
            check_count(self.shots, "shots", "VQC")
        self._build(X_scaled.shape[1])
        states = input_states(self._feature_map, X_scaled) if self._sampler is None else None

        def cost(theta):
            p1 = self._class1_probability(X_scaled, theta, states)
            return -np.mean(np.where(y_index == 1, np.log(p1), np.log(1 - p1)))

        self._minimise(cost, self.n_params_, data=(X_scaled, y_index))
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities ``(N, 2)`` (measured frequencies), columns as ``classes_``."""
        p1 = self._class1_probability(self._scaled(X), self.theta_)
        return np.stack([1 - p1, p1], axis=1)

    def predict(self, X) -> np.ndarray:
        """The more frequent class per event."""
        p1 = self.predict_proba(X)[:, 1]  # checks the fit first
        return self.classes_[(p1 > 0.5).astype(int)]
