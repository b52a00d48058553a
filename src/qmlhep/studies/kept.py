"""A kept converged run as a page shows it: tables, curves and sentences computed from the
file (:mod:`qmlhep.storage.kept_runs`), never typed.

The hybrid chapter reads its run with :func:`qmlhep.published.kept_run` and shows it
beside the page's own short run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qmlhep.jets.stopping import stopping_sentence
from qmlhep.stats import Difference, mean_err
from qmlhep.storage.kept_runs import is_current

ROLES = {"product": "product", "twin": "classical"}
"""Which model of a kept run each paired difference ``delta.<role>`` is taken against
(``delta.reference``: the total-intensity reference)."""

REFERENCE = "total intensity"


def models_table(record: dict) -> pd.DataFrame:
    """One row per model: parameters, mean test AUC and its standard error over seeds,
    epochs run and best epoch per seed, how many seeds stopped early, the median distance
    from the mean-jet reconstruction, seconds per epoch."""
    rows = {}
    for m in record["models"].values():
        auc = mean_err(m["auc"])
        rows[m["label"]] = {
            "parameters": m["n_params"],
            "AUC": auc.mean,
            "± (std. error)": auc.err,
            "epochs run": ", ".join(map(str, m["epochs_run"])),
            "best epoch": ", ".join(map(str, m["best_epoch"])),
            "stopped early": f"{sum(m['stopped_early'])} of {len(m['stopped_early'])}",
            "recon vs mean": float(np.mean(m["recon_vs_mean"])),
            "s / epoch": float(np.mean(m["s_per_epoch"])),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def differences(record: dict) -> dict[str, Difference]:
    """The kept paired differences (the hybrid minus each other model on the same test
    jets), by the other model's label."""
    models = record["models"]
    out = {}
    for key, number in record["numbers"].items():
        if not key.startswith("delta."):
            continue
        role = key.removeprefix("delta.")
        label = models[ROLES[role]]["label"] if role in ROLES else REFERENCE
        out[label] = Difference.from_detail(number["detail"])
    return out


def differences_by_role(record: dict) -> dict[str, Difference]:
    """The kept paired differences by role (``"product"``, ``"twin"``, ``"reference"``):
    what a page compares with its own run, whatever labels the file was written with."""
    return {
        key.removeprefix("delta."): Difference.from_detail(number["detail"])
        for key, number in record["numbers"].items()
        if key.startswith("delta.")
    }


def converged(record: dict) -> bool:
    """Whether every seed of every model of the kept run stopped early."""
    return all(all(m["stopped_early"]) for m in record["models"].values())


def curves(record: dict) -> tuple[dict[str, dict[int, pd.DataFrame]], dict[str, dict[int, int]]]:
    """``(curves, best_epoch)`` in the shape :func:`qmlhep.plotting.training_curves` takes:
    model title → seed → thinned history (``epoch``, ``loss``, ``val_loss``)."""
    runs, best = {}, {}
    for m in record["models"].values():
        title = f"{m['label']} ({m['n_params']:,} parameters)"
        runs[title] = {s: pd.DataFrame(c) for s, c in enumerate(m["curves"])}
        best[title] = dict(enumerate(m["best_epoch"]))
    return runs, best


def stopping_sentences(record: dict) -> list[str]:
    """For every model, whether its seeds stopped early or ran to the epoch cap."""
    return [
        f"{m['label']}: {stopping_sentence(m['epochs_run'], m['max_epochs'])}"
        for m in record["models"].values()
    ]


def provenance_sentence(record: dict) -> str:
    """Where the run comes from (commit, date, machine, wall time, sizes, data) and whether
    the code that computed it is this version's, in Markdown."""
    p = record["provenance"]
    s, data = p["sizes"], p["data"]
    files = ", ".join(data["files"])
    train_s = p.get("train_s", p["wall_s"])
    dirty = " with uncommitted changes to the code" if p.get("uncommitted_changes") else ""
    text = (
        f"Trained once in the `{s.get('profile', 'full')}` profile on {p['machine']}: "
        f"{train_s / 60:.0f} minutes of training ({p['date']}, commit `{p['commit'][:12]}`"
        f"{dirty}): "
        f"{p['n_train']:,} quark jets per seed, {s['seeds']} seeds, at most {s['epochs']} "
        f"epochs with patience {s['patience']} for the quantum models"
        + (
            f" (an improvement: a fall of the validation loss by more than "
            f"{s['min_improvement']:.1%} of its best)"
            if s.get("min_improvement")
            else ""
        )
        + f"; {p['n_val']:,} "
        f"validation jets; {p['n_test']:,} test jets ({p['n_test_gluon']:,} gluon) of "
        f"{files} (sha256 {data['sha256'][0][:12]}…)."
    )
    n = len(p["modules"])
    if is_current(record):
        return text + f" The {n} modules that computed it are unchanged in this version."
    return text + (
        f" **These numbers come from an earlier version of the code:** at least one of the {n} "
        "modules that computed them has changed since, so this version's code might give "
        "other numbers."
    )


def beside(record: dict, live: dict[str, dict[str, list]]) -> pd.DataFrame:
    """The kept run beside this page's short run, one row per model. ``live``: model key
    (``"quantum"``, ...) → ``{"auc": [per seed], "epochs_run": [per seed]}``."""
    rows = {}
    for key, m in record["models"].items():
        here, kept = mean_err(live[key]["auc"]), mean_err(m["auc"])
        rows[m["label"]] = {
            "AUC, this page": f"{here.mean:.3f} ± {here.err:.3f}",
            "AUC, kept run": f"{kept.mean:.3f} ± {kept.err:.3f}",
            "mean epochs, this page": float(np.mean(live[key]["epochs_run"])),
            "mean epochs, kept run": float(np.mean(m["epochs_run"])),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
