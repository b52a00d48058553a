"""A sweep gives the same numbers serially, on local worker processes and on a Dask
cluster behind joblib."""

from __future__ import annotations

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.tree import DecisionTreeClassifier

from qmlhep.fitting import parallel
from qmlhep.studies.size_scan import size_scan

distributed = pytest.importorskip("dask.distributed")


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 4))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(0, 1, 400) > 0).astype(int)
    return X[:300], y[:300], X[300:], y[300:]


def _tree(size, seed):  # a model whose fit depends on its seed
    return DecisionTreeClassifier(max_features=2, random_state=seed)


def _sweep():
    scan = size_scan(_tree, *_data(), sizes=[50, 150], repeats=3, progress=False)
    return scan.runs


@pytest.mark.slow
def test_dask_cluster_and_local_processes_give_the_serial_results():
    serial = _sweep()
    assert serial.auc.nunique() > 1  # seeds and sizes matter, so a mix-up would show
    with joblib.parallel_config(n_jobs=2):
        pd.testing.assert_frame_equal(_sweep(), serial)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
        parallel.on_cluster(client),
    ):
        on_dask = _sweep()
        assert joblib.parallel.get_active_backend()[0].__class__.__name__ == (
            "DaskDistributedBackend"
        )
        assert len(client.scheduler_info()["workers"]) == 2
    pd.testing.assert_frame_equal(on_dask, serial)


def test_environment_names_a_scheduler_or_nothing(monkeypatch):
    monkeypatch.delenv(parallel.SCHEDULER_ENV, raising=False)
    assert parallel.connect_from_environment() is None
    monkeypatch.setenv(parallel.SCHEDULER_ENV, "tcp://127.0.0.1:9")  # nothing listens there
    with pytest.raises(OSError, match="no Dask scheduler answers there"):
        parallel.connect_from_environment(timeout=2)


@pytest.mark.slow
def test_a_black_holed_or_malformed_scheduler_address_fails_within_its_deadline(monkeypatch):
    import socket
    import threading
    import time

    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(8)
    accepted = []
    threading.Thread(
        target=lambda: [accepted.append(hole.accept()) for _ in range(8)], daemon=True
    ).start()
    monkeypatch.setenv(parallel.SCHEDULER_ENV, f"tcp://127.0.0.1:{hole.getsockname()[1]}")
    start = time.monotonic()
    with pytest.raises(TimeoutError, match="QMLHEP_DASK_SCHEDULER=.*no Dask scheduler answered"):
        parallel.connect_from_environment(timeout=1)
    assert time.monotonic() - start < 9
    hole.close()
    monkeypatch.setenv(parallel.SCHEDULER_ENV, "not-a-scheme://where")
    with pytest.raises((ValueError, OSError), match="QMLHEP_DASK_SCHEDULER"):
        parallel.connect_from_environment(timeout=1)


@pytest.mark.parametrize(
    "address", ["tcp://127.0.0.1:99999", "tcp://127.0.0.1:0", "http://h:1", "tcp://:8786"]
)
def test_a_scheduler_address_out_of_range_is_refused_before_connecting(monkeypatch, address):
    import time

    monkeypatch.setenv(parallel.SCHEDULER_ENV, address)
    start = time.monotonic()
    with pytest.raises(ValueError, match="QMLHEP_DASK_SCHEDULER=.*port in 1–65535"):
        parallel.connect_from_environment(timeout=30)
    assert time.monotonic() - start < 1  # refused as read, not after the 30 s timeout
