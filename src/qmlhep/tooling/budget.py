"""The reader's budgets, checked on the build's measurements (``make budget``).

In the ``default`` profile (the published book) every chapter must execute within
10 minutes and 2 GB of memory on 2 cores (Binder's limit); ``ci`` chapters within
6 minutes; ``full`` chapters (paper scale, resumable) within 2 hours.
``python -m qmlhep.tooling.budget`` reads ``<build dir>/timings.json``, lists the chapters
over budget and exits 1 if there is one. It is a measurement of a real build, never a
timed unit test.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qmlhep import config

BUDGETS = {"ci": (360.0, 2048), "default": (600.0, 2048), "full": (7200.0, None)}
"""Per-chapter (seconds, peak MB) by profile; ``None``: no limit."""


def fmt_seconds(secs: float | None) -> str:
    if secs is None:
        return "n/a"
    return f"{secs:.0f} s" if secs < 90 else f"{secs / 60:.1f} min"


def over(row: dict, profile: str) -> list[str]:
    """What of one chapter's ``timings.json`` row exceeds the profile's budget."""
    max_s, max_mb = BUDGETS[profile]
    out = []
    if max_s is not None and (row.get("seconds") or 0) > max_s:
        out.append(f"{fmt_seconds(row['seconds'])} > {fmt_seconds(max_s)}")
    if max_mb is not None and (row.get("peak_mb") or 0) > max_mb:
        out.append(f"{row['peak_mb'] / 1024:.1f} GB > {max_mb / 1024:.0f} GB")
    if not row.get("succeeded", True):
        out.append("failed")
    return out


def check(timings: Path) -> list[str]:
    """One line per chapter over budget (empty: all within)."""
    if not timings.is_file():
        raise SystemExit(f"{timings} does not exist: build the book first (make book).")
    data = json.loads(timings.read_text())
    profile = data["profile"]
    return [
        f"{name}: {', '.join(problems)}"
        for name, row in data["chapters"].items()
        if (problems := over(row, profile))
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "timings", type=Path, nargs="?", default=config.build_dir() / "timings.json"
    )
    parser.add_argument(
        "--warn-only", action="store_true", help="report chapters over budget without failing"
    )
    args = parser.parse_args(argv)
    problems = check(args.timings)
    profile = json.loads(args.timings.read_text())["profile"]
    if problems:
        print(f"chapters over the {profile!r} budget:\n  " + "\n  ".join(problems))
        sys.exit(0 if args.warn_only else 1)
    print(f"every chapter within the {profile!r} budget ({args.timings})")


if __name__ == "__main__":
    main()
