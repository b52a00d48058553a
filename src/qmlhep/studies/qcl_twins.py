"""The QCL's controls for "is any of it quantum?", all trained the QCL's way.

:func:`twin_makers` gives ``make(size, seed)`` for :func:`qmlhep.studies.size_scan.size_scan`:

- the QCL with the readout :data:`READOUT` (the mean ``⟨Z_q⟩`` over even and over odd
  qubits): with 3 variables the paper's ``⟨Z_0⟩, ⟨Z_1⟩`` would leave qubit 2 unread in
  the product twin, so both circuits of the comparison read every qubit;
- its product twin (Ising couplings ``J = 0``, no entangling gate), same readout;
- the parameter-matched DNN (:data:`~qmlhep.susy.dnn.SMALL_DNN_WIDTH`), trained like the
  QCL on *all* the training events for a fixed budget (``epochs`` epochs, nothing held
  out, no early stopping — the QCL runs COBYLA for its ``max_iter`` evaluations);
- logistic regression, the trivial reference (fitted to convergence on the same events).
"""

from __future__ import annotations

from qmlhep.studies.twins import linear_reference, n_params_linear
from qmlhep.susy.dnn import SMALL_DNN_WIDTH, DNNClassifier, n_params_mlp
from qmlhep.susy.qcl import QCLClassifier
from qmlhep.susy.qcl_circuit import QCLCircuit

READOUT = "all"
"""The readout of both circuits of the twin comparison."""

QUANTUM = "QCL (every qubit read)"
LABELS = (QUANTUM, "product twin", "param.-matched DNN", "linear")


def twin_makers(max_iter: int, dnn_epochs: int, nvar: int = 3, layers: int = 3) -> dict:
    """``{label: make(size, seed)}`` for the models of :data:`LABELS`."""
    width = SMALL_DNN_WIDTH[nvar]

    def qcl(**extra):
        return lambda n, seed: QCLClassifier(
            layers=layers, max_iter=max_iter, random_state=seed, readout=READOUT, **extra
        )

    return {
        QUANTUM: qcl(),
        "product twin": qcl(entangler="none"),
        "param.-matched DNN": lambda n, seed: DNNClassifier(
            hidden=(width,), max_iter=dnn_epochs, early_stopping=False, random_state=seed
        ),
        "linear": lambda n, seed: linear_reference(seed),
    }


def n_params(nvar: int = 3, depth: int = 3) -> dict[str, int]:
    """Trainable parameters of every model of :data:`LABELS`."""
    q = QCLCircuit(nvar, depth).n_params
    return {
        QUANTUM: q,
        "product twin": q,
        "param.-matched DNN": n_params_mlp(nvar, (SMALL_DNN_WIDTH[nvar],)),
        "linear": n_params_linear(nvar),
    }
