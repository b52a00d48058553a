"""Check executed notebooks for secrets: no IBM Quantum token may reach a page of the book.

The secrets looked for are the value of ``QISKIT_IBM_TOKEN`` and every token of the saved
IBM Quantum accounts (``~/.qiskit/qiskit-ibm.json``). ``make test`` sets a canary token
while it executes the chapters, then runs ``python -m qmlhep.tooling.output_scan _build/ci``,
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


FOUND, USAGE, NOTHING_TO_SCAN, UNREADABLE = 1, 2, 3, 4
"""Exit codes: a token was found; bad arguments or no token to look for; the folder is
missing or holds no executed notebook; a notebook or account file cannot be read."""


class UnreadableError(OSError):
    """A file the scan must read cannot be read or parsed; the message names it."""


def _json(path: Path):
    try:
        return json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise UnreadableError(f"{path} cannot be read as JSON ({err})") from err


def known_secrets(accounts: Path = ACCOUNTS) -> list[str]:
    """The IBM tokens this process could use: the environment's and the saved accounts'."""
    found = [os.environ.get("QISKIT_IBM_TOKEN", "")]
    if accounts.is_file():
        saved = _json(accounts)
        if not isinstance(saved, dict):
            raise UnreadableError(f"{accounts} is not an IBM Quantum account file")
        found += [a.get("token", "") for a in saved.values() if isinstance(a, dict)]
    return sorted({s for s in found if len(s) >= MIN_LENGTH})


def leaks(notebook: Path, secrets: list[str]) -> list[int]:
    """Indices of the cells of ``notebook`` whose outputs contain one of ``secrets``."""
    data = _json(notebook)
    if not isinstance(data, dict):
        raise UnreadableError(f"{notebook} is not a notebook")
    return [
        i
        for i, cell in enumerate(data.get("cells", []))
        if any(s in json.dumps(cell.get("outputs", [])) for s in secrets)
    ]


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
        print("usage: python -m qmlhep.tooling.output_scan FOLDER", file=sys.stderr)
        return USAGE
    folder = Path(argv[0])
    if not folder.is_dir():
        print(
            f"output_scan: {folder} does not exist: nothing was scanned (build the book first)",
            file=sys.stderr,
        )
        return NOTHING_TO_SCAN
    notebooks = sorted(folder.rglob("*.ipynb"))
    if not notebooks:
        print(
            f"output_scan: {folder} holds no executed notebook: nothing was scanned",
            file=sys.stderr,
        )
        return NOTHING_TO_SCAN
    try:
        secrets = known_secrets()
        if not secrets:
            print(
                "output_scan: no token set; set QISKIT_IBM_TOKEN to a canary to check",
                file=sys.stderr,
            )
            return USAGE
        found = scan(folder, secrets)
    except UnreadableError as err:
        print(f"output_scan: {err}", file=sys.stderr)
        return UNREADABLE
    for notebook, cells in found.items():
        print(f"{notebook}: a token appears in the outputs of cells {cells}", file=sys.stderr)
    print(f"output_scan: {len(notebooks)} notebooks, {len(found)} with a token in their outputs")
    return FOUND if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
