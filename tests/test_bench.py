"""The benchmark harness writes ratios against a baseline measured in the same run."""

from __future__ import annotations

import json
import sys
import time

import pytest

from qmlhep import bench


def test_registered_benchmark_is_run_and_written(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "_REGISTRY", {})

    @bench.benchmark("toy.speedup")
    def _toy():
        slow = bench.best_time(lambda: time.sleep(0.02), repeat=2)
        fast = bench.best_time(lambda: time.sleep(0.002), repeat=2)
        return {"baseline_s": slow, "fast_s": fast, "what": "sleep 20 ms vs 2 ms"}

    with pytest.raises(ValueError, match="twice"):
        bench.benchmark("toy.speedup")(_toy)
    out = tmp_path / "bench.json"
    (tmp_path / "bench.json").write_text(json.dumps({"older.entry": {"ratio": 2.0}}))
    monkeypatch.setattr(sys, "argv", ["bench", "--output", str(out)])
    bench.main()
    data = json.loads(out.read_text())
    entry = data["toy.speedup"]
    assert set(entry) == {"ratio", "baseline_s", "fast_s", "what"}
    assert 4 < entry["ratio"] < 15 and entry["ratio"] == entry["baseline_s"] / entry["fast_s"]
    assert data["older.entry"] == {"ratio": 2.0}  # entries of other runs are kept
