"""The verdict reads the build's paired differences, corrects them with Holm's method over
the whole page and computes every statement from them."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from qmlhep.metric_catalogue import CATALOGUE
from qmlhep.stats import Difference
from qmlhep.studies.verdict import (
    AGAINST,
    COMPARISONS,
    ROLES,
    auc_frame,
    counts,
    difference_figure,
    difference_frame,
    published_figure,
    published_pairs,
    resolution_sentence,
    summary_sentence,
)


def _delta(value, err, p, seeds="training events and initialisation"):
    d = Difference(
        value,
        err,
        value - 2 * err,
        value + 2 * err,
        p,
        4.0,
        err,
        0.0,
        (3, 3),
        5000,
        seeds,
        0.7,
        0.02 if seeds.startswith("init") else 0.005,
    )
    return {"value": value, "err": err, "profile": "ci", "detail": d.detail()}


RECORDS = {
    "qcl.auc.nvar3.n1000": {"value": 0.80, "err": 0.01},
    "qcl.auc.product": {"value": 0.70, "err": 0.01},
    "qcl.delta.product": _delta(0.10, 0.01, 1e-6),
    "qcl.delta.twin": _delta(-0.01, 0.01, 0.3),
    "qcl.delta.reference": _delta(-0.10, 0.01, 1e-5),
    # significant alone (p < 0.05), not after Holm over four comparisons
    "sqae.delta.product": _delta(0.03, 0.015, 0.03, seeds="initialisation only"),
    "reupload_susy.auc": {"value": 0.84, "err": 0.01},
    "sqae.auc.q_vs_g": {"value": 0.55, "err": 0.02},
}


def test_every_key_of_every_comparison_is_catalogued():
    for c in COMPARISONS:
        assert set(c.keys) <= set(ROLES) and "quantum" in c.keys
        for key in c.keys.values():
            assert key in CATALOGUE, key
        for role in AGAINST:
            assert c.delta_key(role) in CATALOGUE, c.delta_key(role)


def test_statements_follow_the_differences_after_holm_and_say_what_is_missing():
    frame = difference_frame(RECORDS)
    qcl = frame[frame.model.str.startswith("QCL")].set_index("against").verdict
    assert qcl.to_dict() == {
        ROLES["product"]: "above",
        ROLES["twin"]: "compatible with",
        ROLES["reference"]: "below",
    }
    sqae = frame[(frame.model == "SQAE") & (frame.role == "product")].iloc[0]
    assert sqae.p == 0.03 and sqae.p_holm > 0.05 and sqae.verdict == "compatible with"
    reupload = frame[frame.model.str.startswith("re-uploading")]
    assert set(reupload.verdict) == {"not measured"}  # its differences were not recorded
    assert counts(frame) == {"not measured": 17, "above": 1, "compatible with": 2, "below": 1}
    text = summary_sentence(frame)
    assert "**4** were measured" in text and "above its comparison in **1**" in text
    assert "QCL (3 variables, 1,000 events) against the no-entanglement twin (+0.100)" in text
    resolution = resolution_sentence(frame)
    assert resolution.startswith("Of the 2 models measured on one common test set, 1 have")
    assert "SQAE (0.020 on 5,000 test events)" in resolution
    assert resolution_sentence(frame[frame.model != "SQAE"]).startswith("Every measured")
    none = summary_sentence(difference_frame({}))
    assert none.startswith("None of the 21 comparisons")


def test_figures_draw_what_was_recorded():
    frame = difference_frame(RECORDS)
    fig = difference_figure(frame, small=True)
    assert isinstance(fig, matplotlib.figure.Figure)
    drawn = sum(len(ax.containers) for ax in fig.axes)  # one errorbar per measured difference
    assert drawn == int(np.isfinite(frame.value).sum()) == 4
    assert fig.axes[-1].get_title(loc="left") == "BSM anomaly detection"
    aucs = auc_frame(RECORDS)
    qcl = aucs[aucs.model.str.startswith("QCL")].set_index("role").value
    assert qcl["quantum"] == 0.7 and qcl["product"] == pytest.approx(0.6)
    assert qcl["reference"] == pytest.approx(0.8)
    pairs = published_pairs({**RECORDS, "reupload_susy.auc": {"value": 0.84, "err": 0.01}})
    assert set(pairs.key) == {"reupload_susy.auc", "sqae.auc.q_vs_g"}
    assert pairs.set_index("key").paper["reupload_susy.auc"] == 0.849
    assert isinstance(published_figure(pairs), matplotlib.figure.Figure)
    matplotlib.pyplot.close("all")
