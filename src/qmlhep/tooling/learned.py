"""``python -m qmlhep.tooling.learned <metrics.json>``: refuse a build in which an
autoencoder reconstructs only the mean jet.

Every chapter that trains an image autoencoder records ``<model>.recon_vs_mean``, the median
over test jets of the distance between a jet's reconstruction and the mean jet's
(:func:`qmlhep.jets.collapse.recon_vs_mean`). Below
:data:`~qmlhep.jets.collapse.COLLAPSE_TOL` the model returns the same image for every
input: its row in a results table would be a reference, not a model. ``make book`` and
``make chapters`` run this check on the metrics the build recorded; a declared
``*.recon_vs_mean`` key the build did not record fails it too (nothing unchecked passes).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qmlhep.jets.collapse import COLLAPSE_TOL
from qmlhep.metric_catalogue import CATALOGUE

SUFFIX = ".recon_vs_mean"


def collapsed(records: dict[str, dict], tol: float = COLLAPSE_TOL) -> dict[str, float]:
    """The ``*.recon_vs_mean`` records below ``tol``: key → value."""
    return {
        key: rec["value"]
        for key, rec in records.items()
        if key.endswith(SUFFIX) and rec.get("value") is not None and rec["value"] < tol
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("metrics", type=Path, help="a build's metrics.json")
    args = parser.parse_args(argv)
    if not args.metrics.is_file():
        parser.error(f"{args.metrics} does not exist: build the chapters first")
    records = json.loads(args.metrics.read_text())
    bad = collapsed(records)
    checked = sorted(k for k in records if k.endswith(SUFFIX))
    missing = sorted(k for k in CATALOGUE if k.endswith(SUFFIX) and k not in records)
    for key in missing:
        print(
            f"NOT CHECKED: {key} was not recorded by this build (did its chapter run?)",
            file=sys.stderr,
        )
    for key, value in sorted(bad.items()):
        print(
            f"COLLAPSED: {key} = {value:.3g} < {COLLAPSE_TOL:g}: the model reconstructs "
            "only the mean jet",
            file=sys.stderr,
        )
    if bad or missing:
        sys.exit(1)
    print(f"learned more than the mean jet: {', '.join(checked) or 'no autoencoder recorded'}")


if __name__ == "__main__":
    main()
