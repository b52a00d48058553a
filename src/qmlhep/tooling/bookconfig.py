"""The Jupyter Book configuration of one build: ``_config.yml`` plus what the build sets.

``python -m qmlhep.tooling.bookconfig [--launch-ref REF] [--only CHAPTER]`` prints it;
the Makefile writes it to ``_build/`` and builds with ``jupyter-book build --config``.

- ``--launch-ref``: the tag or commit whose notebooks the Binder and Colab buttons open
  (Jupyter Book calls it ``repository.branch``; default the release tag ``v<version>``,
  never a branch). The book workflow passes the tag it made for the build.
- ``--edition student``: the student edition, the same book without the exercises'
  solutions (sphinx-exercise's ``hide_solutions``), served from the full edition's
  executions (the same jupyter-cache), so it costs no second execution.
- ``--only``: execute this chapter alone (every other chapter is excluded from
  execution), into the book's own cache for the default profile, or a cache of its own for
  any other profile (``make chapter``; ``QMLHEP_PROFILE`` says which).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from qmlhep import config
from qmlhep.tooling import repository, toc

EDITIONS = ("full", "student")


def book_config(
    root: Path, launch_ref: str | None = None, only: str | None = None, edition: str = "full"
) -> dict:
    root = Path(root).resolve()
    cfg = yaml.safe_load((root / "_config.yml").read_text())
    cfg["repository"]["branch"] = repository.check_ref(launch_ref or repository.release_tag(root))
    if edition not in EDITIONS:
        raise ValueError(f"edition {edition!r}: use one of {', '.join(EDITIONS)}")
    if edition == "student":
        cfg["title"] = f"{cfg['title']} (student edition)"
        cfg["sphinx"]["config"]["hide_solutions"] = True
        cfg.setdefault("execute", {})["cache"] = str(root / "_build" / ".jupyter_cache")
    if only is not None:
        source = toc.source(root, only).relative_to(root).as_posix()
        execute = cfg.setdefault("execute", {})
        execute["exclude_patterns"] = [
            f"{name}.md" for name in toc.docnames(root) if f"{name}.md" != source
        ]
        # jupyter-cache keys a notebook on its code, not on the profile it ran in: keep
        # each profile's executions apart, so a `ci` run is never served as `default`
        # (the default profile shares `make book`'s cache, which a later build reuses)
        profile = config.profile()
        name = ".jupyter_cache" if profile == "default" else f".jupyter_cache-{profile}"
        execute["cache"] = str(root / "_build" / name)
    return cfg


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--launch-ref")
    parser.add_argument("--only")
    parser.add_argument("--edition", choices=EDITIONS, default="full")
    args = parser.parse_args(argv)
    try:
        cfg = book_config(args.root, args.launch_ref or None, args.only, args.edition)
    except ValueError as err:  # an unknown chapter or edition, a branch as launch ref
        raise SystemExit(f"bookconfig: {err}") from None
    print(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), end="")


if __name__ == "__main__":
    main()
