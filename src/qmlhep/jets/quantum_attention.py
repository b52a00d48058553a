"""Gaussian-projected quantum self-attention (Li, Zhao, Wang 2022) as a Keras 3 layer.

Every token ``x_s`` (``dim`` features, read as a ``token_shape`` grid) is uploaded onto
``n`` qubits by three parametrised re-uploading circuits, each a
:class:`~qmlhep.simulation.keras_layer.QuantumPatchLayer` with its own weights (2×2 patches
of the grid, one per qubit, ``layers`` re-uploads, CNOT rings):

- query ``q_s = ⟨Z_0⟩`` and key ``k_s = ⟨Z_0⟩`` (one number per token each);
- value ``v_s = (⟨Z_0⟩, …, ⟨Z_{n-1}⟩)``.

With CNOT rings, ``⟨Z_0⟩`` depends on every qubit's patch. Without entanglers (the product
twin, ``entangler="none"``) it would depend on qubit 0 alone: the query and key circuits
would never read three quarters of the token, and the parameters of their other qubits
would never change anything. The product twin therefore reads query and key as the mean
``(1/n) Σ_q ⟨Z_q⟩`` (``readout="mean"``, its default), every qubit an input reaches.

The attention of token ``s`` on token ``j`` is the Gaussian kernel of the two numbers,
normalised over ``j`` (:func:`gaussian_attention`), and the output of token ``s`` is
``W_o Σ_j α_sj v_j + b_o``, back in ``dim`` features. Input ``(B, T, dim)``; output
``((B, T, dim), (B, T, T))``, the second being the attention weights.
"""

from __future__ import annotations

import keras

from qmlhep.jets.vit import vision_transformer
from qmlhep.simulation.keras_layer import QuantumPatchLayer

READOUTS = ("first", "mean")
"""How query and key become one number per token: ``⟨Z_0⟩`` or ``mean_q ⟨Z_q⟩``."""


def gaussian_attention(q, k):
    """``α_sj = exp(-(q_s - k_j)²) / Σ_j' exp(-(q_s - k_j')²)`` for ``q``, ``k`` ``(B, T)``:
    ``(B, T, T)``, each row summing to 1."""
    q, k = keras.ops.convert_to_tensor(q), keras.ops.convert_to_tensor(k)
    logits = -keras.ops.square(q[:, :, None] - k[:, None, :])
    return keras.ops.softmax(logits, axis=-1)


@keras.saving.register_keras_serializable(package="qmlhep")
class QuantumSelfAttention(keras.layers.Layer):
    """Self-attention with query, key and value circuits (see the module docstring)."""

    def __init__(
        self,
        dim: int,
        token_shape=(4, 4),
        patch: int = 2,
        layers: int = 2,
        entangler: str = "cnot",
        readout: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        readout = readout or ("mean" if entangler == "none" else "first")
        if readout not in READOUTS:
            raise ValueError(f"readout must be one of {READOUTS}, got {readout!r}.")
        self.readout = readout
        token_shape = tuple(token_shape)
        if token_shape[0] * token_shape[1] != dim:
            raise ValueError(
                f"tokens of {dim} features cannot be read as a {token_shape} grid; "
                "choose token_shape with rows × cols = dim."
            )
        self.dim, self.token_shape, self.patch = dim, token_shape, patch
        self.n_layers, self.entangler = layers, entangler
        circuit = dict(
            image_shape=token_shape,
            patch=patch,
            layers=layers,
            entangler=entangler,
            dtype=self.dtype_policy,
        )  # sublayers compute in the layer's precision
        self.query = QuantumPatchLayer(**circuit, name="query")
        self.key = QuantumPatchLayer(**circuit, name="key")
        self.value = QuantumPatchLayer(**circuit, name="value")
        self.project = keras.layers.Dense(dim, name="project", dtype=self.dtype_policy)

    @property
    def n_qubits(self) -> int:
        return self.value.n_qubits

    def build(self, input_shape):
        flat = (None,) + self.token_shape
        for circuit in (self.query, self.key, self.value):
            circuit.build(flat)
        self.project.build((None, None, self.n_qubits))

    def call(self, tokens):
        ops = keras.ops
        n_tokens = ops.shape(tokens)[1]
        grids = ops.reshape(tokens, (-1,) + self.token_shape)  # (B·T, rows, cols)
        q = ops.reshape(self._read(self.query(grids)), (-1, n_tokens))
        k = ops.reshape(self._read(self.key(grids)), (-1, n_tokens))
        v = ops.reshape(self.value(grids), (-1, n_tokens, self.n_qubits))
        weights = gaussian_attention(q, k)
        return self.project(ops.einsum("bsj,bjn->bsn", weights, v)), weights

    def _read(self, z):
        """One number per token from ``⟨Z_q⟩`` ``(B·T, n)``: ``⟨Z_0⟩`` or the mean over qubits."""
        return z[:, 0] if self.readout == "first" else keras.ops.mean(z, axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape, (input_shape[0], input_shape[1], input_shape[1])

    def get_config(self):
        return {
            **super().get_config(),
            "dim": self.dim,
            "token_shape": list(self.token_shape),
            "patch": self.patch,
            "layers": self.n_layers,
            "entangler": self.entangler,
            "readout": self.readout,
        }


def quantum_vision_transformer(
    layers: int = 2, entangler: str = "cnot", readout: str | None = None, **vit_kw
) -> keras.Model:
    """The vision transformer of :func:`qmlhep.jets.vit.vision_transformer` with every
    attention layer replaced by :class:`QuantumSelfAttention` (``dim`` 16: 4 qubits);
    ``entangler="none"`` is its product twin (every CNOT of the circuits removed, query
    and key read from every qubit; ``readout`` overrides that choice)."""

    dim = vit_kw.get("dim", 16)
    side = int(round(dim**0.5))
    if side * side != dim:
        raise ValueError(
            f"the quantum attention reads tokens as square grids; dim={dim} is "
            "not a square (use 16 or 36)."
        )
    return vision_transformer(
        lambda d, n: QuantumSelfAttention(
            d, (side, side), layers=layers, entangler=entangler, readout=readout, name=n
        ),
        name="qvit",
        **vit_kw,
    )
