"""Fixtures for the browser tests: the built site on a local server, and Debian's Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from ..website import CHROMIUM_ARGS, HTML, chromium_path, serve


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
