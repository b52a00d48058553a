"""What a student and a teacher see around every chapter, generated from its metadata.

From each chapter's ``qmlhep:`` block (:mod:`qmlhep.tooling.chapters`):

- a "Before you start" box after the learning goals: prerequisites (linked), the study
  time a student needs (reading, running, the core exercises; not the build time) and
  whether the syllabus counts the chapter as core or optional;
- a "Key points" box before the exercises;
- the book's map in the introduction (``{book-map}``), from ``_toc.yml`` and each
  chapter's one-line summary;
- the syllabus page (``{syllabus}``): the 13-week and one-week plans of
  ``book/syllabus.yml``, checked against the chapters (every core chapter scheduled,
  every prerequisite scheduled no later than the chapter that needs it).

The book's Sphinx extension inserts the boxes and expands the two directives when a page
is read; the Colab notebooks get the same boxes (:mod:`qmlhep.tooling.notebooks`), with
links to the published pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from qmlhep.tooling import chapters, toc

PLAN = Path("book/syllabus.yml")
"""The syllabus's weekly and short-course plans, relative to the repository root."""


def hours(minutes: int | None) -> str:
    """``about 1 h 30 min`` for 90 minutes (``not stated`` when missing)."""
    if minutes is None:
        return "not stated"
    h, m = divmod(minutes, 60)
    return "about " + " ".join(p for p in (f"{h} h" if h else "", f"{m} min" if m else "") if p)


def _link(docname: str, base_url: str | None) -> str:
    """A link to a chapter: a MyST ``{doc}`` role in the book, a web link in a notebook."""
    if base_url is None:
        return f"{{doc}}`/{docname}`"
    title = docname.rsplit("/", 1)[-1].replace("_", " ")
    return f"[{title}]({base_url.rstrip('/')}/{docname}.html)"


def before_you_start(meta: chapters.ChapterMeta, base_url: str | None = None) -> str:
    """The "Before you start" admonition of a chapter (MyST)."""
    prereq = (
        ", ".join(
            _link(p if p.startswith("book/") else f"book/{p}", base_url) for p in meta.prerequisites
        )
        or "none beyond the introduction"
    )
    track = {
        "core": "core (in every path of the syllabus)",
        "optional": "optional (a deeper look; the syllabus lists it as such)",
    }
    items = [
        f"**Prerequisites:** {prereq}.",
        f"**Study time:** {hours(meta.study_time)} for a student: reading, running the page "
        "and its core exercises.",
        f"**In a course:** {track.get(meta.track or '', 'not placed yet')}.",
    ]
    return _box("Before you start", "note", items, notebook=base_url is not None)


def _box(title: str, kind: str, items, notebook: bool) -> str:
    """A MyST admonition in the book; a Markdown quote in a notebook (Colab shows no
    admonitions)."""
    if notebook:
        return f"> **{title}**\n>\n" + "\n".join(f"> - {i}" for i in items) + "\n"
    body = "\n".join(f"- {i}" for i in items)
    return f"```{{admonition}} {title}\n:class: {kind}\n{body}\n```\n"


def key_points(meta: chapters.ChapterMeta, notebook: bool = False) -> str:
    """The "Key points" box of a chapter (empty when it states none)."""
    return _box("Key points", "important", meta.key_points, notebook) if meta.key_points else ""


def _after_goals(text: str) -> int:
    """Where the box goes: after the learning-goals admonition, else after the title."""
    start = text.find("```{admonition} Learning goals")
    if start >= 0:
        end = text.find("\n```\n", start)
        if end >= 0:
            return end + len("\n```\n")
    title = text.find("\n# ")
    return text.find("\n", title + 1) + 1 if title >= 0 else len(text)


def _before_exercises(text: str) -> int:
    for heading in ("\n## Exercises", "\n## References"):
        if (at := text.find(heading)) >= 0:
            return at + 1
    return len(text)


def with_boxes(meta: chapters.ChapterMeta, text: str, base_url: str | None = None) -> str:
    """A chapter's MyST ``text`` with its two boxes inserted (unchanged for a page without
    study time, e.g. the syllabus)."""
    if meta.study_time is None:
        return text
    end = _before_exercises(text)
    if meta.key_points:
        text = text[:end] + key_points(meta, base_url is not None) + "\n" + text[end:]
    at = _after_goals(text)
    return text[:at] + "\n" + before_you_start(meta, base_url) + "\n" + text[at:]


def book_map(root: Path) -> str:
    """The introduction's map of the book (MyST), part by part from ``_toc.yml``."""
    out = []
    for caption, names in toc.parts(root):
        out.append(f"**{caption}.**\n")
        for name in names:
            meta = chapters.metadata(root, name)
            mark = "" if meta.track != "optional" else " *(optional)*"
            time = f" ({hours(meta.study_time)})" if meta.study_time else ""
            out.append(f"- {{doc}}`/{name}`{mark}: {meta.summary or ''}{time}")
        out.append("")
    return "\n".join(out)


