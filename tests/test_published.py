"""A chapter run alone shows the published build's numbers, said so, with a link; a chapter
that ran in this build is never mixed with published values."""

from __future__ import annotations

import json

import pytest

from qmlhep import metrics, published
from qmlhep.chapter import chapter_datasets
from qmlhep.metric_catalogue import CATALOGUE
from qmlhep.tooling import bench


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    folder = tmp_path / "published_results"
    folder.mkdir()
    (folder / "build.json").write_text(
        json.dumps(
            {
                "commit": "0123456789abcdef",
                "date": "2026-12-06",
                "profile": "default",
                "machine": "2 cores of a test CPU",
                "url": "https://example.github.io/book",
            }
        )
    )
    (folder / "metrics.json").write_text(
        json.dumps(
            {
                "cae12.auc.q_vs_g": {"value": 0.61, "err": 0.01, "profile": "default"},
                "sqae.auc.q_vs_g": {"value": 0.55, "err": 0.01, "profile": "default"},
                "no.longer.catalogued": {"value": 1.0, "profile": "default"},
            }
        )
    )
    (folder / "bench.json").write_text(json.dumps({"sqae.speedup": {"ratio": 50.0}}))
    monkeypatch.setattr(published, "FOLDER", folder)
    published._read.cache_clear()
    yield folder
    published._read.cache_clear()


def test_published_numbers_fill_only_chapters_this_run_did_not_execute(isolated, shipped):
    metrics.record("sqae.n_params", 1440)  # the SQAE chapter ran here
    merged = metrics.with_published()
    assert merged["cae12.auc.q_vs_g"]["source"] == "published"
    assert "sqae.auc.q_vs_g" not in merged  # never a published value beside this run's
    assert "no.longer.catalogued" not in merged
    assert merged["sqae.n_params"]["value"] == 1440 and "source" not in merged["sqae.n_params"]
    note = metrics.published_note(["cae12.auc.q_vs_g", "sqae.n_params"], merged)
    assert "https://example.github.io/book/" in note and "0123456789ab" in note
    assert (
        CATALOGUE["cae12.auc.q_vs_g"].chapter in note
        and "_build" not in note
        and "make " not in note
    )
    assert metrics.published_note(["sqae.n_params"], merged) == ""
    table = metrics.table(["cae12.auc.q_vs_g", "sqae.n_params", "cae40.auc.q_vs_g"])
    assert list(table.metric) == ["cae12.auc.q_vs_g", "sqae.n_params"]  # no blank row
    assert list(table.source) == ["published book", "this run"]


def test_benchmarks_come_from_this_build_else_from_the_published_one(isolated, shipped):
    assert bench.entries(["sqae.speedup"])["sqae.speedup"]["ratio"] == 50.0
    with pytest.raises(KeyError, match="published build"):
        bench.entries(["qcl.speedup"])
    bench.output_path().parent.mkdir(parents=True, exist_ok=True)
    bench.output_path().write_text(json.dumps({"qcl.speedup": {"ratio": 7.0}}))
    assert bench.names() == ["qcl.speedup"]  # this build's only, never mixed
    with pytest.raises(KeyError, match="this build"):
        bench.entries(["sqae.speedup"])


def test_a_chapter_names_its_data_outside_a_checkout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert chapter_datasets("bsm_qae") == ("bsm_qae",)
    assert chapter_datasets("sqae") == ("qg_jets",)
    assert chapter_datasets("no_such_chapter") == ()
