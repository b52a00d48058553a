"""Colab notebooks: an output-free ``.ipynb`` beside every MyST chapter, kept in sync.

The ``.ipynb`` is the MyST source converted by jupytext, plus one first cell that, on
Colab only, installs this package with the chapter's own extra (its ``qmlhep:`` metadata,
:mod:`qmlhep.tooling.chapters`) from the book's repository (``repository.url`` in
``_config.yml``, the one place that names it) at a fixed ref, never a branch:

- the committed twins pin the release tag of the package version, ``v<version>``;
- the published book regenerates them pinned to the very commit it was built from
  (``python -m qmlhep.tooling.notebooks sync --ref <sha>``, in the book workflow), and
  its launch buttons open those notebooks at a tag made for that build.

``python -m qmlhep.tooling.notebooks sync`` rewrites them; ``… check`` (and the tests)
fail when one has drifted.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

import jupytext
import nbformat

from qmlhep.tooling import chapters, repository, teaching

COLAB_CELL = """\
# Colab set-up (this cell exists only in the .ipynb): install the book's package with
# what this chapter needs, at the version this page was made from.
import subprocess
import sys

if "google.colab" in sys.modules:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet",
                           "{requirement}"])"""


def chapter_sources(root: Path) -> list[Path]:
    """The MyST notebook sources of the book (pages with a jupytext header)."""
    return sorted(
        p for p in (root / "book").rglob("*.md") if p.read_text().startswith("---\njupytext:")
    )


def requirement(root: Path, source: Path, ref: str) -> str:
    """The pip requirement a chapter's Colab cell installs."""
    docname = source.relative_to(root).with_suffix("").as_posix()
    extra = chapters.metadata(root, docname).extra
    name = f"qmlhep[{extra}]" if extra else "qmlhep"
    return f"{name} @ git+{repository.url(root)}@{ref}"


def render(root: Path, source: Path, ref: str) -> str:
    """The ``.ipynb`` text for a MyST chapter."""

    docname = source.relative_to(root).with_suffix("").as_posix()
    text = teaching.with_boxes(
        chapters.parse(docname, source.read_text()), source.read_text(), repository.pages_url(root)
    )
    nb = jupytext.reads(text, fmt="md:myst")
    cell = nbformat.v4.new_code_cell(COLAB_CELL.format(requirement=requirement(root, source, ref)))
    cell.metadata["tags"] = ["remove-cell"]
    nb.cells.insert(0, cell)
    for i, c in enumerate(nb.cells):  # stable ids, so regenerating gives identical files
        c["id"] = f"cell-{i}"
    nb.metadata.pop("jupytext", None)
    return jupytext.writes(nb, fmt="ipynb")


INDEX = Path("src/qmlhep/chapter_index.json")
"""The chapters' metadata shipped with the package (read by chapters run outside a
checkout, :func:`qmlhep.chapter.chapter_datasets`), relative to the repository root."""


def index_text(root: Path) -> str:
    """The JSON of every chapter's metadata block, by docname, in table-of-contents order."""

    return (
        json.dumps(
            {
                m.docname: {k: v for k, v in asdict(m).items() if k != "docname"}
                for m in chapters.all_metadata(root)
            },
            indent=1,
        )
        + "\n"
    )


def drifted(root: Path, ref: str | None = None) -> list[Path]:
    """Chapters whose ``.ipynb`` is missing or differs from its MyST source (and the
    package's chapter index, when it differs from the chapters' metadata)."""
    ref = ref or repository.release_tag(root)
    stale = [
        src
        for src in chapter_sources(root)
        if not src.with_suffix(".ipynb").is_file()
        or src.with_suffix(".ipynb").read_text() != render(root, src, ref)
    ]
    index = root / INDEX
    if not index.is_file() or index.read_text() != index_text(root):
        stale.append(index)
    return stale


def sync(root: Path, ref: str | None = None) -> list[Path]:
    """Rewrite every drifted ``.ipynb`` (install pinned to ``ref``, default the release
    tag) and the chapter index; returns the files rewritten."""
    ref = ref or repository.release_tag(root)
    changed = drifted(root, ref)
    for src in changed:
        if src == root / INDEX:
            src.write_text(index_text(root))
        else:
            src.with_suffix(".ipynb").write_text(render(root, src, ref))
    return [c if c == root / INDEX else c.with_suffix(".ipynb") for c in changed]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=("sync", "check"))
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument(
        "--ref", help="tag or commit the Colab cells install (default: the release tag v<version>)"
    )
    args = parser.parse_args()
    if args.ref is not None:
        repository.check_ref(args.ref)
    if args.action == "sync":
        for path in sync(args.root, args.ref):
            print(f"wrote {path}")
    elif bad := drifted(args.root, args.ref):
        sys.exit("out of date (run `make notebooks`): " + ", ".join(map(str, bad)))


if __name__ == "__main__":
    main()
