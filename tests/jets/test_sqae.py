"""The swap-test quantum autoencoder: a stopping rule blind to test labels; its size.

The chapter stops and chooses the epoch by the validation quark contrast (quark jets against
overlays of two quark jets); the test AUC per epoch is monitored for the page's
figure and must never change what is chosen. Also: seed ``s`` draws its own training jets
from the pool when the pool is larger than ``n_train``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qmlhep.jets.sqae import RULES, SQAE, chosen_epoch, improves, overlaid
from qmlhep.simulation.patch_circuit import PatchCircuit
from qmlhep.studies.sqae import (
    choose_placement,
    rule_sentence,
    rule_table,
    same_events,
    seed_draws,
    training_draw,
)


def _history(contrast, val_loss, test_auc):
    return pd.DataFrame(
        {"loss": val_loss, "val_loss": val_loss, "val_contrast": contrast, "test_auc": test_auc},
        index=pd.RangeIndex(1, len(contrast) + 1, name="epoch"),
    )


def test_the_chosen_epoch_never_depends_on_the_test_scores():
    contrast = [0.60, 0.70, 0.72, 0.71, 0.69, 0.73]
    loss = [0.5, 0.3, 0.2, 0.1, 0.05, 0.04]
    rng = np.random.default_rng(0)
    chosen = {
        chosen_epoch(_history(contrast, loss, rng.random(6)), "contrast", 2) for _ in range(20)
    }
    assert chosen == {(3, 5)}  # best at 3, two epochs without improvement: stop at 5
    assert chosen_epoch(_history(contrast, loss, rng.random(6)), "contrast", 10) == (6, 6)
    assert chosen_epoch(_history(contrast, loss, rng.random(6)), "val_loss", 2) == (6, 6)
    # a history without a test AUC column gives the same answer: the rule never reads it
    h = _history(contrast, loss, rng.random(6)).drop(columns="test_auc")
    assert chosen_epoch(h, "contrast", 2) == (3, 5)
    assert improves(0.8, 0.7, "contrast") and not improves(0.7, 0.7, "contrast")
    assert improves(0.1, 0.2, "val_loss") and not improves(0.3, 0.2, "val_loss")
    with pytest.raises(ValueError):
        chosen_epoch(h, "test_auc", 2)


def _images(n, seed):
    rng = np.random.default_rng(seed)
    return (rng.random((n, 12, 12)) < 0.15) * rng.random((n, 12, 12))


def _fit(monitor_labels, select="contrast"):
    images = _images(64, 1)
    monitor = _images(20, 2)
    return SQAE(
        PatchCircuit(layers=1),
        latent=4,
        batch_size=16,
        max_iter=4,
        patience=2,
        random_state=3,
        select=select,
        learning_rate=0.05,
    ).fit(images[:48], validation=images[48:], monitor=(monitor, monitor_labels))


def test_the_fit_keeps_the_rules_epoch_whatever_the_test_labels():
    labels = np.r_[np.zeros(10), np.ones(10)].astype(int)
    other = np.random.default_rng(5).permutation(labels)  # other test "gluons"
    a, b = _fit(labels), _fit(other)
    assert a.best_epoch_ == b.best_epoch_
    for name in a.params_:
        np.testing.assert_array_equal(a.params_[name], b.params_[name])
    assert not np.allclose(a.history_.test_auc, b.history_.test_auc)
    # the kept parameters are those of the chosen epoch: their contrast is that epoch's
    h = a.history_
    assert a.best_epoch_ == chosen_epoch(h, "contrast", 2)[0]
    val = _images(64, 1)[48:]
    f_val, f_scr = a.fidelity(val), a.fidelity(overlaid(val))
    from sklearn.metrics import roc_auc_score

    contrast = roc_auc_score(np.r_[np.zeros(16), np.ones(16)], np.r_[1 - f_val, 1 - f_scr])
    assert contrast == pytest.approx(h.val_contrast[a.best_epoch_], abs=1e-12)
    assert rule_table({0: a}, 2).loc[0, "test AUC, rule's epoch"] == pytest.approx(
        roc_auc_score(labels, 1 - a.fidelity(_images(20, 2))), abs=1e-12
    )
    by_loss = _fit(labels, select="val_loss")
    assert by_loss.best_epoch_ == chosen_epoch(by_loss.history_, "val_loss", 2)[0]
    assert set(RULES) == {"val_loss", "contrast"}


def test_the_rule_needs_validation_jets():
    with pytest.raises(ValueError, match="validation"):
        SQAE(PatchCircuit(layers=1), batch_size=8, max_iter=1, select="contrast").fit(
            _images(16, 0)
        )
    with pytest.raises(ValueError, match="select"):
        SQAE(PatchCircuit(layers=1), select="test_auc").fit(_images(16, 0))


def test_the_contrast_set_overlays_two_different_jets():
    x = _images(5, 4)
    o = overlaid(x)
    assert o.shape == x.shape
    np.testing.assert_allclose(o.reshape(5, -1).max(axis=1), 1.0)
    for k in range(5):  # x[k] plus exactly one other image, rescaled
        fits = [np.allclose(o[k] * (x[k] + x[j]).max(), x[k] + x[j]) for j in range(5) if j != k]
        assert sum(fits) == 1
    np.testing.assert_array_equal(overlaid(x), o)  # fixed seed
    with pytest.raises(ValueError):
        overlaid(x[:1])


def test_seeds_draw_their_own_training_jets_when_the_pool_allows():
    draws = seed_draws(100, 40, 3)
    assert all(len(d) == 40 and len(set(d)) == 40 for d in draws.values())
    assert not same_events(draws)
    assert same_events(seed_draws(30, 40, 3)) and len(training_draw(30, 40, 1)) == 30
    assert same_events(seed_draws(30, None, 2))
    np.testing.assert_array_equal(training_draw(100, 40, 1), draws[1])  # reproducible


def test_placement_and_rule_words_for_every_outcome():
    assert choose_placement({"centre": 0.6, "corners": 0.7}) == "corners"
    assert choose_placement({"centre": 0.7, "corners": 0.6}) == "centre"
    assert choose_placement({"centre": 0.7, "corners": 0.7}) == "centre"
    row = {
        "epochs run": 6,
        "rule's epoch": 3,
        "test AUC, rule's epoch": 0.6,
        "lowest val. loss, epoch": 6,
        "test AUC, lowest val. loss": 0.55,
        "test AUC, last epoch": 0.55,
        "best test AUC (hindsight)": 0.62,
    }
    table = pd.DataFrame([row, {**row, "rule's epoch": 6, "test AUC, rule's epoch": 0.55}])
    text = rule_sentence(table, 0.565)
    assert "for 1 of 2 seeds" in text and "above the seed study's 0.565" in text
    assert "fell" in text
    same = pd.DataFrame([{**row, "rule's epoch": 6, "test AUC, rule's epoch": 0.5}])
    text = rule_sentence(same, 0.565)
    assert "every one of the 1 seed" in text and "below" in text


def test_the_parameter_count_exists_only_after_fit():
    model = SQAE(PatchCircuit(layers=1), latent=4, batch_size=16, max_iter=1, random_state=0)
    assert not hasattr(model, "n_params_")
    fitted = model.fit(_images(32, 1))
    circuit, trash = fitted.circuit_, len(fitted.trash_)
    trainable_ref = 2 * trash if fitted.reference == "trainable" else 0
    assert fitted.n_params_ == circuit.n_params + trainable_ref
    trained = {k: v for k, v in fitted.params_.items() if k not in fitted.frozen_}
    assert sum(np.size(v) for v in trained.values()) == fitted.n_params_
