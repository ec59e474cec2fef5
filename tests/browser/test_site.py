"""The published book in a real browser, in English and in Russian (``ru/``): every page loads
from 127.0.0.1 alone, shows its charts (drawn when the book was built), shows a note in place of
each ipywidgets explorer (and loads no widget manager), fits a laptop's screen (layout.py;
test_responsive.py checks a phone's), passes axe-core, and, once Vega has taken a chart over, its
controls change its drawing.

Needs Debian's Chromium (/usr/bin/chromium) and a built book (`make book`). Without them the
tests are skipped with a reason; CI sets CSTO_REQUIRE_BROWSER=1, which turns a skip into a
failure.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest

from csto_course.language import translate
from csto_course.website.layout import LAPTOP, assert_fits, settle
from csto_course.website.render import WIDGET_VIEW_MIME
from csto_course.website.server import (
    HTML,
    ROOT,
    WAIT_FOR_CHARTS,
    go_live,
    page_language,
    site_pages,
    toc_pages,
    watch_outside,
)

pytestmark = pytest.mark.browser

AXE = ROOT / "tools" / "vendor" / "dist" / "axe.min.js"
#: axe-core rules the theme breaks and we cannot fix here; each is listed, with the reason,
#: on book/accessibility.md. Empty: no page has a critical or serious violation.
ALLOWED_AXE_RULES: set[str] = set()


@dataclass
class Visit:
    """What happened while a page loaded."""

    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


def visit_page(
    contexts: Callable[..., object], site: str, page_path: str, *, live: bool = False
) -> tuple[object, Visit]:
    """Open ``page_path`` with requests watched, and wait until its charts show; with ``live``,
    scroll to each chart with controls and wait until Vega has taken it over."""
    visit = Visit()
    page = open_page(contexts, site, visit)
    page.goto(site + page_path, wait_until="load")
    page.wait_for_function(WAIT_FOR_CHARTS, timeout=15_000)
    if live:
        go_live(page)
    return page, visit


def open_page(contexts: Callable[..., object], url: str, visit: Visit, **context: object) -> object:
    """A new page (a laptop's screen unless ``context`` says otherwise) whose requests to anything
    but our server are recorded (the browser cannot reach them), as are its errors."""
    context = {"viewport": {"width": LAPTOP, "height": 900}, **context}
    page = contexts(**context).new_page()  # type: ignore[attr-defined]
    origin = urlparse(url).netloc
    watch_outside(page, url, visit.outside)
    page.on("console", lambda m: m.type == "error" and visit.console.append(m.text))
    page.on("pageerror", lambda e: visit.console.append(f"uncaught: {e}"))
    page.on(
        "requestfailed",
        lambda r: urlparse(r.url).netloc == origin and visit.failed.append(f"{r.url} ({r.failure})"),
    )
    page.on("response", lambda r: r.status >= 400 and visit.failed.append(f"{r.url} (HTTP {r.status})"))
    return page


#: A script a page might fetch from a CDN, were it not self-contained.
OUTSIDE_URL = "https://cdn.jsdelivr.net/npm/vega@5"

#: The text of a chart's title (Vega draws each line as a <text>), for charts whose title a control changes.
TITLE_TEXT = """(figure) => Array.from(figure.querySelectorAll('svg .role-title-text text, svg .role-title text'))
  .map(t => t.textContent).join(' ')"""


def chart_with(page: object, control: str, page_path: str) -> object:
    """The figure on the page holding a chart whose controls include ``control`` (a CSS selector)."""
    figures = page.locator("figure.csto-chart")  # type: ignore[attr-defined]
    for i in range(figures.count()):
        if figures.nth(i).locator(control).count():
            return figures.nth(i)
    raise AssertionError(f"{page_path}: no chart with a control {control}")


def _explorers(page_path: str) -> int:
    """How many ipywidgets explorers the lesson behind ``page_path`` saved (0 for other pages).

    An explorer needs a running kernel, so the website shows a note in its place
    (bookrender.py, ``.csto-widget-note``).
    """
    # A Russian lesson's code cells and outputs are its English source's.
    notebook = ROOT / page_path.removeprefix("ru/").replace(".html", ".ipynb")
    if not notebook.exists():
        return 0
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(WIDGET_VIEW_MIME in out.get("data", {}) for cell in cells for out in cell.get("outputs", []))


#: Every script the page loaded (Resource Timing, so one a script added later counts) or names in a <script src>.
SCRIPTS = """() => [
  ...performance.getEntriesByType('resource').filter(e => e.initiatorType === 'script').map(e => e.name),
  ...Array.from(document.querySelectorAll('script[src]')).map(s => s.src),
]"""
#: The ipywidgets HTML manager and its AMD loader, which the website no longer serves.
WIDGET_MANAGER_SCRIPTS = ("embed-amd", "require")

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@pytest.mark.parametrize("page_path", site_pages())
def test_page_loads_offline_draws_everything_fits_a_laptop_and_passes_axe(
    site: str, contexts: Callable[..., object], page_path: str
) -> None:
    page, visit = visit_page(contexts, site, page_path)  # 1280 x 900
    page.wait_for_timeout(300)  # the icon and text fonts arrive after load

    charts = page.locator("figure.csto-chart")
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert "csto-chart-failed" not in (chart.get_attribute("class") or ""), chart.inner_text()
        # The drawing shown, an SVG image made when the book was built, has arrived and has the
        # chart's text alternative, which is also the figure's caption.
        drawing = chart.locator("img.csto-chart-drawing").filter(visible=True)
        if not chart.is_visible():
            continue  # folded away (settle() opens it for the checks below)
        assert drawing.count() == 1, f"chart {i} on {page_path} shows {drawing.count()} drawings"
        drawing.evaluate("img => { img.loading = 'eager'; return img.decode(); }")
        assert drawing.evaluate("img => img.naturalWidth") > 0, f"chart {i} on {page_path} drew nothing"
        caption = chart.locator("figcaption")
        # textContent, not innerText: a cell far from the screen is not rendered yet (course.css,
        # content-visibility), and innerText reads only rendered text; screen readers read it all.
        label = translate("Text alternative:", page_language(page_path))
        description = " ".join((caption.text_content() or "").split()).removeprefix(label).strip()
        assert len(description) > 40, f"chart {i} on {page_path} has no text alternative"
        assert drawing.get_attribute("alt") == description, f"chart {i} on {page_path}: alt text"
    notes = page.locator(".csto-widget-note")
    assert notes.count() == _explorers(page_path), f"{page_path}: {notes.count()} explorer note(s)"
    for note in notes.all():
        assert note.is_visible() and note.get_attribute("role") == "note", f"explorer note on {page_path}"
    fonts = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name).filter(n => /webfonts/.test(n))"
    )
    assert not fonts, f"{page_path} loads icon fonts (icons.css draws the icons): {fonts}"
    manager = [url for url in page.evaluate(SCRIPTS) if any(name in url.lower() for name in WIDGET_MANAGER_SCRIPTS)]
    assert not manager, f"{page_path} loads the widget manager: {manager}"
    for image in page.locator("main img").all():
        assert image.get_attribute("alt") is not None, f"image without alt text on {page_path}"

    settle(page)  # folded charts opened, so that axe reads them too
    assert_fits(page, page_path, LAPTOP)

    page.add_script_tag(path=str(AXE))
    violations = [
        v for v in page.evaluate(AXE_RUN) if v["impact"] in ("critical", "serious") and v["id"] not in ALLOWED_AXE_RULES
    ]
    page.close()

    assert not visit.outside, f"{page_path} tried to reach other hosts: {visit.outside}"
    assert not visit.failed, f"{page_path} had failed requests: {visit.failed}"
    assert not visit.console, f"{page_path} logged errors: {visit.console}"
    assert not violations, f"{page_path} has axe violations: {violations}"


def _pages_with_chart_controls() -> list[str]:
    """Pages whose charts carry a control bound to a parameter (a slider or a drop-down)."""
    pages = []
    for page in site_pages():
        path = HTML / page
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if 'data-live="controls"' in text:
            pages.append(page)
    return pages


CHANGE_CONTROL = """(el) => {
  if (el.tagName === 'SELECT') {
    el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
    el.dispatchEvent(new Event('change', {bubbles: true}));
  } else {
    el.value = (String(el.value) === el.max) ? el.min : el.max;
    el.dispatchEvent(new Event('input', {bubbles: true}));
  }
}"""


def test_a_request_to_another_host_is_recorded_and_refused(site: str, contexts: Callable[..., object]) -> None:
    """The guard behind "loads offline": what a page asks of another host is noted, and the
    browser (CHROMIUM_ARGS) never reaches that host, even on a machine that is online."""
    visit = Visit()
    page = open_page(contexts, site, visit)
    page.goto(site + toc_pages()[0], wait_until="load")  # type: ignore[attr-defined]
    outcome = page.evaluate(  # type: ignore[attr-defined]
        "(url) => fetch(url, {mode: 'no-cors'}).then(() => 'reached', e => String(e))", OUTSIDE_URL
    )
    page.close()  # type: ignore[attr-defined]
    assert visit.outside == [OUTSIDE_URL]
    assert outcome != "reached", f"the browser reached {OUTSIDE_URL}"


def test_some_page_has_an_interactive_chart() -> None:
    assert _pages_with_chart_controls(), "no chart in the book has a slider or drop-down"


def test_some_lesson_has_an_explorer_so_the_note_check_is_not_empty() -> None:
    assert sum(_explorers(page) for page in toc_pages()) > 0, "no lesson saved an ipywidgets explorer"


@pytest.mark.parametrize("page_path", _pages_with_chart_controls())
def test_every_chart_control_changes_its_chart(site: str, contexts: Callable[..., object], page_path: str) -> None:
    page, visit = visit_page(contexts, site, page_path, live=True)
    figures = page.locator("figure.csto-chart")
    checked = 0
    for i in range(figures.count()):
        figure = figures.nth(i)
        controls = figure.locator(".vega-bindings input[type=range], .vega-bindings select")
        if controls.count():
            assert "csto-chart-live" in (figure.get_attribute("class") or ""), f"chart {i} was not taken over"
        for j in range(controls.count()):
            before = figure.locator("svg").first.inner_html()
            controls.nth(j).evaluate(CHANGE_CONTROL)
            page.wait_for_timeout(300)
            after = figure.locator("svg").first.inner_html()
            assert before != after, f"control {j} of chart {i} on {page_path} did not change the chart"
            checked += 1
    page.close()
    assert checked, f"{page_path}: no control found"
    assert not visit.outside and not visit.console, (visit.outside, visit.console)
