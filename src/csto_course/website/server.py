"""Serve and inspect the built website: a local server, the list of pages and the script that
waits for a page's charts, for the tests, the benchmarks, make pdf and make shots.

It is in the course package's website part, which the student's wheel leaves out, so the
tests, tools/ and bench/ import it as ``csto_course.website.server`` and none of them reaches
into the test suite.

The server compresses text with gzip, as the static hosts that publish the book do
(GitHub Pages, Netlify, a university web server), so byte counts match what a reader
downloads. It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import gzip
import http.server
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parents[3]
HTML = ROOT / "_build" / "html"
#: Screenshots to look at: make shots (tools/screenshots.py) and some browser tests write here.
SHOTS = ROOT / "_build" / "screenshots"
_COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".ipynb"}


#: Compressed files already sent, by path, time and size: every page loads the same scripts,
#: and compressing them again for each of a test run's page loads costs seconds.
_GZIPPED: dict[tuple[str, int, int], bytes] = {}


def _gzipped(path: Path) -> bytes:
    """``path`` compressed as a static host would send it (gzip level 6), from memory if unchanged."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _GZIPPED:
        _GZIPPED[key] = gzip.compress(path.read_bytes(), compresslevel=6)
    return _GZIPPED[key]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it, and cacheable for ten minutes
    as GitHub Pages serves them (``Cache-Control: max-age=600``), so that the next page opened
    in the same browser takes the theme's scripts, styles and fonts from the cache."""

    status = 0

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        self.status = code
        super().send_response(code, message)

    def end_headers(self) -> None:
        if self.status == 200:  # never an error: a missing file is asked for, and reported, each time
            self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in _COMPRESSIBLE):
            return super().send_head()
        body = _gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(directory: Path = HTML) -> Iterator[str]:
    """Serve ``directory`` on a free port of 127.0.0.1; yields the base URL.

    Files are gzipped and cacheable as a static host sends them (``_Handler``); the page-weight
    figures (bench/pages.py) turn the browser's cache off.
    """
    handler = partial(_Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def toc_pages() -> list[str]:
    """Every page in ``_toc.yml``, as paths relative to the site root (``book/index.html``)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            pages.append(chapter["file"])
    return [f"{page}.html" for page in pages]


def site_pages() -> list[str]:
    """Every page of both languages: :func:`toc_pages`, then each one's Russian (``ru/book/index.html``)."""
    from .russian_site import FOLDER

    english = toc_pages()
    return [*english, *(f"{FOLDER}/{page}" for page in english)]


def page_language(page: str) -> str:
    """The language of a page of :func:`site_pages`: ``ru`` under ``ru/``, else ``en``."""
    from .russian_site import FOLDER, LANGUAGE

    return LANGUAGE if page.startswith(f"{FOLDER}/") else "en"


def chromium_path() -> Path | None:
    """Debian's Chromium, if installed; the tests never download a browser."""
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return Path(candidate)
    return None


#: Flags for headless Chromium on a machine with no network beyond loopback. The resolver rule
#: makes every host name fail to resolve, so a page can reach only 127.0.0.1 even where the
#: machine is online (``watch_outside`` notes what it tried). The browser blocks these itself:
#: blocking by intercepting each request (Playwright's ``page.route``) would also turn off the
#: HTTP cache (https://playwright.dev/python/docs/api/class-page#page-route), and every page
#: would fetch and compile the theme's scripts and styles again.
CHROMIUM_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


#: True once every chart on the page shows a drawing and none is being handed to Vega: each chart
#: arrives drawn (staticcharts), and charts.js marks a chart it is handing over "loading" until
#: Vega's drawing is in place (or "failed", keeping the static one). Give it to ``page.wait_for_function``.
WAIT_FOR_CHARTS = """() => Array.from(document.querySelectorAll('figure.csto-chart'))
  .every(f => !f.classList.contains('csto-chart-loading') && f.querySelector('svg.marks, img.csto-chart-drawing'))"""

#: True once every chart with controls that is not folded away has been handed to Vega.
WAIT_FOR_LIVE = """() => Array.from(document.querySelectorAll('figure.csto-chart[data-live="controls"]'))
  .filter(f => f.getClientRects().length)
  .every(f => f.classList.contains('csto-chart-live') || f.classList.contains('csto-chart-failed'))"""

#: Bring each chart with controls to the screen in turn, as a reader scrolling down would.
SCROLL_TO_CONTROLS = """async () => {
  for (const f of document.querySelectorAll('figure.csto-chart[data-live="controls"]')) {
    f.scrollIntoView({block: 'center', behavior: 'instant'});
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  }
}"""


def go_live(page: Any, timeout_ms: int = 15_000) -> None:
    """Scroll to every chart with controls, so that charts.js hands it to Vega, and wait until
    Vega has drawn them all (the browser tests that move a slider or a drop-down start here)."""
    page.evaluate(SCROLL_TO_CONTROLS)
    page.wait_for_function(WAIT_FOR_LIVE, timeout=timeout_ms)
    page.wait_for_function(WAIT_FOR_CHARTS, timeout=timeout_ms)


def watch_outside(page: Any, base: str, outside: list[str]) -> None:
    """Note in ``outside`` every request ``page`` makes to anything but our server (data: and
    blob: URLs aside), so a page that needs the internet is found; with ``CHROMIUM_ARGS`` such a
    request fails, as it would for a reader offline."""
    origin = urlparse(base).netloc

    def seen(request: Any) -> None:
        target = urlparse(request.url)
        if target.scheme not in ("data", "blob") and target.netloc != origin:
            outside.append(request.url)

    page.on("request", seen)
