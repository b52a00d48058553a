"""``make published``: ship the last default-profile build's results with the package.

``python -m qmlhep.tooling.published --build _build`` copies, after a ``make book`` in the
default profile in which every chapter succeeded, its ``metrics.json`` (default-profile
records only) and ``bench.json`` into ``src/qmlhep/published_results/``, with
``build.json`` saying where they come from (commit, date, profile, machine, the published
book's address). Chapters run alone show them (:mod:`qmlhep.published`). Commit the
result: it is the provenance a reader sees.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from qmlhep.storage.atomic import write_text
from qmlhep.tooling import repository


def machine() -> str:
    """The build machine in words: CPU model and cores."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores of {model}"


def snapshot(build: Path, root: Path, out: Path) -> dict:
    """Write the snapshot of ``build`` (a finished default-profile book) into ``out``."""
    timings = json.loads((build / "timings.json").read_text())
    if timings.get("profile") != "default":
        raise ValueError(
            f"{build / 'timings.json'} is of profile {timings.get('profile')!r}: only a "
            "default-profile `make book` is the published book."
        )
    failed = [n for n, row in timings["chapters"].items() if not row.get("succeeded", True)]
    if failed:
        raise ValueError(f"chapters failed in {build}: {', '.join(failed)}; fix them first.")
    records = json.loads((build / "metrics.json").read_text())
    records = {k: v for k, v in records.items() if v.get("profile") == "default"}
    bench = (
        json.loads((build / "bench.json").read_text()) if (build / "bench.json").is_file() else {}
    )
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    provenance = {
        "commit": commit,
        "date": dt.date.today().isoformat(),
        "profile": "default",
        "machine": machine(),
        "url": repository.pages_url(root),
        "chapters": {
            n: {"seconds": round(r["seconds"]), "peak_mb": r.get("peak_mb")}
            for n, r in timings["chapters"].items()
        },
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, content in (
        ("metrics.json", records),
        ("bench.json", bench),
        ("build.json", provenance),
    ):
        write_text(out / name, json.dumps(content, indent=1, sort_keys=True) + "\n")
    return provenance


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=Path("_build"))
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--out", type=Path, default=Path("src/qmlhep/published_results"))
    args = parser.parse_args(argv)
    try:
        p = snapshot(args.build, args.root, args.out)
    except (OSError, ValueError) as exc:
        sys.exit(f"no snapshot written: {exc}")
    print(f"wrote {args.out} from {args.build} (commit {p['commit'][:12]}, {p['machine']})")


if __name__ == "__main__":
    main()
