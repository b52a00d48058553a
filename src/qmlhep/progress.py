"""Progress bars for loops a reader waits for (tqdm, notebook-aware).

``bar(iterable, desc=...)`` is :class:`tqdm.auto.tqdm` with one difference: turning it
off with ``enabled=False`` does not override the environment, so ``TQDM_DISABLE=1``
(set by the book build, whose pages should not contain frozen progress widgets) always
wins.
"""

from __future__ import annotations

from typing import Any

from tqdm.auto import tqdm


def bar(iterable: Any = None, *, enabled: bool = True, **kwargs: Any) -> tqdm:
    """A tqdm progress bar; ``enabled=False`` silences it, otherwise tqdm's defaults hold."""
    if not enabled:
        kwargs["disable"] = True
    return tqdm(iterable, **kwargs)
