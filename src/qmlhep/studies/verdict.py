"""Every quantum model of the book beside its twins, read from the build's metrics.

:data:`COMPARISONS` names, for each quantum model, the metric keys of the four roles of
:data:`ROLES`: the quantum model, its no-entanglement (product) twin, its classical twin
with as many parameters, and a trivial reference. :func:`verdict_frame` reads them from
``metrics.json``; :func:`statements` turns them into sentences with the book's 2σ rule;
:func:`verdict_figure` draws them. Nothing here is typed from a result: a key that no
chapter recorded in this build is reported as not measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from qmlhep import metrics
from qmlhep.stats import SIGMAS, Estimate, verdict

ROLES = {
    "quantum": "quantum model",
    "product": "no-entanglement twin",
    "twin": "classical twin (same parameters)",
    "reference": "trivial reference",
}
MARKERS = {"quantum": "o", "product": "s", "twin": "D", "reference": "|"}
TASKS = (
    "jet anomaly tagging",
    "supervised jet tagging",
    "SUSY classification",
    "BSM anomaly detection",
)


@dataclass(frozen=True)
class Comparison:
    """One quantum model: its task, the chapter that owns it, its metric key per role."""

    task: str
    model: str
    chapter: str
    keys: dict[str, str | None]
    reference: str = ""
    """What the trivial reference is (empty when there is none for this task)."""


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
    ),
)


def verdict_frame(records: dict[str, dict] | None = None) -> pd.DataFrame:
    """One row per (model, role): task, model, role, key, value, err (NaN: not measured)."""
    records = metrics.load() if records is None else records
    rows = []
    for c in COMPARISONS:
        for role in ROLES:
            key = c.keys.get(role)
            if key is None:
                continue
            rec = records.get(key, {})
            rows.append(
                {
                    "task": c.task,
                    "model": c.model,
                    "role": role,
                    "key": key,
                    "value": rec.get("value"),
                    "err": rec.get("err"),
                    "profile": rec.get("profile", ""),
                }
            )
    frame = pd.DataFrame(rows)
    frame["value"] = pd.to_numeric(frame["value"])
    frame["err"] = pd.to_numeric(frame["err"]).fillna(0.0)
    return frame


def _estimate(row) -> Estimate | None:
    return None if pd.isna(row.value) else Estimate(float(row.value), float(row.err), 0)


def statements(frame: pd.DataFrame) -> pd.DataFrame:
    """Per model and role, the quantum model's verdict against it (``"above"``,
    ``"compatible with"``, ``"below"``, or ``"not measured"``)."""
    rows = []
    for (task, model), part in frame.groupby(["task", "model"], sort=False):
        by_role = {r.role: _estimate(r) for r in part.itertuples()}
        q = by_role.get("quantum")
        for role in ("product", "twin", "reference"):
            if role not in by_role:
                continue
            other = by_role[role]
            said = "not measured" if q is None or other is None else verdict(q, other)
            rows.append({"task": task, "model": model, "against": ROLES[role], "verdict": said})
    return pd.DataFrame(rows)


def counts(table: pd.DataFrame) -> dict[str, int]:
    """How many comparisons of :func:`statements` ended in each verdict."""
    return table["verdict"].value_counts().to_dict()


def verdict_figure(frame: pd.DataFrame, small: bool = False):
    """One panel per task: every model's AUC per role, with its error bar; a model with
    nothing recorded is drawn as a label only. Returns the Figure."""
    tasks = [t for t in TASKS if t in set(frame.task)]
    heights = [max(1, frame[frame.task == t].model.nunique()) for t in tasks]
    size = (6, 0.5 * sum(heights) + 1.5) if small else (9, 0.8 * sum(heights) + 2)
    fig, axes = plt.subplots(
        len(tasks), 1, figsize=size, sharex=True, gridspec_kw={"height_ratios": heights}
    )
    for ax, task in zip(axes, tasks, strict=True):
        part = frame[frame.task == task]
        models = list(dict.fromkeys(part.model))
        for i, model in enumerate(models):
            if part[part.model == model].value.isna().all():
                ax.text(
                    0.01,
                    i,
                    "not measured in this build",
                    transform=ax.get_yaxis_transform(),
                    va="center",
                    fontsize=7,
                    color="grey",
                )
            for j, role in enumerate(ROLES):
                row = part[(part.model == model) & (part.role == role)]
                if row.empty or pd.isna(row.value.iloc[0]):
                    continue
                ax.errorbar(
                    row.value.iloc[0],
                    i + 0.15 * (j - 1.5),
                    xerr=row.err.iloc[0],
                    fmt=MARKERS[role],
                    color=f"C{j}",
                    capsize=3,
                    label=ROLES[role],
                )
        ax.set_yticks(range(len(models)), models, fontsize=8 if small else 9)
        ax.set_ylim(max(len(models), 1) - 0.5, -0.5)
        ax.set_title(task if models else f"{task}: no chapter yet", fontsize=9, loc="left")
        ax.axvline(0.5, color="grey", lw=0.8, ls=":")
        ax.grid(alpha=0.3, axis="x")
    handles = {}
    for ax in axes:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, h)
    order = [ROLES[r] for r in ROLES if ROLES[r] in handles]
    fig.legend([handles[lab] for lab in order], order, loc="lower center", ncol=2, fontsize=8)
    axes[-1].set_xlabel(f"test AUC (error bars: standard error over seeds; {SIGMAS:g}σ rule)")
    fig.tight_layout(rect=(0, 0.08 if small else 0.06, 1, 1))
    return fig


def published_pairs(records: dict[str, dict] | None = None) -> pd.DataFrame:
    """Every recorded AUC whose paper gives one number: key, book value and error, paper."""
    from qmlhep.metric_catalogue import CATALOGUE

    records = metrics.load() if records is None else records
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
