"""Every quantum model of the book beside its twins, read from the build's metrics.

:data:`COMPARISONS` names, for each quantum model, the metric keys of the four roles of
:data:`ROLES`: the quantum model, its no-entanglement (product) twin, its classical twin
with as many parameters, and a trivial reference; and the prefix of the paired
differences its chapter records (``{prefix}.delta.{role}``: quantum minus the other model
on the same test events, :func:`qmlhep.stats.compare`). :func:`difference_frame` reads
those differences, corrects their p-values with Holm's method over the whole family the
page shows, and says each outcome in words; :func:`difference_figure` draws them.
Nothing here is typed from a result: a key that no chapter recorded in this build is
reported as not measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from qmlhep import metrics
from qmlhep.metric_catalogue import CATALOGUE
from qmlhep.stats import ALPHA, LEVEL, holm

ROLES = {
    "quantum": "quantum model",
    "product": "no-entanglement twin",
    "twin": "classical twin (same parameters)",
    "reference": "trivial reference",
}
AGAINST = ("product", "twin", "reference")
"""The roles a quantum model is compared with (each a ``{prefix}.delta.{role}`` key)."""
MARKERS = {"quantum": "o", "product": "s", "twin": "D", "reference": "v"}
TASKS = (
    "jet anomaly tagging",
    "supervised jet tagging",
    "SUSY classification",
    "BSM anomaly detection",
)


@dataclass(frozen=True)
class Comparison:
    """One quantum model: its task, the chapter that owns it, its metric key per role and
    the prefix of its paired differences."""

    task: str
    model: str
    chapter: str
    keys: dict[str, str | None]
    reference: str = ""
    """What the trivial reference is (empty when there is none for this task)."""
    prefix: str = ""
    """``{prefix}.delta.{role}`` holds the paired difference to each role."""

    def delta_key(self, role: str) -> str:
        return f"{self.prefix}.delta.{role}"


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "jet anomaly tagging",
        "SQAE",
        "quantum/sqae",
        {
            "quantum": "sqae.auc.q_vs_g",
            "product": "sqae.auc.product",
            "twin": "sqae.auc.twin",
            "reference": "sqae.auc.intensity",
        },
        "total image intensity",
        "sqae",
    ),
    Comparison(
        "jet anomaly tagging",
        "hybrid autoencoder",
        "quantum/hybrid",
        {
            "quantum": "hae.auc.q_vs_g",
            "product": "hae.auc.product",
            "twin": "hae.auc.twin",
            "reference": "hae.auc.intensity",
        },
        "total image intensity",
        "hae",
    ),
    Comparison(
        "supervised jet tagging",
        "quantum ViT",
        "quantum/vit",
        {
            "quantum": "qvit.auc",
            "product": "qvit.auc.product",
            "twin": "qvit.auc.twin",
            "reference": "qvit.auc.linear",
        },
        "logistic regression on the pixels",
        "qvit",
    ),
    Comparison(
        "SUSY classification",
        "QCL (3 variables, 1,000 events)",
        "quantum/qcl",
        {
            "quantum": "qcl.auc.nvar3.n1000",
            "product": "qcl.auc.product",
            "twin": "qcl.auc.twin",
            "reference": "qcl.auc.linear",
        },
        "logistic regression",
        "qcl",
    ),
    Comparison(
        "SUSY classification",
        "VQC (40 events)",
        "quantum/vqc",
        {
            "quantum": "vqc.auc.test.sim.foe.n40",
            "product": "vqc.auc.product",
            "twin": "vqc.auc.twin",
            "reference": "vqc.auc.linear",
        },
        "logistic regression",
        "vqc",
    ),
    Comparison(
        "SUSY classification",
        "re-uploading (7 variables)",
        "quantum/reupload_susy",
        {
            "quantum": "reupload_susy.auc",
            "product": "reupload_susy.auc.product",
            "twin": "reupload_susy.auc.twin",
            "reference": "reupload_susy.auc.linear",
        },
        "logistic regression",
        "reupload_susy",
    ),
    Comparison(
        "BSM anomaly detection",
        "QAE (4 variables)",
        "quantum/bsm_qae",
        {
            "quantum": "bsm.qae.auc",
            "product": "bsm.qae.auc.product",
            "twin": "bsm.qae.auc.twin",
            "reference": "bsm.auc.sum_pt",
        },
        "scalar sum of the transverse momenta",
        "bsm.qae",
    ),
)


def auc_frame(records: dict[str, dict] | None = None) -> pd.DataFrame:
    """One row per (model, role): the AUC on the test events of the model's paired
    comparisons (the quantum model's from any of them, each other role's as the quantum
    AUC minus the difference), NaN where not measured. These are the AUCs the
    differences compare, which may differ from a chapter's headline AUC (e.g. the QCL's
    comparisons read every qubit; the VQC's score one common test set)."""
    records = metrics.with_published() if records is None else records
    rows = []
    for c in COMPARISONS:
        diffs = {role: metrics.difference(c.delta_key(role), records) for role in AGAINST}
        quantum = next((d.auc_a for d in diffs.values() if d is not None), np.nan)
        rows.append({"task": c.task, "model": c.model, "role": "quantum", "value": quantum})
        for role, d in diffs.items():
            value = np.nan if d is None else d.auc_a - d.value
            rows.append({"task": c.task, "model": c.model, "role": role, "value": value})
    frame = pd.DataFrame(rows)
    frame["value"] = pd.to_numeric(frame["value"])
    return frame


