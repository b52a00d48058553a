"""Each chapter installs only its own extra on Colab, and that extra is enough: the chapter
imports nothing outside it, and it pulls in no framework that the chapter never imports."""

from __future__ import annotations

import importlib.metadata
import re

import pytest
from packaging.requirements import Requirement

from conftest import ROOT
from qmlhep.tooling import chapters, imports, notebooks, repository, toc

FRAMEWORKS = {"tensorflow", "torch", "keras", "jax", "pennylane", "qiskit", "qulacs"}
IMPLIED = {"keras": {"jax"}}
"""Keras runs on the JAX backend in this book: a chapter using Keras needs JAX too."""


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(extra: str | None) -> set[str]:
    """Distributions named by the core dependencies and ``extra`` (self-references resolved)."""
    project = __import__("tomllib").loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    out = {_norm(Requirement(r).name) for r in project["dependencies"]}
    todo = [extra] if extra else []
    while todo:
        for raw in extras[todo.pop()]:
            req = Requirement(raw)
            if _norm(req.name) == "qmlhep":
                todo += sorted(req.extras)
            else:
                out.add(_norm(req.name))
    return out


def _closure(dists: set[str]) -> set[str]:
    """``dists`` and everything they require, as installed here."""
    seen, todo = set(), list(dists)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for raw in requires:
            req = Requirement(raw)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(_norm(req.name))
    return seen


PAGES = [name for name in toc.docnames(ROOT)]


@pytest.mark.parametrize("docname", PAGES)
def test_chapter_imports_nothing_outside_its_extra(docname):
    meta = chapters.metadata(ROOT, docname)
    needed = {
        _norm(d) for d in imports.distributions(imports.chapter_modules(ROOT / f"{docname}.md"))
    }
    missing = needed - _declared(meta.extra)
    assert not missing, (
        f"{docname} imports {sorted(missing)}, which neither the core "
        f"dependencies nor the extra {meta.extra!r} of pyproject.toml name"
    )


@pytest.mark.parametrize("docname", PAGES)
def test_extra_pulls_in_no_framework_the_chapter_never_imports(docname):
    meta = chapters.metadata(ROOT, docname)
    imported = {
        _norm(d) for d in imports.distributions(imports.chapter_modules(ROOT / f"{docname}.md"))
    }
    allowed = imported | {d for name in imported for d in IMPLIED.get(name, ())}
    pulled = _closure(_declared(meta.extra)) & FRAMEWORKS
    assert pulled <= allowed, (
        f"installing {docname}'s extra {meta.extra!r} pulls in "
        f"{sorted(pulled - allowed)}, which the chapter never imports"
    )


def test_tensorflow_stays_available_but_no_chapter_needs_it():
    extras = chapters.extras(ROOT)
    assert any("tensorflow" in r for r in extras["tensorflow"])
    assert "tensorflow" in " ".join(extras["all"])
    for docname in PAGES:
        assert "tensorflow" not in _closure(_declared(chapters.metadata(ROOT, docname).extra))


@pytest.mark.parametrize("docname", [p for p in PAGES if (ROOT / f"{p}.ipynb").is_file()])
def test_colab_cell_installs_that_extra_at_a_tag_or_commit(docname):
    meta = chapters.metadata(ROOT, docname)
    text = (ROOT / f"{docname}.ipynb").read_text()
    m = re.search(
        r"qmlhep(\[(\w+)\])? @ git\+(https://github\.com/[\w.-]+/[\w.-]+)@([\w.-]+)", text
    )
    assert m, f"{docname}.ipynb has no pinned install cell"
    assert m.group(2) == meta.extra
    assert m.group(3) == repository.url(ROOT)
    assert repository.check_ref(m.group(4)) == repository.release_tag(ROOT)


def test_published_notebooks_pin_the_commit_and_refuse_branches(tmp_path):
    source = ROOT / "book" / "quantum" / "hybrid.md"
    text = notebooks.render(ROOT, source, "0123456789abcdef0123456789abcdef01234567")
    assert "qmlhep[hybrid] @ git+https://github.com/" in text
    assert "@0123456789abcdef0123456789abcdef01234567" in text
    for branch in ("main", "master", "HEAD"):
        with pytest.raises(ValueError, match="branch"):
            repository.check_ref(branch)
