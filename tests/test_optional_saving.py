"""Saving that only serves resumption or bookkeeping never costs a result: where a store
cannot be written (here: a file where its folder should be), the computation finishes,
returns its result, and one warning names the path and what is lost."""

from __future__ import annotations

import pytest

from qmlhep.storage import atomic


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch):
    monkeypatch.setattr(atomic, "_WARNED", set())


def _blocked(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    return blocker


def test_a_checkpoint_that_cannot_be_written_warns_and_training_goes_on(tmp_path, monkeypatch):
    from qmlhep.fitting.checkpoints import Checkpoint

    monkeypatch.setenv("QMLHEP_CACHE_DIR", str(_blocked(tmp_path)))
    ckpt = Checkpoint("demo", {"seed": 1})
    with pytest.warns(atomic.StoreWarning, match="cannot resume after an interruption") as rec:
        ckpt.save({"epoch": 1}, force=True)
        ckpt.save({"epoch": 2}, force=True)  # warned once per folder
        ckpt.finish({"epoch": 2})
    assert len(rec) == 1 and "not-a-folder" in str(rec[0].message)
    assert ckpt.load() is None


def test_the_results_cache_returns_the_result_it_cannot_store(tmp_path, monkeypatch):
    from qmlhep.storage.results_cache import cached

    monkeypatch.setenv("QMLHEP_BUILD_DIR", str(_blocked(tmp_path)))
    with pytest.warns(atomic.StoreWarning, match="compute it again"):
        assert cached("study", {"n": 3}, lambda: [1, 2, 3]) == [1, 2, 3]


def test_the_usage_record_is_bookkeeping_only(tmp_path, monkeypatch):
    from qmlhep.data import usage
    from qmlhep.data.registry import DATASETS

    monkeypatch.setenv("QMLHEP_BUILD_DIR", str(_blocked(tmp_path)))
    monkeypatch.setenv("QMLHEP_CHAPTER", "demo")
    data = tmp_path / "data.npz"
    data.write_bytes(b"x")
    spec = next(iter(next(iter(DATASETS["qg_jets"].variants.values())).files))
    with pytest.warns(atomic.StoreWarning, match="record of the data files"):
        usage.note("qg_jets", spec, data, "data dir")


def test_a_written_store_gives_no_warning(tmp_path, monkeypatch, recwarn):
    from qmlhep.storage.results_cache import cached

    monkeypatch.setenv("QMLHEP_BUILD_DIR", str(tmp_path))
    assert cached("study", {"n": 4}, lambda: 7) == 7
    assert cached("study", {"n": 4}, lambda: 8) == 7  # served from the store
    assert not [w for w in recwarn if issubclass(w.category, atomic.StoreWarning)]


def test_an_altered_checkpoint_is_refused_naming_the_file_not_replayed(tmp_path, monkeypatch):
    import pickle

    import numpy as np

    from qmlhep.fitting.checkpoints import Checkpoint, CheckpointError

    monkeypatch.setenv("QMLHEP_CACHE_DIR", str(tmp_path))
    ckpt = Checkpoint("demo", {"seed": 2})
    ckpt.save({"epoch": 3, "params": np.ones(4), "loss": 0.5}, force=True)
    assert ckpt.load(required=("epoch", "params"))["epoch"] == 3
    with pytest.raises(CheckpointError, match=r"lacks \['history'\]"):
        ckpt.load(required=("epoch", "history"))
    from qmlhep.storage.atomic import seal

    for altered in (
        {"epoch": 3, "params": np.array([1.0, np.nan]), "loss": 0.5},
        {"epoch": 3, "params": np.ones(4), "loss": float("inf")},
    ):
        ckpt.path.write_bytes(seal(pickle.dumps(altered)))  # even with a matching digest
        with pytest.raises(CheckpointError, match=f"{ckpt.path.name}.*non-finite"):
            ckpt.load()
    # loadable and finite, but not what the training wrote (a wrong cost): the digest
    good = {"epoch": 3, "params": np.ones(4), "loss": 0.5}
    ckpt.save(good, force=True)
    stored = ckpt.path.read_bytes()
    head = stored.partition(b"\n")[0]
    for damaged in (
        head + b"\n" + pickle.dumps({**good, "loss": 0.25}),
        stored[: len(stored) // 2],
        pickle.dumps(good),  # no digest: an older version's file
    ):
        ckpt.path.write_bytes(damaged)
        with pytest.raises(CheckpointError, match=f"{ckpt.path.name}.*sha256"):
            ckpt.load()