def difference_frame(records: dict[str, dict] | None = None, alpha: float = ALPHA) -> pd.DataFrame:
    """One row per (model, compared role): the recorded paired difference (quantum minus
    the other), its standard error and interval, its own p-value, the p-value after
    Holm's correction over every measured row, and the word for it (``"above"``,
    ``"compatible with"``, ``"below"`` or ``"not measured"``).
    """
    records = metrics.with_published() if records is None else records
    rows = []
    for c in COMPARISONS:
        for role in AGAINST:
            key = c.delta_key(role)
            d = metrics.difference(key, records)
            rows.append(
                {
                    "task": c.task,
                    "model": c.model,
                    "against": ROLES[role],
                    "role": role,
                    "key": key,
                    "value": np.nan if d is None else d.value,
                    "err": np.nan if d is None else d.err,
                    "low": np.nan if d is None else d.low,
                    "high": np.nan if d is None else d.high,
                    "p": np.nan if d is None else d.p,
                    "seeds": "" if d is None else d.seeds,
                    "n_events": np.nan if d is None else d.n_events,
                    "err_test_auc": np.nan if d is None else d.err_test_a,
                    "profile": records.get(key, {}).get("profile", ""),
                    "difference": d,
                }
            )
    frame = pd.DataFrame(rows)
    measured = frame.p.notna()
    frame["p_holm"] = np.nan
    frame.loc[measured, "p_holm"] = holm(frame.loc[measured, "p"].to_numpy())
    frame["verdict"] = [
        "not measured" if d is None else d.word(p, alpha)
        for d, p in zip(frame.difference, frame.p_holm, strict=True)
    ]
    return frame.drop(columns=["difference"])


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many comparisons of :func:`difference_frame` ended in each verdict."""
    return frame["verdict"].value_counts().to_dict()


def summary_sentence(frame: pd.DataFrame, alpha: float = ALPHA) -> str:
    """What the page's comparisons say, in one Markdown paragraph computed from them."""
    n = counts(frame)
    measured = int(frame.p.notna().sum())
    profiles = sorted(set(frame.profile) - {""})
    if measured == 0:
        return (
            f"None of the {len(frame)} comparisons this page knows was measured in this build: "
            "run the quantum chapters first."
        )
    above = frame[(frame.verdict == "above") & (frame.role != "reference")]
    below = frame[frame.verdict == "below"]
    text = (
        f"Of the {len(frame)} comparisons this page knows, **{measured}** were measured in "
        f"this build (profile{'s' if len(profiles) != 1 else ''} "
        f"{', '.join(profiles) or 'not recorded'}). "
        f"After Holm's correction over those {measured} (family-wise error rate "
        f"{alpha:.0%}), the quantum model is above its comparison in **{n.get('above', 0)}**, "
        f"compatible with it in **{n.get('compatible with', 0)}** and below it in "
        f"**{n.get('below', 0)}**. "
    )

    def listed(rows: pd.DataFrame) -> str:
        return "; ".join(
            f"{r.model} against the {r.against} ({r.value:+.3f})" for r in rows.itertuples()
        )

    text += (
        f"It is above a twin in: {listed(above)}. "
        if len(above)
        else "It is above none of its twins. "
    )
    if len(below):
        text += f"It is below: {listed(below)}."
    return text.strip()


RESOLUTION = 0.01
"""The test-sample error of a quantum model's AUC that its test set should reach."""


def resolution_sentence(frame: pd.DataFrame, limit: float = RESOLUTION) -> str:
    """Which quantum models' test sets resolve an AUC to ``limit`` (DeLong's error of the
    quantum model's AUC on its test events), computed from the recorded comparisons."""
    per_model = frame.dropna(subset=["err_test_auc"]).groupby("model", sort=False).first()
    if per_model.empty:
        return ""
    coarse = per_model[per_model.err_test_auc > limit]
    if coarse.empty:
        return (
            f"Every measured model's test set resolves its AUC to {limit:g} or better "
            f"(largest test-sample error {per_model.err_test_auc.max():.3f})."
        )
    listed = "; ".join(
        f"{m} ({r.err_test_auc:.3f} on {r.n_events:,.0f} test events)" for m, r in coarse.iterrows()
    )
    return (
        f"Of the {len(per_model)} models measured on one common test set, {len(coarse)} "
        f"have a test set that does not resolve their own AUC to {limit:g} (DeLong's error of "
        f"the quantum model's AUC): {listed}. A paired difference on the same events can "
        "still be resolved more finely; a larger test set (more data, or more scoring time "
        "than this profile has) would narrow every interval of these models."
    )


