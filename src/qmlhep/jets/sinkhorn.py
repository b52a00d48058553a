"""A differentiable optimal-transport loss: entropic (Sinkhorn) transport between images.

The exact EMD is a linear programme with no useful gradient. Adding an entropy term,
min_P <P, C> - eps H(P), makes the optimum smooth in the inputs and computable by a few
matrix-scaling (Sinkhorn) iterations, which are ordinary tensor operations (Cuturi 2013).
Images are normalised to unit intensity first (the balanced problem); iterations run in
the log domain for stability. The tests check the value against POT's ``ot.sinkhorn2``.
"""

from __future__ import annotations

import numpy as np
from keras import ops

import qmlhep  # noqa: F401  (selects the Keras backend before keras is imported)


def sinkhorn_loss(cost: np.ndarray, epsilon: float = 0.05, n_iter: int = 50, tiny: float = 1e-8):
    """Keras loss ``(y_true, y_pred) -> (batch,)`` entropic transport cost between images.

    ``cost`` is the (n_pixels, n_pixels) ground cost, e.g. pixel distances / R.
    """
    C = ops.convert_to_tensor(np.asarray(cost, dtype=np.float32))

    def loss(y_true, y_pred):
        n = C.shape[0]
        a = ops.reshape(y_true, (-1, n)) + tiny
        b = ops.reshape(y_pred, (-1, n)) + tiny
        log_a = ops.log(a / ops.sum(a, axis=1, keepdims=True))
        log_b = ops.log(b / ops.sum(b, axis=1, keepdims=True))
        f = ops.zeros_like(log_a)
        g = ops.zeros_like(log_b)
        for _ in range(n_iter):  # f_i = -eps log sum_j b_j exp((g_j - C_ij)/eps), then g
            f = -epsilon * ops.logsumexp(
                (g[:, None, :] - C[None]) / epsilon + log_b[:, None, :], axis=2
            )
            g = -epsilon * ops.logsumexp(
                (f[:, :, None] - C[None]) / epsilon + log_a[:, :, None], axis=1
            )
        log_p = (
            (f[:, :, None] + g[:, None, :] - C[None]) / epsilon
            + log_a[:, :, None]
            + log_b[:, None, :]
        )
        return ops.sum(ops.exp(log_p) * C[None], axis=(1, 2))

    return loss
