"""The shared chapter figures: they draw what their docstrings say, in the book's colours."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from sklearn.metrics import roc_auc_score

from qmlhep.plotting import (
    CLASS_COLOURS,
    class_histograms,
    score_and_roc,
    training_curves,
)

RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_class_histograms_one_normalised_histogram_per_class_in_its_colour():
    values = RNG.normal(size=400)
    y = np.arange(400) % 2
    fig, ax = plt.subplots()
    class_histograms(ax, values, {"signal": y == 1, "background": y == 0}, bins=20)
    patches = ax.patches
    assert len(patches) == 2
    assert [p.get_label() for p in patches] == ["signal", "background"]
    for patch, name in zip(patches, ("signal", "background"), strict=True):
        assert patch.get_edgecolor() == pytest.approx(to_rgba(CLASS_COLOURS[name]))
    counts, edges = np.histogram(values[y == 1], bins=20, density=True)
    assert np.sum(counts * np.diff(edges)) == pytest.approx(1.0)


def test_score_and_roc_states_each_models_auc():
    y = np.repeat([0, 1], 200)
    good = y + RNG.normal(scale=0.8, size=y.size)
    bad = RNG.normal(size=y.size)
    fig = score_and_roc(y, {"good": good, "bad": bad})
    assert isinstance(fig, matplotlib.figure.Figure)
    ax_s, ax_r = fig.axes
    legend = [t.get_text() for t in ax_r.get_legend().get_texts()]
    assert legend == [
        f"good, AUC {roc_auc_score(y, good):.3f}",
        f"bad, AUC {roc_auc_score(y, bad):.3f}",
    ]
    # two classes × two models on the score panel, each in its class colour
    colours = {p.get_label(): p.get_edgecolor() for p in ax_s.patches}
    assert colours["good, gluon"] == pytest.approx(to_rgba(CLASS_COLOURS["gluon"]))
    assert colours["bad, quark"] == pytest.approx(to_rgba(CLASS_COLOURS["quark"]))
    assert ax_r.get_xlabel() == "quark efficiency (FPR)"


def test_training_curves_one_panel_per_model_and_a_line_per_seed():
    history = pd.DataFrame({"loss": [3.0, 2.0, 1.5], "val_loss": [3.1, 2.2, 1.9]})
    runs = {"A": {0: history, 1: history * 1.1}, "B": {0: history}}
    fig = training_curves(runs, best_epoch={"A": {0: 3, 1: 2}, "B": {0: 3}}, log=True)
    ax_a, ax_b = fig.axes
    assert ax_a.get_title() == "A" and ax_b.get_title() == "B"
    assert ax_a.get_yscale() == "log"
    curves = [line for line in ax_a.lines if len(line.get_xdata()) == 3]
    assert len(curves) == 4  # training + validation for each of the two seeds
    np.testing.assert_allclose(curves[0].get_ydata(), history["loss"])
    marks = [line for line in ax_a.lines if len(line.get_xdata()) == 2]
    assert [line.get_xdata()[0] for line in marks] == [3, 2]
