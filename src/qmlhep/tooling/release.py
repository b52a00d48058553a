"""Cut a release: version bump, changelog section, notebooks pinned to the new tag.

``python -m qmlhep.tooling.release 0.2.0`` (run by the release workflow, or by hand):

1. sets ``version`` in ``pyproject.toml``, ``qmlhep.__version__`` and ``CITATION.cff``
   (with today's date);
2. turns the changelog's ``## Unreleased`` section into ``## 0.2.0 (<date>)`` and opens a
   new, empty ``## Unreleased`` above it;
3. regenerates every Colab notebook so that its install cell pins ``v0.2.0``
   (:func:`qmlhep.tooling.notebooks.sync`).

It prints the tag, ``v0.2.0``; the workflow commits the result and pushes the tag, so the
ref every committed notebook pins is a tag this process made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from qmlhep.tooling import notebooks, repository

VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class ReleaseError(ValueError):
    """The release cannot be cut; the message says why."""


def _key(version: str) -> tuple[int, ...]:
    m = VERSION.match(version)
    if m is None:
        raise ReleaseError(f"version {version!r} is not MAJOR.MINOR.PATCH (e.g. 0.2.0).")
    return tuple(map(int, m.groups()))


def bump(root: Path, new: str, today: dt.date | None = None) -> str:
    """Cut release ``new`` in the checkout ``root``; returns its tag ``v<new>``."""
    today = today or dt.date.today()
    old = repository.version(root)
    if _key(new) <= _key(old):
        raise ReleaseError(f"version {new} is not above the current version {old}.")
    changelog = (root / "CHANGELOG.md").read_text()
    if "\n## Unreleased\n" not in changelog:
        raise ReleaseError("CHANGELOG.md has no `## Unreleased` section to release.")
    body = changelog.split("\n## Unreleased\n", 1)[1].split("\n## ", 1)[0]
    if not body.strip():
        raise ReleaseError("CHANGELOG.md's `## Unreleased` section is empty: nothing to release.")
    changelog = changelog.replace(
        "\n## Unreleased\n", f"\n## Unreleased\n\n## {new} ({today.isoformat()})\n", 1
    )
    (root / "CHANGELOG.md").write_text(changelog)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        re.sub(r'(?m)^version = "[^"]+"$', f'version = "{new}"', pyproject.read_text(), count=1)
    )
    citation = root / "CITATION.cff"
    if citation.is_file():
        text = re.sub(r"(?m)^version: .*$", f"version: {new}", citation.read_text(), count=1)
        text = re.sub(r"(?m)^date-released: .*$", f'date-released: "{today.isoformat()}"', text)
        citation.write_text(text)
    init = root / "src" / "qmlhep" / "__init__.py"
    if init.is_file():
        init.write_text(
            re.sub(r'(?m)^__version__ = "[^"]+"$', f'__version__ = "{new}"', init.read_text())
        )
    tag = repository.release_tag(root)
    notebooks.sync(root, tag)
    return tag


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", help="the new version, MAJOR.MINOR.PATCH")
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    try:
        print(bump(args.root, args.version))
    except ReleaseError as exc:
        sys.exit(f"no release: {exc}")


if __name__ == "__main__":
    main()
