"""The benchmark harness writes ratios against a baseline measured in the same run."""

from __future__ import annotations

import json
import sys

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
    monkeypatch.setattr(sys, "argv", ["bench", "--output", str(out)])
    bench.main()
    data = json.loads(out.read_text())
    entry = data["toy.speedup"]
    assert set(entry) == {"ratio", "baseline_s", "fast_s", "what"}
    assert entry["ratio"] == pytest.approx(4.0) and entry["fast_s"] == 0.05
    assert data["older.entry"] == {"ratio": 2.0}  # entries of other runs are kept
