"""CPU time and memory of the two QCL simulation paths versus the number of qubits."""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pandas as pd

from qmlhep.fitting.progress import bar
from qmlhep.susy.qcl_circuit import QCLCircuit
from qmlhep.susy.qcl_qulacs import expectations_qulacs

BYTES_PER_AMPLITUDE = 16  # complex128


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure_scaling(
    n_qubits: list[int], n_events: int, depth: int = 3, seed: int = 0
) -> pd.DataFrame:
    """One cost evaluation on ``n_events`` random events per qubit count, both paths.

    Columns: ``n_qubits``; ``setup_s`` (building ``exp(-iHt)`` by diagonalising the dense
    Hamiltonian, shared by both paths); ``qulacs_s`` and ``batched_s`` (seconds per cost
    evaluation); ``batched_bytes`` (peak NumPy memory of the batched evaluation, measured
    with ``tracemalloc``); ``qulacs_bytes`` (what Qulacs holds: one state vector and the
    ``depth`` dense time-evolution gates, from their sizes — its C++ memory is not
    visible to ``tracemalloc``).
    """
    rows = []
    rng = np.random.default_rng(seed)
    for n in bar(n_qubits, desc="qubits"):
        circuit = QCLCircuit(n, depth=depth, hamiltonian_seed=seed)
        X = rng.uniform(-1, 1, (n_events, n))
        theta = rng.uniform(0, 2 * np.pi, circuit.n_params)
        setup = _timed(lambda c=circuit: c.time_evolution)
        rows.append(
            {
                "n_qubits": n,
                "setup_s": setup,
                "qulacs_s": _timed(lambda c=circuit, X=X, t=theta: expectations_qulacs(c, X, t)),
                "batched_s": min(
                    _timed(lambda c=circuit, X=X, t=theta: c.expectations(X, t)) for _ in range(2)
                ),
                "batched_bytes": _peak_bytes(lambda c=circuit, X=X, t=theta: c.expectations(X, t)),
                "qulacs_bytes": BYTES_PER_AMPLITUDE * (2**n + depth * 4**n),
            }
        )
    return pd.DataFrame(rows).set_index("n_qubits")


def growth_per_qubit(series: pd.Series, last: int = 3) -> float:
    """Geometric mean ratio between consecutive qubit counts over the ``last`` steps."""
    values = series.to_numpy()[-(last + 1) :]
    return float(np.exp(np.mean(np.diff(np.log(values)))))
