"""Check executed notebooks for secrets: no IBM Quantum token may reach a page of the book.

The secrets looked for are the value of ``QISKIT_IBM_TOKEN`` and every token of the saved
IBM Quantum accounts (``~/.qiskit/qiskit-ibm.json``). ``make test`` sets a canary token
while it executes the chapters, then runs ``python -m qmlhep.output_scan _build/ci``,
which fails if the canary (or a real token) appears in any cell output.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ACCOUNTS = Path.home() / ".qiskit" / "qiskit-ibm.json"
MIN_LENGTH = 8
"""Shorter strings are not treated as secrets (they would match ordinary output)."""


def known_secrets(accounts: Path = ACCOUNTS) -> list[str]:
    """The IBM tokens this process could use: the environment's and the saved accounts'."""
    found = [os.environ.get("QISKIT_IBM_TOKEN", "")]
    if accounts.is_file():
        found += [a.get("token", "") for a in json.loads(accounts.read_text()).values()
                  if isinstance(a, dict)]
    return sorted({s for s in found if len(s) >= MIN_LENGTH})


def leaks(notebook: Path, secrets: list[str]) -> list[int]:
    """Indices of the cells of ``notebook`` whose outputs contain one of ``secrets``."""
    cells = json.loads(notebook.read_text()).get("cells", [])
    return [i for i, cell in enumerate(cells)
            if any(s in json.dumps(cell.get("outputs", [])) for s in secrets)]


def scan(folder: Path, secrets: list[str]) -> dict[Path, list[int]]:
    """Every ``.ipynb`` under ``folder`` with leaking cells."""
    result = {}
    for notebook in sorted(folder.rglob("*.ipynb")):
        cells = leaks(notebook, secrets)
        if cells:
            result[notebook] = cells
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m qmlhep.output_scan FOLDER", file=sys.stderr)
        return 2
    secrets = known_secrets()
    if not secrets:
        print("output_scan: no token set; set QISKIT_IBM_TOKEN to a canary to check",
              file=sys.stderr)
        return 2
    found = scan(Path(argv[0]), secrets)
    for notebook, cells in found.items():
        print(f"{notebook}: a token appears in the outputs of cells {cells}", file=sys.stderr)
    n = len(list(Path(argv[0]).rglob("*.ipynb")))
    print(f"output_scan: {n} notebooks, {len(found)} with a token in their outputs")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
