"""Patch re-uploading of images onto qubits: the circuit layout shared by the SQAE chapters.

An image of ``rows × cols`` pixels is cut into square patches of ``patch × patch`` pixels
(every ``stride`` pixels; by default the patches tile the image); patch ``q`` (row-major)
lives on qubit ``q``. One *layer* uploads every pixel ``j`` of the
patch onto its qubit as a rotation ``R_{a_j}(w_{lqj} x_j + b_{lqj})`` (axes cycling through
``axes``, e.g. Y, Z, Y, Z, ...), then entangles the qubits (circular CNOT ladder
``q → q+1 mod n``, or circular CZ, or nothing). ``layers`` such layers re-upload the image
(Pérez-Salinas et al. 2020). Parameters: ``2 × layers × pixels``; a 12×12 image in 4×4
patches with 5 layers has 9 qubits and 1440 parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ENTANGLERS = ("cnot", "cz", "cnot_linear", "none")


def entangler_pairs(n_qubits: int, entangler: str) -> list[tuple[int, int]]:
    """(control, target) of the two-qubit gates of one entangling layer, in order: a ring
    ``q → q+1 mod n`` (``"cnot"``, ``"cz"``; one gate for two qubits), a ladder
    (``"cnot_linear"``), or none (``"none"``, or a single qubit)."""
    if entangler == "none" or n_qubits == 1:
        return []
    if entangler == "cnot_linear":
        return [(q, q + 1) for q in range(n_qubits - 1)]
    if n_qubits == 2:
        return [(0, 1)]
    return [(q, (q + 1) % n_qubits) for q in range(n_qubits)]


class UploadLayout:
    """What every re-uploading layout derives from its ``param_shape`` ``(layers, qubits,
    uploads per qubit)``, ``axes``, ``n_qubits`` and ``entangler``: the parameter count,
    the axis of every upload, the entangling gates, and the check of the gate choices."""

    param_shape: tuple[int, int, int]
    axes: str
    entangler: str
    n_qubits: int

    def _check_gates(self) -> None:
        if self.entangler not in ENTANGLERS:
            raise ValueError(f"entangler must be one of {ENTANGLERS}, got {self.entangler!r}.")
        if not self.axes or set(self.axes) - set("XYZ"):
            raise ValueError(f"axes must be a string of X, Y, Z; got {self.axes!r}.")

    @property
    def n_params(self) -> int:
        return 2 * int(np.prod(self.param_shape))

    def pixel_axes(self) -> str:
        """The rotation axis of every upload on a qubit (a pixel, a feature), in order."""
        uploads = self.param_shape[-1]
        return "".join(self.axes[j % len(self.axes)] for j in range(uploads))

    def entangler_pairs(self) -> list[tuple[int, int]]:
        """(control, target) of the two-qubit gates after each layer, in order."""
        return entangler_pairs(self.n_qubits, self.entangler)


@dataclass(frozen=True)
class PatchCircuit(UploadLayout):
    """Layout and gate choices of a patch re-uploading circuit."""

    image_shape: tuple[int, int] = (12, 12)
    patch: int = 4
    layers: int = 5
    entangler: str = "cnot"
    axes: str = "YZ"
    stride: int | None = None

    @property
    def step(self) -> int:
        """Pixels between the corners of neighbouring patches (``stride``, else ``patch``)."""
        return self.stride or self.patch

    def __post_init__(self):
        rows, cols = self.image_shape
        if (rows - self.patch) % self.step or (cols - self.patch) % self.step:
            raise ValueError(
                f"{self.patch}×{self.patch} patches every {self.step} pixels do "
                f"not cover the {rows}×{cols} image exactly; crop or resize the "
                "images first, or change patch/stride."
            )
        self._check_gates()

    @property
    def grid(self) -> tuple[int, int]:
        """Patches per column and per row."""
        rows, cols = self.image_shape
        return (rows - self.patch) // self.step + 1, (cols - self.patch) // self.step + 1

    @property
    def n_qubits(self) -> int:
        return self.grid[0] * self.grid[1]

    @property
    def pixels_per_patch(self) -> int:
        return self.patch**2

    @property
    def param_shape(self) -> tuple[int, int, int]:
        """Shape of the weights and of the biases: ``(layers, qubits, pixels per patch)``."""
        return self.layers, self.n_qubits, self.pixels_per_patch

    def patches(self, images: np.ndarray) -> np.ndarray:
        """``(B, rows, cols)`` images → ``(B, qubits, pixels)`` patches, row-major both."""
        images = np.asarray(images)
        if images.shape[1:] != self.image_shape:
            raise ValueError(
                f"expected images of shape {self.image_shape}, got "
                f"{images.shape[1:]}; resize them (qmlhep.data.jet_images)."
            )
        return images.reshape(len(images), -1)[:, self.patch_index()]

    def patch_index(self) -> np.ndarray:
        """``(qubits, pixels)`` flat pixel indices of every patch (works on any array type)."""
        nr, nc = self.grid
        rows = np.arange(nr)[:, None] * self.step + np.arange(self.patch)[None, :]
        cols = np.arange(nc)[:, None] * self.step + np.arange(self.patch)[None, :]
        flat = rows[:, None, :, None] * self.image_shape[1] + cols[None, :, None, :]
        # int32: the same index dtype whether or not JAX runs in 64-bit mode
        return flat.reshape(nr * nc, self.patch**2).astype(np.int32)

    def init_params(self, seed: int = 0) -> dict[str, np.ndarray]:
        """Random starting point: weights ~ N(0, 1), biases ~ U(-π, π)."""
        rng = np.random.default_rng(seed)
        return {
            "w": rng.normal(size=self.param_shape),
            "b": rng.uniform(-np.pi, np.pi, self.param_shape),
        }
