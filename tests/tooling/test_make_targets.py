"""Make targets fail early with one clear line and leave nothing behind."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_an_unknown_chapter_is_one_line_before_any_work():
    before = (
        sorted(p.name for p in (ROOT / "_build").glob("chapter/*"))
        if (ROOT / "_build").is_dir()
        else []
    )
    run = subprocess.run(
        ["make", "--no-print-directory", "chapter", "CH=does/not/exist"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "no chapter book/does/not/exist.md" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr and "pip" not in run.stdout
    after = (
        sorted(p.name for p in (ROOT / "_build").glob("chapter/*"))
        if (ROOT / "_build").is_dir()
        else []
    )
    assert after == before
