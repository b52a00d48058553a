"""Results shared between chapters are reused for the same settings only."""

from __future__ import annotations

import pytest

from qmlhep.storage.results_cache import cache_key, cached


def test_cached_reuses_same_settings_and_recomputes_new_ones(isolated):
    calls = []

    def compute():
        calls.append(1)
        return {"auc": 0.8 + 0.01 * len(calls)}

    first = cached("demo", {"size": 100}, compute)
    assert cached("demo", {"size": 100}, compute) == first and len(calls) == 1
    assert cached("demo", {"size": 200}, compute) != first and len(calls) == 2
    assert list((isolated.build / "results").glob("demo-*.pkl"))


def test_key_depends_on_the_code_that_computes():
    plain = cache_key("demo", {"a": 1})
    assert cache_key("demo", {"a": 1}) == plain
    assert cache_key("demo", {"a": 1}, ("qmlhep.studies.size_scan",)) != plain
    assert cache_key("demo", {"a": 2}) != plain


def test_corrupted_stores_name_the_file(isolated):
    import pickle

    from qmlhep import metrics
    from qmlhep.storage import results_cache

    assert results_cache.cached("thing", {"a": 1}, lambda: 42) == 42
    stored = next((isolated.build / "results").glob("thing-*.pkl"))
    good = stored.read_bytes()
    head = good.partition(b"\n")[0]
    for damaged in (
        good[:30],  # cut short
        head + b"\n" + pickle.dumps(41),  # loadable, but not what was stored
        pickle.dumps(42),  # a file of another format
    ):
        stored.write_bytes(damaged)
        with pytest.warns(results_cache.StoreWarning, match=f"{stored.name} is discarded"):
            assert results_cache.cached("thing", {"a": 1}, lambda: 42) == 42
        assert stored.read_bytes() == good  # recomputed and stored again
    assert [p.name for p in (isolated.build / "results").iterdir()] == [stored.name]

    metrics.metrics_path().write_text('{"cae12.auc.q_vs_g": ')
    with pytest.raises(results_cache.StoreError, match="metrics.json"):
        metrics.record("cae12.auc.q_vs_g", 0.7)
