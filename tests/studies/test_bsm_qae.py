"""The BSM study end to end on the shared events, at a tiny size."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from sklearn.metrics import roc_auc_score

from qmlhep.data.bsm_events import load_bsm_events, paper_split
from qmlhep.studies.bsm_qae import MODELS, qae_study, sum_pt

CFG = SimpleNamespace(
    n_train=200,
    n_val=500,
    seeds=2,
    n_trash=2,
    batch_size=32,
    epochs=60,
    patience=10,
    cae_hidden=(8,),
    cae_latent=2,
    train_sizes=(50,),
)


def test_study_trains_every_model_per_seed(shared):
    split = paper_split(load_bsm_events())
    study = qae_study(split, CFG, progress=False)
    assert set(study.aucs) == set(MODELS)
    assert all(len(v) == 2 and all(0 <= a <= 1 for a in v) for v in study.aucs.values())
    assert min(study.aucs["quantum"]) > 0.9  # every seed converges on these events
    assert study.n_params["quantum"] == study.n_params["product"] == study.n_params["twin"] == 4
    assert study.n_params["cae"] > 4 and len(study.thetas) == 2
    assert set(study.sizes) == {"quantum", "cae"} and len(study.sizes["cae"][50]) == 2
    raw = np.concatenate([split.test_bg, split.test_sig]) * [1000, 1000, 1000, 900] / np.pi
    assert np.isclose(study.reference, roc_auc_score(split.y_test, raw.sum(axis=1)))
    np.testing.assert_allclose(sum_pt(split, split.X_test), raw.sum(axis=1))
    assert study.estimate("quantum").n == 2
    # seed 0's scores are kept for the chapter's plots and give seed 0's AUC
    assert set(study.scores) == set(MODELS)
    for m in MODELS:
        assert study.scores[m].shape == split.y_test.shape
        assert np.isclose(roc_auc_score(split.y_test, study.scores[m]), study.aucs[m][0], atol=1e-4)
