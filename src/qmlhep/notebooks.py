"""Colab notebooks: an output-free ``.ipynb`` beside every MyST chapter, kept in sync.

The ``.ipynb`` is the MyST source converted by jupytext, plus one first cell that installs
this package when (and only when) the notebook runs on Colab. The theme's Colab and
Binder buttons open it. ``python -m qmlhep.notebooks sync`` rewrites them;
``python -m qmlhep.notebooks check`` (and the tests) fail when one has drifted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

COLAB_CELL = '''\
# Colab set-up (this cell exists only in the .ipynb): install the book's helper package.
import subprocess, sys
if "google.colab" in sys.modules:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet",
                           "qmlhep @ git+{url}"])'''


def chapters(root: Path) -> list[Path]:
    """The MyST notebook sources of the book (pages with a jupytext header)."""
    return sorted(p for p in (root / "book").rglob("*.md")
                  if p.read_text().startswith("---\njupytext:"))


def render(source: Path, repo_url: str) -> str:
    """The ``.ipynb`` text for a MyST chapter."""
    nb = jupytext.read(source)
    cell = nbformat.v4.new_code_cell(COLAB_CELL.format(url=repo_url))
    cell.metadata["tags"] = ["remove-cell"]
    nb.cells.insert(0, cell)
    for i, c in enumerate(nb.cells):  # stable ids, so regenerating gives identical files
        c["id"] = f"cell-{i}"
    nb.metadata.pop("jupytext", None)
    return jupytext.writes(nb, fmt="ipynb")


def repo_url(root: Path) -> str:
    return yaml.safe_load((root / "_config.yml").read_text())["repository"]["url"]


def drifted(root: Path) -> list[Path]:
    """Chapters whose ``.ipynb`` is missing or differs from its MyST source."""
    url = repo_url(root)
    out = []
    for src in chapters(root):
        nb = src.with_suffix(".ipynb")
        if not nb.is_file() or nb.read_text() != render(src, url):
            out.append(src)
    return out


def sync(root: Path) -> list[Path]:
    """Rewrite every drifted ``.ipynb``; returns the chapters rewritten."""
    url = repo_url(root)
    changed = drifted(root)
    for src in changed:
        src.with_suffix(".ipynb").write_text(render(src, url))
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=("sync", "check"))
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args()
    if args.action == "sync":
        for src in sync(args.root):
            print(f"wrote {src.with_suffix('.ipynb')}")
    elif bad := drifted(args.root):
        sys.exit("out of date (run `make notebooks`): " + ", ".join(map(str, bad)))


if __name__ == "__main__":
    main()
