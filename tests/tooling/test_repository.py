"""One setting names the repository (``repository.url`` in _config.yml); everything derived
from it agrees: launch buttons, Colab cells, issue links, package URLs, citation."""

from __future__ import annotations

import tomllib

import pytest
import yaml

from conftest import ROOT
from qmlhep.tooling import bookconfig, repository


def test_everything_names_the_configured_repository():
    url, slug = repository.url(ROOT), repository.slug(ROOT)
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert urls["Source"] == url and urls["Issues"] == f"{url}/issues"
    assert urls["Homepage"] == repository.pages_url(ROOT)
    assert f"repository-code: {url}" in (ROOT / "CITATION.cff").read_text()
    readme = (ROOT / "README.md").read_text()
    assert repository.pages_url(ROOT) in readme and f"{url}/actions" in readme
    for notebook in (ROOT / "book").rglob("*.ipynb"):
        assert f"git+{url}@" in notebook.read_text(), notebook
    other = {"github.com/" + s for s in ("qmlhep/other", "someone/qmlhep-book")}
    for path in ("README.md", "CITATION.cff", "pyproject.toml", "_config.yml"):
        text = (ROOT / path).read_text()
        assert not any(o in text for o in other)
        assert slug in text, path


def test_launch_buttons_open_a_tag_or_commit_never_a_branch():
    cfg = bookconfig.book_config(ROOT)
    assert cfg["repository"]["url"] == repository.url(ROOT)
    assert cfg["repository"]["branch"] == repository.release_tag(ROOT)
    assert cfg["launch_buttons"]["colab_url"] and cfg["launch_buttons"]["binderhub_url"]
    assert bookconfig.book_config(ROOT, "book-0123abcd")["repository"]["branch"] == "book-0123abcd"
    with pytest.raises(ValueError, match="branch"):
        bookconfig.book_config(ROOT, "main")
    raw = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert raw["html"]["use_issues_button"] and raw["html"]["use_repository_button"]


def test_make_chapter_executes_only_that_chapter_into_the_books_cache(monkeypatch):
    monkeypatch.setenv("QMLHEP_PROFILE", "default")
    cfg = bookconfig.book_config(ROOT, only="quantum/hybrid")
    excluded = cfg["execute"]["exclude_patterns"]
    assert "book/quantum/hybrid.md" not in excluded and "book/intro.md" in excluded
    assert cfg["execute"]["cache"] == str(ROOT / "_build" / ".jupyter_cache")
    with pytest.raises(ValueError, match="no chapter 'quantum/nope'"):
        bookconfig.book_config(ROOT, only="quantum/nope")
    # a notebook's cache key is its code: another profile must never reuse its execution
    monkeypatch.setenv("QMLHEP_PROFILE", "ci")
    ci = bookconfig.book_config(ROOT, only="quantum/hybrid")["execute"]["cache"]
    assert ci == str(ROOT / "_build" / ".jupyter_cache-ci")
