"""The reader's run (``make reader``): interpreter lookup, execution and measurement of a
notebook in another environment's kernel, the merged table, and the chapter list."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from qmlhep.tooling import reader


def test_a_python_that_is_not_installed_is_reported_not_guessed(tmp_path):
    assert reader.find_python("2.9") is None
    assert reader.find_python(str(tmp_path / "no-python")) is None
    here = reader.find_python(sys.executable)
    assert here == Path(sys.executable)
    assert reader.short_version(here) == "{}.{}".format(*sys.version_info[:2])


def test_the_chapters_are_every_executed_page():
    names = reader.all_chapters(ROOT)
    assert "quantum/bsm_qae" in names and "intro" in names
    assert all((ROOT / "book" / f"{n}.ipynb").is_file() for n in names)


def _notebook(path: Path, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_a_notebook_runs_in_the_other_environments_kernel_alone_and_is_measured(
    tmp_path, monkeypatch
):
    venv = Path(sys.prefix)  # this environment plays the reader's fresh one
    monkeypatch.setenv("QMLHEP_BUILD_DIR", "/somewhere/else")  # must not reach the kernel
    nb = _notebook(
        tmp_path / "page.ipynb",
        [
            "import os, sys\nprint(sys.prefix)\nprint(os.environ['QMLHEP_BUILD_DIR'])",
            "x = bytearray(300 * 2**20)  # 300 MB, seen by the memory peak",
            "print(os.environ.get('QMLHEP_PROFILE'), os.getcwd())",
        ],
    )
    work = tmp_path / "work"
    work.mkdir()
    out = reader.execute(nb, venv, work, timeout_s=120)
    assert out["error"] is None and out["seconds"] > 0
    assert out["peak_mb"] >= 300
    executed = nbformat.read(work / "page.ipynb", as_version=4)
    first = executed.cells[0].outputs[0]["text"].split()
    assert first == [sys.prefix, str(work / "_build")]
    assert executed.cells[2].outputs[0]["text"].split() == ["default", str(work)]


@pytest.mark.slow
def test_a_failing_cell_is_the_run_s_error_without_terminal_colours(tmp_path):
    nb = _notebook(tmp_path / "page.ipynb", ["raise ValueError('broken chapter')"])
    out = reader.execute(nb, Path(sys.prefix), tmp_path, timeout_s=60)
    assert "ValueError" in out["error"] and "broken chapter" in out["error"]
    assert "\x1b[" not in out["error"]


def test_runs_merge_into_the_introductions_table(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    base = {
        "seconds": 100.0,
        "peak_mb": 900,
        "succeeded": True,
        "over_budget": [],
        "date": "2026-12-06T10:00:00+00:00",
        "versions": {"jax": "0.10.2"},
    }
    for py, secs in (("3.12", 100.0), ("3.13", 130.0)):
        rec = {**base, "chapter": "quantum/bsm_qae", "python": py, "seconds": secs}
        (runs / f"quantum-bsm_qae-{py}.json").write_text(json.dumps(rec))
    (runs / "unrelated.json").write_text("{}")
    table = tmp_path / "reader.json"
    table.write_text(json.dumps({"intro": {"3.12": {**base, "seconds": 3.0}}}))
    merged = reader.collect(runs, table)
    assert merged["quantum/bsm_qae"]["3.13"]["seconds"] == 130.0
    assert merged["intro"]["3.12"]["seconds"] == 3.0  # kept from the earlier table
    assert json.loads(table.read_text()) == merged
    from qmlhep.tooling.sphinx_ext import reader_text

    assert (
        reader_text(merged["quantum/bsm_qae"]) == "1.7 min, 0.9 GB · 2.2 min, 0.9 GB (2026-12-06)"
    )
    assert reader_text({}) == "not run · not run"


@pytest.mark.parametrize("keep", [False, True])
def test_the_runs_environment_is_removed_afterwards_unless_kept(tmp_path, monkeypatch, keep):
    made = []

    def fake_environment(root, python, extra, venv):
        venv.mkdir(parents=True)
        tree = venv.with_name(venv.name.replace("venv-", "tree-"))
        tree.mkdir()
        made.extend([venv, tree])
        return {"jax": "0"}

    def failing_execute(notebook, venv, work, timeout_s):
        raise KeyboardInterrupt  # the reader stopped it: the environment still goes

    monkeypatch.setattr(reader, "create_environment", fake_environment)
    monkeypatch.setattr(reader, "execute", failing_execute)
    with pytest.raises(KeyboardInterrupt):
        reader.reader_run(ROOT, "intro", sys.executable, tmp_path, 60, keep=keep)
    assert len(made) == 2
    assert all(p.exists() == keep for p in made)
