"""Self-checks for students: a short quiz per chapter and answer checks for exercises.

``quiz("sqae")`` shows the chapter's multiple-choice questions
(``qmlhep/quizzes/<chapter>.json``, jupyterquiz's format) with feedback for every answer;
it works in the rendered book and in Colab. ``check("reuploading-counting", 1440)`` says
whether a number a student computed for an exercise is right, with a hint when it is not.
Every expected value is computed from the book's code (a model's parameter count, the
number of comparisons of the verdict page), never typed here.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jupyterquiz import display_quiz

QUIZZES = Path(__file__).with_name("quizzes")


def questions(chapter: str) -> list[dict]:
    """The quiz questions of ``chapter`` (file stem, e.g. ``"sqae"``), validated: each
    multiple-choice question has exactly one correct answer and feedback for every
    answer."""
    path = QUIZZES / f"{chapter}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in QUIZZES.glob("*.json")))
        raise KeyError(f"no quiz for chapter {chapter!r}; quizzes: {known}")
    items = json.loads(path.read_text())
    for i, q in enumerate(items, start=1):
        answers = q.get("answers", [])
        if (
            q.get("type") != "multiple_choice"
            or sum(a.get("correct") is True for a in answers) != 1
        ):
            raise ValueError(f"{path.name}, question {i}: needs exactly one correct answer")
        if not all(a.get("feedback") for a in answers):
            raise ValueError(f"{path.name}, question {i}: every answer needs feedback")
    return items


def quiz(chapter: str) -> None:
    """Show the chapter's quiz (jupyterquiz: click an answer, read its feedback)."""

    display_quiz(questions(chapter), shuffle_answers=False)


@dataclass(frozen=True)
class Answer:
    """What an exercise's answer should be: ``value()`` computes it from the book's code;
    ``tolerance`` is relative; ``hint`` is shown when an answer is wrong."""

    value: Callable[[], float]
    hint: str
    tolerance: float = 1e-9


def _module(name: str):
    """A module of the book, imported only when its exercise is checked (so that this
    module needs nothing beyond the core packages; the chapter's extra has the rest)."""
    return importlib.import_module(f"qmlhep.{name}")


def _sqae_params() -> float:
    return _module("simulation.patch_circuit").PatchCircuit().n_params


def _cae12_params() -> float:
    return _module("jets.conv_autoencoder").conv_autoencoder_12(latent=8).count_params()


def _hybrid_twin_width() -> float:
    return _module("jets.hybrid_autoencoder").classical_width(864)


def _greedy_trainings() -> float:
    return sum(len(_module("data.susy").FEATURES) - i for i in range(7))


def _verdict_false_positives() -> float:
    verdict = _module("studies.verdict")
    return len(verdict.COMPARISONS) * len(verdict.AGAINST) * _module("stats").ALPHA


ANSWERS: dict[str, Answer] = {
    "reuploading-counting": Answer(
        _sqae_params, "one weight and one bias per pixel, 16 pixels per patch, 9 patches, L = 5"
    ),
    "cae-param-count": Answer(
        _cae12_params, "count weights and biases of every layer, and one PReLU slope per channel"
    ),
    "hybrid-parameter-count": Answer(
        _hybrid_twin_width, "solve 98 k + 16 = 864 for k and round to the nearest integer"
    ),
    "susy-greedy-count": Answer(
        _greedy_trainings, "step i tries every feature not chosen yet: 18 − i of them"
    ),
    "verdict-false-positives": Answer(
        _verdict_false_positives, "each true null hypothesis is rejected with probability α"
    ),
}
"""The exercises whose numeric answer :func:`check` knows (key: the exercise's label)."""


def check(exercise: str, answer: float) -> bool:
    """Print whether ``answer`` is right for ``exercise`` (its label, e.g.
    ``"reuploading-counting"``), with a hint when it is not; returns whether it is."""
    if exercise not in ANSWERS:
        raise KeyError(
            f"no answer check for {exercise!r}; checks exist for: {', '.join(sorted(ANSWERS))}"
        )
    try:
        given = float(answer)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"check({exercise!r}, ...): the answer must be a number, got {answer!r}"
        ) from err
    spec = ANSWERS[exercise]
    expected = float(spec.value())
    right = abs(given - expected) <= spec.tolerance * max(1.0, abs(expected))
    print(f"{exercise}: " + ("right." if right else f"not quite. Hint: {spec.hint}."))
    return right
