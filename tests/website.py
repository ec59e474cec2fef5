"""Serve and inspect the built website: a local server, the list of pages and the script that
waits for a page's charts, for the tests, the benchmarks, make pdf and make shots.

It lives with the tests, not in the course package, so students never install it; the
benchmarks in bench/ import it as ``tests.website``.

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

ROOT = Path(__file__).resolve().parents[1]
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
    """Static files, gzip-compressed when the browser accepts it."""

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def send_head(self):  # type: ignore[override]
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
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(
    directory: Path = HTML, handler_class: type[http.server.SimpleHTTPRequestHandler] | None = None
) -> Iterator[str]:
    """Serve ``directory`` on a free port of 127.0.0.1; yields the base URL.

    The default handler gzips like a static host, for the page-weight figures; ``make pdf``
    passes a plain one so that Chromium caches the scripts every page shares.
    """
    handler = partial(handler_class or _Handler, directory=str(directory))
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


def chromium_path() -> Path | None:
    """Debian's Chromium, if installed; the tests never download a browser."""
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return Path(candidate)
    return None


#: Flags for headless Chromium on a machine with no network beyond loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


#: True once every chart on the page is drawn (or has said it could not be): charts.js marks each
#: figure. Give it to ``page.wait_for_function``.
WAIT_FOR_CHARTS = """() => {
  const all = document.querySelectorAll('figure.csto-chart').length;
  const done = document.querySelectorAll('figure.csto-chart-drawn, figure.csto-chart-failed').length;
  return all === done;
}"""


def local_only(page: Any, base: str, outside: list[str] | None = None) -> None:
    """Let ``page`` load only from our server (and data: or blob: URLs); other requests are
    aborted, and noted in ``outside`` when given, so a page that needs the internet is found."""
    origin = urlparse(base).netloc

    def route(r: Any) -> None:
        target = urlparse(r.request.url)
        if target.scheme in ("data", "blob") or target.netloc == origin:
            r.continue_()
        else:
            if outside is not None:
                outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
