"""``make pdf``: the built book printed to one PDF by Chromium, for reading offline.

``python -m qmlhep.tooling.pdf _build/html _build/book.pdf`` serves the built HTML
locally, opens every page of ``_toc.yml`` in headless Chromium (Playwright), waits until
MathJax has typeset its math and every image has loaded, prints it with the theme's print
style, and joins the pages with a contents page in front (chapter titles and their first
page) and a bookmark per chapter (``pypdf``). MathJax comes from the npm package in
``tests/tools`` when it is installed (the build machine has no internet), else from its
usual address.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html
import http.server
import io
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

from qmlhep.tooling import toc

MATHJAX = Path(__file__).resolve().parents[3] / "tests" / "tools" / "node_modules" / "mathjax"
TYPESET = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  await Promise.all([...document.images].map(img => img.complete ? null :
    new Promise(done => { img.onload = img.onerror = done; })));
  return document.querySelector("main h1, h1")?.innerText.replace(/#$/, "").trim() || "";
}"""


def chromium() -> str:
    """The machine's Chromium (``QMLHEP_CHROMIUM`` or the usual names)."""
    for name in (
        os.environ.get("QMLHEP_CHROMIUM"),
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ):
        if name and (path := shutil.which(name)):
            return path
    raise FileNotFoundError(
        "no Chromium found: install Debian's `chromium` (apt-get install chromium) or set "
        "QMLHEP_CHROMIUM"
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _route(page, site: str) -> None:
    def handle(route):
        parsed = urlparse(route.request.url)
        if "mathjax" in parsed.path and MATHJAX.is_dir():
            local = MATHJAX / "es5" / unquote(parsed.path).split("/es5/", 1)[-1]
            if local.is_file():
                return route.fulfill(path=str(local))
        return route.continue_()

    page.route("**/*", handle)


def _contents(title: str, entries: list[tuple[str, int]]) -> str:
    rows = "".join(f"<tr><td>{html.escape(t)}</td><td class='n'>{n}</td></tr>" for t, n in entries)
    return (
        "<html><head><meta charset='utf-8'><style>body{font-family:sans-serif;margin:3em}"
        "td{padding:.25em 1em}td.n{text-align:right}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>Printed {dt.date.today().isoformat()} from the "
        f"built book.</p><h2>Contents</h2><table>{rows}</table></body></html>"
    )


def print_book(html_dir: Path, out: Path, root: Path, title: str | None = None) -> list[str]:
    """Print the book in ``html_dir`` to ``out``; returns the chapter titles, in order."""
    # imported here, not at the top: book-build tools, not a runtime dependency (playwright, pypdf)
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    html_dir, out = Path(html_dir).resolve(), Path(out).resolve()
    pages = [name for name in toc.docnames(root) if (html_dir / f"{name}.html").is_file()]
    if not pages:
        raise FileNotFoundError(f"no page of _toc.yml is built in {html_dir}: build the book")
    handler = functools.partial(_Quiet, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_port}"
    printed: list[tuple[str, bytes]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
            page = browser.new_page()
            _route(page, site)
            page.emulate_media(media="print")
            for name in pages:
                page.goto(f"{site}/{name}.html", wait_until="networkidle")
                heading = page.evaluate(TYPESET) or name
                pdf = page.pdf(
                    format="A4",
                    print_background=True,
                    margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
                )
                printed.append((heading, pdf))
            counts = [len(PdfReader(io.BytesIO(pdf)).pages) for _, pdf in printed]
            starts, first = [], 2  # the contents page is page 1
            for n in counts:
                starts.append(first)
                first += n
            book_title = title or printed[0][0]
            page.emulate_media(media="screen")
            page.set_content(
                _contents(book_title, [(t, s) for (t, _), s in zip(printed, starts, strict=True)])
            )
            contents = page.pdf(format="A4")
            browser.close()
    finally:
        server.shutdown()
    writer = PdfWriter()
    writer.append(io.BytesIO(contents))
    for (heading, pdf), start in zip(printed, starts, strict=True):
        writer.append(io.BytesIO(pdf))
        writer.add_outline_item(title=heading, page_number=start - 1)
    writer.add_metadata({"/Title": book_title})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer.write(fh)
    return [h for h, _ in printed]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", type=Path, help="the built book, e.g. _build/html")
    parser.add_argument("out", type=Path, help="the PDF to write, e.g. _build/book.pdf")
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    titles = print_book(args.html, args.out, args.root)
    print(f"wrote {args.out}: {len(titles)} chapters")


if __name__ == "__main__":
    main()
