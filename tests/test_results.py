"""Results shared between chapters are reused for the same settings only."""

from __future__ import annotations

from qmlhep.results import cache_key, cached


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
    assert cache_key("demo", {"a": 1}, ("qmlhep.evaluation",)) != plain
    assert cache_key("demo", {"a": 2}) != plain
