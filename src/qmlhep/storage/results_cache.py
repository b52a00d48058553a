"""Results shared between chapters, computed once per build.

The QCL and VQC chapters draw the BDT and DNN curves of the classical chapter in their
own figures. :func:`cached` stores such a result in ``<build dir>/results`` under a key
made of its settings *and* the source code of the modules that produce it, so a reader
running one notebook alone recomputes it, and a change of code never reuses a stale one.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import TypeVar

from qmlhep import config
from qmlhep.storage import keys
from qmlhep.storage.atomic import StoreError, save_optional

__all__ = ["StoreError", "cache_key", "cached"]

T = TypeVar("T")


def cache_key(name: str, settings: dict, modules: tuple[str, ...] = ()) -> str:
    """``name-<hash>`` of the JSON of ``settings`` and the source of ``modules``
    (:func:`qmlhep.storage.keys.key`)."""
    return f"{name}-{keys.key(settings, modules=modules)[:16]}"


def cached(name: str, settings: dict, compute: Callable[[], T], modules: tuple[str, ...] = ()) -> T:
    """``compute()``, or its stored result for the same settings and code (pickle)."""
    folder = config.build_dir() / "results"
    path = folder / f"{cache_key(name, settings, modules)}.pkl"
    if path.is_file():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception as err:  # truncated or corrupted: say which file, never block
            raise StoreError(
                f"the stored result {path} cannot be read ({err!r}); delete it "
                "and it is computed again."
            ) from err
    value = compute()
    save_optional(
        path,
        pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
        "later chapters cannot reuse this result and compute it again",
    )
    return value
