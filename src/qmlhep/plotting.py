"""Figures shared by several chapters (matplotlib). Every function returns the Figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm
from sklearn.metrics import roc_auc_score, roc_curve

from qmlhep.studies.size_scan import FPR_GRID

CLASS_COLOURS = {
    "signal": "tab:red",
    "background": "tab:blue",
    "quark": "tab:blue",
    "gluon": "tab:orange",
}


def feature_grid(
    X: np.ndarray,
    y: np.ndarray,
    names,
    labels: dict[str, str] | None = None,
    classes=("background", "signal"),
    bins: int = 50,
    ncols: int = 6,
    quantile: float = 0.995,
):
    """Unit-area histograms of every column of ``X`` for ``y == 0`` and ``y == 1``."""
    labels = labels or {}
    nrows = -(-X.shape[1] // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.6 * ncols, 2.1 * nrows), squeeze=False)
    for j, ax in enumerate(axes.flat):
        if j >= X.shape[1]:
            ax.axis("off")
            continue
        lo, hi = np.quantile(X[:, j], [1 - quantile, quantile])
        edges = np.linspace(lo, hi, bins + 1)
        for cls, name in enumerate(classes):
            ax.hist(
                X[y == cls, j],
                bins=edges,
                density=True,
                histtype="step",
                lw=1.3,
                color=CLASS_COLOURS.get(name),
                label=name,
            )
        ax.set_xlabel(labels.get(names[j], names[j]), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.set_yticks([])
    axes.flat[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def image_row(images, titles, log: bool = False, cmap: str = "viridis", colorbar: bool = True):
    """Images side by side; ``log`` uses a logarithmic colour scale over the non-zero range."""
    fig, axes = plt.subplots(1, len(images), figsize=(3.0 * len(images), 3.0), squeeze=False)
    for ax, img, title in zip(axes.flat, images, titles, strict=True):
        positive = img[img > 0]
        norm = LogNorm(vmin=positive.min(), vmax=positive.max()) if log and positive.size else None
        im = ax.imshow(img, origin="lower", cmap=cmap, norm=norm)
        ax.set_title(title, fontsize=10)
        ax.set_xticks([]), ax.set_yticks([])
        if colorbar:
            fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    return fig


def image_grid(
    images,
    labels,
    class_names=("gluon", "quark"),
    ncols: int = 8,
    log: bool = True,
    cmap: str = "viridis",
):
    """A grid of single images on a shared log colour scale, titled by class."""
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.7 * ncols, 1.9 * nrows), squeeze=False)
    positive = np.concatenate([im[im > 0] for im in images])
    norm = LogNorm(vmin=positive.min(), vmax=positive.max()) if log else None
    for ax in axes.flat:
        ax.set_xticks([]), ax.set_yticks([])
    for ax in axes.flat[len(images) :]:
        ax.axis("off")
    for ax, img, lab in zip(axes.flat, images, labels, strict=False):
        ax.imshow(
            np.where(img > 0, img, np.nan) if log else img, origin="lower", cmap=cmap, norm=norm
        )
        ax.set_title(
            class_names[int(lab)], fontsize=9, color=CLASS_COLOURS.get(class_names[int(lab)])
        )
    fig.tight_layout()
    return fig


def auc_vs_size(scans: dict, ax=None, title: str = ""):
    """Mean AUC ± error versus training size for several
    :class:`~qmlhep.studies.size_scan.SizeScan`."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(5, 3.6))
    for label, scan in scans.items():
        s = scan.summary()
        ax.errorbar(s.index, s.auc, yerr=s.err, marker="o", capsize=3, label=label)
    ax.set_xscale("log"), ax.set_xlabel("training events"), ax.set_ylabel("test AUC")
    ax.set_title(title, fontsize=10), ax.legend(fontsize=8), ax.grid(alpha=0.3)
    return fig


def roc_bands(scans: dict, size: int, ax=None, title: str = ""):
    """Mean ROC curve with a ±1 standard-deviation band over repeats, at one training size."""

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(4.2, 4))
    for label, scan in scans.items():
        mean, std = scan.tpr_band(size)
        (line,) = ax.plot(FPR_GRID, mean, label=label)
        ax.fill_between(FPR_GRID, mean - std, mean + std, alpha=0.25, color=line.get_color())
    ax.plot([0, 1], [0, 1], ":", color="grey", lw=1)
    ax.set_xlabel("background efficiency (FPR)"), ax.set_ylabel("signal efficiency (TPR)")
    ax.set_title(title, fontsize=10), ax.legend(fontsize=8, loc="lower right")
    return fig


def _fill(ax, x, mean, std, label):
    (line,) = ax.plot(x, mean, label=label)
    ax.fill_between(x, mean - std, mean + std, alpha=0.25, color=line.get_color())


def _band(ax, x, curves, label):
    curves = np.stack(curves)
    _fill(ax, x, curves.mean(axis=0), curves.std(axis=0), label)


