"""`make new-chapter` scaffolds a chapter in one place, and a chapter's sizes are checked
where they are written: the page's front matter."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT
from qmlhep.tooling import chapters, new_chapter


@pytest.fixture
def repo(tmp_path):
    for name in ("pyproject.toml", "_config.yml", "_toc.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "book").mkdir()
    return tmp_path


def test_scaffold_writes_page_notebook_and_test_with_checked_sizes(repo):
    written = new_chapter.scaffold(repo, "quantum/toy_model", extra="qcl")
    page, notebook, test = written
    assert page == repo / "book/quantum/toy_model.md" and test.name == "test_toy_model.py"
    meta = chapters.parse("book/quantum/toy_model", page.read_text())
    assert meta.extra == "qcl" and set(meta.sizes) == {"ci", "default", "full"}
    assert meta.sizes["ci"]["n_events"] < meta.sizes["full"]["n_events"]
    assert meta.metrics["keys"]["toy_model.auc"]["unit"] == "AUC"
    cells = json.loads(notebook.read_text())["cells"]
    assert any('setup("toy_model")' in "".join(c["source"]) for c in cells)
    assert 'SIZES["toy_model"]' in test.read_text()
    with pytest.raises(FileExistsError, match="toy_model.md"):
        new_chapter.scaffold(repo, "quantum/toy_model")


@pytest.mark.parametrize("name", ["toy", "Quantum/toy", "quantum/toy-model", "a/b/c"])
def test_scaffold_refuses_malformed_names(repo, name):
    with pytest.raises(ValueError, match="part/name"):
        new_chapter.scaffold(repo, name)
    assert not list((repo / "book").rglob("*.md"))


def _page(sizes: str) -> str:
    return f"---\nqmlhep:\n  extra: null\n  sizes:\n{sizes}---\n# T\n"


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ("    ci: {}\n    default: {}\n", "must map exactly ci, default, full"),
        (
            "    ci: {n: 1}\n    default: {n: 2}\n    full: {m: 3}\n",
            r"sizes.full names \['m', 'n'\]",
        ),
        ("    ci: {n: {a: 1}}\n    default: {n: 2}\n    full: {n: 3}\n", "sizes.ci.n"),
        ("    ci: 3\n    default: {}\n    full: {}\n", "sizes.ci must be a mapping"),
    ],
)
def test_malformed_sizes_name_the_page(sizes, message):
    with pytest.raises(chapters.ChapterMetadataError, match=f"book/x.md: .*{message}"):
        chapters.parse("book/x", _page(sizes))


def test_a_page_without_sizes_has_none_and_all_means_every_event():
    from qmlhep.profiles import SIZES

    meta = chapters.parse("book/x", "---\nqmlhep:\n  extra: null\n---\n# T\n")
    assert meta.sizes == {"ci": {}, "default": {}, "full": {}}
    assert SIZES["susy_baselines"]["ci"]["n_events"] is None  # `n_events: all` in its page
    assert SIZES["reuploading"]["ci"]["digits_pairs"][0] == (0, 1)  # lists become tuples


@pytest.mark.parametrize(
    ("metrics", "message"),
    [
        ("    keys: {}\n", "exactly a `title` and `keys`"),
        ("    title: T\n    keys: {a.b: {unit: AUC}}\n", "metric 'a.b' needs `unit` and `what`"),
        ("    title: T\n    keys: {a.b: {unit: AUC, what: x, paper: 1}}\n", "metric 'a.b'"),
        ("    title: T\n    keys: {a.b: {unit: AUC, what: x, published: {v: 1}}}\n", "published"),
    ],
)
def test_malformed_metrics_name_the_page(metrics, message):
    page = f"---\nqmlhep:\n  extra: null\n  metrics:\n{metrics}---\n# T\n"
    with pytest.raises(chapters.ChapterMetadataError, match=f"book/x.md: .*{message}"):
        chapters.parse("book/x", page)


def test_a_key_declared_by_two_chapters_is_refused(tmp_path, monkeypatch):
    from qmlhep import metric_catalogue

    index = {
        f"book/{name}": {
            "metrics": {"title": name, "keys": {"k.auc": {"unit": "AUC", "what": "x"}}}
        }
        for name in ("one", "two")
    }
    path = tmp_path / "chapter_index.json"
    path.write_text(json.dumps(index))
    monkeypatch.setattr(metric_catalogue, "INDEX", path)
    with pytest.raises(ValueError, match="'k.auc' is declared by both book/one.md and book/two.md"):
        metric_catalogue._load()


def test_the_catalogue_is_what_the_pages_declare():
    from qmlhep.metric_catalogue import CATALOGUE

    meta = {m.docname: m for m in chapters.all_metadata(ROOT)}
    declared = {k for m in meta.values() for k in m.metrics.get("keys", {})}
    assert declared == set(CATALOGUE)
    assert CATALOGUE["hae.auc.q_vs_g"].chapter == meta["book/quantum/hybrid"].metrics["title"]
    assert CATALOGUE["sqae.auc.q_vs_g"].paper == 0.565


def test_a_scaffold_with_an_unknown_extra_writes_nothing(repo):
    with pytest.raises(chapters.ChapterMetadataError, match="extra 'nope'"):
        new_chapter.scaffold(repo, "quantum/toy_model", extra="nope")
    assert not list((repo / "book").rglob("*.md"))
    assert new_chapter.scaffold(repo, "quantum/toy_model", extra="qcl")  # then it can


def test_a_size_named_profile_is_refused():
    sizes = "    ci: {profile: 1}\n    default: {profile: 2}\n    full: {profile: 3}\n"
    page = f"---\nqmlhep:\n  sizes:\n{sizes}---\n"
    with pytest.raises(chapters.ChapterMetadataError, match="names `profile`"):
        chapters.parse("book/x", page)
