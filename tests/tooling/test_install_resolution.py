"""The package installs where readers run it: Colab's Python 3.12 and newer runtimes'
3.13, from wheels only, with every chapter's extra (the ranges of pyproject.toml, not
the 3.11 pins). Resolved by pip without that Python (``--dry-run --python-version``);
skipped, with the reason, when the package index cannot be reached."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request

import pytest

from conftest import ROOT
from qmlhep.tooling import chapters

pytestmark = [pytest.mark.network, pytest.mark.slow]


def _index_reachable() -> str | None:
    """None if PyPI answers, else why not."""
    url = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/") + "/pip/"
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            response.read(100)
        return None
    except OSError as err:
        return f"package index {url} unreachable ({err})"


def requirements_for(python: str, extras: list[str]) -> list[str]:
    """The package's requirements with ``extras``, markers evaluated for ``python``.

    pip evaluates the markers of the requirements it is given with the Python it runs on,
    even with ``--python-version``; so they are evaluated here, for the target version.
    """
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = {"python_version": python, "python_full_version": f"{python}.0"}
    out, todo, seen = [], [(r, "") for r in project["dependencies"]], set()
    todo += [(r, e) for e in extras for r in project["optional-dependencies"][e]]
    while todo:
        raw, extra = todo.pop(0)
        req = Requirement(raw)
        if req.marker is not None and not req.marker.evaluate({**env, "extra": extra}):
            continue
        if req.name == "qmlhep":
            todo += [
                (r, e)
                for e in sorted(req.extras)
                if e not in seen
                for r in project["optional-dependencies"][e]
            ]
            seen |= req.extras
            continue
        req.marker = None
        out.append(str(req))
    return sorted(set(out))


@pytest.mark.parametrize("python", ["3.12", "3.13"])
def test_every_chapter_extra_resolves_from_wheels(python, tmp_path):
    if (why := _index_reachable()) is not None:
        print(why)
        pytest.skip(why)
    wanted = sorted(set(chapters.extras(ROOT)) - chapters.NOT_CHAPTER_EXTRAS) + ["book"]
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--only-binary=:all:",
            "--python-version",
            python,
            "--target",
            str(tmp_path / "t"),
            "--disable-pip-version-check",
            "--quiet",
            "--report",
            str(tmp_path / "report.json"),
            *requirements_for(python, wanted),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-4000:]
    import json

    report = json.loads((tmp_path / "report.json").read_text())
    resolved = {
        re.sub(r"[-_.]+", "-", item["metadata"]["name"]).lower() for item in report["install"]
    }
    for card in (
        "pennylane",
        "pennylane-lightning",
        "qiskit",
        "qiskit-aer",
        "qulacs",
        "keras",
        "jax",
        "pythia8mc",
        "jupyter-book",
    ):
        assert card in resolved, (python, card)
    assert ("mthree" in resolved) == (python != "3.13")  # no wheel for 3.13: optional there
    assert "tensorflow" not in resolved  # no chapter needs it
