"""The BSM chapter's twins can win: each sees all four inputs and has no idle parameter;
and the events beyond the authors' edges are either dropped or kept clipped, always
counted."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from qmlhep.data.bsm_events import (
    PAPER_FEATURES,
    RANGES,
    load_bsm_events,
    paper_split,
    to_angles,
)
from qmlhep.studies.bsm_qae import make_models
from twin_probe import assert_sees_everything

CFG = SimpleNamespace(n_trash=2, epochs=2, patience=2, batch_size=32, cae_hidden=(8,), cae_latent=2)
RNG = np.random.default_rng(3)
X = RNG.uniform(0.2, 2.9, (64, 4))  # angles of four input variables


def _fitted(name):
    model = make_models(CFG, n_inputs=4)[name]
    return model.fit(X, validation=X)


def test_product_twin_sees_every_input_and_uses_every_angle():
    twin = _fitted("product")
    assert twin.entangler == "none" and twin.n_params_ == 4

    def with_angles(theta):
        moved = copy.copy(twin)
        moved.theta_ = theta
        return moved.score_samples(X)

    assert_sees_everything(input_fx=twin.score_samples, X=X, param_f=with_angles, theta=twin.theta_)


def test_tied_linear_twin_sees_every_input_and_uses_every_weight():
    twin = _fitted("twin")
    assert twin.tied and twin.n_params_ == 4
    layer = twin.model_.get_layer("tied")
    kernel = np.array(layer.kernel.value)

    def with_weights(w):
        layer.kernel.assign(w.astype(np.float32))
        try:
            return twin.score_samples(X)
        finally:
            layer.kernel.assign(kernel)

    assert_sees_everything(input_fx=twin.score_samples, X=X, param_f=with_weights, theta=kernel)


def test_to_angles_clips_at_the_edge_and_counts():
    frame = pd.DataFrame(
        {"MET": [0.0, 500.0, 1000.0, 2500.0, -1.0], "lep2pt": [450.0, 0.0, 1.0, 1.0, 1.0]}
    )
    dropped, inside = to_angles(frame, ("MET", "lep2pt"))
    clipped, inside_clip = to_angles(frame, ("MET", "lep2pt"), edges="clip")
    np.testing.assert_array_equal(inside, [True, True, False, False, False])
    np.testing.assert_array_equal(inside_clip, inside)
    assert len(dropped) == inside.sum() and len(clipped) == len(frame)  # none lost silently
    np.testing.assert_allclose(clipped[inside], dropped)
    np.testing.assert_allclose(clipped[~inside, 0], [np.pi, np.pi, 0.0])  # at the edges
    np.testing.assert_allclose(clipped[~inside, 1], np.pi * 1.0 / RANGES["lep2pt"])
    with pytest.raises(ValueError, match="edges must be one of"):
        to_angles(frame, ("MET",), edges="keep")


def test_clipped_split_keeps_every_event_of_the_dropped_one(shared):
    events = load_bsm_events()
    drop = paper_split(events)
    clip = paper_split(events, edges="clip")
    assert (drop.edges, clip.edges) == ("drop", "clip")
    assert clip.clipped == drop.dropped and drop.dropped["signal"] > 0
    assert clip.dropped == {"background": 0, "signal": 0}
    assert drop.clipped == {"background": 0, "signal": 0}
    # every event is accounted for: kept in range, dropped, or clipped
    assert len(drop.test_sig) + drop.dropped["signal"] == len(events.signal) == len(clip.test_sig)
    for block in ("pool", "val", "test_bg"):  # no background event is beyond an edge
        np.testing.assert_array_equal(getattr(drop, block), getattr(clip, block))
    beyond = (events.signal[list(PAPER_FEATURES)] >= [RANGES[f] for f in PAPER_FEATURES]).to_numpy()
    inside = ~beyond.any(axis=1)
    np.testing.assert_array_equal(clip.test_sig[inside], drop.test_sig)
    np.testing.assert_array_equal(clip.test_sig[beyond], np.pi)  # clipped at the edge
    assert clip.test_sig.max() == np.pi and drop.test_sig.max() < np.pi
