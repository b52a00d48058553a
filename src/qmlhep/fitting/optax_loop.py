"""The one training loop of the book's JAX-engine estimators: Adam (optax) over shuffled
mini-batches, early stopping by :mod:`qmlhep.fitting.early_stopping`, resumable.

An estimator hands :func:`train` its starting parameters (a dict of arrays), a function
``loss_and_grad(params, rows)`` giving the mean loss and its gradient on the training
examples ``rows`` (an index array), and optionally ``evaluate(params)``, the per-epoch
columns it wants recorded (a validation loss, a contrast, a monitored AUC). The loop
shuffles with the estimator's generator, keeps the parameters of the epoch the rule
keeps, writes a :class:`~qmlhep.fitting.checkpoints.Checkpoint` after every epoch and, run
again with the same key, resumes from it: the result is bit-identical to an uninterrupted
training (tested). This is what the SQAE, the event QAE and the single-qubit re-uploading
classifier train with; the Keras models train with :func:`qmlhep.fitting.keras_loop.fit`
under the same stopping rule.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jax
import numpy as np
import optax
import pandas as pd

from qmlhep.fitting.checkpoints import Checkpoint
from qmlhep.fitting.early_stopping import check_rule, improves
from qmlhep.fitting.progress import bar, bar_label
from qmlhep.fitting.validation import check_count

Params = dict[str, np.ndarray]
STATE_KEYS = ("params", "state", "rows", "best", "best_params", "waited", "best_epoch", "rng")
"""What a checkpoint of this loop holds (besides ``stopped``)."""


@dataclass
class Trained:
    """What :func:`train` returns: the kept parameters, one history row per epoch run
    (index ``epoch`` from 1; ``loss``; ``seconds`` of training steps; the ``evaluate``
    columns and their ``eval_seconds``), the
    kept epoch (1-based; 0 when no epoch improved) and whether the patience stopped it."""

    params: Params
    history: pd.DataFrame
    best_epoch: int
    stopped_early: bool


def train(
    params: Params,
    loss_and_grad: Callable[[Params, np.ndarray], tuple[Any, Params]],
    n_examples: int,
    *,
    learning_rate: float,
    epochs: int,
    rng: np.random.Generator,
    batch_size: int | None = None,
    evaluate: Callable[[Params], dict[str, float]] | None = None,
    monitor: str = "loss",
    mode: str = "min",
    patience: int | None = None,
    min_improvement: float = 0.0,
    frozen: tuple[str, ...] = (),
    checkpoint: Checkpoint | None = None,
    x64: bool = False,
    desc: str = "epochs",
    progress: bool | str = False,
) -> Trained:
    """Adam on ``loss_and_grad`` for at most ``epochs`` epochs of ``n_examples`` examples.

    ``batch_size``: examples per step, a fresh permutation each epoch, the incomplete last
    batch dropped (None: every example in one step, in order). ``monitor``: the history
    column the rule watches (``"loss"`` or one that ``evaluate`` returns), better when
    lower (``mode="min"``) or higher (``"max"``); ``patience`` None runs every epoch and
    keeps the last. ``frozen``: parameter names whose gradient is zeroed. ``x64``: the
    optimiser's state and update in float64 (for float64 parameters). ``progress``: a bar
    over the epochs, labelled ``desc`` (or ``progress`` itself when it is a string).
    """
    check_count(epochs, "epochs", desc)
    check_rule(patience, min_improvement, mode)
    if batch_size is not None:
        check_count(batch_size, "batch_size", desc)
        if n_examples < batch_size:
            raise ValueError(
                f"{desc}: {n_examples} training examples < batch size {batch_size}; use more "
                "examples or a smaller batch_size."
            )
    unknown = set(frozen) - set(params)
    if unknown:
        raise ValueError(
            f"{desc}: frozen names {sorted(unknown)}, not parameters {sorted(params)}."
        )
    optimiser = optax.adam(learning_rate)

    def step(grad, state, params):
        updates, state = optimiser.update(grad, state, params)
        return optax.apply_updates(params, updates), state

    with jax.enable_x64(x64):
        update = jax.jit(step)
        state = optimiser.init(params)
    rows: list[dict] = []
    best, best_params, waited, best_epoch = (np.inf if mode == "min" else -np.inf), params, 0, 0
    saved = checkpoint.load(required=STATE_KEYS) if checkpoint is not None else None
    stopped = False
    if saved is not None:
        params, state, rows = saved["params"], saved["state"], saved["rows"]
        best, best_params, waited = saved["best"], saved["best_params"], saved["waited"]
        best_epoch, stopped = saved["best_epoch"], saved.get("stopped", False)
        rng.bit_generator.state = saved["rng"]
    last = saved
    size = n_examples if batch_size is None else batch_size
    shown, label = bar_label(progress, desc)
    epoch_bar = bar(
        range(len(rows), epochs), desc=label, enabled=shown, initial=len(rows), total=epochs
    )
    with jax.enable_x64(x64):  # the loss, its gradient and the update alike
        for epoch in [] if stopped else epoch_bar:
            start = time.perf_counter()
            order = np.arange(n_examples) if batch_size is None else rng.permutation(n_examples)
            losses = []
            for k in range(n_examples // size):
                loss, grad = loss_and_grad(params, order[k * size : (k + 1) * size])
                for name in frozen:
                    grad[name] = np.zeros_like(grad[name])
                new, state = update(grad, state, params)
                params = {name: np.asarray(value) for name, value in new.items()}
                losses.append(float(loss))
            row = {"epoch": epoch + 1, "loss": float(np.mean(losses))}
            if not np.isfinite(row["loss"]):
                raise FloatingPointError(
                    f"{desc}: the training loss became {row['loss']} at epoch {epoch + 1}; lower "
                    "the learning rate or check the inputs for extreme values."
                )
            row["seconds"] = time.perf_counter() - start
            if evaluate is not None:
                row.update(evaluate(params))
                row["eval_seconds"] = time.perf_counter() - start - row["seconds"]
            rows.append(row)
            epoch_bar.set_postfix(loss=f"{row['loss']:.4f}")
            if patience is None or improves(row[monitor], best, min_improvement, mode):
                best, best_params, waited, best_epoch = row[monitor], params, 0, epoch + 1
            else:
                waited += 1
            stopped = patience is not None and waited >= patience
            last = {
                "params": params,
                "state": jax.tree.map(np.asarray, state),
                "rows": rows,
                "best": best,
                "best_params": best_params,
                "waited": waited,
                "best_epoch": best_epoch,
                "rng": rng.bit_generator.state,
                "stopped": stopped,
            }
            if checkpoint is not None:
                checkpoint.save(last)
            if stopped:
                break
    epoch_bar.close()
    if checkpoint is not None and last is not None:
        checkpoint.finish(last)
    return Trained(
        params=best_params,
        history=pd.DataFrame(rows).set_index("epoch"),
        best_epoch=int(best_epoch),
        stopped_early=bool(stopped),
    )
