"""The full and the student edition of a tiny book built for real: the same executed page,
solutions folded in the full edition and absent from the student edition, which jupyter-
cache serves without executing anything again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from qmlhep.tooling import solutions_scan

pytestmark = [pytest.mark.build, pytest.mark.slow]

PAGE = """\
---
jupytext:
  text_representation: {extension: .md, format_name: myst, format_version: 0.13}
kernelspec: {display_name: Python 3, language: python, name: python3}
qmlhep: {}
---

# Page

```{code-cell} ipython3
import os, pathlib
with open(pathlib.Path(os.environ["QMLHEP_BUILD_DIR"]) / "runs.log", "a") as f:
    f.write("ran\\n")
```

## Exercises

```{exercise} Core: a sum
:label: page-sum

Compute $1 + 1$.
```

```{solution-start} page-sum
:class: dropdown
```

```{code-cell} ipython3
:tags: [hide-cell]
# Solution 1: CODE-ANSWER
print(1 + 1)
```

```{solution-end}
```

```{exercise} Warm-up: a reason
:label: page-why

Why?
```

```{solution} page-why
:class: dropdown

Because TEXT-ANSWER.
```
"""


def _config(hide: bool, cache: Path) -> str:
    cfg = {
        "title": "tiny",
        "only_build_toc_files": True,
        "exclude_patterns": ["_build/**"],
        "execute": {"execute_notebooks": "cache", "cache": str(cache)},
        "sphinx": {
            "extra_extensions": ["sphinx_exercise", "qmlhep.tooling.sphinx_ext"],
            "config": {"hide_solutions": hide},
        },
    }
    return yaml.safe_dump(cfg)


def _build(root: Path, config: Path, out: Path, build: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QMLHEP_BUILD_DIR": str(build), "QMLHEP_PROFILE": "ci"}
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [
        str(jb),
        "build",
        str(root),
        "--config",
        str(config),
        "--path-output",
        str(out),
        "--warningiserror",
    ]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)


def test_the_student_edition_has_the_exercises_and_no_solution(tmp_path):
    root, build, cache = tmp_path / "book", tmp_path / "build", tmp_path / "cache"
    root.mkdir(), build.mkdir()
    (root / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    (root / "page.md").write_text(PAGE)
    for edition, hide in (("full", False), ("student", True)):
        (tmp_path / f"{edition}.yml").write_text(_config(hide, cache))
        done = _build(root, tmp_path / f"{edition}.yml", tmp_path / edition, build)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    full = (tmp_path / "full" / "_build" / "html" / "page.html").read_text()
    student = (tmp_path / "student" / "_build" / "html" / "page.html").read_text()
    assert "CODE-ANSWER" in full and "TEXT-ANSWER" in full and 'class="solution' in full
    assert "CODE-ANSWER" not in student and "TEXT-ANSWER" not in student
    assert student.count('class="exercise') == full.count('class="exercise') == 2
    assert (build / "runs.log").read_text().split() == ["ran"]  # executed once, then cached
    assert solutions_scan.scan(tmp_path / "student" / "_build" / "html") == ([], 2)
    leaks, _ = solutions_scan.scan(tmp_path / "full" / "_build" / "html")
    assert leaks == ["page.html"]


def test_the_student_edition_config_hides_solutions_and_shares_the_cache(tmp_path):
    from conftest import ROOT
    from qmlhep.tooling.bookconfig import book_config

    full, student = book_config(ROOT), book_config(ROOT, edition="student")
    assert full["sphinx"]["config"]["hide_solutions"] is False
    assert student["sphinx"]["config"]["hide_solutions"] is True
    assert student["execute"]["cache"] == str(ROOT / "_build" / ".jupyter_cache")
    assert "student edition" in student["title"]
    assert "sphinx_exercise" in full["sphinx"]["extra_extensions"]
    with pytest.raises(ValueError, match="edition"):
        book_config(ROOT, edition="teacher")
