"""What a teacher and a student get from every chapter's metadata: prerequisites that come
first, study time, key points, the map and the syllabus, checked against the chapters."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from conftest import ROOT
from qmlhep.tooling import chapters, teaching, toc

PAGES = [m for m in chapters.all_metadata(ROOT) if m.docname != "book/syllabus"]


@pytest.mark.parametrize("meta", PAGES, ids=lambda m: m.docname)
def test_every_chapter_states_study_time_track_summary_and_key_points(meta):
    assert meta.study_time and 30 <= meta.study_time <= 240, meta.docname
    assert meta.track in ("core", "optional")
    assert meta.summary and len(meta.summary.split()) <= 40
    assert 3 <= len(meta.key_points) <= 6


def test_every_prerequisite_comes_earlier_in_the_table_of_contents():
    order = {name: i for i, name in enumerate(toc.docnames(ROOT))}
    for meta in chapters.all_metadata(ROOT):
        for pre in meta.prerequisites:
            assert f"book/{pre}" in order, f"{meta.docname}: unknown prerequisite {pre}"
            assert order[f"book/{pre}"] < order[meta.docname], (
                f"{meta.docname} comes before its prerequisite {pre} in _toc.yml"
            )


def test_the_boxes_sit_after_the_goals_and_before_the_exercises():
    meta = chapters.metadata(ROOT, "book/quantum/bsm_qae")
    text = teaching.with_boxes(meta, (ROOT / "book/quantum/bsm_qae.md").read_text())
    goals, before = text.index("Learning goals"), text.index("{admonition} Before you start")
    first_code = text.index("```{code-cell}")
    assert goals < before < first_code
    assert "{doc}`/book/quantum/swap_test`" in text and "about 2 h" in text
    assert text.index("{admonition} Key points") < text.index("## Exercises")
    assert all(point in text for point in meta.key_points)
    notebook = teaching.with_boxes(
        meta, (ROOT / "book/quantum/bsm_qae.md").read_text(), "https://example.org/book"
    )
    assert "> **Before you start**" in notebook and "{admonition} Key" not in notebook
    assert "(https://example.org/book/book/quantum/swap_test.html)" in notebook


def test_the_map_lists_every_page_of_the_table_of_contents_in_order():
    text = teaching.book_map(ROOT)
    found = re.findall(r"\{doc\}`/(book/[\w/]+)`", text)
    assert found == toc.docnames(ROOT)[1:]  # every page after the introduction
    assert all(f"**{caption}.**" in text for caption, _ in toc.parts(ROOT))


def test_the_syllabus_schedules_every_core_chapter_after_its_prerequisites():
    assert teaching.plan_problems(ROOT) == []
    plan = teaching.load_plan(ROOT)
    assert len(plan["weeks"]) == 13 and len(plan["days"]) == 5
    text = teaching.syllabus(ROOT)
    assert "## One semester (13 weeks)" in text and "## A one-week school" in text
    hours = teaching.study_hours(ROOT)
    assert len(hours) == 13 and all(1 <= h <= 6 for h in hours.values())


def test_a_plan_that_breaks_an_order_or_drops_a_core_chapter_is_refused(tmp_path):
    for name in ("_toc.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "book", tmp_path / "book")
    plan = teaching.load_plan(tmp_path)
    weeks = plan["weeks"]
    weeks[2], weeks[5] = weeks[5], weeks[2]  # the SQAE before the CAE it needs
    weeks[0]["chapters"] = ["intro"]  # jet_images, a core chapter, in no week
    weeks[1]["chapters"].append("quantum/no_such_chapter")
    (tmp_path / teaching.PLAN).write_text(yaml.safe_dump(plan))
    problems = "\n".join(teaching.plan_problems(tmp_path))
    assert "comes before its prerequisite classical/cae" in problems
    assert "core chapter book/data/jet_images is in no week" in problems
    assert "quantum/no_such_chapter is not a chapter" in problems
    with pytest.raises(ValueError, match="syllabus.yml"):
        teaching.syllabus(tmp_path)


def test_the_seed_study_is_in_the_bibliography_and_cited():
    bib = (ROOT / "book" / "references.bib").read_text()
    assert "@misc{magorsch2022gsoc," in bib
    for page in ("intro", "quantum/sqae", "quantum/hybrid"):
        assert "`magorsch2022gsoc`" in (ROOT / "book" / f"{page}.md").read_text(), page
