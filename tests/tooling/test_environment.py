"""The pinned environment and the Colab notebooks stay in sync with their sources."""

from __future__ import annotations

import re

from conftest import ROOT
from qmlhep.tooling import notebooks
from qmlhep.tooling.environment import environment_pins, requirements_pins


def test_requirements_are_exact_pins_and_match_environment_yml():
    req = requirements_pins(ROOT / "requirements.txt")
    env = environment_pins(ROOT / "environment.yml")
    assert req == env
    for card in (
        "jupyter-book",
        "jupytext",
        "pennylane",
        "pennylane-lightning",
        "qiskit",
        "qiskit-aer",
        "qulacs",
        "tensorflow",
        "matplotlib",
    ):
        assert card in req, card
    assert req["jupyter-book"].startswith("1.") and req["sphinx"].startswith("7.")


def test_environment_yml_is_python_311_and_installs_the_package():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s+- python=3\.11$", text, re.M)
    assert re.search(r"^\s+- -e \.$", text, re.M)


def test_colab_notebooks_are_in_sync_and_output_free():
    assert notebooks.drifted(ROOT) == [], "run `make notebooks`"
    chapters = notebooks.chapter_sources(ROOT)
    assert chapters, "no chapters found"
    for src in chapters:
        text = src.with_suffix(".ipynb").read_text()
        assert '"outputs": []' in text and '"output_type"' not in text
        assert "google.colab" in text


def test_every_chapter_is_in_the_toc_and_starts_with_setup():
    toc = (ROOT / "_toc.yml").read_text()
    for src in notebooks.chapter_sources(ROOT):
        rel = src.relative_to(ROOT).with_suffix("").as_posix()
        assert f"file: {rel}" in toc or f"root: {rel}" in toc, rel
        first_code = src.read_text().split("```{code-cell} ipython3", 1)[1]
        assert "setup(" in first_code.split("```", 1)[0], f"{rel}: first cell must call setup()"
