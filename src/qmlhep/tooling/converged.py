"""``make converged CH=quantum/hybrid``: train a chapter's long study once to early stopping
in the ``full`` profile and keep its results (:mod:`qmlhep.storage.kept_runs`).

The file goes to ``qmlhep/published_results/full/<name>.json`` (shipped with the package,
so a chapter run alone on Colab shows it too), with the commit, the digest of the code
that computed it, the data's checksum, the sizes, the machine and the wall time. Training
resumes from its checkpoints where an earlier call was interrupted.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import time
from pathlib import Path

from qmlhep import config, profiles
from qmlhep.data.splits import quark_gluon_images
from qmlhep.published import FOLDER
from qmlhep.storage import kept_runs
from qmlhep.tooling.published import machine

CHAPTERS = ("quantum/hybrid",)
"""The chapters with a kept converged run."""


def _commit(root: Path) -> tuple[str, bool]:
    """(commit, whether the working tree had uncommitted changes to ``src``)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown", True
    return head, bool(dirty)


def run_hybrid(out: Path) -> dict:
    """Train the hybrid and its twins in the active profile and keep the result in ``out``."""
    # imported here, not at the top: it needs keras, ot (an extra), this module does not
    from qmlhep.studies.hybrid import MODULES, kept_record, train_variants

    cfg = profiles.sizes("hybrid")
    start = time.time()
    # what computes the numbers, taken now: code edited during the hours of training
    # must not be recorded as the code that ran
    digest = kept_runs.code_digest(MODULES)
    commit, dirty = _commit(Path(__file__).resolve().parents[3])
    jets = quark_gluon_images(cfg.n_jets, None, cfg.n_val, cfg.n_test)
    n_train = min(cfg.n_train or len(jets.train), len(jets.train))
    runs = train_variants(jets, cfg, n_train)
    record = kept_record(
        jets,
        runs,
        cfg,
        provenance={
            "commit": commit,
            "code_digest": digest,
            "uncommitted_changes": dirty,
            "machine": machine(),
            "wall_s": round(time.time() - start, 1),
            "date": datetime.date.today().isoformat(),
            "profile": cfg.profile,
            "python": sys.version.split()[0],
        },
    )
    return kept_runs.write(out, record)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapter", help=f"one of {', '.join(CHAPTERS)}")
    parser.add_argument("--out", type=Path, help="where to write (default: the package's)")
    parser.add_argument(
        "--any-profile", action="store_true", help="allow a profile other than full (tests)"
    )
    args = parser.parse_args(argv)
    if args.chapter not in CHAPTERS:
        parser.error(f"no kept run for {args.chapter!r}; known: {', '.join(CHAPTERS)}")
    if config.profile() != "full" and not args.any_profile:
        parser.error(f"QMLHEP_PROFILE is {config.profile()!r}; a kept run is trained in 'full'")
    name = args.chapter.rsplit("/", 1)[-1]
    out = args.out or FOLDER / "full" / f"{name}.json"
    record = run_hybrid(out)
    prov = record["provenance"]
    print(
        f"wrote {out} ({prov['wall_s']:.0f} s on {prov['machine']}, commit {prov['commit'][:12]})"
    )


if __name__ == "__main__":
    main()
