"""``make new-chapter NAME=part/name``: scaffold a chapter in one place.

It writes the page ``book/<part>/<name>.md`` (front matter with the ``qmlhep:`` block and
the chapter's ``sizes:`` per profile, the sections every chapter has: goals, physics and
method, code that calls ``src``, results, exercises with solutions, self-check,
references), its notebook, and ``tests/<part>/test_<name>.py``. The chapter then needs one
line in ``_toc.yml``; ``make notebooks`` adds it to the package's chapter index. Nothing
is overwritten.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from qmlhep.tooling import notebooks, repository

PAGE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
qmlhep:
  extra: {extra}
  data: []
  reads: []
  reproduces: []
  prerequisites: []
  study_time: 60
  track: optional
  summary: One sentence for the book's map.
  key_points:
  - What a reader should remember, one sentence each.
  sizes:
    # ci: minutes for make test; default: the published book (≤ 10 min, ≤ 2 GB on 2
    # cores); full: paper scale (≤ 2 hours on 2 cores, resumable). all: every event.
    ci:
      n_events: 2_000
      seeds: 2
    default:
      n_events: 20_000
      seeds: 3
    full:
      n_events: 200_000
      seeds: 5
  metrics:
    title: {title}  # its name in the summary's tables
    keys:
      {name}.auc: {{unit: AUC, what: "what the number is, on which events"}}
      # add `published: <value>` where a paper gives the number
---

# {title}

What the chapter does and finds, in two sentences written from its numbers.

```{{admonition}} Learning goals
:class: tip
- A goal a reader can check off.
```

```{{code-cell}} ipython3
from qmlhep.chapter import setup

cfg = setup("{name}")
```

## The physics and the method

The equations, and a drawing of the circuit.

## Results

Figures first, then a small table beside the published number (`qmlhep.metrics.record`).

## What this chapter needs

The time and memory of the published profile, from its build.

## Self-check

Pick an answer to see whether it is right, and why.

```{{code-cell}} ipython3
:tags: [remove-input]
from qmlhep.exercises import quiz

quiz("{name}")
```

## Exercises

Solutions are folded under each exercise (the student edition of the book leaves them
out).

```{{exercise}} Warm-up: A first question
:label: {name}-first

The question.
```

```{{solution}} {name}-first
:class: dropdown

The answer.
```

## References

```{{footbibliography}}
```
"""

TEST = '''"""Tests of {docname}: the package code it calls, on the shared samples or tiny files."""

from __future__ import annotations

from qmlhep.profiles import SIZES


def test_{name}_sizes_grow_from_ci_to_full():
    sizes = SIZES["{name}"]
    assert set(sizes) == {{"ci", "default", "full"}}
    for size in sizes["ci"]:
        assert sizes["ci"][size] <= sizes["default"][size] <= sizes["full"][size]
'''

NAME = re.compile(r"^[a-z][a-z0-9_]*/[a-z][a-z0-9_]*$")


def scaffold(root: Path, name: str, extra: str | None = None) -> list[Path]:
    """Write the page, its notebook and its test for chapter ``name`` (``part/stem``);
    returns the files written. Refuses a malformed name or an existing chapter."""
    if not NAME.match(name):
        raise ValueError(f"NAME={name!r} must be part/name in lowercase (e.g. quantum/qsvm).")
    part, stem = name.split("/")
    page = root / "book" / part / f"{stem}.md"
    test = root / "tests" / part / f"test_{stem}.py"
    taken = [p for p in (page, page.with_suffix(".ipynb"), test) if p.exists()]
    if taken:
        raise FileExistsError(f"{', '.join(map(str, taken))} already exist(s): nothing written.")
    known = {p.stem for p in (root / "book").rglob("*.md")}
    if stem in known:
        raise ValueError(f"a chapter named {stem!r} exists: chapter names must be unique.")
    title = stem.replace("_", " ").capitalize()
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(PAGE.format(extra=extra or "null", title=title, name=stem))
    try:  # checks the metadata (the extra) before anything else is written
        rendered = notebooks.render(root, page, repository.release_tag(root))
    except Exception:
        page.unlink()  # nothing half-written stays behind
        raise
    notebook = page.with_suffix(".ipynb")
    notebook.write_text(rendered)
    test.parent.mkdir(parents=True, exist_ok=True)
    test.write_text(TEST.format(docname=f"book/{name}", name=stem))
    return [page, notebook, test]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="part/name, e.g. quantum/qsvm")
    parser.add_argument("--extra", help="the pip extra its Colab cell installs")
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    try:
        written = scaffold(args.root, args.name, args.extra)
    except (ValueError, FileExistsError) as err:  # ChapterMetadataError is a ValueError
        sys.exit(str(err))
    for path in written:
        print(f"wrote {path}")
    print(
        f"next: add `      - file: book/{args.name}` to _toc.yml under its part, then run "
        "`make notebooks` (it adds the chapter to the package's index)"
    )


if __name__ == "__main__":
    main()
