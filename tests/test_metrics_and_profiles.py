"""The metrics helper, the profile setting, and the summary table."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from qmlhep import config, metrics
from qmlhep.metric_catalogue import CATALOGUE
from qmlhep.profiles import SIZES, sizes


def test_record_writes_schema_with_catalogue_values(isolated, monkeypatch):
    monkeypatch.setenv("QMLHEP_PROFILE", "ci")
    metrics.record("sqae.auc.q_vs_g", np.float32(0.55), err=0.01, data="toy")
    metrics.record("susy.selection.nvar3", ("a", "b", "c"))
    stored = json.loads((isolated.build / "metrics.json").read_text())
    assert stored["sqae.auc.q_vs_g"] == {
        "value": pytest.approx(0.55),
        "err": 0.01,
        "paper": 0.565,
        "unit": "AUC",
        "data": "toy",
        "profile": "ci",
        "chapter": "Swap-test quantum autoencoder",
    }
    assert stored["susy.selection.nvar3"]["value"] == ["a", "b", "c"]
    assert stored["susy.selection.nvar3"]["paper"] == ["lep1_pt", "lep2_pt", "miss_ene"]


def test_record_rejects_unknown_keys_and_nan(isolated):
    with pytest.raises(KeyError, match="metrics: of its chapter"):
        metrics.record("sqae.auc.typo", 0.5)
    with pytest.raises(ValueError, match="non-finite"):
        metrics.record("sqae.auc.q_vs_g", float("nan"))


def test_summary_has_a_row_per_catalogued_metric(isolated, monkeypatch):
    from qmlhep import published

    monkeypatch.setattr(published, "FOLDER", isolated.build / "no-published-results")
    published._read.cache_clear()
    metrics.record("cae12.auc.q_vs_g", 0.61, err=0.02)
    table = metrics.summary_table()
    assert len(table) == len(CATALOGUE)
    row = table.set_index("metric").loc["cae12.auc.q_vs_g"]
    assert row["this book"] == "0.61 ± 0.02" and row["paper"] == "0.6"
    assert table.set_index("metric").loc["hae.auc.q_vs_g", "this book"] == ""
    published._read.cache_clear()


def test_issue_metric_keys_are_catalogued():
    for key in (
        "data.qg.n_jets",
        "data.qg.img12.active_pixels.quark",
        "data.susy.n_events",
        "susy.selection.nvar7",
        "susy.dnn_small.n_params.nvar5",
        "qcl.auc.nvar7.n5000",
        "vqc.auc.test.boeblingen.soe.n40",
        "vqc.auc.test.johannesburg.foe.n40.mitigated",
        "gen.cae40.auc.g_vs_q",
        "verdict.n_comparisons",
        "verdict.n_significant",
    ):
        assert key in CATALOGUE
    for model in ("sqae", "hae", "qvit", "qcl", "vqc", "reupload_susy", "bsm.qae"):
        for role in ("product", "twin", "reference"):
            assert f"{model}.delta.{role}" in CATALOGUE


def test_a_paired_difference_round_trips_with_its_interval(isolated):
    from qmlhep.stats import compare, seeds_measure

    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 200)
    a = y + rng.normal(size=(3, 400))
    b = 0.5 * y + rng.normal(size=(3, 400))
    d = compare(y, a, b, seeds=seeds_measure(True))
    metrics.record_difference("qcl.delta.product", d, data="toy")
    stored = json.loads((isolated.build / "metrics.json").read_text())["qcl.delta.product"]
    assert stored["value"] == pytest.approx(d.value) and stored["err"] == pytest.approx(d.err)
    assert stored["unit"] == "ΔAUC" and stored["detail"]["seeds"].startswith("initialisation")
    assert metrics.difference("qcl.delta.product") == d
    assert metrics.difference("qcl.delta.twin") is None


def test_profile_setting(monkeypatch):
    monkeypatch.setenv("QMLHEP_PROFILE", "full")
    assert config.profile() == "full" and sizes("susy").profile == "full"
    monkeypatch.setenv("QMLHEP_PROFILE", "fast")
    with pytest.raises(config.ConfigError, match="ci, default, full"):
        config.profile()


def test_every_chapter_defines_every_profile():
    for chapter, by_profile in SIZES.items():
        assert set(by_profile) == set(config.PROFILES), chapter
        keys = {frozenset(v) for v in by_profile.values()}
        assert len(keys) == 1, f"{chapter}: profiles define different sizes"


def test_non_finite_numbers_never_reach_metrics_json(isolated):
    import math

    from qmlhep import metrics

    for value, err in (
        (float("nan"), None),
        (0.7, float("nan")),
        ([0.7, math.inf], None),
        (np.float32("inf"), None),
    ):
        with pytest.raises(ValueError, match="non-finite"):
            metrics.record("cae12.auc.q_vs_g", value, err)
    assert metrics.load() == {}
    metrics.record("cae12.auc.q_vs_g", 0.7, 0.01)
    assert metrics.load()["cae12.auc.q_vs_g"]["err"] == 0.01


def test_settings_are_parsed_strictly(monkeypatch, tmp_path):
    from qmlhep import config

    for value, expected in (("1", True), (" yes ", True), ("0", False), ("", False)):
        monkeypatch.setenv("QMLHEP_OFFLINE", value)
        assert config.offline() is expected
    monkeypatch.setenv("QMLHEP_OFFLINE", "ture")
    with pytest.raises(config.ConfigError, match="QMLHEP_OFFLINE='ture'"):
        config.offline()
    monkeypatch.setenv("QMLHEP_DATA_DIR", f" {tmp_path} {os.pathsep}")
    assert config.data_dirs() == [tmp_path.resolve()]
    monkeypatch.setenv("QMLHEP_DATA_DIR", f"{tmp_path}{os.pathsep}{tmp_path / 'nope'}")
    with pytest.raises(config.ConfigError, match="nope"):
        config.data_dirs()


def test_a_non_finite_number_nested_anywhere_is_refused_and_never_written(isolated):
    for nested in ([[0.5, [0.6, float("nan")]]], [np.array([1.0, np.inf])], [0.5, [1, 2]]):
        if nested == [0.5, [1, 2]]:
            metrics.record("data.qg.n_jets", nested)  # ragged but finite: fine
            continue
        with pytest.raises(ValueError, match="non-finite"):
            metrics.record("data.qg.n_jets", nested)
    with pytest.raises(ValueError, match="non-finite"):
        metrics.record("data.qg.n_jets", 1, detail={"interval": [0.1, [float("-inf")]]})
    json.loads(metrics.metrics_path().read_text())  # what was written is valid JSON


def test_a_table_of_an_unknown_key_is_refused_as_the_writer_would(isolated):
    with pytest.raises(KeyError, match="unknown metric"):
        metrics.table(["data.qg.n_jets", "no.such.metric"])


def test_record_takes_numpy_scalars_and_arrays_and_refuses_complex(isolated):
    import numpy as np

    metrics.record("sqae.auc.q_vs_g", np.array(0.61), np.float32(0.01))
    assert metrics.load()["sqae.auc.q_vs_g"]["value"] == pytest.approx(0.61)
    with pytest.raises(ValueError, match="non-finite"):
        metrics.record("sqae.auc.q_vs_g", 0.6, detail={"curve": np.array([0.1, np.nan])})
    with pytest.raises(ValueError, match=r"'sqae.auc.q_vs_g': its value: a metric must be real"):
        metrics.record("sqae.auc.q_vs_g", 0.6 + 1j)
    with pytest.raises(TypeError, match=r"write table\(\['sqae.auc.q_vs_g'\]\)"):
        metrics.table("sqae.auc.q_vs_g")
