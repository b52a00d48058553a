"""The verdict reads the build's metrics and computes every statement from them."""

from __future__ import annotations

import matplotlib
import numpy as np

from qmlhep.metric_catalogue import CATALOGUE
from qmlhep.studies.verdict import (
    COMPARISONS,
    ROLES,
    counts,
    published_figure,
    published_pairs,
    statements,
    verdict_figure,
    verdict_frame,
)

RECORDS = {
    "qcl.auc.nvar3.n1000": {"value": 0.80, "err": 0.01},
    "qcl.auc.product": {"value": 0.70, "err": 0.01},
    "qcl.auc.twin": {"value": 0.81, "err": 0.01},
    "qcl.auc.linear": {"value": 0.90, "err": 0.01},
    "reupload_susy.auc": {"value": 0.84, "err": 0.01},
    "sqae.auc.q_vs_g": {"value": 0.55, "err": 0.02},
}


def test_every_key_of_every_comparison_is_catalogued():
    for c in COMPARISONS:
        assert set(c.keys) <= set(ROLES) and "quantum" in c.keys
        for key in c.keys.values():
            assert key in CATALOGUE, key


def test_statements_follow_the_numbers_and_say_what_is_missing():
    table = statements(verdict_frame(RECORDS))
    qcl = table[table.model.str.startswith("QCL")].set_index("against").verdict
    assert qcl.to_dict() == {
        ROLES["product"]: "above",
        ROLES["twin"]: "compatible with",
        ROLES["reference"]: "below",
    }
    reupload = table[table.model.str.startswith("re-uploading")]
    assert set(reupload.verdict) == {"not measured"}  # its twins were not recorded
    assert counts(table)["above"] == 1


def test_figures_draw_what_was_recorded():
    frame = verdict_frame(RECORDS)
    fig = verdict_figure(frame, small=True)
    assert isinstance(fig, matplotlib.figure.Figure)
    drawn = sum(len(ax.containers) for ax in fig.axes)  # one errorbar per recorded number
    assert drawn == int(np.isfinite(frame.value).sum())
    assert fig.axes[-1].get_title(loc="left") == "BSM anomaly detection"
    pairs = published_pairs({**RECORDS, "reupload_susy.auc": {"value": 0.84, "err": 0.01}})
    assert set(pairs.key) == {"reupload_susy.auc", "sqae.auc.q_vs_g"}
    assert pairs.set_index("key").paper["reupload_susy.auc"] == 0.849
    assert isinstance(published_figure(pairs), matplotlib.figure.Figure)
    matplotlib.pyplot.close("all")
