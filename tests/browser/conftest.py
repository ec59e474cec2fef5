"""Fixtures for the browser tests: the built site on a local server, and Debian's Chromium."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator

import pytest

from csto_course.website.server import CHROMIUM_ARGS, HTML, chromium_path, serve


def _unavailable(reason: str) -> None:
    if os.environ.get("CSTO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (CSTO_REQUIRE_BROWSER=1: browser tests are required here)")
    pytest.skip(f"{reason}. To run the browser tests: sudo apt-get install chromium, make book, make test.")


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    if not (HTML / "book" / "index.html").exists():
        _unavailable("The book has not been built (_build/html is missing)")
    with serve(HTML) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    chromium = chromium_path()
    if chromium is None:
        _unavailable("Chromium is not installed, so the browser tests were skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def contexts(browser: object) -> Iterator[Callable[..., object]]:
    """``contexts(**options)``: a browser context per set of options (screen size, zoom), shared
    by the tests as a reader's tabs share one browser: after the first page, the theme's
    scripts, styles and fonts come from the HTTP cache. Each test closes the pages it opens."""
    made: dict[str, object] = {}

    def context(**options: object) -> object:
        key = json.dumps(options, sort_keys=True)
        if key not in made:
            made[key] = browser.new_context(**options)  # type: ignore[attr-defined]
        return made[key]

    yield context
    for opened in made.values():
        opened.close()  # type: ignore[attr-defined]
