"""Checkpoints of long trainings: an interrupted chapter resumes where it stopped.

A :class:`Checkpoint` is one file in the cache, ``QMLHEP_CACHE_DIR/checkpoints/<kind>/
<key>.pkl``, whose key is the sha256 of everything the training's result depends on:
its settings, its data (the bytes of the arrays), its starting point (initial weights or
angles) and the code (every source file of ``qmlhep``). Trainings save their whole state
(weights, optimiser, early-stopping state, history, random-number state) after every
epoch (at most every :data:`MIN_INTERVAL` seconds), or every few hundred cost
evaluations, and a later run with the same key starts from it: the result is
bit-identical to an uninterrupted run on CPU.

When a training finishes its checkpoint is deleted, except in the ``full`` profile,
where it is kept (marked finished) so that a resumed paper-scale sweep skips the fits
it has already done.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from qmlhep import config
from qmlhep.storage import keys
from qmlhep.storage.atomic import save_optional, seal, unseal, warn_unsaved


class CheckpointError(RuntimeError):
    """A checkpoint file exists but cannot be read; the message names it."""


@functools.cache
def code_digest() -> str:
    """sha256 of every Python source file of the ``qmlhep`` package."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def digest(settings: dict, arrays: Iterable[Any] = ()) -> str:
    """sha256 of ``settings`` (JSON-able), the bytes of ``arrays`` and the package's code
    (:func:`qmlhep.storage.keys.key`, the key every store uses)."""
    return keys.key(settings, arrays=arrays, code=code_digest())


def _non_finite(value, where: str = "the state") -> str:
    """Where in a stored state a NaN or infinity sits ('' when nowhere)."""
    if isinstance(value, dict):
        return next((w for k, v in value.items() if (w := _non_finite(v, f"{where}[{k!r}]"))), "")
    if isinstance(value, (list, tuple)):
        return next((w for i, v in enumerate(value) if (w := _non_finite(v, f"{where}[{i}]"))), "")
    if isinstance(value, float) or isinstance(value, np.floating):
        return "" if np.isfinite(value) else where
    if hasattr(value, "__array__") and getattr(value, "dtype", None) is not None:
        array = np.asarray(value)  # NumPy and JAX arrays alike
        if array.dtype.kind in "fc" and not np.isfinite(array).all():
            return where
    return ""


MIN_INTERVAL = 20.0
"""Seconds between two saves of an epoch checkpoint: every epoch of a long training (the
ones worth resuming), about every 20 s of one whose epochs take a second, where writing
the state after each would cost more than it could ever save."""


class Checkpoint:
    """The saved state of one training (``kind``: what trains, e.g. ``"keras"``).

    ``min_interval``: :meth:`save` skips a save that comes sooner than this many seconds
    after the previous one (``None``: :data:`MIN_INTERVAL`; 0: save every time).
    """

    def __init__(
        self,
        kind: str,
        settings: dict,
        arrays: Iterable[Any] = (),
        min_interval: float | None = 0.0,
    ):
        self.path = (
            config.cache_dir() / "checkpoints" / kind / f"{digest(settings, arrays)[:24]}.pkl"
        )
        self.min_interval = MIN_INTERVAL if min_interval is None else min_interval
        self._saved_at = time.monotonic()

    def load(self, required: tuple[str, ...] = ()) -> dict | None:
        """The saved state, or None when there is none. A state that cannot be read, lacks
        one of the ``required`` keys or holds a non-finite number (a NaN loss or
        parameter, which no finished epoch can have written) is a :class:`CheckpointError`
        naming the file, never replayed."""
        if not self.path.is_file():
            return None
        try:
            payload = unseal(self.path.read_bytes())
            if payload is None:
                raise ValueError(
                    "its contents do not match the sha256 written with them: altered, cut "
                    "short or written by an older version"
                )
            state = pickle.loads(payload)
            if not isinstance(state, dict):
                raise TypeError(f"holds a {type(state).__name__}, not a training state")
        except Exception as err:
            raise CheckpointError(
                f"the training checkpoint {self.path} cannot be read ({err}); delete it to "
                "start this training afresh."
            ) from err
        missing = [k for k in required if k not in state]
        if missing:
            raise CheckpointError(
                f"the training checkpoint {self.path} lacks {missing} (written by other "
                "code?); delete it to start this training afresh."
            )
        if where := _non_finite(state):
            raise CheckpointError(
                f"the training checkpoint {self.path} holds a non-finite number in {where} "
                "(altered or corrupted); delete it to start this training afresh."
            )
        return state

    def save(self, state: dict, force: bool = False) -> None:
        """Replace the saved state atomically (an interruption keeps the previous one);
        skipped if the previous save is less than ``min_interval`` seconds old."""
        if not force and time.monotonic() - self._saved_at < self.min_interval:
            return
        data = seal(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        if save_optional(self.path, data, "this computation cannot resume after an interruption"):
            self._saved_at = time.monotonic()

    def finish(self, state: dict) -> None:
        """The training is done: keep its final state in ``full``, else delete it."""
        if config.profile() == "full":
            self.save({**state, "finished": True}, force=True)
        else:
            try:
                self.path.unlink(missing_ok=True)
            except OSError as err:  # e.g. a file where the checkpoint folder should be
                warn_unsaved(self.path, err, "a finished training's checkpoint stays behind")
