"""The table of contents (``_toc.yml``) is the one place that orders the chapters.

Sphinx executes the chapters in this order (see :mod:`qmlhep.tooling.sphinx_ext`), the
introduction's "what each chapter needs" table lists them in this order, and
``make chapter`` finds a chapter's source through it.
"""

from __future__ import annotations

from pathlib import Path

import yaml


def _walk(entries: list[dict], out: list[str]) -> None:
    for entry in entries or []:
        if "file" in entry:
            out.append(str(Path(entry["file"]).with_suffix("")))
        for key in ("parts", "chapters", "sections"):
            _walk(entry.get(key, []), out)


def docnames(root: Path) -> list[str]:
    """Every page of the book (``book/quantum/hybrid``…), in table-of-contents order."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text())
    out = [str(Path(toc["root"]).with_suffix(""))]
    _walk(toc.get("parts", []) + toc.get("chapters", []), out)
    return out


def source(root: Path, chapter: str) -> Path:
    """The MyST source of ``chapter`` (``quantum/hybrid``, ``book/quantum/hybrid`` or a
    path to the ``.md``), or a ValueError listing the chapters."""
    names = docnames(root)
    wanted = str(Path(chapter).with_suffix("")).removeprefix("book/")
    for name in names:
        if name.removeprefix("book/") == wanted:
            return Path(root) / f"{name}.md"
    raise ValueError(
        f"no chapter {chapter!r} in _toc.yml; chapters: "
        + ", ".join(n.removeprefix("book/") for n in names)
    )


def parts(root: Path) -> list[tuple[str, list[str]]]:
    """``(caption, [docname, ...])`` of every part of ``_toc.yml``, in order."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text())
    out = []
    for part in toc.get("parts", []):
        names: list[str] = []
        _walk(part.get("chapters", []), names)
        out.append((part.get("caption", ""), names))
    return out
