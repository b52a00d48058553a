"""``make bench``: speed benchmarks, each a ratio against a baseline timed in the same run.

A benchmark is a function registered with :func:`benchmark` that returns
``{"baseline_s", "fast_s", "what"}`` (seconds for the same work done by the reference
implementation and by the book's fast path), and any further details, kept as they are.
``python -m qmlhep.tooling.bench`` runs them all and writes ``_build/bench.json``:
``{name: {"ratio", "baseline_s", "fast_s", "what", ...}}``. Modules that define
benchmarks are listed in :data:`BENCH_MODULES`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from qmlhep import config, published
from qmlhep.storage.atomic import read_json, write_text

BENCH_MODULES: tuple[str, ...] = (
    "qmlhep.tooling.benchmarks.qcl",
    "qmlhep.tooling.benchmarks.sqae",
    "qmlhep.tooling.benchmarks.hybrid_autoencoder",
    "qmlhep.tooling.benchmarks.vs_peers",
    "qmlhep.tooling.benchmarks.batch_scaling",
)
"""Modules imported by ``make bench`` so that their ``@benchmark`` functions register."""

_REGISTRY: dict[str, Callable[[], dict]] = {}
_SLOW: set[str] = set()


def benchmark(name: str, slow: bool = False) -> Callable[[Callable[[], dict]], Callable[[], dict]]:
    """Register a benchmark function under ``name`` (e.g. ``"sqae.speedup"``); ``slow``
    ones (minutes) are left out of ``--quick`` runs (``make test``)."""

    def wrap(fn: Callable[[], dict]) -> Callable[[], dict]:
        if name in _REGISTRY:
            raise ValueError(f"benchmark {name!r} registered twice")
        _REGISTRY[name] = fn
        if slow:
            _SLOW.add(name)
        return fn

    return wrap


def _fastest(fn: Callable[[], object], repeat: int) -> float:
    """Fastest of ``repeat`` wall-clock timings of ``fn()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_time(fn: Callable[[], object], repeat: int = 3) -> float:
    """Fastest of ``repeat`` wall-clock timings of ``fn()`` in seconds (after one warm-up)."""
    fn()
    return _fastest(fn, repeat)


def adaptive_time(fn: Callable[[], object], warmed: bool = False) -> float:
    """Like :func:`best_time`, with as many repeats as the time allows: the fastest of 7
    under 0.2 s per call (one warm-up call measures it), of 3 under 2 s, else of 1.
    ``warmed``: ``fn`` has already run once (a check of its output), so the first call
    here is timed and counts as one of the repeats."""
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    repeat = 7 if first < 0.2 else 3 if first < 2 else 1
    if not warmed:
        return _fastest(fn, repeat)
    return min(first, _fastest(fn, repeat - 1)) if repeat > 1 else first


def run(names: list[str] | None = None, quick: bool = False) -> dict[str, dict]:
    """Run the registered benchmarks (all, or ``names``; without the slow ones if
    ``quick``) and return their entries."""
    for module in BENCH_MODULES:
        importlib.import_module(module)
    results = {}
    for name, fn in _REGISTRY.items():
        if (names and name not in names) or (quick and not names and name in _SLOW):
            continue
        start = time.perf_counter()
        r = fn()
        results[name] = {"ratio": r["baseline_s"] / r["fast_s"], **r}
        print(
            f"{name:24s} ×{results[name]['ratio']:8.1f}  ({r['baseline_s']:.4g} s -> "
            f"{r['fast_s']:.4g} s) {r['what']} [benchmark ran {time.perf_counter() - start:.0f} s]",
            flush=True,
        )
    return results


def output_path() -> Path:
    """Where ``make bench`` writes (and chapters read) the benchmark entries."""

    return config.build_dir() / "bench.json"


def _load(path: Path) -> dict:
    """The entries of a ``bench.json`` (none if it does not exist)."""

    return read_json(path, "delete it and run `make bench` again.") or {}


def _available() -> tuple[dict, bool]:
    """This build's entries, or, when it ran no benchmarks (a chapter run alone), the
    published build's (:mod:`qmlhep.published`); and whether they are the published."""

    found = _load(output_path())
    if found or not published.bench():
        return found, False
    return published.bench(), True


_announced: list[bool] = []


def _announce() -> None:
    """Show, once on the page, that the benchmark numbers are the published build's."""

    if not _announced:
        display(Markdown(published.note("The benchmark numbers")))
        _announced.append(True)


def names(pattern: str = ".*") -> list[str]:
    """The benchmark names (this build's, else the published build's) that match the
    regular expression ``pattern`` (whole name), sorted."""

    return sorted(n for n in _available()[0] if re.fullmatch(pattern, n))


def entries(names: list[str]) -> dict[str, dict]:
    """The entries ``names``, whole: this build's, else (said on the page) the published
    build's. A missing one is a ``KeyError`` naming it."""
    found, from_published = _available()
    missing = [n for n in names if n not in found]
    if missing:
        where = "the published build" if from_published else "this build's benchmarks"
        raise KeyError(
            f"no benchmark result for {missing} in {where} (the slow ones run only in "
            "the full profile)."
        )
    if from_published:
        _announce()
    return {n: found[n] for n in names}


def table(names: list[str]):
    """The entries ``names`` of this build's ``bench.json`` as a DataFrame of ratio and
    times (missing: the ``KeyError`` of :func:`entries`)."""

    frame = pd.DataFrame(entries(names)).T
    return frame[["ratio", "baseline_s", "fast_s", "what"]].rename_axis("benchmark")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="default: bench.json in the build folder (QMLHEP_BUILD_DIR)",
    )
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="leave out the slow benchmarks")
    args = parser.parse_args()
    # run through the imported module: under `python -m`, this file is `__main__`, and the
    # benchmark modules register with `qmlhep.tooling.bench`
    results = importlib.import_module("qmlhep.tooling.bench").run(args.names, args.quick)
    args.output = args.output or output_path()
    if not results:
        print("no benchmarks registered yet (see qmlhep.tooling.bench.BENCH_MODULES)")
    args.output.parent.mkdir(parents=True, exist_ok=True)

    old = _load(args.output)
    write_text(args.output, json.dumps({**old, **results}, indent=1, sort_keys=True))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
