"""The release process: the tag every committed notebook pins is one it makes."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from conftest import ROOT
from qmlhep.tooling import notebooks, release, repository


def test_committed_notebooks_pin_the_tag_of_the_packages_version():
    import qmlhep

    assert qmlhep.__version__ == repository.version(ROOT)
    tag = repository.release_tag(ROOT)
    assert re.fullmatch(r"v\d+\.\d+\.\d+", tag)
    assert f"## {repository.version(ROOT)}" in (ROOT / "CHANGELOG.md").read_text()
    for src in notebooks.chapter_sources(ROOT):
        assert f'@{tag}\\"' in src.with_suffix(".ipynb").read_text(), src


@pytest.fixture
def checkout(tmp_path):
    for name in ("pyproject.toml", "CHANGELOG.md", "CITATION.cff", "_config.yml", "_toc.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "book", tmp_path / "book")
    (tmp_path / "src" / "qmlhep").mkdir(parents=True)
    shutil.copy(ROOT / "src" / "qmlhep" / "__init__.py", tmp_path / "src" / "qmlhep")
    return tmp_path


@pytest.mark.slow
def test_a_release_bumps_the_version_closes_the_changelog_and_repins_every_notebook(checkout):
    old = repository.version(checkout)
    major, minor, _ = map(int, old.split("."))
    new = f"{major}.{minor + 1}.0"
    tag = release.bump(checkout, new, today=dt.date(2027, 1, 4))
    assert tag == f"v{new}" == repository.release_tag(checkout)
    log = (checkout / "CHANGELOG.md").read_text()
    assert f"## Unreleased\n\n## {new} (2027-01-04)\n" in log
    assert f"version: {new}" in (checkout / "CITATION.cff").read_text()
    assert f'__version__ = "{new}"' in (checkout / "src/qmlhep/__init__.py").read_text()
    assert notebooks.drifted(checkout) == []  # every notebook now pins the new tag
    for src in notebooks.chapter_sources(checkout):
        assert f'@{tag}\\"' in src.with_suffix(".ipynb").read_text()


def test_a_release_refuses_a_lower_version_and_an_empty_changelog(checkout):
    with pytest.raises(release.ReleaseError, match="not above"):
        release.bump(checkout, "0.0.1")
    with pytest.raises(release.ReleaseError, match="MAJOR.MINOR.PATCH"):
        release.bump(checkout, "1.0")
    log = checkout / "CHANGELOG.md"
    log.write_text(
        re.sub(
            r"## Unreleased\n.*?\n## ", "## Unreleased\n\n## ", log.read_text(), count=1, flags=re.S
        )
    )
    with pytest.raises(release.ReleaseError, match="empty"):
        release.bump(checkout, "9.0.0")
