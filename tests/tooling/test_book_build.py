"""The Sphinx extension on a tiny book built for real: table-of-contents order, pages
re-executed when a build output they show changes, timings with peak memory, the
chapter-needs table and the budget check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qmlhep.tooling import budget

pytestmark = [pytest.mark.build, pytest.mark.slow]

HEADER = """\
---
jupytext:
  text_representation: {{extension: .md, format_name: myst, format_version: 0.13}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
qmlhep:
  reads: [{reads}]
---
"""


def _page(title: str, code: str, reads: str = "") -> str:
    return (
        HEADER.format(reads=reads) + f"\n# {title}\n\nSome text about {title.lower()}.\n\n"
        "```{code-cell} ipython3\n" + textwrap.dedent(code).strip() + "\n```\n"
    )


LOG = """\
import os, pathlib
with open(pathlib.Path(os.environ["QMLHEP_BUILD_DIR"]) / "order.log", "a") as f:
    f.write("{name}\\n")
"""


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory):
    root = tmp_path_factory.mktemp("book")
    (root / "_config.yml").write_text(
        textwrap.dedent("""\
        title: tiny
        only_build_toc_files: true
        exclude_patterns: ["_build/**"]
        execute: {execute_notebooks: cache, allow_errors: false}
        sphinx:
          extra_extensions: [qmlhep.tooling.sphinx_ext]
        """)
    )
    (root / "_toc.yml").write_text(
        textwrap.dedent("""\
        format: jb-book
        root: intro
        chapters:
          - file: zeta
          - file: alpha
        """)
    )
    (root / "intro.md").write_text(
        _page("Intro", LOG.format(name="intro")) + "\n```{chapter-needs}\n```\n"
    )
    # zeta comes first in the table of contents but last in file order
    (root / "zeta.md").write_text(
        _page(
            "Zeta",
            LOG.format(name="zeta")
            + textwrap.dedent("""
        import numpy as np
        big = np.ones(40_000_000)  # 320 MB held while the page runs
        """),
        )
    )
    (root / "alpha.md").write_text(
        _page(
            "Alpha",
            LOG.format(name="alpha")
            + textwrap.dedent("""
        import json
        bench = pathlib.Path(os.environ["QMLHEP_BUILD_DIR"]) / "bench.json"
        print("ratio", json.loads(bench.read_text())["x"]["ratio"])
        """),
            reads="bench.json",
        )
    )
    return root


def _build(root: Path, build: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QMLHEP_BUILD_DIR": str(build), "QMLHEP_PROFILE": "ci"}
    jb = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run(
        [str(jb), "build", str(root), "--warningiserror"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _html(root: Path, page: str) -> str:
    return (root / "_build" / "html" / f"{page}.html").read_text()


def test_order_stale_pages_timings_and_table(tiny_book, tmp_path):
    build = tmp_path / "out"
    build.mkdir()
    (build / "bench.json").write_text(json.dumps({"x": {"ratio": 111}}))
    first = _build(tiny_book, build)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    # executed in table-of-contents order, not file order
    assert (build / "order.log").read_text().split() == ["intro", "zeta", "alpha"]
    assert "ratio 111" in _html(tiny_book, "alpha")
    assert "[chapter timing]" in first.stdout

    timings = json.loads((build / "timings.json").read_text())
    rows = timings["chapters"]
    assert timings["profile"] == "ci" and list(rows) == ["intro", "zeta", "alpha"]
    assert rows["zeta"]["peak_mb"] > 300 and rows["zeta"]["seconds"] > 0  # the 320 MB array
    assert rows["alpha"]["peak_mb"] < rows["zeta"]["peak_mb"]

    table = _html(tiny_book, "intro")
    assert "chapter-needs" in table and "Zeta" in table and "Alpha" in table
    assert "10.0 min and 2 GB per chapter" in table  # from qmlhep.tooling.budget
    assert table.index("Zeta") < table.index("Alpha")

    # a second build with nothing changed executes nothing
    (build / "order.log").unlink()
    again = _build(tiny_book, build)
    assert again.returncode == 0, again.stdout[-3000:]
    assert not (build / "order.log").exists() or "zeta" not in (build / "order.log").read_text()

    # changing the build output a page shows re-executes that page (and only it)
    (build / "bench.json").write_text(json.dumps({"x": {"ratio": 222}}))
    third = _build(tiny_book, build)
    assert third.returncode == 0, third.stdout[-3000:]
    assert "ratio 222" in _html(tiny_book, "alpha")
    assert "alpha" in (build / "order.log").read_text()
    assert "zeta" not in (build / "order.log").read_text()


def test_budget_lists_chapters_over_budget(tmp_path):
    path = tmp_path / "timings.json"
    path.write_text(
        json.dumps(
            {
                "profile": "default",
                "chapters": {
                    "book/a": {"seconds": 30.0, "peak_mb": 500, "succeeded": True},
                    "book/b": {"seconds": 700.0, "peak_mb": 500, "succeeded": True},
                    "book/c": {"seconds": 30.0, "peak_mb": 2500, "succeeded": True},
                },
            }
        )
    )
    problems = budget.check(path)
    assert [p.split(":")[0] for p in problems] == ["book/b", "book/c"]
    assert "11.7 min > 10.0 min" in problems[0] and "2.4 GB > 2 GB" in problems[1]
    with pytest.raises(SystemExit) as exit_:
        budget.main([str(path)])
    assert exit_.value.code == 1
