"""Independent fits on every local core, or on many machines, through joblib.

Every sweep of the book (training sizes × repeats in :func:`~qmlhep.studies.size_scan.size_scan`,
trials in :func:`~qmlhep.studies.vqc_trials.run_trials`) is a list of independent fits, each
with its own seed, handed to :class:`joblib.Parallel`. Where they run is joblib's
choice, set around the call and never in the study code:

- nothing set: one after the other (``n_jobs=None``), or the ``n_jobs`` a chapter asks for;
- ``with joblib.parallel_config(n_jobs=-1):`` every local core (worker processes);
- ``with on_cluster(client):`` the workers of a Dask cluster (joblib's ``"dask"``
  backend), local (:class:`dask.distributed.LocalCluster`) or remote;
- ``QMLHEP_DASK_SCHEDULER=tcp://host:8786`` in the environment: every chapter's
  :func:`qmlhep.chapter.setup` connects to that scheduler (:func:`connect_from_environment`).

Results do not depend on where the fits run: each one is seeded by its task, and joblib
returns them in task order.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import joblib

SCHEDULER_ENV = "QMLHEP_DASK_SCHEDULER"
"""The environment variable naming a Dask scheduler (``tcp://host:port``) for a build."""


@contextmanager
def on_cluster(client=None) -> Iterator[object]:
    """Run every joblib sweep inside on the workers of a Dask ``client`` (default: a new
    :class:`~dask.distributed.LocalCluster` for this block). Yields the client."""

    Client = _client_class()
    own = client is None
    client = Client(processes=True) if own else client
    try:
        with joblib.parallel_config(backend="dask", n_jobs=-1):
            yield client
    finally:
        if own:
            client.close()


def connect_from_environment(timeout: float = 30.0):
    """If ``QMLHEP_DASK_SCHEDULER`` names a scheduler, connect to it and make its workers
    the default for every joblib sweep of this process; returns the client (else None).
    ``timeout``: seconds to wait for the scheduler before saying it does not answer."""
    address = os.environ.get(SCHEDULER_ENV, "").strip()
    if not address:
        return None
    check_address(address)

    Client = _client_class()
    outcome: dict = {}

    def connect() -> None:  # in a thread: Dask's own timeout does not bound the handshake
        try:
            outcome["client"] = Client(address, timeout=timeout)
        except BaseException as err:  # handed to the caller below
            outcome["error"] = err

    thread = threading.Thread(target=connect, daemon=True, name="dask-connect")
    thread.start()
    thread.join(timeout + 5.0)
    if thread.is_alive():
        raise TimeoutError(
            f"{SCHEDULER_ENV}={address}: something accepts connections there but no Dask "
            f"scheduler answered within {timeout:.0f} s; check the address or unset the "
            "variable to run locally."
        )
    err = outcome.get("error")
    if isinstance(err, OSError):
        raise OSError(
            f"{SCHEDULER_ENV}={address}: no Dask scheduler answers there ({err}); start one "
            "(dask scheduler / dask worker) or unset the variable to run locally."
        ) from err
    if isinstance(err, (ValueError, TypeError)):
        raise ValueError(
            f"{SCHEDULER_ENV}={address!r} is not a scheduler address ({err}); use "
            "tcp://<host>:<port>, e.g. tcp://10.0.0.5:8786."
        ) from err
    if err is not None:
        raise err
    joblib.parallel_config(backend="dask", n_jobs=-1)  # a call, not a block: the default
    return outcome["client"]


SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
"""The Dask comm protocols a scheduler address may name."""


def check_address(address: str) -> str:
    """``address`` if it reads as ``[<protocol>://]<host>[:<port>]`` with a port in 1–65535, else
    a ValueError naming :data:`SCHEDULER_ENV`, before any connection is tried (a port out of
    range would otherwise be found only after the connection timeout)."""
    parsed = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parsed.port
    except ValueError:
        port = -1
    bad_port = port is not None and not 0 < port < 65536
    if parsed.scheme not in SCHEMES or not parsed.hostname or bad_port:
        raise ValueError(
            f"{SCHEDULER_ENV}={address!r} is not a scheduler address: use "
            f"<protocol>://<host>:<port> with a protocol of {', '.join(SCHEMES)} and a port "
            "in 1–65535, e.g. tcp://10.0.0.5:8786."
        )
    return address


def _client_class():
    """:class:`dask.distributed.Client`, or an ImportError that says how to install it."""
    try:
        # imported here, inside try/except: the code works without dask
        from dask.distributed import Client
    except ImportError as err:
        raise ImportError(
            "running sweeps on a Dask cluster needs dask.distributed: pip install 'qmlhep[cluster]'"
        ) from err
    return Client
