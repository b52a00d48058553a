"""No chapter types a result: outcomes in prose are computed from the run's numbers.

The scan (:mod:`qmlhep.tooling.typed_results`) finds decimals, counts, comparisons next to
numbers and convergence claims in every chapter's prose; what it finds must be a method
constant or a published value listed, with its reason, in typed_results_allowed.yml.
"""

from __future__ import annotations

import pytest
import yaml

from conftest import ROOT
from qmlhep.tooling.typed_results import not_allowed, typed_results

ALLOWED = yaml.safe_load((ROOT / "tests/tooling/typed_results_allowed.yml").read_text())
CHAPTERS = sorted((ROOT / "book").rglob("*.md"))


def _allowed(chapter: str) -> dict:
    return {chapter: ALLOWED.get(chapter.removeprefix("book/"), [])}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.relative_to(ROOT / "book").as_posix())
def test_no_chapter_types_a_result(path):
    findings = typed_results(path, ROOT)
    name = path.relative_to(ROOT).with_suffix("").as_posix()
    left = not_allowed(findings, _allowed(name))
    assert not left, "typed results (compute them, or allow-list a method constant):\n" + "\n".join(
        f"  {f.chapter}:{f.line} [{f.rule}] {f.text!r} in: {f.context}" for f in left
    )


def test_every_allowed_phrase_is_still_in_its_chapter():
    for chapter, entries in ALLOWED.items():
        path = ROOT / "book" / f"{chapter}.md"
        assert path.is_file(), f"allow-list names a missing chapter {chapter}"
        findings = typed_results(path, ROOT)
        for entry in entries:
            assert entry.get("why"), f"{chapter}: {entry['text']!r} needs a reason"
            assert any(f.text in entry["text"] and entry["text"] in f.context for f in findings), (
                f"{chapter}: allowed phrase {entry['text']!r} no longer found: remove it"
            )


@pytest.mark.parametrize(
    "prose, rule",
    [
        ("inputs, as many parameters as the QCL circuits of the paper (27, 45, 63):", "list"),
        ("With more events the curves flatten towards about 0.87.", "decimal"),
        ("# Training to convergence", "convergence"),
        ("the offline sample keeps only the 10 hardest particles of each jet", "count"),
        ('```{code-cell} ipython3\nrow = {"published quantum": "ViT 0.776"}\n```', "code-string"),
        ("The hybrid, trained on 384 jets, is better than its twin by 0.02.", "comparison"),
        ("the second-order encoding does worse here than 3 other maps", "comparison"),
    ],
)
def test_the_scan_finds_the_typed_results_a_referee_found(tmp_path, prose, rule):
    page = tmp_path / "book" / "page.md"
    page.parent.mkdir()
    page.write_text(f"---\nkernelspec: {{}}\n---\n\n# A page\n\n{prose}\n")
    found = typed_results(page, tmp_path)
    assert rule in {f.rule for f in found}, found


def test_code_math_and_front_matter_are_not_prose(tmp_path):
    page = tmp_path / "p.md"
    page.write_text(
        "---\nx: 0.5\n---\n\n```{code-cell} ipython3\nauc = 0.87\n```\n\n$$\np = 0.25\n$$\n\n"
        "Inline $x = 0.5$ and `f(0.3)` are not results.\n"
    )
    assert typed_results(page, tmp_path) == []
    code = tmp_path / "c.md"
    code.write_text('```{code-cell} ipython3\nprint(f"AUC {auc:.3f} at {0.5:g}", x[1.0:])\n```\n')
    assert typed_results(code, tmp_path) == []
