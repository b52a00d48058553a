"""The swap-test quantum autoencoder (SQAE) for images, trained with Adam on the engine.

``SQAE(circuit, latent=4).fit(images)`` maximises the mean swap-test fidelity of the
training images (the trash qubits should end in the reference state, so the image is
compressed into the latent qubits). It is a scikit-learn outlier detector:
``score_samples(images)`` is the fidelity ``F`` (the lower, the more abnormal, as for
:class:`sklearn.ensemble.IsolationForest`), so the anomaly score is ``1 - F``;
``decision_function`` is ``F - offset_`` (negative: an outlier) and ``predict`` gives
+1/-1. Reference states: ``"zero"`` (|0⟩), ``"random"`` (a fixed random product state
drawn from ``random_state``) or ``"trainable"`` (its angles trained with the circuit).
``frozen`` keeps named parameters (``"w"``, ``"b"``) at their initial values.

Which epoch's parameters are kept is the ``select`` rule, stated before training and
computed from quark jets only (the validation set): ``"val_loss"`` (the lowest ``1 - F``
of the validation jets) or ``"contrast"`` (the highest *quark contrast*: the AUC of
``1 - F`` separating the validation jets from overlays of two validation jets,
:func:`overlaid` — how distinctive the compression of single quark jets still is; a
circuit that compresses every image scores 0.5). Training stops when the criterion has
not improved for ``patience`` epochs; a monitored test AUC is recorded but chooses nothing
(:func:`chosen_epoch` replays the rule on a history).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.metrics import roc_auc_score
from sklearn.utils.validation import check_is_fitted

from qmlhep.fitting import early_stopping, optax_loop
from qmlhep.fitting.checkpoints import Checkpoint
from qmlhep.fitting.estimators import OffsetOutlierMixin
from qmlhep.fitting.validation import check_count, check_finite, check_labels
from qmlhep.simulation import swap_test_fidelity
from qmlhep.simulation.patch_circuit import PatchCircuit

REFERENCES = ("zero", "random", "trainable")
RULES = {"val_loss": ("val_loss", -1.0), "contrast": ("val_contrast", +1.0)}
"""Stopping rule → (history column it reads, +1 if higher is better else -1)."""
CHECKPOINT_SETTINGS = (
    "latent_qubits_",
    "trash_",
    "reference",
    "learning_rate",
    "batch_size",
    "max_iter",
    "patience",
    "random_state",
    "frozen_",
    "select",
)
"""The settings a training's checkpoint key holds (with the circuit's)."""


def overlaid(images: np.ndarray, seed: int = 0) -> np.ndarray:
    """Each image ``(N, H, W)`` plus another image of the set (a fixed random pairing drawn
    from ``seed``, never an image with itself), normalised to its brightest pixel: two
    jets in one image — more particles, wider, like the radiation of a gluon jet, made of
    quark jets only. The rule's contrast set."""
    images = np.asarray(images)
    if len(images) < 2:
        raise ValueError("overlaid: needs at least 2 images to pair.")
    order = np.random.default_rng(seed).permutation(len(images))
    partner = np.empty_like(order)
    partner[order] = np.roll(order, -1)  # a cycle: nobody is their own partner
    summed = images + images[partner]
    peak = summed.reshape(len(images), -1).max(axis=1)
    return summed / np.where(peak > 0, peak, 1.0)[:, None, None]


def improves(value: float, best: float, rule: str) -> bool:
    """Whether the criterion ``value`` of rule ``rule`` beats ``best`` (the book's one rule,
    :func:`qmlhep.fitting.early_stopping.improves`, any strict improvement counting)."""
    return early_stopping.improves(value, best, 0.0, "max" if RULES[rule][1] > 0 else "min")


