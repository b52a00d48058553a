"""The secret scan fails when there is nothing to scan, and names an unreadable file with an
exit code of its own, distinct from "token found"."""

from __future__ import annotations

import json

from qmlhep.tooling import output_scan


def test_missing_folder_and_folder_without_notebooks_fail(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QISKIT_IBM_TOKEN", "canary-token-123456")
    assert output_scan.main([str(tmp_path / "nope")]) == output_scan.NOTHING_TO_SCAN
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert output_scan.main([str(tmp_path / "empty")]) == output_scan.NOTHING_TO_SCAN
    assert "no executed notebook" in capsys.readouterr().err


def test_unreadable_notebook_or_account_file_is_named(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QISKIT_IBM_TOKEN", "canary-token-123456")
    (tmp_path / "ok.ipynb").write_text(json.dumps({"cells": []}))
    (tmp_path / "broken.ipynb").write_text("{not json")
    code = output_scan.main([str(tmp_path)])
    assert code == output_scan.UNREADABLE and code != output_scan.FOUND
    assert "broken.ipynb" in capsys.readouterr().err

    (tmp_path / "broken.ipynb").unlink()
    accounts = tmp_path / "qiskit-ibm.json"
    accounts.write_text("[truncated")
    monkeypatch.setattr(output_scan, "ACCOUNTS", accounts)
    monkeypatch.setattr(output_scan.known_secrets, "__defaults__", (accounts,))
    assert output_scan.main([str(tmp_path)]) == output_scan.UNREADABLE
    assert "qiskit-ibm.json" in capsys.readouterr().err
