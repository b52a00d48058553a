"""Kept converged runs: the file's schema and digest, thinning, whether the code changed,
the shipped hybrid run, and how a page shows a kept run."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qmlhep import profiles, published
from qmlhep.stats import compare
from qmlhep.storage import kept_runs
from qmlhep.storage.atomic import StoreError, record_digest
from qmlhep.studies import kept
from qmlhep.studies.hybrid import MODULES
from qmlhep.tooling import converged

MODELS = {
    "quantum": "hybrid (quantum layer)",
    "product": "product twin (no CNOT)",
    "classical": "classical twin",
}


def _record(digest: str | None = None, modules=("qmlhep.stats",)) -> dict:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    score = {
        m: y + rng.normal(0, s, (3, 400)) for m, s in zip(MODELS, (1.0, 1.2, 1.5), strict=True)
    }
    models = {
        m: {
            "label": label,
            "n_params": 100,
            "max_epochs": 20,
            "auc": [0.7, 0.71, 0.72],
            "epochs_run": [12, 20, 15],
            "best_epoch": [6, 20, 9],
            "stopped_early": [True, False, True],
            "recon_vs_mean": [0.2, 0.25, 0.3],
            "s_per_epoch": [1.0, 1.1, 0.9],
            "curves": [{"epoch": [1, 2, 3], "loss": [3.0, 2.0, 1.0], "val_loss": [3.1, 2.1, 1.1]}]
            * 3,
        }
        for m, label in MODELS.items()
    }
    numbers = {f"auc.{m}": {"value": 0.7, "err": 0.01} for m in MODELS}
    for role, other in (("product", "product"), ("twin", "classical")):
        d = compare(y, score["quantum"], score[other])
        numbers[f"delta.{role}"] = {"value": d.value, "err": d.err, "detail": d.detail()}
    return {
        "name": "toy",
        "numbers": numbers,
        "models": models,
        "provenance": {
            "commit": "0123456789abcdef",
            "code_digest": digest or kept_runs.code_digest(modules),
            "modules": list(modules),
            "data": {
                "dataset": "qg_jets",
                "variant": "x",
                "files": ["a.npz"],
                "sha256": ["ab" * 32],
                "rows": 400,
            },
            "sizes": {"seeds": 3, "epochs": 20, "patience": 4, "profile": "full"},
            "machine": "2 cores of a test",
            "wall_s": 600.0,
            "date": "2026-12-06",
            "n_train": 100,
            "n_val": 50,
            "n_test": 400,
            "n_test_gluon": 200,
        },
    }


def test_written_file_reads_back_verified(tmp_path):
    path = tmp_path / "toy.json"
    written = kept_runs.write(path, _record())
    assert kept_runs.read(path) == written
    assert kept_runs.read(tmp_path / "none.json") is None


def test_edited_file_is_refused_naming_it(tmp_path):
    path = tmp_path / "toy.json"
    kept_runs.write(path, _record())
    data = json.loads(path.read_text())
    data["numbers"]["auc.quantum"]["value"] = 0.99  # loadable, but not what was computed
    path.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="toy.json.*sha256"):
        kept_runs.read(path)
    path.write_text(path.read_text()[:100])  # cut short
    with pytest.raises(StoreError, match="toy.json"):
        kept_runs.read(path)


def test_missing_fields_other_schema_and_non_finite_numbers_are_refused(tmp_path):
    path = tmp_path / "toy.json"
    record = _record()
    del record["provenance"]["code_digest"]
    with pytest.raises(StoreError, match="provenance.code_digest"):
        kept_runs.write(path, record)
    record = _record()
    record["numbers"]["auc.quantum"]["value"] = float("nan")
    with pytest.raises(StoreError, match="auc.quantum"):
        kept_runs.write(path, record)
    assert not path.exists()  # nothing written
    written = kept_runs.write(path, _record())
    written["schema"] = 99
    written["sha256"] = record_digest(written)
    path.write_text(json.dumps(written))
    with pytest.raises(StoreError, match="schema 99"):
        kept_runs.read(path)


def test_thin_keeps_first_last_and_best_epoch():
    values = np.linspace(1, 0, 500)
    values[123] = -1.0  # the best epoch, between two kept points
    keep = kept_runs.thin(values, n=60)
    assert len(keep) <= 60 and keep[0] == 0 and keep[-1] == 499 and 123 in keep
    assert keep == sorted(set(keep))
    assert kept_runs.thin([3.0, 2.0], n=60) == [0, 1]


def test_is_current_follows_the_code():
    assert kept_runs.is_current(_record())
    assert not kept_runs.is_current(_record(digest="0" * 64))
    assert not kept_runs.is_current(_record(modules=("qmlhep.no_such_module",), digest="0"))


def test_page_sentences_are_computed_from_the_file():
    record = _record()
    assert "unchanged in this version" in kept.provenance_sentence(record)
    stale = kept.provenance_sentence(_record(digest="0" * 64))
    assert "earlier version of the code" in stale and "10 minutes" in stale
    lines = kept.stopping_sentences(record)
    assert len(lines) == 3 and all("2 of 3 seeds stopped early" in line for line in lines)
    table = kept.models_table(record)
    assert list(table.index) == list(MODELS.values())
    assert table.loc["classical twin", "stopped early"] == "2 of 3"
    assert set(kept.differences_by_role(record)) == {"product", "twin"}
    assert not kept.converged(record)  # 2 of 3 seeds stopped early
    diffs = kept.differences(record)
    assert set(diffs) == {"product twin (no CNOT)", "classical twin"}
    assert diffs["classical twin"].value > 0  # the hybrid's scores are the least noisy
    curves, best = kept.curves(record)
    assert [len(c) for c in curves.values()] == [3, 3, 3] and list(best.values())[0][1] == 20
    live = {m: {"auc": [0.6, 0.62, 0.64], "epochs_run": [16, 16, 16]} for m in MODELS}
    beside = kept.beside(record, live)
    assert beside.loc["hybrid (quantum layer)", "AUC, this page"] == "0.620 ± 0.012"
    assert beside.loc["hybrid (quantum layer)", "mean epochs, kept run"] == pytest.approx(47 / 3)


def test_converged_refuses_other_profiles_and_unknown_chapters(monkeypatch, capsys):
    monkeypatch.setenv("QMLHEP_PROFILE", "default")
    with pytest.raises(SystemExit):
        converged.main(["quantum/hybrid"])
    assert "trained in 'full'" in capsys.readouterr().err
    monkeypatch.setenv("QMLHEP_PROFILE", "full")
    with pytest.raises(SystemExit):
        converged.main(["quantum/sqae"])
    assert "no kept run for 'quantum/sqae'" in capsys.readouterr().err


def test_shipped_hybrid_run_is_converged_and_learned_more_than_the_mean():
    """The kept hybrid run verifies, was trained with today's full-profile sizes, every
    model's every seed stopped early, and none reconstructs only the mean jet."""
    record = published.kept_run("hybrid")
    assert record is not None, "no kept hybrid run: run `make converged CH=quantum/hybrid`"
    sizes = dict(record["provenance"]["sizes"])
    full = {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in profiles.SIZES["hybrid"]["full"].items()
    }
    assert {k: v for k, v in sizes.items() if k != "profile"} == full, (
        "the full profile's sizes changed since the kept run: rerun `make converged`"
    )
    assert record["provenance"]["modules"] == list(MODULES)
    for name, model in record["models"].items():
        assert all(model["stopped_early"]), (name, model["epochs_run"])
        assert min(model["recon_vs_mean"]) > 1e-3, (name, model["recon_vs_mean"])
        assert len(model["auc"]) == sizes["seeds"]
