"""Model sizes that grow with the training set, as a table looked up by event count."""

from __future__ import annotations

from collections.abc import Sequence


def for_size(schedule: Sequence[tuple], n_train: int) -> tuple:
    """The row of ``schedule`` (rows ``(max_events, *settings)``, ascending) for ``n_train``.

    Returns the settings of the first row whose ``max_events`` is at least ``n_train``.
    """
    if n_train < 1:
        raise ValueError(f"need at least one training event, got {n_train}")
    for limit, *settings in schedule:
        if n_train <= limit:
            return tuple(settings)
    raise ValueError(f"{n_train} training events exceed the schedule's last row ({limit})")
