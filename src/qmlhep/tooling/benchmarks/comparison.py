"""How a ``{c}.vs_best_peer`` benchmark compares the engine with every peer: the checks to
:data:`TOLERANCE`, the timing of each peer (the jitted PennyLane program in a process of its
own, stopped at the cap), the engine's entry with XLA's own counts, and the entry itself.
The circuits are in :mod:`.vs_peers`."""

from __future__ import annotations

import time

import numpy as np

from qmlhep.tooling.bench import adaptive_time
from qmlhep.tooling.benchmarks.machine import peak_rates
from qmlhep.tooling.benchmarks.peers import (
    COMPILE_CAP_S,
    PEERS,
    pennylane_jax_isolated,
    pennylane_jax_runner,
)

TOLERANCE = 1e-8
"""Largest absolute difference allowed between a peer and the engine (values, gradients)."""


def jax_program(fn, *args):
    """``fn`` compiled for ``args`` (NumPy arrays or dicts of them) in double precision:
    ``(run, xla)``, ``xla`` the compile time and XLA's own counts per call
    (``compile_s``, ``flops``, ``bytes``, ``temp_bytes``)."""
    # imported here, not at the top: optional dependencies (extras): jax
    import jax
    import jax.numpy as jnp

    start = time.perf_counter()
    with jax.enable_x64(True):
        args = jax.tree_util.tree_map(lambda a: jnp.asarray(a, jnp.float64), args)
        compiled = jax.jit(fn).lower(*args).compile()
    compile_s = time.perf_counter() - start
    cost = compiled.cost_analysis()
    cost = (cost[0] if isinstance(cost, list) else cost) or {}

    def run():
        with jax.enable_x64(True):
            return jax.block_until_ready(compiled(*args))

    return run, {
        "compile_s": compile_s,
        "flops": float(cost.get("flops", np.nan)),
        "bytes": float(cost.get("bytes accessed", np.nan)),
        "temp_bytes": int(compiled.memory_analysis().temp_size_in_bytes),
    }


def check(name: str, got, want) -> None:
    err = float(np.max(np.abs(np.asarray(got) - np.asarray(want))))
    if not err <= TOLERANCE:
        raise AssertionError(f"{name} disagrees with the engine by {err:.2e} > {TOLERANCE}")


def compare(c: str, spec, angles, engine: dict, batches: dict, gradient: bool, expect) -> dict:
    """Time every peer of :data:`~.peers.PEERS` on the first ``batches[peer]`` rows of
    ``angles`` (``batches["default"]`` for the others), after checking its output with
    ``expect(peer, values, grads, batch)``, which raises on a disagreement; return the
    ``{c}.vs_best_peer`` entry beside the ``engine`` entry of :func:`engine_entry`."""

    peers = {}
    for name, make in PEERS.items():
        b = batches.get(name, batches["default"])
        rows = angles[:b]
        if make is pennylane_jax_runner:  # in a process of its own, stopped at the cap
            result = pennylane_jax_isolated(spec, gradient, rows)
            if result is None:
                peers[name] = {"per_sample_s": None, "batch": b, "compile_s": None}
                peers[name]["compile_cap_s"] = COMPILE_CAP_S
                print(f"  {c}: {name}: not compiled within {COMPILE_CAP_S:.0f} s", flush=True)
                continue
            expect(name, result["values"], result["grads"], b)
            seconds = result["seconds"]
            extra = {k: result[k] for k in ("compile_s", "flops", "temp_bytes")}
            extra["compile_cap_s"] = COMPILE_CAP_S
        else:
            runner = make(spec, gradient)
            expect(name, *runner(rows), b)  # the check is the warm-up call
            seconds = adaptive_time(lambda r=runner, x=rows: r(x), warmed=True)
            extra = {}
        peers[name] = {"per_sample_s": seconds / b, "batch": b, **extra}
        print(f"  {c}: {name}: {1e3 * seconds / b:.3g} ms per sample (batch {b})", flush=True)
    timed = [k for k in peers if peers[k]["per_sample_s"] is not None]
    best = min(timed, key=lambda k: peers[k]["per_sample_s"])
    work = "forward + gradient" if gradient else "forward"
    return {
        "baseline_s": peers[best]["per_sample_s"],
        "fast_s": engine["per_sample_s"],
        "what": f"{work} per sample, {engine['circuit']}: fastest peer {best} "
        f"(batch {peers[best]['batch']}) vs the book's engine (batch {engine['batch']})",
        "peer": best,
        "peers": peers,
        "engine": engine,
        "machine": peak_rates(),
    }


def engine_entry(circuit_text: str, batch: int, run, xla: dict | None = None) -> dict:
    """The engine's side: ``run()`` does one batch of ``batch`` samples; ``xla`` from
    :func:`jax_program` (None for the NumPy paths: no compile, no counts)."""
    seconds = adaptive_time(run)
    xla = xla or {}

    def rate(key):
        return xla[key] / seconds / 1e9 if key in xla and not np.isnan(xla[key]) else None

    return {
        "circuit": circuit_text,
        "batch": batch,
        "per_sample_s": seconds / batch,
        "compile_s": xla.get("compile_s", 0.0),
        "temp_bytes": xla.get("temp_bytes"),
        "gflops": rate("flops"),
        "gbytes_per_s": rate("bytes"),
    }


def forward_batches(events: int, loop_events: int, aer_events: int | None = None) -> dict:
    """The batched peers (PennyLane + JAX, Aer) get the engine's whole batch (Aer at most
    ``aer_events``); the peers that loop over samples (lightning's broadcasting is a loop,
    Qulacs) ``loop_events``."""
    out = {"default": loop_events}
    for name, make in PEERS.items():
        if make.__name__ == "pennylane_jax_runner":
            out[name] = events
        elif make.__name__ == "aer_runner":
            out[name] = min(events, aer_events or events)
    return out
