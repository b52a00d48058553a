"""Sphinx extension: one timing line per executed chapter, and ``timings.json``.

Enabled in ``_config.yml``. At the end of the build it prints, for every notebook page,
how long its execution took (from myst-nb's execution data, cached or fresh) and writes
the same numbers to ``<build dir>/timings.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sphinx.application import Sphinx


def _report(app: Sphinx, exception: Exception | None) -> None:
    from myst_nb.sphinx_ import NbMetadataCollector

    rows = {}
    for docname in sorted(app.env.found_docs):
        data = NbMetadataCollector.get_exec_data(app.env, docname)
        if data:
            rows[docname] = {"seconds": data.get("runtime"), "method": data.get("method"),
                             "succeeded": data.get("succeeded")}
    for docname, row in rows.items():
        secs = row["seconds"]
        took = f"{secs:7.1f} s" if secs is not None else "    n/a  "
        status = "ok" if row["succeeded"] else "FAILED"
        print(f"[chapter timing] {took}  {status:6s} {row['method']:6s} {docname}", flush=True)
    total = sum(r["seconds"] or 0 for r in rows.values())
    print(f"[chapter timing] {total:7.1f} s  total for {len(rows)} chapters", flush=True)
    out = Path(os.environ.get("QMLHEP_BUILD_DIR") or Path(app.outdir).parent)
    out.mkdir(parents=True, exist_ok=True)
    (out / "timings.json").write_text(json.dumps(rows, indent=1))


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _report)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
