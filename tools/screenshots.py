"""Full-page screenshots of every page of the built book, English and Russian, on a phone and on a laptop.

    make shots      # or: .venv/bin/python tools/screenshots.py [--width 390 --width 1280] [page ...]

Each page in _toc.yml, and its Russian under ru/ (``ru/book/index``), is opened in Debian's
Chromium, from a server on 127.0.0.1 (as in the browser tests), at 390 px and 1280 px wide; once
its charts are drawn, and the folded outputs that hold a chart are opened, the whole page is saved
as _build/screenshots/<width>__<page>.png. The browser tests check what can be checked (nothing
wider than the screen, every chart inside its box: tests/browser/test_responsive.py); these
pictures are for a person to read, before a change is merged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from csto_course.website.layout import paint_everything, settle
from csto_course.website.server import (
    CHROMIUM_ARGS,
    HTML,
    ROOT,
    SHOTS,
    WAIT_FOR_CHARTS,
    chromium_path,
    serve,
    site_pages,
)

WIDTHS = (390, 1280)


def shot_name(page_path: str, width: int) -> str:
    """``notebooks/01_origins.html`` at 390 px -> ``390__notebooks__01_origins.png``."""
    return f"{width}__{page_path.replace('/', '__').replace('.html', '.png')}"


def take(browser: object, base: str, page_path: str, width: int, folder: Path = SHOTS) -> Path:
    """Save one full-page screenshot of ``page_path`` at ``width`` CSS pixels; returns its path."""
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(base + page_path, wait_until="load")
        page.wait_for_function(WAIT_FOR_CHARTS, timeout=15_000)
        settle(page)  # folded charts opened, and every chart fitted to its column
        page.evaluate("document.fonts.ready.then(() => true)")
        paint_everything(page)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / shot_name(page_path, width)
        page.screenshot(path=str(path), full_page=True)
        return path
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "pages", nargs="*", help="pages to shoot, as in _toc.yml, ru/ before a Russian one (default: every page)"
    )
    parser.add_argument("--width", type=int, action="append", help="CSS pixels (default: 390 and 1280)")
    args = parser.parse_args(argv)
    if not (HTML / "book" / "index.html").exists():
        print("The book has not been built: run make book first.", file=sys.stderr)
        return 1
    chromium = chromium_path()
    if chromium is None:
        print("Chromium is not installed: sudo apt-get install chromium.", file=sys.stderr)
        return 1
    known = site_pages()
    pages = [p if p.endswith(".html") else f"{p}.html" for p in args.pages] or known
    unknown = [p for p in pages if p not in known]
    if unknown:
        print(
            f"Not a page of the book: {', '.join(unknown)} (see _toc.yml; ru/ before a Russian page).", file=sys.stderr
        )
        return 1
    from playwright.sync_api import sync_playwright

    with serve(HTML) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        for page_path in pages:
            for width in args.width or WIDTHS:
                print(take(browser, base, page_path, width).relative_to(ROOT))
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
