"""CPU time and memory of the two QCL paths versus the number of qubits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qmlhep.studies.qcl_scaling import BYTES_PER_AMPLITUDE, growth_per_qubit, measure_scaling


def test_measure_scaling_reports_both_paths_per_qubit_count():
    table = measure_scaling([2, 3], n_events=20, depth=2)
    assert list(table.index) == [2, 3]
    assert set(table.columns) == {
        "setup_s",
        "qulacs_s",
        "batched_s",
        "batched_bytes",
        "qulacs_bytes",
    }
    assert (table[["setup_s", "qulacs_s", "batched_s"]] > 0).all().all()
    assert (table.batched_bytes > 0).all()
    # Qulacs holds one state vector and ``depth`` dense 2^n × 2^n gates
    assert table.qulacs_bytes.loc[3] == BYTES_PER_AMPLITUDE * (2**3 + 2 * 4**3)


def test_growth_per_qubit_is_the_geometric_mean_ratio_of_the_last_steps():
    s = pd.Series([1.0, 3.0, 6.0, 24.0, 48.0], index=[2, 3, 4, 5, 6])
    assert growth_per_qubit(s, last=2) == pytest.approx(np.sqrt(4 * 2))
    assert growth_per_qubit(s, last=4) == pytest.approx(48.0 ** (1 / 4))
