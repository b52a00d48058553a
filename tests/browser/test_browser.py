"""The built book in a real browser (headless Chromium through Playwright).

``make browser`` (part of ``make test``) runs this over the CI build; ``BOOK=path/to/html``
points it at another build. Every page of the table of contents is opened from a local
web server: it loads without console errors, shows no error output or traceback, every
image loads, math is typeset (MathJax is served from the npm package in tests/tools, as
the build machine has no internet), the launch buttons open this page's ``.ipynb`` in the
configured repository at a tag or commit, and the search page finds a chapter by a word
from its text.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import ROOT
from qmlhep.tooling import repository, toc

pytestmark = pytest.mark.browser
HTML = Path(os.environ.get("QMLHEP_BOOK_HTML", ROOT / "_build" / "ci" / "_build" / "html"))
MATHJAX = ROOT / "tests" / "tools" / "node_modules" / "mathjax" / "es5"
PAGES = [name for name in toc.docnames(ROOT)]


def _chromium() -> str:
    from qmlhep.tooling.pdf import chromium

    try:
        return chromium()
    except FileNotFoundError as err:
        pytest.fail(str(err))


@pytest.fixture(scope="module")
def site():
    if not (HTML / "index.html").is_file():
        pytest.fail(
            f"no built book at {HTML}: run `make chapters` (or `make book` and "
            "BOOK=_build/html) first"
        )
    handler = functools.partial(_Quiet, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        yield b
        b.close()


def _route(page, site: str) -> list[str]:
    """Serve MathJax from disk; refuse every other request off this machine (recorded)."""
    refused: list[str] = []

    def handle(route):
        url = route.request.url
        parsed = urlparse(url)
        if url.startswith(site) or parsed.scheme in ("data", "blob"):
            return route.continue_()
        if "mathjax" in parsed.path:
            local = MATHJAX / unquote(parsed.path).split("/es5/", 1)[-1]
            if local.is_file():
                return route.fulfill(path=str(local))
        refused.append(url)
        return route.abort()

    page.route("**/*", handle)
    return refused


def _open(browser, site: str, path: str):
    page = browser.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    refused = _route(page, site)
    page.goto(f"{site}/{path}", wait_until="networkidle")
    return page, problems, refused


@pytest.mark.parametrize("docname", PAGES)
def test_page(browser, site, docname):
    page, problems, refused = _open(browser, site, f"{docname}.html")
    try:
        # no error output, no traceback
        assert (
            page.locator(".output.error, .output.traceback, .cell_output .traceback").count() == 0
        )
        text = page.inner_text("main")
        assert "Traceback (most recent call last)" not in text
        # every image loads
        broken = page.evaluate("""() => [...document.images]
            .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)""")
        assert not broken, f"images that did not load: {broken}"
        # math is typeset
        if page.locator("main .math").count():
            page.wait_for_selector("mjx-container", timeout=30_000)
            assert page.locator("main .math mjx-container, main mjx-container").count() > 0
        if not (ROOT / f"{docname}.ipynb").is_file():  # a page without code (the syllabus)
            assert not problems, problems
            return
        # launch buttons: this page's notebook, configured repository, a tag or commit
        slug, ref = repository.slug(ROOT), None
        colab = [
            a
            for a in page.eval_on_selector_all(
                "a[href*='colab.research.google.com']", "els => els.map(e => e.href)"
            )
        ]
        binder = [
            a
            for a in page.eval_on_selector_all(
                "a[href*='mybinder.org']", "els => els.map(e => e.href)"
            )
        ]
        assert colab and binder, "no launch buttons"
        m = re.fullmatch(
            rf"https://colab\.research\.google\.com/github/{slug}/blob/"
            rf"([\w.-]+)/{docname}\.ipynb",
            colab[0],
        )
        assert m, colab[0]
        ref = repository.check_ref(m.group(1))
        assert f"/v2/gh/{slug}/{ref}?" in binder[0] and f"{docname}.ipynb" in unquote(binder[0])
        assert not problems, problems
        assert not [u for u in refused if "mathjax" in u.lower()], refused
    finally:
        page.close()


def test_search_finds_a_chapter_by_a_word_from_its_text(browser, site):
    page, problems, _ = _open(browser, site, "search.html?q=swap")
    try:
        page.wait_for_selector("#search-results li", timeout=30_000)
        links = page.eval_on_selector_all(
            "#search-results li a", "els => els.map(e => e.getAttribute('href'))"
        )
        assert any("swap_test" in link for link in links), links
        assert not problems, problems
    finally:
        page.close()


def _contrast(png: bytes) -> float:
    """Luminance of a figure's background (the median pixel: a figure is mostly ground)
    minus that of its darkest 2 % (its text, black in every figure), on a 0-1 scale, as
    shown on the page (the theme may frame an image; the frame is ignored this way)."""
    import io

    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float) / 255
    return float(np.median(grey) - np.percentile(grey, 2))


def _figure_contrasts(browser, site: str, docname: str, mode: str) -> list[float]:
    page = browser.new_page()
    _route(page, site)
    page.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.theme = '{mode}'")
    try:
        page.goto(f"{site}/{docname}.html", wait_until="networkidle")
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        page.screenshot(full_page=True)  # the whole page renders in this mode
        figures = page.locator("main .cell_output img")
        return [
            _contrast(figures.nth(i).screenshot())
            for i in range(figures.count())
            if (box := figures.nth(i).bounding_box()) and box["height"] >= 40
        ]
    finally:
        page.close()


@pytest.mark.parametrize("docname", PAGES)
def test_every_figure_is_readable_in_dark_mode(browser, site, docname):
    """Each figure's text keeps its contrast when the reader switches the theme to dark
    (a transparent figure would show black text on the dark page)."""
    light = _figure_contrasts(browser, site, docname, "light")
    dark = _figure_contrasts(browser, site, docname, "dark")
    assert len(light) == len(dark)
    unreadable = [
        f"figure {i + 1}: contrast {d:.2f} in dark mode, {c:.2f} in light"
        for i, (c, d) in enumerate(zip(light, dark, strict=True))
        if d < 0.4 and d < c - 0.1
    ]
    assert not unreadable, f"{docname}: text without contrast in dark mode: {unreadable}"


def test_the_transparent_figure_of_old_would_be_caught():
    import io

    import numpy as np
    from PIL import Image

    def png(ground: int) -> bytes:  # black text on a ground of this grey
        img = np.full((60, 80), ground, dtype=np.uint8)
        img[20:40, 10:70:3] = 0
        out = io.BytesIO()
        Image.fromarray(img).save(out, format="PNG")
        return out.getvalue()

    assert _contrast(png(255)) > 0.9  # opaque white figure on a dark page
    assert _contrast(png(18)) < 0.1  # a transparent figure shows the dark page through


def test_the_book_prints_to_one_pdf_with_every_chapter(tmp_path):
    import subprocess
    import sys

    from pypdf import PdfReader

    out = tmp_path / "book.pdf"
    # as `make pdf` runs it: its own process (this module's browser already holds a
    # Playwright loop in this thread)
    done = subprocess.run(
        [sys.executable, "-m", "qmlhep.tooling.pdf", str(HTML), str(out), "--root", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    reader = PdfReader(out)
    titles = [o.title for o in reader.outline]
    assert len(titles) == len(PAGES)  # a bookmark per chapter
    assert len(reader.pages) > len(PAGES)  # a contents page and at least a page each
    contents = reader.pages[0].extract_text()
    import unicodedata

    # compare without spaces and with ligatures (ﬁ, ﬂ) and other compatibility forms undone
    squeeze = lambda t: re.sub(r"\s+", "", unicodedata.normalize("NFKC", t))
    for title in titles:
        assert squeeze(title) in squeeze(contents), title
    text = squeeze("".join(p.extract_text() for p in reader.pages[1:]))
    assert [t for t in titles if squeeze(t) not in text] == []
