"""ruff (lint and format) is clean over the package, the tests and the chapters' twins,
and the pre-commit configuration runs the same checks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.lint
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


def _ruff(*args: str) -> subprocess.CompletedProcess:
    assert RUFF, "ruff is not installed (it is part of the `test` extra)"
    return subprocess.run([RUFF, *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_finds_nothing():
    result = _ruff("check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_changes_nothing():
    result = _ruff("format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_a_planted_problem(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os, sys\nx = undefined_name\n")
    result = _ruff("check", "--no-cache", str(bad))
    assert result.returncode == 1 and "F821" in result.stdout and "E401" in result.stdout


def test_pre_commit_config_is_valid_and_runs_the_same_checks():
    config = ROOT / ".pre-commit-config.yaml"
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit, "pre-commit is not installed (it is part of the `test` extra)"
    check = subprocess.run([pre_commit, "validate-config", str(config)], capture_output=True)
    assert check.returncode == 0, check.stdout + check.stderr
    hooks = {h["id"]: h for r in yaml.safe_load(config.read_text())["repos"] for h in r["hooks"]}
    assert hooks["ruff-check"]["entry"].startswith("ruff check")
    assert hooks["ruff-format"]["entry"] == "ruff format"
    assert "qmlhep.tooling.notebooks sync" in hooks["colab-notebooks"]["entry"]
