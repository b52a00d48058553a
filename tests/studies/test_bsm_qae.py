"""The BSM study end to end on the shared events, at a tiny size."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from qmlhep.data.bsm_events import load_bsm_events, paper_split
from qmlhep.stats import Difference, seeds_measure
from qmlhep.studies.bsm_compare import comparison, edges_frame, edges_sentence, headline
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


@pytest.mark.slow
def test_study_trains_every_model_per_seed(shared):
    events = load_bsm_events()
    split, clipped = paper_split(events), paper_split(events, edges="clip")
    study = qae_study(split, CFG, progress=False, clipped=clipped)
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
    # every seed's scores are kept, for the paired comparisons, and give its AUC
    assert set(study.scores) == set(study.clipped_scores) == {*MODELS, "reference"}
    for m in MODELS:
        assert study.scores[m].shape == (2, len(split.y_test))
        assert study.clipped_scores[m].shape == (2, len(clipped.y_test))
        for seed in range(2):
            auc = roc_auc_score(split.y_test, study.scores[m][seed])
            assert np.isclose(auc, study.aucs[m][seed], atol=1e-4)
    np.testing.assert_allclose(study.scores["reference"][0], raw.sum(axis=1), rtol=1e-6)
    # the clipped test events are the authors' plus the dropped ones, scored by the same models
    n = len(split.test_bg)
    inside = np.all(clipped.test_sig < np.pi, axis=1)
    np.testing.assert_allclose(
        study.clipped_scores["quantum"][:, :n], study.scores["quantum"][:, :n], rtol=1e-6
    )
    np.testing.assert_allclose(
        study.clipped_scores["cae"][:, n:][:, inside], study.scores["cae"][:, n:], rtol=1e-5
    )
    assert study.seeds == seeds_measure(False)
    # the paired comparisons, the headline and the edges, all computed
    table, diffs = comparison(split.y_test, study.scores, study)
    assert list(diffs) == ["product", "twin", "cae", "reference"] and len(table) == 5
    assert all(d.n_seeds == ((2, 2) if m != "reference" else (2, 1)) for m, d in diffs.items())
    assert any(w in headline(diffs) for w in ("**holds**", "**holds only in part**", "**does not"))
    counts, aucs = edges_frame(split, clipped, study)
    assert counts["signal dropped"].tolist() == [split.dropped["signal"], 0]
    assert counts["signal clipped"].tolist() == [0, split.dropped["signal"]]
    assert counts["test signal"].tolist() == [len(split.test_sig), len(clipped.test_sig)]
    assert len(aucs) == 5 and f"{split.dropped['signal']:,} signal" in edges_sentence(
        split, clipped, study
    )


def test_a_clipped_split_with_other_training_events_is_refused(shared):
    events = load_bsm_events()
    split = paper_split(events)
    other = paper_split(events, edges="clip", blocks=(20_000, 5_000, 15_000))
    with pytest.raises(ValueError, match="same training pool"):
        qae_study(split, CFG, progress=False, clipped=other)


def _diff(value, p):
    return Difference(value, 0.01, value - 0.02, value + 0.02, p, 10.0, 0.01, 0.0, (3, 3), 100)


@pytest.mark.parametrize(
    "p, says",
    [
        ({"product": 1e-9, "twin": 1e-9, "cae": 1e-9}, "**holds** here"),
        ({"product": 0.9, "twin": 1e-9, "cae": 1e-9}, "**holds only in part**"),
        ({"product": 0.9, "twin": 0.8, "cae": 0.7}, "**does not hold**"),
    ],
)
def test_the_headline_has_words_for_every_outcome(p, says):
    diffs = {m: _diff(0.03, p[m]) for m in ("product", "twin", "cae")}
    diffs["reference"] = _diff(-0.05, 1e-9)
    text = headline(diffs)
    assert says in text and "4 comparisons" in text
    if "only in part" in says:
        assert "above the classical twin (tied linear AE) and the larger classical AE" in text
        assert "compatible with the product twin (no CNOT)" in text
    assert "reference" not in text and "pT" not in text  # the claim is about autoencoders