def difference_figure(frame: pd.DataFrame, small: bool = False):
    """One panel per task: for every model, its paired AUC difference to each compared
    role with the 95 % interval (filled marker: significant after Holm). Returns the Figure."""
    tasks = [t for t in TASKS if t in set(frame.task)]
    heights = [max(1, frame[frame.task == t].model.nunique()) for t in tasks]
    size = (6, 0.5 * sum(heights) + 1.6) if small else (9, 0.8 * sum(heights) + 2.2)
    fig, axes = plt.subplots(
        len(tasks), 1, figsize=size, sharex=True, gridspec_kw={"height_ratios": heights}
    )
    axes = np.atleast_1d(axes)
    for ax, task in zip(axes, tasks, strict=True):
        part = frame[frame.task == task]
        models = list(dict.fromkeys(part.model))
        for i, model in enumerate(models):
            rows = part[part.model == model]
            if rows.value.isna().all():
                ax.text(
                    0.01,
                    i,
                    "not measured in this build",
                    transform=ax.get_yaxis_transform(),
                    va="center",
                    fontsize=7,
                    color="grey",
                )
            for j, role in enumerate(AGAINST):
                row = rows[rows.role == role]
                if row.empty or pd.isna(row.value.iloc[0]):
                    continue
                r = row.iloc[0]
                ax.errorbar(
                    r.value,
                    i + 0.2 * (j - 1),
                    xerr=[[r.value - r.low], [r.high - r.value]],
                    fmt=MARKERS[role],
                    color=f"C{j + 1}",
                    mfc=f"C{j + 1}" if r.verdict in ("above", "below") else "white",
                    capsize=3,
                    label=f"against the {ROLES[role]}",
                )
        ax.set_yticks(range(len(models)), models, fontsize=8 if small else 9)
        ax.set_ylim(max(len(models), 1) - 0.5, -0.5)
        ax.set_title(task if models else f"{task}: no chapter yet", fontsize=9, loc="left")
        ax.axvline(0.0, color="grey", lw=0.8, ls=":")
        ax.grid(alpha=0.3, axis="x")
    handles = {}
    for ax in axes:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, h)
    order = [f"against the {ROLES[r]}" for r in AGAINST if f"against the {ROLES[r]}" in handles]
    if order:
        fig.legend([handles[lab] for lab in order], order, loc="lower center", ncol=2, fontsize=8)
    axes[-1].set_xlabel(
        f"AUC(quantum) − AUC(other), same test events ({LEVEL:.0%} intervals: test sample and "
        "seeds; filled: significant after Holm)",
        fontsize=8 if small else 9,
    )
    fig.tight_layout(rect=(0, 0.1 if small else 0.07, 1, 1))
    return fig


def published_pairs(records: dict[str, dict] | None = None) -> pd.DataFrame:
    """Every recorded AUC whose paper gives one number: key, book value and error, paper."""

    records = metrics.with_published() if records is None else records
    rows = [
        {"key": key, "book": rec["value"], "err": rec.get("err") or 0.0, "paper": spec.paper}
        for key, spec in CATALOGUE.items()
        if spec.unit == "AUC"
        and isinstance(spec.paper, float)
        and isinstance((rec := records.get(key, {})).get("value"), float)
    ]
    return pd.DataFrame(rows, columns=["key", "book", "err", "paper"])


def published_figure(pairs: pd.DataFrame):
    """The book's AUC against the published one, one point per metric, with the diagonal."""
    fig, ax = plt.subplots(figsize=(5, 4.2))
    ax.errorbar(pairs.paper, pairs.book, yerr=pairs.err, fmt="o", capsize=3)
    for row in pairs.itertuples():
        ax.annotate(
            row.key, (row.paper, row.book), fontsize=6, xytext=(3, 3), textcoords="offset points"
        )
    lo = min([0.5, *pairs.paper, *pairs.book]) - 0.02
    hi = max([0.9, *pairs.paper, *pairs.book]) + 0.02
    ax.plot([lo, hi], [lo, hi], ":", color="grey")
    ax.set_xlim(lo, hi), ax.set_ylim(lo, hi)
    ax.set_xlabel("published AUC"), ax.set_ylabel("this book's AUC"), ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
