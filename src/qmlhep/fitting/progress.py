"""Progress bars for loops a reader waits for (tqdm, notebook-aware).

``bar(iterable, desc=...)`` is :class:`tqdm.auto.tqdm` (a widget in Jupyter, text in a
terminal) that is silent when ``enabled=False`` or when ``TQDM_DISABLE=1`` is set. The
book build sets it, so executed pages hold no frozen progress widgets; tqdm's notebook
bar does not read that variable itself.
"""

from __future__ import annotations

import os
from typing import Any

from tqdm.auto import tqdm


def disabled_by_environment() -> bool:
    """True when ``TQDM_DISABLE`` asks for no progress bars."""
    return os.environ.get("TQDM_DISABLE", "").strip().lower() in {"1", "true", "yes"}


def bar(iterable: Any = None, *, enabled: bool = True, **kwargs: Any) -> tqdm:
    """A tqdm progress bar, silenced by ``enabled=False`` or ``TQDM_DISABLE=1``."""
    if not enabled or disabled_by_environment():
        kwargs["disable"] = True
    return tqdm(iterable, **kwargs)


def bar_label(progress: bool | str, default: str) -> tuple[bool, str]:
    """An estimator's ``progress`` setting as ``(shown, label)``: False hides the bar, True
    shows it labelled ``default``, a string shows it with that label."""
    return bool(progress), progress if isinstance(progress, str) else default
