"""One key for every store: settings, data and code. A change of the generator's code gives
the generated jets a new key, so the old sample is never served for the new code."""

from __future__ import annotations

import inspect

import numpy as np

from qmlhep.storage import keys


def test_the_key_changes_with_settings_arrays_code_and_module_source(monkeypatch):
    base = keys.key({"n": 10}, arrays=[np.arange(3)], code="c1")
    assert base == keys.key({"n": 10}, arrays=[np.arange(3)], code="c1")
    assert base != keys.key({"n": 11}, arrays=[np.arange(3)], code="c1")
    assert base != keys.key({"n": 10}, arrays=[np.arange(3.0)], code="c1")  # dtype counts
    assert base != keys.key({"n": 10}, arrays=[np.arange(3)], code="c2")
    with_module = keys.key({"n": 10}, modules=["qmlhep.storage.atomic"])
    real = inspect.getsource
    monkeypatch.setattr(keys.inspect, "getsource", lambda m: real(m) + "\n# edited\n")
    assert keys.key({"n": 10}, modules=["qmlhep.storage.atomic"]) != with_module


def test_a_changed_generator_never_serves_the_old_jets(monkeypatch):
    from qmlhep.data import generated_jets

    before = generated_jets._key({"pT": 500}, 100, 0)
    real = inspect.getsource

    def edited(module):
        source = real(module)
        return (
            source + "\n# a changed shower setting\n"
            if "pythia_jets" in module.__name__
            else source
        )

    monkeypatch.setattr(keys.inspect, "getsource", edited)
    assert generated_jets._key({"pT": 500}, 100, 0) != before
    assert "qmlhep.data.pythia_jets" in generated_jets.GENERATOR_MODULES


def test_the_results_cache_and_checkpoints_use_the_same_key():
    from qmlhep.fitting import checkpoints
    from qmlhep.storage import results_cache

    settings = {"seed": 3}
    assert results_cache.cache_key("study", settings, ("qmlhep.stats",)) == (
        "study-" + keys.key(settings, modules=("qmlhep.stats",))[:16]
    )
    arrays = [np.ones(4)]
    assert checkpoints.digest(settings, arrays) == keys.key(
        settings, arrays=arrays, code=checkpoints.code_digest()
    )
