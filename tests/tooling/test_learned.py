"""The build refuses an autoencoder that reconstructs only the mean jet, from the metric
its chapter recorded."""

from __future__ import annotations

import json

import pytest

from qmlhep import published
from qmlhep.tooling import learned


def test_collapsed_models_fail_the_build(tmp_path, capsys):
    path = tmp_path / "metrics.json"
    path.write_text(
        json.dumps(
            {
                "hae.recon_vs_mean": {"value": 4e-4, "err": 1e-4},
                "cae12.recon_vs_mean": {"value": 0.3, "err": None},
                "hae.auc.q_vs_g": {"value": 0.0001, "err": 0.01},  # not a collapse measure
            }
        )
    )
    with pytest.raises(SystemExit) as stop:
        learned.main([str(path)])
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert "COLLAPSED: hae.recon_vs_mean = 0.0004" in err and "COLLAPSED: cae12" not in err
    assert "NOT CHECKED: cae40.recon_vs_mean" in err  # declared, not recorded: never a pass


def test_learned_models_pass_and_a_missing_file_is_named(tmp_path, capsys):
    path = tmp_path / "metrics.json"
    keys = ("cae40.recon_vs_mean", "cae12.recon_vs_mean", "hae.recon_vs_mean")
    path.write_text(json.dumps({k: {"value": 0.2, "err": None} for k in keys}))
    learned.main([str(path)])
    out = capsys.readouterr().out
    assert all(k in out for k in keys)
    with pytest.raises(SystemExit):
        learned.main([str(tmp_path / "none.json")])
    assert "none.json does not exist" in capsys.readouterr().err


def test_the_published_build_learned_more_than_the_mean():
    records = published.metrics()
    assert "hae.recon_vs_mean" in records
    assert learned.collapsed(records) == {}
