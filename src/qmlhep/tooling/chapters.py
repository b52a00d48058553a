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
      sizes:                      # every size the chapter uses, per profile (all: no limit)
        ci: {n_jets: 4_000, epochs: 5}          # minutes, for make test
        default: {n_jets: 100_000, epochs: 16}  # the published book: ≤ 10 min, 2 GB
        full: {n_jets: 400_000, epochs: 60}     # paper scale: ≤ 2 hours, resumable
      metrics:                    # the headline numbers it records (qmlhep.metrics.record)
        title: Hybrid autoencoder # its name in the summary's tables
        keys:
          hae.auc.q_vs_g: {unit: AUC, what: hybrid autoencoder, published: 0.57}

The introduction's table and map, the syllabus, the boxes every chapter shows
(:mod:`qmlhep.tooling.teaching`), the Colab cells, the cache keys and the tests read it
here; ``make notebooks`` ships it with the package (``qmlhep/chapter_index.json``), where
:func:`qmlhep.profiles.sizes` reads a chapter's sizes.
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
    sizes: dict = field(default_factory=dict)
    """``{"ci": {...}, "default": {...}, "full": {...}}``: the chapter's sizes per profile."""
    metrics: dict = field(default_factory=dict)
    """``{"title": ..., "keys": {key: {"unit", "what", "published"?}}}``: what it records."""


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
        "sizes",
        "metrics",
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
    sizes = check_sizes(docname, block.get("sizes"))
    return ChapterMeta(
        docname,
        block.get("extra"),
        *(tuple(block.get(k) or ()) for k in ("data", "reads", "reproduces", "prerequisites")),
        study_time=study_time,
        track=track,
        summary=block.get("summary"),
        key_points=tuple(block.get("key_points") or ()),
        sizes=sizes,
        metrics=check_metrics(docname, block.get("metrics")),
    )


PROFILES = ("ci", "default", "full")
SCALARS = (int, float, str, bool, type(None))


def _plain_value(value) -> bool:
    """A scalar, or a list of plain values (e.g. pairs of digits)."""
    if isinstance(value, list):
        return all(_plain_value(v) for v in value)
    return isinstance(value, SCALARS)


def check_sizes(docname: str, sizes) -> dict:
    """A chapter's ``sizes``: one mapping per profile, the same names in each, every value a
    number, a string, null or a list of numbers; otherwise an error naming the file. A page
    without ``sizes`` has none in any profile."""
    if sizes is None:  # a page without sizes (the syllabus)
        return {profile: {} for profile in PROFILES}
    if not isinstance(sizes, dict) or set(sizes) != set(PROFILES):
        raise ChapterMetadataError(
            f"{docname}.md: `sizes` must map exactly {', '.join(PROFILES)} to mappings, "
            f"got {sorted(sizes) if isinstance(sizes, dict) else type(sizes).__name__}."
        )
    names = None
    for profile in PROFILES:
        values = sizes[profile] or {}
        if not isinstance(values, dict):
            raise ChapterMetadataError(f"{docname}.md: sizes.{profile} must be a mapping.")
        if "profile" in values:
            raise ChapterMetadataError(
                f"{docname}.md: sizes.{profile} names `profile`, which setup() sets itself "
                "(the active profile); choose another name."
            )
        for name, value in values.items():
            if not _plain_value(value):
                raise ChapterMetadataError(
                    f"{docname}.md: sizes.{profile}.{name} = {value!r} is not a number, a "
                    "string, null or a list of them."
                )
        if names is not None and set(values) != names:
            raise ChapterMetadataError(
                f"{docname}.md: sizes.{profile} names {sorted(set(values) ^ names)} that the "
                "other profiles do not (every profile needs the same names)."
            )
        names = set(values)
    return {profile: dict(sizes[profile] or {}) for profile in PROFILES}


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


def check_metrics(docname: str, metrics) -> dict:
    """A chapter's ``metrics``: a ``title`` and ``keys``, each key with a ``unit`` and a
    ``what`` (strings) and optionally its ``published`` value; otherwise an error naming the
    file. A page that records nothing has none."""
    if metrics is None:
        return {}
    if not isinstance(metrics, dict) or set(metrics) != {"title", "keys"}:
        raise ChapterMetadataError(
            f"{docname}.md: `metrics` must have exactly a `title` and `keys`, got "
            f"{sorted(metrics) if isinstance(metrics, dict) else type(metrics).__name__}."
        )
    if not isinstance(metrics["title"], str) or not isinstance(metrics["keys"], dict):
        raise ChapterMetadataError(
            f"{docname}.md: metrics.title must be text and metrics.keys a mapping."
        )
    for key, spec in metrics["keys"].items():
        fields = set(spec) if isinstance(spec, dict) else set()
        if not {"unit", "what"} <= fields <= {"unit", "what", "published"} or not all(
            isinstance(spec[f], str) for f in ("unit", "what")
        ):
            raise ChapterMetadataError(
                f"{docname}.md: metric {key!r} needs `unit` and `what` (text) and may have "
                f"`published`, got {spec!r}."
            )
        if "published" in spec and not _plain_value(spec["published"]):
            raise ChapterMetadataError(
                f"{docname}.md: metric {key!r} has a published value {spec['published']!r} "
                "that is not a number, text or a list of them."
            )
    return {"title": metrics["title"], "keys": dict(metrics["keys"])}
