"""Each chapter's metadata block: the ``qmlhep:`` key of its MyST front matter.

::

    qmlhep:
      extra: jets                 # the pip extra its Colab cell installs
      data: [qg_jets]             # datasets it loads
      reads: [bench.json, 'metrics.json:cae12.auc.q_vs_g']   # build outputs it shows
                                  # (whole file, or some keys of a JSON file): cache key
      reproduces: [finke2021autoencoders]   # bibtex keys of the papers it reproduces
      prerequisites: [quantum/sqae]         # chapters to read first (earlier in _toc.yml)
      study_time: 120             # minutes a student needs: read, run, core exercises
      track: core                 # core or optional, in the syllabus
      summary: One sentence for the book's map.
      key_points: [What to remember, one sentence each]

The introduction's table and map, the syllabus, the boxes every chapter shows
(:mod:`qmlhep.tooling.teaching`), the Colab cells, the cache keys and the tests read it
here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from qmlhep.tooling import toc

NOT_CHAPTER_EXTRAS = {"jets", "susy", "tensorflow", "book", "test", "all"}
"""Extras of ``pyproject.toml`` that group others or serve the tooling, not one chapter."""


def extras(root: Path) -> dict[str, list[str]]:
    """``pyproject.toml``'s ``[project.optional-dependencies]``."""
    return tomllib.loads((Path(root) / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]


class ChapterMetadataError(ValueError):
    """A chapter's ``qmlhep:`` block is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class ChapterMeta:
    docname: str
    extra: str | None
    data: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    reproduces: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = field(default_factory=tuple)
    study_time: int | None = None
    track: str | None = None
    summary: str | None = None
    key_points: tuple[str, ...] = ()


def front_matter(text: str) -> dict:
    """The YAML front matter of a MyST page (empty if none)."""
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---", 4)
    return yaml.safe_load(text[4:end]) or {} if end > 0 else {}


def parse(docname: str, text: str) -> ChapterMeta:
    """The metadata block of one page's source ``text``."""
    block = front_matter(text).get("qmlhep")
    if block is None:
        raise ChapterMetadataError(
            f"{docname}.md has no `qmlhep:` block in its front matter "
            "(see qmlhep.tooling.chapters for the fields)."
        )
    fields = {
        "extra",
        "data",
        "reads",
        "reproduces",
        "prerequisites",
        "study_time",
        "track",
        "summary",
        "key_points",
    }
    unknown = set(block) - fields
    if unknown:
        raise ChapterMetadataError(
            f"{docname}.md: unknown fields {sorted(unknown)} in its `qmlhep:` block; fields: "
            f"{', '.join(sorted(fields))}."
        )
    study_time, track = block.get("study_time"), block.get("track")
    if study_time is not None and not (isinstance(study_time, int) and study_time > 0):
        raise ChapterMetadataError(
            f"{docname}.md: study_time {study_time!r} must be a positive number of minutes."
        )
    if track not in (None, "core", "optional"):
        raise ChapterMetadataError(f"{docname}.md: track {track!r} must be core or optional.")
    return ChapterMeta(
        docname,
        block.get("extra"),
        *(tuple(block.get(k) or ()) for k in ("data", "reads", "reproduces", "prerequisites")),
        study_time=study_time,
        track=track,
        summary=block.get("summary"),
        key_points=tuple(block.get("key_points") or ()),
    )


def metadata(root: Path, docname: str) -> ChapterMeta:
    """The metadata of one page; its ``extra`` must be one of ``pyproject.toml``'s."""
    meta = parse(docname, (Path(root) / f"{docname}.md").read_text())
    known = set(extras(root)) - NOT_CHAPTER_EXTRAS
    if meta.extra is not None and meta.extra not in known:
        raise ChapterMetadataError(
            f"{docname}.md: extra {meta.extra!r} is not a chapter extra "
            f"of pyproject.toml ({', '.join(sorted(known))})."
        )
    return meta


def all_metadata(root: Path) -> list[ChapterMeta]:
    """The metadata of every page, in table-of-contents order."""
    return [metadata(root, name) for name in toc.docnames(root)]
