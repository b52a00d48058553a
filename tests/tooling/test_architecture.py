"""docs/architecture.md stays true: every chapter listed, every module real and imported by
its chapter, every subpackage of qmlhep in the tree. (No line cap on modules: cohesion
decides, and a module says one thing.)"""

from __future__ import annotations

import importlib.util
import re

from conftest import ROOT
from qmlhep.tooling import toc
from qmlhep.tooling.imports import chapter_imports

DOC = (ROOT / "docs" / "architecture.md").read_text()
ROW = re.compile(r"^\| `(book/[\w/]+)` \| (.+) \|$", re.M)
PACKAGE = ROOT / "src" / "qmlhep"


def test_every_chapter_has_a_row_and_every_module_exists_and_is_imported():
    rows = {m.group(1): re.findall(r"`([\w.]+)`", m.group(2)) for m in ROW.finditer(DOC)}
    assert list(rows) == toc.docnames(ROOT), "the table must list the chapters in TOC order"
    for chapter, modules in rows.items():
        assert modules, chapter
        imported = chapter_imports(ROOT / f"{chapter}.md")
        for module in modules:
            assert importlib.util.find_spec(module) is not None, f"{module} does not exist"
            assert module in imported, f"{chapter} does not import {module}"


def test_the_tree_names_every_subpackage_and_top_level_module():
    tree = DOC.split("```text", 1)[1].split("```", 1)[0]
    for path in sorted(PACKAGE.iterdir()):
        if path.is_dir() and (path / "__init__.py").is_file():
            assert f"{path.name}/" in tree, f"docs/architecture.md misses {path.name}/"
        elif path.suffix == ".py" and path.name != "__init__.py":
            assert path.name in tree, f"docs/architecture.md misses {path.name}"
