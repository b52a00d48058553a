"""Results shared between chapters, computed once per build.

The QCL and VQC chapters draw the BDT and DNN curves of the classical chapter in their
own figures. :func:`cached` stores such a result in ``<build dir>/results`` under a key
made of its settings *and* the source code of the modules that produce it, so a reader
running one notebook alone recomputes it, and a change of code never reuses a stale one.
"""

from __future__ import annotations

import pickle
import warnings
from collections.abc import Callable
from typing import TypeVar

from qmlhep import config
from qmlhep.storage import keys
from qmlhep.storage.atomic import StoreError, StoreWarning, save_optional, seal, unseal

__all__ = ["StoreError", "StoreWarning", "cache_key", "cached"]

T = TypeVar("T")


def cache_key(name: str, settings: dict, modules: tuple[str, ...] = ()) -> str:
    """``name-<hash>`` of the JSON of ``settings`` and the source of ``modules``
    (:func:`qmlhep.storage.keys.key`)."""
    return f"{name}-{keys.key(settings, modules=modules)[:16]}"


def cached(name: str, settings: dict, compute: Callable[[], T], modules: tuple[str, ...] = ()) -> T:
    """``compute()``, or its stored result for the same settings and code (pickle).

    The stored file starts with the sha256 of its pickle: a file that does not match it
    (cut short, altered, another format) is never served; it is discarded with a
    :class:`~qmlhep.storage.atomic.StoreWarning` naming it, and the result is computed again.
    """
    folder = config.build_dir() / "results"
    path = folder / f"{cache_key(name, settings, modules)}.pkl"
    if path.is_file():
        value, why = _load(path)
        if why is None:
            return value
        warnings.warn(
            f"the stored result {path} is discarded ({why}); it is computed again.",
            StoreWarning,
            stacklevel=2,
        )
    value = compute()
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    save_optional(
        path,
        seal(payload),
        "later chapters cannot reuse this result and compute it again",
    )
    return value


def _load(path) -> tuple[object, str | None]:
    """``(value, None)`` from a stored result whose digest matches, else ``(None, why)``."""
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, f"unreadable: {err.strerror or err}"
    payload = unseal(data)
    if payload is None:
        return None, "its contents do not match its sha256: cut short or altered"
    try:
        return pickle.loads(payload), None
    except Exception as err:  # a matching digest but a pickle of a class since removed
        return None, f"it cannot be unpickled ({err!r})"
