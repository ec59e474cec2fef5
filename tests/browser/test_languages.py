"""The link between a page and its counterpart in the other language, in a real browser: shown on
a phone and on a laptop, reached with the Tab key, followed with Enter to the same page in the
other language, whose own link leads back (csto_course.website.russian_site; tests/test_book.py
checks every page's link offline).

Needs Debian's Chromium and a built book, as tests/browser/test_site.py does.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from csto_course.website import russian_site
from csto_course.website.layout import LAPTOP, PHONE
from csto_course.website.server import page_language, site_pages

from .test_site import Visit, open_page

pytestmark = pytest.mark.browser

#: The landing page and the first lesson, in each language.
PAGES = [p for p in site_pages() if p.endswith(("book/index.html", "notebooks/01_origins.html"))]
IS_FOCUSED = "() => document.activeElement && document.activeElement.classList.contains('csto-language')"


def counterpart(page: str) -> str:
    if page_language(page) == russian_site.LANGUAGE:
        return page.removeprefix(f"{russian_site.FOLDER}/")
    return f"{russian_site.FOLDER}/{page}"


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
@pytest.mark.parametrize("page_path", PAGES)
def test_the_other_language_is_seen_reached_by_keyboard_and_leads_there_and_back(
    site: str, contexts: Callable[..., object], page_path: str, width: int
) -> None:
    visit = Visit()
    page = open_page(contexts, site, visit, viewport={"width": width, "height": 844})
    page.goto(site + page_path, wait_until="load")  # type: ignore[attr-defined]
    link = page.locator("a.csto-language")  # type: ignore[attr-defined]
    assert link.count() == 1, f"{page_path}: {link.count()} links to the other language"
    assert link.is_visible(), f"{page_path} at {width} px hides the link to the other language"
    box = link.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{page_path}: the link is off the screen"
    other = russian_site.counterpart("", page_language(page_path)).language
    assert link.get_attribute("hreflang") == link.get_attribute("lang") == other
    assert link.inner_text().strip() == russian_site.ENDONYMS[other]
    for _ in range(200):  # the skip link, the navigation, then the header's buttons
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        if page.evaluate(IS_FOCUSED):  # type: ignore[attr-defined]
            break
    else:
        pytest.fail(f"{page_path} at {width} px: Tab never reaches the link to the other language")
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url(site + counterpart(page_path))  # type: ignore[attr-defined]
    assert page.evaluate("() => document.documentElement.lang") == other  # type: ignore[attr-defined]
    page.locator("a.csto-language").click()  # type: ignore[attr-defined]
    page.wait_for_url(site + page_path)  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
    assert not visit.outside and not visit.failed and not visit.console, (visit.outside, visit.failed, visit.console)