def cost_bands(trials: dict, ax=None, title: str = "", unit: str = "nats"):
    """Mean cost per evaluation ± 1 std over trials, for several
    :class:`~qmlhep.studies.vqc_trials.Trials`."""
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(5, 3.5))
    for label, t in trials.items():
        mean, std = t.cost_band()
        _fill(ax, np.arange(1, len(mean) + 1), mean, std, label)
    ax.set_xlabel("cost evaluation (COBYLA iteration)"), ax.set_ylabel(f"cross-entropy ({unit})")
    ax.set_title(title, fontsize=10), ax.legend(fontsize=8), ax.grid(alpha=0.3)
    return fig


def roc_train_test(trials: dict, ax=None, title: str = "", test_only: bool = False):
    """Mean training and test ROC curves ± 1 std over trials, for each ``Trials``."""

    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(4.2, 4))
    for label, t in trials.items():
        if not test_only:
            _band(ax, FPR_GRID, t.tpr_train, f"{label}, training")
        _band(ax, FPR_GRID, t.tpr_test, f"{label}, test" if not test_only else label)
    ax.plot([0, 1], [0, 1], ":", color="grey", lw=1)
    ax.set_xlabel("background efficiency (FPR)"), ax.set_ylabel("signal efficiency (TPR)")
    ax.set_title(title, fontsize=10), ax.legend(fontsize=8, loc="lower right")
    return fig


def class_histograms(ax, values: np.ndarray, classes: dict[str, np.ndarray], bins=40, **hist):
    """Normalised step histograms of ``values`` for each class (name → boolean mask), in
    the class's colour from :data:`CLASS_COLOURS`. Returns ``ax``."""
    for name, mask in classes.items():
        style = {"density": True, "histtype": "step", "lw": 1.5, **hist}
        ax.hist(values[mask], bins=bins, color=CLASS_COLOURS.get(name), label=name, **style)
    ax.set_ylabel("density"), ax.legend(fontsize=8)
    return ax


def score_and_roc(
    y: np.ndarray,
    scores: dict[str, np.ndarray],
    names: tuple[str, str] = ("quark", "gluon"),
    score_label: str = "score",
):
    """Score distributions (left) and ROC curves with their AUC (right) of several models.

    ``y``: test labels (1 = ``names[1]``, the class a high score tags); ``scores``: model
    name → score per test example. Line styles tell models apart, colours classes.
    """

    fig, (ax_s, ax_r) = plt.subplots(1, 2, figsize=(10, 3.6))
    styles = ("-", "--", "-.", ":")
    y = np.asarray(y)
    for (model, s), ls in zip(scores.items(), styles * len(scores), strict=False):
        bins = np.linspace(np.min(s), np.quantile(s, 0.995) + 1e-12, 40)
        prefix = f"{model}, " if len(scores) > 1 else ""
        for label, name in enumerate(names):
            ax_s.hist(
                s[y == label],
                bins,
                histtype="step",
                density=True,
                ls=ls,
                lw=1.5,
                color=CLASS_COLOURS.get(name),
                label=prefix + name,
            )
        fpr, tpr, _ = roc_curve(y, s)
        ax_r.plot(fpr, tpr, ls=ls, color="k", label=f"{model}, AUC {roc_auc_score(y, s):.3f}")
    ax_s.set_xlabel(score_label), ax_s.set_ylabel("density"), ax_s.legend(fontsize=7)
    ax_r.plot([0, 1], [0, 1], ":", color="grey")
    ax_r.set_xlabel(f"{names[0]} efficiency (FPR)"), ax_r.set_ylabel(f"{names[1]} efficiency (TPR)")
    ax_r.legend(fontsize=8)
    fig.tight_layout()
    return fig


def training_curves(
    runs: dict[str, dict[int, object]],
    ylabel: str = "loss",
    log: bool = False,
    best_epoch: dict[str, dict[int, int]] | None = None,
):
    """Training (o-) and validation (x--) loss per epoch, every seed, one panel per model.

    ``runs``: model title → {seed: history}, a history being a DataFrame with ``loss`` and
    ``val_loss`` columns (one row per epoch, or the epochs of an ``epoch`` column, e.g. a
    thinned curve); ``best_epoch`` marks the kept epoch.
    """
    fig, axes = plt.subplots(
        1, len(runs), figsize=(5.5 * len(runs), 3.6), squeeze=False, sharey=True
    )
    for ax, (title, by_seed) in zip(axes.flat, runs.items(), strict=True):
        for seed, h in by_seed.items():
            epochs = h["epoch"] if "epoch" in h else np.arange(1, len(h) + 1)
            ax.plot(epochs, h["loss"], "o-", ms=3, color=f"C{seed}", label=f"seed {seed}, training")
            if "val_loss" in h:
                ax.plot(epochs, h["val_loss"], "x--", color=f"C{seed}", label="validation")
            if best_epoch:
                ax.axvline(best_epoch[title][seed], color=f"C{seed}", lw=0.5)
        ax.set_title(title), ax.set_xlabel("epoch"), ax.grid(alpha=0.3), ax.legend(fontsize=7)
        if log:
            ax.set_yscale("log")
    axes.flat[0].set_ylabel(ylabel)
    fig.tight_layout()
    return fig
