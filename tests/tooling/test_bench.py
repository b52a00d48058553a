"""The benchmark harness writes ratios against a baseline measured in the same run."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from qmlhep.tooling import bench


def test_best_time_is_the_fastest_repeat_after_a_warm_up(monkeypatch):
    clock = iter([0.0, 3.0, 10.0, 11.5, 20.0, 22.0])  # start/stop pairs: 3 s, 1.5 s, 2 s
    monkeypatch.setattr(bench.time, "perf_counter", lambda: next(clock))
    calls = []
    assert bench.best_time(lambda: calls.append(1), repeat=3) == 1.5
    assert len(calls) == 4  # one warm-up call, not timed


@pytest.mark.slow
def test_registered_benchmark_is_run_and_written(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "_REGISTRY", {})

    @bench.benchmark("toy.speedup")
    def _toy():  # fixed timings: the harness's arithmetic is tested, not this machine's speed
        return {"baseline_s": 0.2, "fast_s": 0.05, "what": "a toy, 200 ms vs 50 ms"}

    with pytest.raises(ValueError, match="twice"):
        bench.benchmark("toy.speedup")(_toy)
    out = tmp_path / "bench.json"
    (tmp_path / "bench.json").write_text(json.dumps({"older.entry": {"ratio": 2.0}}))
    monkeypatch.setattr(sys, "argv", ["bench", "--output", str(out), "toy.speedup"])
    bench.main()
    data = json.loads(out.read_text())
    entry = data["toy.speedup"]
    assert set(entry) == {"ratio", "baseline_s", "fast_s", "what"}
    assert entry["ratio"] == pytest.approx(4.0) and entry["fast_s"] == 0.05
    assert data["older.entry"] == {"ratio": 2.0}  # entries of other runs are kept


def test_peer_tables_read_every_simulator_and_the_scaling_entries(tmp_path, monkeypatch):
    from qmlhep.tooling import bench_figures

    def entry(engine_s, peers, cap=None):
        best = min((k for k in peers if peers[k] is not None), key=peers.get)
        return {
            "ratio": peers[best] / engine_s,
            "baseline_s": peers[best],
            "fast_s": engine_s,
            "what": "toy",
            "peer": best,
            "engine": {"per_sample_s": engine_s, "batch": 8, "compile_s": 1.0},
            "peers": {
                k: {"per_sample_s": v, "batch": 2, "compile_cap_s": cap} for k, v in peers.items()
            },
        }

    data = {
        "sqae.vs_best_peer": entry(1e-4, {"a": 2e-3, "b": 1e-3, "jit": None}, cap=60.0),
        "qcl.vs_best_peer.12q": entry(1e-2, {"a": 2e-2}),
        "qcl.vs_best_peer.3q": entry(1e-6, {"a": 4e-6}),
    }
    (tmp_path / "bench.json").write_text(json.dumps(data))
    monkeypatch.setenv("QMLHEP_BUILD_DIR", str(tmp_path))
    frame = bench_figures.peer_frame(["sqae.vs_best_peer"])
    assert list(frame["role"]) == ["engine", "peer", "fastest peer", "peer"]
    assert np.isnan(frame["per_sample_s"].iloc[3]) and frame["compile_cap_s"].iloc[3] == 60.0
    assert bench_figures.summary(["sqae.vs_best_peer"])["engine ahead by"].item() == 10.0
    assert bench_figures.scaling_names() == ["qcl.vs_best_peer.3q", "qcl.vs_best_peer.12q"]
    with pytest.raises(KeyError, match="no benchmark result for"):
        bench_figures.peer_frame(["hae.vs_best_peer"])


@pytest.mark.parametrize("first, repeats", [(0.1, 7), (1.0, 3), (5.0, 1)])
def test_adaptive_time_repeats_fast_calls_more(monkeypatch, first, repeats):
    durations = [first] + [first * (1 + k) for k in range(repeats)]
    clock, now = [], 0.0
    for d in durations:
        clock += [now, now + d]
        now += d + 1.0
    ticks = iter(clock)
    monkeypatch.setattr(bench.time, "perf_counter", lambda: next(ticks))
    calls = []
    assert bench.adaptive_time(lambda: calls.append(1)) == pytest.approx(first)
    assert len(calls) == 1 + repeats


@pytest.mark.parametrize("first, repeats", [(0.1, 7), (5.0, 1)])
def test_adaptive_time_after_a_warm_up_times_the_first_call(monkeypatch, first, repeats):
    durations = [first * (1 + k) for k in range(repeats)]
    ticks = iter([t for k, d in enumerate(durations) for t in (10.0 * k, 10.0 * k + d)])
    monkeypatch.setattr(bench.time, "perf_counter", lambda: next(ticks))
    calls = []
    assert bench.adaptive_time(lambda: calls.append(1), warmed=True) == pytest.approx(first)
    assert len(calls) == repeats  # no call thrown away