def chosen_epoch(history: pd.DataFrame, rule: str, patience: int) -> tuple[int, int]:
    """Replay the stopping rule on ``history`` (index: epoch from 1): ``(chosen epoch, epoch
    the training stops at)``. Reads the rule's column only (never ``test_auc``)."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {tuple(RULES)}, got {rule!r}.")
    column, sign = RULES[rule]
    kept, stop = early_stopping.replay(
        history[column].to_numpy(), patience, 0.0, "max" if sign > 0 else "min"
    )
    return int(history.index[kept - 1]) if kept else None, int(history.index[stop - 1])


def centre_first(circuit: PatchCircuit) -> list[int]:
    """Qubits ordered by the distance of their patch from the image centre (ties row-major)."""
    nr, nc = circuit.grid
    centre = ((nr - 1) / 2, (nc - 1) / 2)
    return sorted(
        range(circuit.n_qubits),
        key=lambda q: (abs(q // nc - centre[0]) + abs(q % nc - centre[1]), q),
    )


class SQAE(OffsetOutlierMixin, OutlierMixin, BaseEstimator):
    """Swap-test quantum autoencoder on a :class:`PatchCircuit` (default: ``PatchCircuit()``).

    ``latent``: number of latent qubits, the most central patches (:func:`centre_first`)
    unless ``latent_qubits`` names them; the others are trash. ``latent=0`` makes every
    qubit trash: the score is then the overlap of the whole state with the reference. That
    is the product twin's setting (``PatchCircuit(entangler="none")``): without entanglers a
    latent qubit's patch never reaches a trash qubit, so with latent qubits the twin would
    never read those patches (nor train their parameters). ``contamination``: the
    fraction of training images :meth:`predict` calls outliers (it sets ``offset_``);
    ``max_iter``: at most this many epochs; ``progress``: a progress bar over the epochs
    (a string: its label).
    After ``fit``: ``params_``, ``n_params_`` (the trained parameters), ``offset_`` and
    ``history_`` (one row per epoch: training loss, seconds, RMS of the upload weights,
    validation loss and monitored test AUC when given, and ``val_contrast``, the quark
    contrast of the validation jets); ``best_epoch_``
    (the epoch whose parameters ``select`` kept); ``circuit_``, ``latent_qubits_``,
    ``trash_`` and ``frozen_`` as used.
    """

    def __init__(
        self,
        circuit: PatchCircuit | None = None,
        latent: int = 4,
        latent_qubits: tuple[int, ...] | None = None,
        reference: str = "zero",
        learning_rate: float = 0.01,
        batch_size: int = 64,
        max_iter: int = 20,
        patience: int = 5,
        random_state: int = 0,
        frozen: tuple[str, ...] = (),
        contamination: float = 0.05,
        select: str = "val_loss",
        progress: bool | str = False,
    ):
        self.circuit = circuit
        self.latent = latent
        self.latent_qubits = latent_qubits
        self.reference = reference
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.patience = patience
        self.random_state = random_state
        self.frozen = frozen
        self.contamination = contamination
        self.select = select
        self.progress = progress

    def _layout(self) -> None:
        """Check the parameters; set ``circuit_``, ``latent_qubits_``, ``trash_``, ``frozen_``."""
        self.circuit_ = self.circuit if self.circuit is not None else PatchCircuit()
        if self.reference not in REFERENCES:
            raise ValueError(f"reference must be one of {REFERENCES}, got {self.reference!r}.")
        n = self.circuit_.n_qubits
        latent_qubits = tuple(
            self.latent_qubits
            if self.latent_qubits is not None
            else centre_first(self.circuit_)[: self.latent]
        )
        if not 0 <= len(latent_qubits) < n or not set(latent_qubits) <= set(range(n)):
            raise ValueError(
                f"latent qubits {latent_qubits} must be 0 to {n - 1} of the {n} qubits 0..{n - 1}."
            )
        self.latent_qubits_ = latent_qubits
        self.trash_ = tuple(q for q in range(n) if q not in latent_qubits)
        unknown = set(self.frozen) - {"w", "b", "ref"}
        if unknown:
            raise ValueError(f"frozen names parameters 'w', 'b' or 'ref'; got {sorted(unknown)}.")
        if self.select not in RULES:
            raise ValueError(f"select must be one of {tuple(RULES)}, got {self.select!r}.")
        if not 0.0 < self.contamination < 0.5:
            raise ValueError(f"contamination must be in (0, 0.5), got {self.contamination}.")
        # a fixed reference is a frozen one
        self.frozen_ = tuple(self.frozen) + (("ref",) if self.reference != "trainable" else ())

    def _count_params(self) -> int:
        """Trained parameters: weights and biases, and (θ, φ) per trash qubit if the
        reference is trained; minus whatever is ``frozen`` (after :meth:`_layout`)."""
        sizes = {
            "w": self.circuit_.n_params // 2,
            "b": self.circuit_.n_params // 2,
            "ref": 2 * len(self.trash_),
        }
        return sum(n for name, n in sizes.items() if name not in self.frozen_)

    def initial_params(self) -> dict[str, np.ndarray]:
        """The untrained circuit's parameters (drawn from ``random_state``)."""
        self._layout()
        params = self.circuit_.init_params(self.random_state)
        rng = np.random.default_rng(self.random_state + 10_000)
        n = self.circuit_.n_qubits  # one (θ, φ) per qubit; only the trash rows are used
        if self.reference == "zero":
            params["ref"] = np.zeros((n, 2))
        else:  # uniformly random on the Bloch sphere
            params["ref"] = np.stack(
                [np.arccos(rng.uniform(-1, 1, n)), rng.uniform(0, 2 * np.pi, n)], axis=1
            )
        return params

    def fidelity(self, images: np.ndarray, params: dict | None = None) -> np.ndarray:
        """Swap-test fidelity of every image ``(N, H, W)`` → ``(N,)``, in fixed-size compiled
        chunks; with the fitted parameters, or the untrained circuit's before ``fit``."""
        if params is None:
            params = self.params_ if hasattr(self, "params_") else self.initial_params()
        patches = self.circuit_.patches(images)
        out = []
        for start in range(0, len(patches), self.batch_size):
            chunk = patches[start : start + self.batch_size]
            pad = self.batch_size - len(chunk)  # one compiled shape for every chunk
            padded = np.concatenate([chunk, np.zeros((pad,) + chunk.shape[1:])]) if pad else chunk
            out.append(
                swap_test_fidelity.fidelities(self.circuit_, params, padded, self.trash_)[
                    : len(chunk)
                ]
            )
        return np.concatenate(out) if out else np.zeros(0)

    def score_samples(self, X: np.ndarray) -> np.ndarray:
        """Fidelity ``F`` per image ``(N, H, W)`` → ``(N,)``: the lower, the more abnormal
        (the anomaly score is ``1 - F``). The model must be fitted (:meth:`fidelity` gives
        the untrained circuit's)."""

        check_is_fitted(self, "params_")
        return self.fidelity(check_finite(X, "X", "SQAE"))

    def fit(
        self,
        X: np.ndarray,
        y=None,
        validation: np.ndarray | None = None,
        monitor: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> SQAE:
        """Adam on ``1 - F`` of images ``X`` ``(N, H, W)`` over shuffled mini-batches (the
        incomplete last one dropped); ``y`` is ignored (unsupervised).

        ``validation``: quark images whose criterion (``select``) stops the training early
        and chooses the epoch whose parameters are kept; without it, the training loss.
        ``monitor``: ``(images, labels)`` whose AUC of ``1 - F`` is recorded every epoch
        (not used to choose anything).
        """

        self._layout()
        images, val_images = X, validation

        for name in ("max_iter", "batch_size"):
            check_count(getattr(self, name), name, "SQAE")
        check_count(self.patience, "patience", "SQAE")
        images = check_finite(images, "images", "SQAE")
        if val_images is not None:
            val_images = check_finite(val_images, "val_images", "SQAE")
            contrast = overlaid(val_images)
        elif self.select != "val_loss":
            raise ValueError(f"SQAE: select={self.select!r} needs validation images.")
        if monitor is not None:
            monitor = (check_finite(monitor[0], "the monitor images", "SQAE"), monitor[1])
            check_labels(monitor[1], len(monitor[0]), "the monitor labels", "SQAE")
        patches = self.circuit_.patches(images)
        if len(patches) < self.batch_size:
            raise ValueError(
                f"{len(patches)} training images < batch size {self.batch_size}; "
                "use more images or a smaller batch_size."
            )
        rule = self.select if val_images is not None else "val_loss"
        settings = {k: getattr(self, k) for k in CHECKPOINT_SETTINGS}
        settings["circuit"] = repr(vars(self.circuit_))
        params = self.initial_params()
        extra = [] if monitor is None else [monitor[0], monitor[1]]
        checkpoint = Checkpoint(  # one per epoch: resumes bit-identically
            "sqae",
            settings,
            [patches, *params.values(), *([] if val_images is None else [val_images]), *extra],
            min_interval=None,
        )

        def loss_and_grad(params, rows):
            return swap_test_fidelity.loss_and_grad(
                self.circuit_, params, patches[rows], self.trash_
            )

        def evaluate(params) -> dict[str, float]:
            row = {"weight_rms": float(np.sqrt(np.mean(params["w"] ** 2)))}
            if val_images is not None:
                val_score = 1 - self.fidelity(val_images, params)
                row["val_loss"] = float(np.mean(val_score))
                contrast_score = 1 - self.fidelity(contrast, params)
                row["val_contrast"] = roc_auc_score(
                    np.r_[np.zeros(len(val_score)), np.ones(len(contrast_score))],
                    np.r_[val_score, contrast_score],
                )
            if monitor is not None:  # recorded, never watched
                row["test_auc"] = roc_auc_score(monitor[1], 1 - self.fidelity(monitor[0], params))
            return row

        column, sign = RULES[rule]
        trained = optax_loop.train(
            params,
            loss_and_grad,
            len(patches),
            learning_rate=self.learning_rate,
            epochs=self.max_iter,
            rng=np.random.default_rng(self.random_state),
            batch_size=self.batch_size,
            evaluate=evaluate,
            monitor=column if val_images is not None else "loss",
            mode="max" if sign > 0 else "min",
            patience=self.patience,
            frozen=self.frozen_,
            checkpoint=checkpoint,
            x64=True,  # Adam's state in float64, like the parameters
            desc="SQAE epochs",
            progress=self.progress,
        )
        best_params, best_epoch, rows = trained.params, trained.best_epoch, trained.history
        self.params_ = best_params
        self.n_params_ = self._count_params()
        self.best_epoch_ = int(best_epoch)
        self.history_ = rows
        self.n_iter_ = len(rows)
        self.offset_ = float(np.quantile(self.fidelity(images), self.contamination))
        return self
