"""The swap-test quantum autoencoder (SQAE) for images, trained with Adam on the engine.

``SQAE(circuit, latent=4).fit(images)`` maximises the mean swap-test fidelity of the
training images (the trash qubits should end in the reference state, so the image is
compressed into the latent qubits); ``score_samples(images)`` is ``1 - F``, the anomaly
score. Reference states: ``"zero"`` (|0⟩), ``"random"`` (a fixed random product state
drawn from ``seed``) or ``"trainable"`` (its angles trained with the circuit). ``frozen``
keeps named parameters (``"w"``, ``"b"``) at their initial values.
"""

from __future__ import annotations

import time

import jax
import numpy as np
import optax
import pandas as pd
from sklearn.metrics import roc_auc_score

from qmlhep.progress import bar
from qmlhep.quantum import engine
from qmlhep.quantum.patch_circuit import PatchCircuit

REFERENCES = ("zero", "random", "trainable")


def centre_first(circuit: PatchCircuit) -> list[int]:
    """Qubits ordered by the distance of their patch from the image centre (ties row-major)."""
    nr, nc = circuit.grid
    centre = ((nr - 1) / 2, (nc - 1) / 2)
    return sorted(range(circuit.n_qubits),
                  key=lambda q: (abs(q // nc - centre[0]) + abs(q % nc - centre[1]), q))


class SQAE:
    """Swap-test quantum autoencoder on a :class:`PatchCircuit`.

    ``latent``: number of latent qubits, the most central patches (:func:`centre_first`)
    unless ``latent_qubits`` names them; the others are trash. After ``fit``: ``params_``,
    ``history_`` (one row per epoch: training loss, seconds, RMS of the upload weights,
    validation loss and monitored test AUC when given).
    """

    def __init__(self, circuit: PatchCircuit | None = None, latent: int = 4,
                 latent_qubits: tuple[int, ...] | None = None, reference: str = "zero",
                 learning_rate: float = 0.01, batch_size: int = 64, epochs: int = 20,
                 patience: int = 5, seed: int = 0, frozen: tuple[str, ...] = ()):
        self.circuit = circuit or PatchCircuit()
        if reference not in REFERENCES:
            raise ValueError(f"reference must be one of {REFERENCES}, got {reference!r}.")
        n = self.circuit.n_qubits
        latent_qubits = tuple(latent_qubits or centre_first(self.circuit)[:latent])
        if not 0 < len(latent_qubits) < n or not set(latent_qubits) <= set(range(n)):
            raise ValueError(f"latent qubits {latent_qubits} must be 1 to {n - 1} of the "
                             f"{n} qubits 0..{n - 1}.")
        self.latent_qubits = latent_qubits
        self.trash = tuple(q for q in range(n) if q not in latent_qubits)
        self.reference = reference
        unknown = set(frozen) - {"w", "b", "ref"}
        if unknown:
            raise ValueError(f"frozen names parameters 'w', 'b' or 'ref'; got {sorted(unknown)}.")
        # a fixed reference is a frozen one
        self.frozen = tuple(frozen) + (("ref",) if reference != "trainable" else ())
        self.learning_rate, self.batch_size = learning_rate, batch_size
        self.epochs, self.patience, self.seed = epochs, patience, seed
        self.params_ = self._init_params()

    @property
    def n_params(self) -> int:
        """Trained parameters: weights and biases, and (θ, φ) per trash qubit if the
        reference is trained; minus whatever is ``frozen``."""
        sizes = {"w": self.circuit.n_params // 2, "b": self.circuit.n_params // 2,
                 "ref": 2 * len(self.trash)}
        return sum(n for name, n in sizes.items() if name not in self.frozen)

    def _init_params(self) -> dict[str, np.ndarray]:
        params = self.circuit.init_params(self.seed)
        rng = np.random.default_rng(self.seed + 10_000)
        n = self.circuit.n_qubits  # one (θ, φ) per qubit; only the trash rows are used
        if self.reference == "zero":
            params["ref"] = np.zeros((n, 2))
        else:  # uniformly random on the Bloch sphere
            params["ref"] = np.stack([np.arccos(rng.uniform(-1, 1, n)),
                                      rng.uniform(0, 2 * np.pi, n)], axis=1)
        return params

    def fidelity(self, images: np.ndarray, params: dict | None = None) -> np.ndarray:
        """Swap-test fidelity of every image, ``(N,)``, in fixed-size compiled chunks."""
        patches = self.circuit.patches(images)
        params = self.params_ if params is None else params
        out = []
        for start in range(0, len(patches), self.batch_size):
            chunk = patches[start:start + self.batch_size]
            pad = self.batch_size - len(chunk)  # one compiled shape for every chunk
            padded = np.concatenate([chunk, np.zeros((pad,) + chunk.shape[1:])]) if pad else chunk
            out.append(engine.fidelities(self.circuit, params, padded, self.trash)[:len(chunk)])
        return np.concatenate(out) if out else np.zeros(0)

    def score_samples(self, images: np.ndarray) -> np.ndarray:
        """Anomaly score ``1 - F`` per image (higher: less like the training class); the
        model must be fitted (the untrained circuit's :meth:`fidelity` needs no fit)."""
        from sklearn.exceptions import NotFittedError

        from qmlhep.validation import check_finite

        if not hasattr(self, "history_"):
            raise NotFittedError("this SQAE is not fitted yet: call fit(images) before "
                                 "score_samples (fidelity() gives the untrained circuit's).")
        return 1.0 - self.fidelity(check_finite(images, "images", "SQAE"))

    def fit(self, images: np.ndarray, val_images: np.ndarray | None = None,
            monitor: tuple[np.ndarray, np.ndarray] | None = None,
            progress: bool = True) -> SQAE:
        """Adam on ``1 - F`` over shuffled mini-batches (the incomplete last one dropped).

        ``val_images``: early stopping on their loss (best epoch restored). ``monitor``:
        ``(images, labels)`` whose AUC of ``1 - F`` is recorded every epoch (not used to
        choose anything).
        """
        from qmlhep.validation import check_count, check_finite, check_labels

        for name in ("epochs", "batch_size"):
            check_count(getattr(self, name), name, "SQAE")
        check_count(self.patience, "patience", "SQAE")
        images = check_finite(images, "images", "SQAE")
        if val_images is not None:
            val_images = check_finite(val_images, "val_images", "SQAE")
        if monitor is not None:
            monitor = (check_finite(monitor[0], "the monitor images", "SQAE"), monitor[1])
            check_labels(monitor[1], len(monitor[0]), "the monitor labels", "SQAE")
        patches = self.circuit.patches(images)
        if len(patches) < self.batch_size:
            raise ValueError(f"{len(patches)} training images < batch size {self.batch_size}; "
                             "use more images or a smaller batch_size.")
        from qmlhep.checkpoints import Checkpoint

        optimiser = optax.adam(self.learning_rate)
        params = {k: v.copy() for k, v in self.params_.items()}
        with jax.enable_x64(True):  # Adam's state in float64, like the parameters
            state = optimiser.init(params)
        rng = np.random.default_rng(self.seed)
        rows, best, best_params, waited = [], np.inf, params, 0
        # one checkpoint per epoch (resumes bit-identically after an interruption)
        settings = {k: getattr(self, k) for k in ("latent_qubits", "trash", "reference",
                                                  "learning_rate", "batch_size", "epochs",
                                                  "patience", "seed", "frozen")}
        settings["circuit"] = repr(vars(self.circuit))
        extra = [] if monitor is None else [monitor[0], monitor[1]]
        ckpt = Checkpoint("sqae", settings, [patches, *params.values(),
                                             *([] if val_images is None else [val_images]),
                                             *extra], min_interval=None)
        saved = last = ckpt.load()
        if saved is not None:
            params, state, rows = saved["params"], saved["state"], saved["rows"]
            best, best_params, waited = saved["best"], saved["best_params"], saved["waited"]
            rng.bit_generator.state = saved["rng"]
        n_batches = len(patches) // self.batch_size
        epochs = bar(range(len(rows), self.epochs), desc="SQAE epochs", enabled=progress,
                     initial=len(rows), total=self.epochs)
        stopped = saved is not None and saved["stopped"]
        for epoch in ([] if stopped else epochs):
            start, order, losses = time.perf_counter(), rng.permutation(len(patches)), []
            for k in range(n_batches):
                batch = patches[order[k * self.batch_size:(k + 1) * self.batch_size]]
                loss, grad = engine.loss_and_grad(self.circuit, params, batch, self.trash)
                for name in self.frozen:
                    grad[name] = np.zeros_like(grad[name])
                with jax.enable_x64(True):  # else optax would round them to float32
                    updates, state = optimiser.update(grad, state, params)
                    params = {k: np.asarray(v)
                              for k, v in optax.apply_updates(params, updates).items()}
                losses.append(loss)
            row = {"epoch": epoch + 1, "loss": float(np.mean(losses)),
                   "seconds": time.perf_counter() - start,
                   "weight_rms": float(np.sqrt(np.mean(params["w"] ** 2)))}
            if not np.isfinite(row["loss"]):
                raise FloatingPointError(f"SQAE: the training loss became {row['loss']} at "
                                         f"epoch {epoch + 1}; lower the learning rate or "
                                         "check the images for extreme values.")
            if val_images is not None:
                row["val_loss"] = float(np.mean(1 - self.fidelity(val_images, params)))
            if monitor is not None:
                row["test_auc"] = roc_auc_score(monitor[1], 1 - self.fidelity(monitor[0], params))
            rows.append(row)
            epochs.set_postfix(loss=f"{row['loss']:.4f}")
            watched = row.get("val_loss", row["loss"])
            if watched < best - 1e-6:
                best, best_params, waited = watched, params, 0
            else:
                waited += 1
            stopped = waited >= self.patience
            last = {"params": params, "state": jax.tree.map(np.asarray, state), "rows": rows,
                    "best": best, "best_params": best_params, "waited": waited,
                    "rng": rng.bit_generator.state, "stopped": stopped}
            ckpt.save(last)
            if stopped:
                break
        epochs.close()
        ckpt.finish(last)
        self.params_ = best_params
        self.history_ = pd.DataFrame(rows).set_index("epoch")
        return self
