"""``sqae.batch_scaling``: the SQAE's value and gradient per image against the batch size.

The engine is compiled and timed for batches of :data:`BATCHES` images (its time per
image, its compile time and XLA's temporary memory at each); the peers that run image by
image (``lightning.qubit`` adjoint, Qulacs backprop) are timed at :data:`PEER_BATCHES`,
after the same checks to :data:`~.comparison.TOLERANCE` as in ``sqae.vs_best_peer``. The
entry's ``ratio`` is the faster of those peers over the engine, both at one image per
call: the engine's worst case. ``engine`` and ``peers`` hold every batch.
"""

from __future__ import annotations

from qmlhep.tooling.bench import adaptive_time, benchmark
from qmlhep.tooling.benchmarks.comparison import jax_program
from qmlhep.tooling.benchmarks.peers import lightning_runner, qulacs_runner
from qmlhep.tooling.benchmarks.vs_peers import sqae_expect, sqae_setup

BATCHES = (1, 4, 16, 64, 256)
"""Batch sizes (images per call) at which the engine is compiled and timed."""

PEER_BATCHES = (1, 16)
"""Batch sizes at which the image-by-image peers are timed (their time per image is flat)."""


@benchmark("sqae.batch_scaling")
def sqae_batch_scaling() -> dict:
    """Time per image of F and dF/dθ (SQAE, 9 qubits, 5 trash) at every batch size."""
    # imported here, not at the top: optional dependencies (extras): jax
    import jax

    sq = sqae_setup(max(BATCHES))
    engine = {}
    for b in BATCHES:
        run, xla = jax_program(jax.value_and_grad(sq.loss), sq.params, sq.patches[:b])
        seconds = adaptive_time(run)
        engine[b] = {
            "per_sample_s": seconds / b,
            "compile_s": xla["compile_s"],
            "temp_bytes": xla["temp_bytes"],
        }
        print(f"  sqae batch {b}: {1e3 * seconds / b:.3g} ms per image", flush=True)

    expect = sqae_expect(sq, PEER_BATCHES)
    peers = {}
    for name, make in (("lightning.qubit", lightning_runner), ("qulacs", qulacs_runner)):
        runner = make(sq.spec, True)
        peers[name] = {}
        for b in PEER_BATCHES:
            expect(name, *runner(sq.angles[:b]), b)  # the check is the warm-up call
            rows = sq.angles[:b]
            peers[name][b] = adaptive_time(lambda r=runner, x=rows: r(x), warmed=True) / b
    best = min(peers, key=lambda k: peers[k][1])
    return {
        "baseline_s": peers[best][1],
        "fast_s": engine[1]["per_sample_s"],
        "what": f"forward + gradient per 12x12 image, SQAE (9 qubits, 5 trash), one image per "
        f"call: {best} (fastest image-by-image peer) vs the engine; every batch in "
        f"'engine' ({', '.join(map(str, BATCHES))}) and 'peers' "
        f"({', '.join(map(str, PEER_BATCHES))})",
        "peer": best,
        "engine": {str(b): e for b, e in engine.items()},
        "peers": {k: {str(b): t for b, t in v.items()} for k, v in peers.items()},
    }
