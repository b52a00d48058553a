"""What a training with early stopping did, in words computed from the runs.

A page must not say "trained to convergence" when it trained for at most ``N`` epochs:
:func:`stopping_sentence` says how many runs stopped early (the validation loss stopped
improving) and how many ran all ``N`` epochs.
"""

from __future__ import annotations

from collections.abc import Sequence


def stopped_early(epochs_run: int, max_epochs: int) -> bool:
    """A run with fewer epochs than allowed was stopped by its patience."""
    if not 0 < epochs_run <= max_epochs:
        raise ValueError(f"a run of {epochs_run} epochs cannot come from at most {max_epochs}.")
    return epochs_run < max_epochs


def stopping_sentence(epochs_run: Sequence[int], max_epochs: int, runs: str = "seeds") -> str:
    """One Markdown sentence: trained until early stopping or ``max_epochs`` epochs,
    whichever came first, and which of the ``runs`` stopped early (every outcome)."""
    epochs_run = [int(e) for e in epochs_run]
    if not epochs_run:
        raise ValueError("stopping_sentence: no runs.")
    early = [e for e in epochs_run if stopped_early(e, max_epochs)]
    n, k = len(epochs_run), len(early)
    every = "the run" if n == 1 else f"both {runs}" if n == 2 else f"all {n} {runs}"
    head = f"Trained until early stopping or {max_epochs} epochs, whichever came first: "
    if k == 0:
        body = (
            f"{every} ran all {max_epochs} epochs "
            "(not stopped by the patience, so more epochs might have changed the result)."
        )
    elif k == n:
        body = f"{every} stopped early (after {', '.join(map(str, early))} epochs)."
    else:
        body = (
            f"{k} of {n} {runs} stopped early (after {', '.join(map(str, early))} epochs), "
            f"{n - k} ran all {max_epochs} epochs."
        )
    return head + body
