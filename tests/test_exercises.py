"""Self-checks: every chapter has a quiz in jupyterquiz's format with one right answer and
feedback per answer, and its page shows it; answer checks say right or wrong, with a hint."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from qmlhep import exercises
from qmlhep.tooling import chapters

PAGES = [m for m in chapters.all_metadata(ROOT) if m.docname != "book/syllabus"]


@pytest.mark.parametrize("meta", PAGES, ids=lambda m: m.docname)
def test_every_chapter_has_a_quiz_it_shows_and_four_exercises_with_solutions(meta):
    stem = meta.docname.rsplit("/", 1)[-1]
    items = exercises.questions(stem)
    assert len(items) >= 2
    text = (ROOT / f"{meta.docname}.md").read_text()
    assert f'quiz("{stem}")' in text
    labels = [
        line.split(":label:")[1].strip() for line in text.splitlines() if line.startswith(":label:")
    ]
    solved = {
        line.split()[1]
        for line in text.splitlines()
        if line.startswith(("```{solution}", "```{solution-start}"))
    }
    assert len(labels) >= 4, f"{meta.docname}: {len(labels)} exercises"
    assert set(labels) == solved, f"{meta.docname}: exercises without a solution"
    assert all(label.startswith(f"{stem}-") for label in labels)
    titles = [line for line in text.splitlines() if line.startswith("```{exercise}")]
    assert all(
        t.split("} ", 1)[1].split(":")[0] in ("Warm-up", "Core", "Challenge") for t in titles
    ), titles


def test_every_solution_code_cell_says_it_is_one():
    """The student edition drops code cells of solutions by their first line."""
    for meta in PAGES:
        text = (ROOT / f"{meta.docname}.md").read_text()
        for block in text.split("```{solution-start}")[1:]:
            body = block.split("```{solution-end}")[0]
            for cell in body.split("```{code-cell} ipython3\n")[1:]:
                code = "\n".join(x for x in cell.splitlines() if not x.startswith(":"))
                assert code.lstrip().startswith("# Solution"), (meta.docname, code[:60])


def test_a_quiz_with_two_right_answers_or_missing_feedback_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(exercises, "QUIZZES", tmp_path)
    answer = {"answer": "a", "correct": True, "feedback": "yes"}
    (tmp_path / "two.json").write_text(
        json.dumps([{"question": "q", "type": "multiple_choice", "answers": [answer, answer]}])
    )
    (tmp_path / "mute.json").write_text(
        json.dumps(
            [
                {
                    "question": "q",
                    "type": "multiple_choice",
                    "answers": [answer, {"answer": "b", "correct": False}],
                }
            ]
        )
    )
    with pytest.raises(ValueError, match="exactly one correct"):
        exercises.questions("two")
    with pytest.raises(ValueError, match="feedback"):
        exercises.questions("mute")
    with pytest.raises(KeyError, match="no quiz for chapter 'nothing'"):
        exercises.questions("nothing")


def test_answer_checks_compute_their_answer_and_give_a_hint(capsys):
    assert exercises.check("reuploading-counting", 1440)
    assert "right" in capsys.readouterr().out
    assert not exercises.check("reuploading-counting", 1400)
    assert "Hint: one weight and one bias" in capsys.readouterr().out
    assert exercises.check("susy-greedy-count", 105)
    assert exercises.check("verdict-false-positives", 1.05)
    with pytest.raises(KeyError, match="no answer check"):
        exercises.check("sqae-nothing", 1)
    with pytest.raises(TypeError, match="must be a number"):
        exercises.check("reuploading-counting", "many")


def test_every_answer_check_belongs_to_an_exercise_of_the_book():
    labels = set()
    for meta in PAGES:
        text = (ROOT / f"{meta.docname}.md").read_text()
        labels |= {
            line.split(":label:")[1].strip()
            for line in text.splitlines()
            if line.startswith(":label:")
        }
    assert set(exercises.ANSWERS) <= labels
