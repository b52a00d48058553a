"""Sphinx extension of the book (enabled in ``_config.yml``).

- Chapters execute in table-of-contents order (:mod:`qmlhep.tooling.toc`), not in
  Sphinx's sorted file order, so a page that reads what earlier chapters wrote
  (metrics, cached results) sees this build's values.
- A page that shows build outputs lists them in its metadata (``reads:``, see
  :mod:`qmlhep.tooling.chapters`); their sha256 goes into a hidden cell, so jupyter-cache
  re-executes the page whenever one of them changes.
- Every executed page is timed and its kernel's peak memory measured
  (:mod:`qmlhep.tooling.resources`); the build prints one ``[chapter timing]`` line per
  page and writes ``<build dir>/timings.json`` (:mod:`qmlhep.tooling.timings`).
- The ``{chapter-needs}`` directive (the introduction) becomes the table of what each
  chapter needs, filled in after every chapter of this build has executed.
- Every chapter gets its "Before you start" and "Key points" boxes, and the
  ``{book-map}`` and ``{syllabus}`` placeholders are expanded, from the chapters'
  metadata (:mod:`qmlhep.tooling.teaching`).
"""

from __future__ import annotations

import hashlib
import html
import json
import time
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

from qmlhep import config, published
from qmlhep.chapter import data_identity
from qmlhep.data import usage
from qmlhep.fitting.checkpoints import code_digest
from qmlhep.profiles import SIZES
from qmlhep.tooling import budget, chapters, teaching, timings, toc
from qmlhep.tooling.resources import PeakMemory

STATE: dict = {}


class chapter_needs(nodes.General, nodes.Element):
    """Placeholder for the table, replaced when the page is written."""


class ChapterNeeds(Directive):
    def run(self):
        return [chapter_needs()]


def _order(app: Sphinx, env, docnames: list[str]) -> None:
    order = {name: i for i, name in enumerate(toc.docnames(Path(app.srcdir)))}
    docnames.sort(key=lambda name: (order.get(name, len(order)), name))


