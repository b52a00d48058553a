"""One way to key stored work: the settings that produced it, the data it read, and the
code that computed it.

Every store of the book (checkpoints, the results cache shared between chapters, the
generated jets) names its files with :func:`key`, so a change of any of these three gives
a new key and the old file is never served for the new computation.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
from collections.abc import Iterable
from typing import Any

import numpy as np


def source_digest(modules: Iterable[str]) -> str:
    """sha256 of the source code of ``modules`` (dotted names, e.g.
    ``"qmlhep.data.pythia_jets"``), in the order given."""
    h = hashlib.sha256()
    for module in modules:
        h.update(inspect.getsource(importlib.import_module(module)).encode())
    return h.hexdigest()


def key(
    settings: dict,
    *,
    modules: Iterable[str] = (),
    arrays: Iterable[Any] = (),
    code: str = "",
) -> str:
    """The sha256 (hex) of ``settings`` (JSON-able: sizes, seeds, data checksums), the
    source of ``modules``, the bytes (dtype and shape included) of ``arrays`` and a
    ``code`` digest (e.g. of the whole package)."""
    h = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
    for module in modules:
        h.update(inspect.getsource(importlib.import_module(module)).encode())
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype}{a.shape}".encode())
        h.update(a.tobytes())
    h.update(code.encode())
    return h.hexdigest()
