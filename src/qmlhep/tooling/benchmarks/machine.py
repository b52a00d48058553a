"""The machine's measured limits, beside which the engine's attained rates are read.

Not the data sheet: what this machine reaches here, in the same run as the benchmarks,
with the same libraries and cores —

- ``gflops``: the floating-point rate of a large complex double-precision matrix
  product (XLA, the engine's own compiler; ``8 n³`` flops for ``n × n`` complex matrices),
- ``gbytes_per_s``: the memory bandwidth of copying an array eight times larger than any
  cache (read and write counted, as in STREAM's *copy*).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from qmlhep.tooling.bench import best_time

MATRIX = 1024
COPY_BYTES = 512 * 2**20


@cache
def peak_rates() -> dict[str, float | str]:
    """``{"gflops", "gbytes_per_s", "device"}`` measured now (cached for the run)."""
    # imported here, not at the top: optional dependencies (extras): jax
    import jax
    import jax.numpy as jnp

    with jax.enable_x64(True):
        a = jnp.asarray(np.random.default_rng(0).normal(size=(MATRIX, MATRIX)) + 0j)
        product = jax.jit(lambda x: x @ x)
        matmul_s = best_time(lambda: jax.block_until_ready(product(a)), repeat=3)
    src = np.ones(COPY_BYTES // 8)
    dst = np.empty_like(src)
    copy_s = best_time(lambda: np.copyto(dst, src), repeat=3)
    return {
        "gflops": 8 * MATRIX**3 / matmul_s / 1e9,
        "gbytes_per_s": 2 * COPY_BYTES / copy_s / 1e9,
        "device": str(jax.devices()[0].device_kind),
    }
