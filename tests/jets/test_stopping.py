"""What a training with early stopping did, in words for every outcome."""

from __future__ import annotations

import pytest

from qmlhep.jets.stopping import stopped_early, stopping_sentence


def test_every_outcome_has_its_words():
    head = "Trained until early stopping or 6 epochs, whichever came first: "
    assert stopping_sentence([3, 4], 6) == head + "both seeds stopped early (after 3, 4 epochs)."
    assert stopping_sentence([3, 6, 6], 6) == (
        head + "1 of 3 seeds stopped early (after 3 epochs), 2 ran all 6 epochs."
    )
    none = stopping_sentence([6], 6)
    assert none.startswith(head + "the run ran all 6 epochs") and "more epochs" in none
    assert stopped_early(5, 6) and not stopped_early(6, 6)
    with pytest.raises(ValueError):
        stopped_early(7, 6)
    with pytest.raises(ValueError):
        stopping_sentence([], 6)