def input_digest(entry: str) -> str:
    """sha256 of a build output a page reads: ``bench.json`` (the whole file) or
    ``metrics.json:key1,key2`` (only those entries of a JSON file)."""
    name, _, keys = entry.partition(":")
    path = config.build_dir() / name
    if not path.is_file():
        return "absent"
    data = path.read_bytes()
    if keys:
        try:
            records = json.loads(data)
        except ValueError:
            return "unreadable"
        data = json.dumps({k: records.get(k) for k in keys.split(",")}, sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()


def _input_digests(reads) -> list[str]:
    return [f"# {entry}: {input_digest(entry)}" for entry in reads]


def cache_key_cell(meta: chapters.ChapterMeta) -> str:
    """A hidden cell naming what the page's outputs depend on besides its code: the
    profile and the chapter's sizes in it, the package's code, the data variants and the
    build outputs it shows. jupyter-cache keys a page on its code cells, so a change of
    any of these re-executes it."""

    chapter = meta.docname.rsplit("/", 1)[-1]
    sizes = SIZES.get(chapter, {}).get(config.profile(), {})
    lines = [
        f"# profile: {config.profile()}",
        f"# sizes: {json.dumps(sizes, sort_keys=True, default=str)}",
        f"# qmlhep code: sha256 {code_digest()[:16]}",
        *(
            f"# data: {key} [{variant}] {digest}"
            for key, variant, digest in data_identity(meta.data)
        ),
        *_input_digests(meta.reads),
    ]
    return (
        "```{code-cell} ipython3\n:tags: [remove-cell]\n"
        "# what this page's outputs depend on besides its code (its cache key)\n"
        + "\n".join(lines)
        + "\n```\n"
    )


GENERATED = {"syllabus": "```{syllabus}\n```", "book-map": "```{book-map}\n```"}
"""Placeholders a page's source may hold, expanded from the chapters' metadata when it is
read (:mod:`qmlhep.tooling.teaching`)."""


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname not in STATE["toc"]:
        return
    meta = chapters.parse(docname, source[0])
    root = Path(app.srcdir)
    text = teaching.with_boxes(meta, source[0])  # "Before you start" and "Key points"
    if getattr(app.config, "hide_solutions", False):  # the student edition
        text = teaching.without_solutions(text)
    if GENERATED["syllabus"] in text:
        text = text.replace(GENERATED["syllabus"], teaching.syllabus(root))
    if GENERATED["book-map"] in text:
        text = text.replace(GENERATED["book-map"], teaching.book_map(root))
    source[0] = text
    if "```{code-cell}" in source[0]:
        source[0] += "\n\n" + cache_key_cell(meta)
    STATE["memory"].start(docname)
    STATE["started"][docname] = time.perf_counter()


def _doctree_read(app: Sphinx, doctree) -> None:
    docname = app.env.docname
    if docname in STATE["started"]:
        STATE["memory"].stop()
        STATE["wall"][docname] = time.perf_counter() - STATE["started"].pop(docname)


def _drop_solution_cells(app: Sphinx, doctree) -> None:
    """The student edition shows no solution code: MyST-NB cell containers whose code
    starts with ``# Solution`` are removed from the page (the notebook keeps them)."""
    if not getattr(app.config, "hide_solutions", False):
        return
    for cell in list(doctree.findall(nodes.container)):
        if "cell" not in cell.get("classes", []):
            continue
        code = next(iter(cell.findall(nodes.literal_block)), None)
        if code is not None and teaching.is_solution_code(code.astext()):
            cell.parent.remove(cell)


def _always_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Pages re-read every build: those holding the table (written after the chapters ran)
    and those that show build outputs. Re-reading such a page costs nothing when its
    inputs are unchanged (its cache key matches), and it is read in table-of-contents
    order, so it sees what the chapters before it wrote in this very build."""
    out = []
    for name in STATE["toc"]:
        if name in env.found_docs:
            text = (Path(app.srcdir) / f"{name}.md").read_text()
            generated = any(g in text for g in GENERATED.values())
            if "chapter-needs" in text or generated or chapters.parse(name, text).reads:
                out.append(name)
    return out


def _collect(app: Sphinx) -> dict[str, dict]:
    # imported here, not at the top: book-build tools, not a runtime dependency (myst_nb)
    from myst_nb.sphinx_ import NbMetadataCollector

    old = timings.previous_rows()
    rows = {}
    for docname in STATE["toc"]:
        data = (
            NbMetadataCollector.get_exec_data(app.env, docname)
            if docname in app.env.found_docs
            else None
        )
        if not data:
            continue
        peak = STATE["memory"].peaks.get(docname, 0)
        executed = peak > 0  # a kernel ran for it in this build
        previous = old.get(docname, {})
        rows[docname] = {
            "seconds": data.get("runtime"),
            "method": data.get("method"),
            "succeeded": data.get("succeeded"),
            "executed_now": executed,
            "peak_mb": round(peak / 2**20) if executed else previous.get("peak_mb"),
            "data": _data_used().get(docname.rsplit("/", 1)[-1], previous.get("data", [])),
        }
    return rows


def _data_used() -> dict[str, list[dict]]:

    return usage.by_chapter()


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    STATE["memory"].close()
    rows = STATE.get("rows") or _collect(app)
    for docname, row in rows.items():
        secs, peak = row["seconds"], row["peak_mb"]
        took = f"{secs:7.1f} s" if secs is not None else "    n/a  "
        mem = f"{peak:6.0f} MB" if peak is not None else "   n/a   "
        status = "ok" if row["succeeded"] else "FAILED"
        print(
            f"[chapter timing] {took} {mem}  {status:6s} {row['method']:6s} {docname}", flush=True
        )
    total = sum(r["seconds"] or 0 for r in rows.values())
    print(f"[chapter timing] {total:7.1f} s  total for {len(rows)} chapters", flush=True)
    timings.write(rows, STATE["toc"])


def _fill_tables(app: Sphinx, doctree, docname: str) -> None:
    found = list(doctree.findall(chapter_needs))
    if not found:
        return
    STATE["rows"] = rows = STATE.get("rows") or _collect(app)
    root = Path(app.srcdir)
    head = (
        "<table class='table chapter-needs'><thead><tr><th>chapter</th><th>time</th>"
        "<th>peak memory</th><th>reader's run alone (Python 3.12 · 3.13)</th><th>data</th>"
        "<th>Colab extra</th></tr></thead><tbody>"
    )
    readers = published.reader_runs()
    body = []
    for name in STATE["toc"]:
        if name not in rows:
            continue
        row, meta = rows[name], chapters.parse(name, (root / f"{name}.md").read_text())
        title = app.env.titles[name].astext() if name in app.env.titles else name
        secs, peak = row["seconds"], row["peak_mb"]
        over = budget.over(row, config.profile())
        cells = [
            f"<a href='{html.escape(app.builder.get_relative_uri(docname, name))}'>"
            f"{html.escape(title)}</a>",
            budget.fmt_seconds(secs),
            "n/a" if peak is None else f"{peak / 1024:.1f} GB",
            html.escape(reader_text(readers.get(name.removeprefix("book/"), {}))),
            html.escape(usage_text(row["data"])),
            f"<code>{meta.extra}</code>" if meta.extra else "(none)",
        ]
        style = " style='color:#b00'" if over else ""
        body.append(f"<tr{style}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    total = sum(r["seconds"] or 0 for r in rows.values())
    body.append(
        f"<tr><td><b>all chapters</b></td><td><b>{budget.fmt_seconds(total)}</b>"
        "</td><td></td><td></td><td></td><td></td></tr>"
    )
    max_s, max_mb = budget.BUDGETS["default"]
    caption = (
        f"<p class='chapter-needs-budget'>Budget of the published (<code>default</code>) "
        f"profile: {budget.fmt_seconds(max_s)} and {max_mb / 1024:.0f} GB per chapter. "
        f"This build ran the <code>{html.escape(config.profile())}</code> profile.</p>"
    )
    table = nodes.raw("", head + "".join(body) + "</tbody></table>" + caption, format="html")
    for node in found:
        node.replace_self(table)


def reader_text(runs: dict[str, dict]) -> str:
    """A chapter's last reader's runs in words: ``2.2 min, 1.0 GB · 2.4 min, 1.1 GB``."""
    parts = []
    for py in ("3.12", "3.13"):
        r = runs.get(py)
        if r is None:
            parts.append("not run")
        elif not r["succeeded"]:
            parts.append(f"failed ({r['date'][:10]})")
        else:
            parts.append(f"{budget.fmt_seconds(r['seconds'])}, {r['peak_mb'] / 1024:.1f} GB")
    dates = sorted(r["date"][:10] for r in runs.values())
    return " · ".join(parts) + (f" ({dates[-1]})" if dates else "")


def usage_text(data: list[dict]) -> str:
    if not data:
        return "none"
    parts = []
    for d in data:
        mb = d["bytes"] / 1e6
        parts.append(
            f"{d['dataset']} [{d['variant']}] {mb:,.1f} MB"
            + (" downloaded" if d["origin"] == "download" else "")
        )
    return "; ".join(parts)


def _page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Two fixes of the theme's pages that a reader's browser console shows as errors:
    sphinx-thebe's configuration script is added twice on notebook pages (``THEBE_JS_URL``
    "has already been declared"), and pydata-sphinx-theme starts from an empty colour
    mode ("Got invalid theme mode"). Duplicate scripts are dropped, the mode is "auto"."""
    scripts, seen = context.get("script_files"), set()
    if scripts:
        unique = []
        for script in scripts:
            attrs = getattr(script, "attributes", {}) or {}
            # an inline script is added once with filename None and once with ""
            key = (
                getattr(script, "filename", str(script)) or None,
                tuple(sorted((k, str(v)) for k, v in attrs.items())),
            )
            if key not in seen:
                seen.add(key)
                unique.append(script)
        context["script_files"] = unique
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def _init(app: Sphinx) -> None:
    STATE.clear()
    STATE.update(toc=toc.docnames(Path(app.srcdir)), memory=PeakMemory(), started={}, wall={})

    usage.reset()


def setup(app: Sphinx) -> dict:
    app.add_node(chapter_needs)
    app.add_directive("chapter-needs", ChapterNeeds)
    app.connect("builder-inited", _init)
    app.connect("env-get-outdated", _always_outdated)
    app.connect("env-before-read-docs", _order)
    app.connect("source-read", _source_read)
    app.connect("doctree-read", _doctree_read)
    app.connect("doctree-read", _drop_solution_cells)
    app.connect("doctree-resolved", _fill_tables)
    app.connect("html-page-context", _page_context, priority=900)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
