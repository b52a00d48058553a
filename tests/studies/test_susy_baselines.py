"""The cached classical SUSY study the SUSY chapters share."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from qmlhep.data import PAPER_SELECTIONS
from qmlhep.studies import susy_baselines
from qmlhep.studies.susy_baselines import MODELS, classical_study, model_factory, susy_split

pytestmark = pytest.mark.needs_shared

CFG = SimpleNamespace(
    n_events=1_200,
    n_test=400,
    sizes=(100, 10**9),  # the second is more than the pool holds: dropped, not an error
    repeats=1,
    dnn_epochs=2,
    dnn_patience=1,
    all18_size=None,
)


def test_split_holds_out_a_fixed_test_set_and_picks_the_papers_columns(shared):
    split = susy_split(CFG.n_events, CFG.n_test)
    assert len(split.y_test) == 400 and len(split.y_pool) == 800
    cols = split.columns(3)
    assert [split.data.features[c] for c in cols] == list(PAPER_SELECTIONS[3])
    assert split.sizes([100, 800, 801]) == [100, 800]
    again = susy_split(CFG.n_events, CFG.n_test)
    np.testing.assert_array_equal(again.X_test, split.X_test)


@pytest.mark.slow
def test_study_scans_every_model_and_selection_once_per_build(shared, monkeypatch):
    calls = []
    real = susy_baselines.size_scan

    def counting(*args, **kwargs):
        calls.append(kwargs["desc"])
        return real(*args, progress=False, **kwargs)

    monkeypatch.setattr(susy_baselines, "size_scan", counting)
    study = classical_study(CFG)
    assert study.sizes == [100]
    assert set(study.scans) == {(nvar, m) for nvar in PAPER_SELECTIONS for m in MODELS}
    assert len(calls) == len(PAPER_SELECTIONS) * len(MODELS)
    for (nvar, model), scan in study.scans.items():
        auc = scan.estimate(100).mean
        assert 0.0 <= auc <= 1.0
        if model == "BDT":  # the SUSY variables separate even at 100 events
            assert auc > 0.6, (nvar, auc)
    # the same settings, data and code: read back, nothing trained again
    cached = classical_study(CFG)
    assert len(calls) == len(PAPER_SELECTIONS) * len(MODELS)
    assert cached.scans[3, "BDT"].runs.equals(study.scans[3, "BDT"].runs)
    # another setting is another result (computed again; a stand-in keeps the test fast)
    monkeypatch.setattr(susy_baselines, "size_scan", lambda *a, **k: calls.append(k["desc"]))
    classical_study(SimpleNamespace(**{**vars(CFG), "repeats": 2}))
    assert len(calls) == 2 * len(PAPER_SELECTIONS) * len(MODELS)


def test_unknown_model_is_named():
    with pytest.raises(KeyError, match="unknown model 'SVM'"):
        model_factory("SVM", 3, 1, 1)
