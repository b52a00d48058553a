"""The SQAE chapter's trainings: training draws per seed, cached study models, and what the
stopping rule chose, in numbers and words.

* :func:`seed_draws`: seed ``s`` trains on ``n_train`` jets drawn with seed ``s`` from the
  quark training pool (every seed the whole pool when it is not larger than ``n_train``);
  :func:`same_events` says whether the seeds ended up on the same jets, for
  :func:`qmlhep.stats.seeds_measure`.
* :class:`SQAEStudy`: one training per distinct setting (the studies share their common
  point), every model stopped by the same quark-only rule (:data:`RULE`).
* :func:`choose_placement`: the latent placement the selection half supports.
* :func:`rule_table`, :func:`rule_sentence` and :func:`trap_figure`: per seed, the test
  AUC at the epoch the rule chose, at the lowest validation loss and at the last epoch,
  with the training loss and the test AUC per epoch side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from qmlhep.jets.sqae import RULES, SQAE, chosen_epoch
from qmlhep.simulation.patch_circuit import PatchCircuit

RULE = "contrast"
"""The chapter's stopping rule, stated before any training (see :class:`~qmlhep.jets.sqae.SQAE`):
keep the epoch whose validation *quark contrast* is highest, stop after ``patience``
epochs without improvement. It reads quark jets only."""

PLACEMENTS: dict[str, tuple[int, ...] | None] = {"centre": None, "corners": (0, 2, 6, 8)}
"""Where the 4 latent qubits sit: the central patches (:func:`~qmlhep.jets.sqae.centre_first`)
or the four corner patches of the 3×3 grid."""


def training_draw(n_pool: int, n_train: int | None, seed: int) -> np.ndarray:
    """Indices of the ``n_train`` pool jets that seed ``seed`` trains on (sorted); the whole
    pool when ``n_train`` is None or not smaller than the pool."""
    if n_pool < 1:
        raise ValueError("training_draw: the training pool is empty.")
    if n_train is None or n_train >= n_pool:
        return np.arange(n_pool)
    return np.sort(np.random.default_rng(seed).choice(n_pool, n_train, replace=False))


def seed_draws(n_pool: int, n_train: int | None, seeds: int) -> dict[int, np.ndarray]:
    """:func:`training_draw` for seeds ``0 … seeds-1``."""
    return {s: training_draw(n_pool, n_train, s) for s in range(seeds)}


def same_events(draws: dict[int, np.ndarray]) -> bool:
    """Whether every seed trains on the same jets (as sets)."""
    first = np.sort(next(iter(draws.values())))
    return all(np.array_equal(np.sort(d), first) for d in draws.values())


@dataclass
class SQAEStudy:
    """Trains each distinct setting once on ``train`` (quark jets), stopped and chosen by
    ``select`` on ``val`` (quark jets), for ``epochs`` epochs at most, one seed."""

    train: np.ndarray
    val: np.ndarray
    epochs: int
    batch_size: int
    patience: int | None = None
    select: str = RULE
    random_state: int = 0
    trained: dict = field(default_factory=dict, repr=False)

    def model(
        self,
        layers: int = 5,
        entangler: str = "cnot",
        latent: int = 4,
        latent_qubits: tuple[int, ...] | None = None,
        select: str | None = None,
    ) -> SQAE:
        select = self.select if select is None else select
        key = (layers, entangler, latent, latent_qubits, select)
        if key not in self.trained:
            self.trained[key] = SQAE(
                PatchCircuit(layers=layers, entangler=entangler),
                latent=latent,
                latent_qubits=latent_qubits,
                reference="zero",
                max_iter=self.epochs,
                patience=self.epochs if self.patience is None else self.patience,
                batch_size=self.batch_size,
                random_state=self.random_state,
                select=select,
            ).fit(self.train, validation=self.val)
        return self.trained[key]


def choose_placement(auc: dict[str, float], default: str = "centre") -> str:
    """The placement with the highest AUC (on the selection half); ``default`` on a tie."""
    best = max(auc.values())
    return default if auc[default] >= best else max(auc, key=auc.get)


def rule_table(models: dict[int, SQAE], patience: int, rule: str = RULE) -> pd.DataFrame:
    """One row per seed, from the histories (``test_auc`` monitored): epochs run, the epoch
    the rule chose and the test AUC there, the same for the lowest validation loss, the
    last epoch's test AUC and, in hindsight only, the best test AUC of any epoch."""
    rows = {}
    for seed, m in models.items():
        h = m.history_
        epoch, _ = chosen_epoch(h, rule, patience)
        if epoch != m.best_epoch_:
            raise AssertionError(
                f"seed {seed}: the rule replays to {epoch}, fit kept {m.best_epoch_}"
            )
        by_loss = int(h.val_loss.idxmin())
        rows[seed] = {
            "epochs run": len(h),
            "rule's epoch": epoch,
            "test AUC, rule's epoch": float(h.test_auc[epoch]),
            "lowest val. loss, epoch": by_loss,
            "test AUC, lowest val. loss": float(h.test_auc[by_loss]),
            "test AUC, last epoch": float(h.test_auc.iloc[-1]),
            "best test AUC (hindsight)": float(h.test_auc.max()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "seed"
    return out


def rule_sentence(table: pd.DataFrame, paper: float) -> str:
    """Markdown: what the rule chose against the lowest validation loss and the seed study,
    in words for every outcome (mean over seeds)."""
    rule, by_loss = table["test AUC, rule's epoch"], table["test AUC, lowest val. loss"]
    last = table["test AUC, last epoch"]
    n = len(table)
    better = int((rule > by_loss).sum())
    same = int((table["rule's epoch"] == table["lowest val. loss, epoch"]).sum())
    seeds = "seed" if n == 1 else "seeds"
    if same == n:
        vs_loss = f"chose the epoch of the lowest validation loss for every one of the {n} {seeds}"
    else:
        vs_loss = (
            f"chose another epoch than the lowest validation loss for {n - same} of {n} "
            f"{seeds}, with a higher test AUC for {better} of them (mean {rule.mean():.3f} "
            f"against {by_loss.mean():.3f})"
        )
    mean = rule.mean()
    paper_word = "above" if mean > paper else "below" if mean < paper else "equal to"
    trend = "fell" if last.mean() < table["best test AUC (hindsight)"].mean() - 0.005 else "held"
    return (
        f"The quark-contrast rule {vs_loss}. At the rule's epochs the test AUC is "
        f"**{mean:.3f}** on average over {n} {seeds}, {paper_word} the seed study's {paper}; "
        f"the best epoch in hindsight averaged {table['best test AUC (hindsight)'].mean():.3f} "
        f"and the last epoch {last.mean():.3f} (the test AUC {trend} by the end of training)."
    )


def trap_figure(models: dict[int, SQAE], paper: float, floor: float):
    """One panel per seed: training and validation loss (left axis, log) and the test AUC
    and validation quark contrast per epoch (right axis), the rule's epoch marked."""

    fig, axes = plt.subplots(1, len(models), figsize=(4.8 * len(models), 3.6), squeeze=False)
    for ax, (seed, m) in zip(axes[0], models.items(), strict=True):
        h = m.history_
        ax.plot(h.index, h.loss, "o-", color="C0", label="1 − F, training (quark)")
        ax.plot(h.index, h.val_loss, "x--", color="C0", alpha=0.6, label="1 − F, validation")
        ax.set_yscale("log"), ax.set_xlabel("epoch"), ax.set_ylabel("loss 1 − F", color="C0")
        right = ax.twinx()
        right.plot(h.index, h.test_auc, "s-", color="C3", label="test AUC (gluon tagging)")
        right.plot(
            h.index, h[RULES[RULE][0]], "^:", color="C2", label="quark contrast (validation)"
        )
        right.axhline(paper, color="k", ls=":", lw=1, label=f"seed study ({paper})")
        right.axhline(floor, color="grey", ls="--", lw=1, label="intensity floor")
        right.axvline(m.best_epoch_, color="C2", alpha=0.4, lw=6, label="rule's epoch")
        right.set_ylabel("AUC", color="C3")
        ax.set_title(f"seed {seed}")
        ax.grid(alpha=0.3)
    lines = axes[0][0].get_legend_handles_labels()
    twin = fig.axes[len(models)].get_legend_handles_labels()
    fig.legend(
        lines[0] + twin[0],
        lines[1] + twin[1],
        loc="upper center",
        ncol=4,
        fontsize=8,
        bbox_to_anchor=(0.5, 1.12),
    )
    fig.tight_layout()
    return fig