def load_plan(root: Path) -> dict:
    """``book/syllabus.yml``."""
    return yaml.safe_load((Path(root) / PLAN).read_text())


def plan_problems(root: Path) -> list[str]:
    """What is wrong with the syllabus's plans (empty: nothing): unknown chapters, core
    chapters left out of the 13 weeks, prerequisites scheduled after the chapter."""
    plan, names = load_plan(root), set(toc.docnames(root))
    metas = {m.docname: m for m in chapters.all_metadata(root)}
    problems = []
    for path_name, key in (("13-week plan", "weeks"), ("short course", "days")):
        when: dict[str, int] = {}
        for i, unit in enumerate(plan[key], start=1):
            for ch in unit["chapters"]:
                doc = f"book/{ch}"
                if doc not in names:
                    problems.append(f"{path_name}: {ch} is not a chapter of _toc.yml")
                when.setdefault(doc, i)
        for doc, i in when.items():
            for pre in metas[doc].prerequisites if doc in metas else ():
                j = when.get(f"book/{pre}")
                if key == "weeks" and j is None:
                    problems.append(f"{path_name}: {doc} needs {pre}, which is not scheduled")
                elif j is not None and j > i:
                    problems.append(
                        f"{path_name}: {doc} (unit {i}) comes before its "
                        f"prerequisite {pre} (unit {j})"
                    )
        if key == "weeks":
            if len(plan["weeks"]) != 13:
                problems.append(f"the semester plan has {len(plan['weeks'])} weeks, not 13")
            core = {d for d, m in metas.items() if m.track == "core"}
            problems += [f"core chapter {d} is in no week" for d in sorted(core - set(when))]
    return problems


def _plan_table(root: Path, units: list[dict], label: str) -> str:
    metas = {m.docname: m for m in chapters.all_metadata(root)}
    rows = [
        f"| {label} | Lecture | Lab | Chapters (study time) | Exercises to assign |",
        "| --- | --- | --- | --- | --- |",
    ]
    for i, unit in enumerate(units, start=1):
        cells = []
        for ch in unit["chapters"]:
            m = metas[f"book/{ch}"]
            opt = ", optional" if m.track == "optional" else ""
            cells.append(f"{{doc}}`/book/{ch}` ({hours(m.study_time)}{opt})")
        rows.append(
            f"| {i} | {unit['lecture']} | {unit['lab']} | {'; '.join(cells)} | "
            f"{unit.get('assign', '')} |"
        )
    return "\n".join(rows) + "\n"


def syllabus(root: Path) -> str:
    """The syllabus page's two plans as MyST tables (a plan with problems is an error)."""
    if problems := plan_problems(root):
        raise ValueError("book/syllabus.yml: " + "; ".join(problems))
    plan = load_plan(root)
    return (
        "## One semester (13 weeks)\n\n"
        + _plan_table(root, plan["weeks"], "Week")
        + "\n## A one-week school\n\n"
        + _plan_table(root, plan["days"], "Day")
    )


def study_hours(root: Path) -> dict[str, float]:
    """Student hours per week of the semester plan (chapters' study times)."""
    metas = {m.docname: m for m in chapters.all_metadata(root)}
    return {
        f"week {i}": sum((metas[f"book/{c}"].study_time or 0) for c in w["chapters"]) / 60
        for i, w in enumerate(load_plan(root)["weeks"], start=1)
    }


GATED = re.compile(
    r"```\{solution-start\}[^\n]*\n(?:[^\n]*\n)*?```\n(?P<body>.*?)```\{solution-end\}\n```\n",
    re.S,
)
CODE_CELL = re.compile(r"```\{code-cell\}[^\n]*\n.*?^```\n", re.S | re.M)
SOLUTION_CODE = "# Solution"
"""The first line of every code cell of a solution (the student edition drops those)."""


def without_solutions(text: str) -> str:
    """The student edition of a page's MyST ``text``: the text of every gated solution
    (between ``solution-start`` and ``solution-end``) goes; its code cells stay exactly as
    they are, so the page's code, and so its jupyter-cache key, is unchanged, and the
    build drops them from the page (:func:`is_solution_code`). sphinx-exercise's
    ``hide_solutions`` drops plain ``{solution}`` blocks itself, but breaks on gated ones."""
    return GATED.sub(lambda m: "\n".join(c.group(0) for c in CODE_CELL.finditer(m["body"])), text)


def is_solution_code(source: str) -> bool:
    """Whether a code cell's source is a solution's (its first line says so)."""
    return source.lstrip().startswith(SOLUTION_CODE)
