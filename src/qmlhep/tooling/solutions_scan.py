"""The student edition shows exercises and no solution (``make book EDITION=student``).

``python -m qmlhep.tooling.solutions_scan HTML_DIR`` reads every page of a built edition
and exits 1, naming the pages, if any still holds a solution (a sphinx-exercise solution
box, or a solution code cell, whose first line is ``# Solution``), or if no page holds
an exercise at all (then the scan would pass for the wrong reason).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

SOLUTION = re.compile(r'class="solution[ "]|#\s*Solution\b')
EXERCISE = re.compile(r'class="exercise[ "]')


def scan(html_dir: Path) -> tuple[list[str], int]:
    """``(pages that show a solution, number of exercises seen)``."""
    leaks, exercises = [], 0
    for page in sorted(Path(html_dir).rglob("*.html")):
        text = page.read_text(errors="replace")
        exercises += len(EXERCISE.findall(text))
        if SOLUTION.search(text):
            leaks.append(str(page.relative_to(html_dir)))
    return leaks, exercises


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", type=Path)
    args = parser.parse_args(argv)
    leaks, exercises = scan(args.html)
    if leaks:
        sys.exit("the student edition shows solutions on: " + ", ".join(leaks))
    if not exercises:
        sys.exit(f"no exercise found in {args.html}: is this the student edition of the book?")
    print(f"student edition: {exercises} exercises, no solution shown ({args.html})")


if __name__ == "__main__":
    main()
