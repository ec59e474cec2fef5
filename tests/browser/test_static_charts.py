"""Charts drawn when the book is built (csto_course.website.staticcharts), and Vega on demand (charts.js).

- With JavaScript off, every chart on every page still shows, at a phone's and a laptop's width;
  the screenshots of two lessons that show it are saved in _build/screenshots (nojs__*.png).
- Vega draws what the build drew: when Vega takes a chart over, its drawing has the same size
  and the same marks as the static one it replaces, and nothing on the page moves (no layout
  shift, measured by the browser itself).
- Vega is loaded only when a chart needs it: never on a page without charts, and on a lesson only
  once a chart with controls comes near the screen.

Needs Debian's Chromium and a built book, as tests/browser/test_site.py does.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from csto_course.website.layout import DRAWN_SVG, LAPTOP, PHONE, SHOWN_DRAWING, paint_everything
from csto_course.website.server import HTML, SHOTS, WAIT_FOR_CHARTS, go_live, site_pages, toc_pages

from .test_site import Visit, open_page

pytestmark = pytest.mark.browser

CHART_PAGES = [
    p for p in site_pages() if "csto-chart" in ((HTML / p).read_text("utf-8") if (HTML / p).exists() else "")
]
#: The lessons whose screenshots without JavaScript are kept to look at: the map and the index builder.
SHOT_PAGES = ("notebooks/01_origins.html", "notebooks/04_crisis_to_decline.html")

#: For each chart: the drawing it shows (its size as drawn, and each mark group's class and
#: number of items), the figure's box, and the top of what follows the figure.
DRAWINGS = f"""async () => Promise.all(Array.from(document.querySelectorAll('figure.csto-chart')).map(async figure => {{
  const drawing = ({SHOWN_DRAWING})(figure);
  if (!drawing) return null;
  if (drawing.tagName === 'IMG') {{ drawing.loading = 'eager'; await drawing.decode(); }}
  const {{svg}} = await ({DRAWN_SVG})(drawing);
  const box = figure.getBoundingClientRect();
  const next = figure.nextElementSibling || figure.parentElement.nextElementSibling;
  return {{
    width: svg.getAttribute('width'), height: Number(svg.getAttribute('height')).toFixed(1),
    marks: Array.from(svg.querySelectorAll('g[class^="mark-"]')).map(g => g.getAttribute('class').split(' ')
      .filter(c => c.startsWith('mark-') || c.startsWith('role-')).join(' ') + ' ' + g.childElementCount),
    shown: drawing.getBoundingClientRect().width > 0,
    top: box.top + scrollY, figureHeight: box.height, after: next ? next.getBoundingClientRect().top + scrollY : null,
  }};
}}))"""

#: The page's layout shifts so far, as the browser scores them (Cumulative Layout Shift). The
#: observer reports the buffered shifts at once, or nothing when there were none.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  const observer = new PerformanceObserver(list => {
    list.getEntries().filter(e => !e.hadRecentInput).forEach(e => { total += e.value; });
  });
  observer.observe({type: 'layout-shift', buffered: true});
  setTimeout(() => { observer.takeRecords().forEach(e => { if (!e.hadRecentInput) total += e.value; });
    observer.disconnect(); resolve(total); }, 200);
})"""

#: Whether the page has asked for Vega's scripts.
VEGA_REQUESTED = """() => performance.getEntriesByType('resource').some(e => /vendor\\/vega/.test(e.name))"""


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
@pytest.mark.parametrize("page_path", CHART_PAGES)
def test_without_javascript_every_chart_shows(
    site: str, contexts: Callable[..., object], page_path: str, width: int
) -> None:
    page = contexts(viewport={"width": width, "height": 900}, java_script_enabled=False).new_page()  # type: ignore[attr-defined]
    page.goto(site + page_path, wait_until="load")
    figures = page.locator("figure.csto-chart")
    assert figures.count() > 0
    for i in range(figures.count()):
        figure = figures.nth(i)
        if not figure.is_visible():  # in a folded output: shown when opened, as any chart is
            continue
        shown = [d for d in figure.locator("img.csto-chart-drawing").all() if d.is_visible()]
        assert len(shown) == 1, f"chart {i} on {page_path} at {width} px shows {len(shown)} drawings"
        box, column = shown[0].bounding_box(), figure.locator(".csto-chart-view").bounding_box()
        assert box and column and abs(box["width"] - column["width"]) < 2, f"chart {i} on {page_path}: too narrow"
        assert box["height"] > 100, f"chart {i} on {page_path} at {width} px is {box['height']} px high"
        assert shown[0].evaluate("img => img.complete && img.naturalWidth") > 0, f"chart {i} on {page_path}: not loaded"
        drawn = HTML / page_path.rsplit("/", 1)[0] / str(shown[0].get_attribute("src"))
        assert drawn.resolve().read_text("utf-8").count("<path") > 5, f"chart {i} on {page_path}: an empty drawing"
        controls = figure.locator(".vega-bindings input, .vega-bindings select")
        assert not any(c.is_visible() for c in controls.all()), "controls that cannot move the chart are shown"
    if page_path in SHOT_PAGES:
        paint_everything(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"nojs__{width}__{page_path.replace('/', '__')[:-5]}.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
@pytest.mark.parametrize("page_path", CHART_PAGES)
def test_vega_draws_what_the_build_drew_and_nothing_moves(
    site: str, contexts: Callable[..., object], page_path: str, width: int
) -> None:
    visit = Visit()
    page = open_page(contexts, site, visit, viewport={"width": width, "height": 900})
    page.goto(site + page_path, wait_until="load")  # type: ignore[attr-defined]
    page.wait_for_function(WAIT_FOR_CHARTS)  # type: ignore[attr-defined]
    page.evaluate("document.fonts.ready.then(() => true)")  # type: ignore[attr-defined]
    static = page.evaluate(DRAWINGS)  # type: ignore[attr-defined]
    shifted = page.evaluate(LAYOUT_SHIFT)  # type: ignore[attr-defined]
    # Every chart, those without controls too (the pointer hands them over for their tooltips).
    page.evaluate("() => document.querySelectorAll('figure.csto-chart').forEach(f => window.cstoTakeOver(f))")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => Array.from(document.querySelectorAll('figure.csto-chart')).filter(f => f.getClientRects().length)"
        ".every(f => f.classList.contains('csto-chart-live'))",
        timeout=20_000,
    )
    live = page.evaluate(DRAWINGS)  # type: ignore[attr-defined]
    shift = page.evaluate(LAYOUT_SHIFT) - shifted  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
    assert not visit.console, visit.console
    for i, (before, after) in enumerate(zip(static, live, strict=True)):
        if not before or not before["shown"]:
            continue  # folded away: taken over only once opened
        where = f"chart {i} on {page_path} at {width} px"
        assert (after["width"], after["height"]) == (before["width"], before["height"]), f"{where}: size"
        assert after["marks"] == before["marks"], f"{where}: Vega drew other marks than the build"
        assert abs(after["figureHeight"] - before["figureHeight"]) < 0.5, f"{where}: the figure changed height"
        assert after["after"] == pytest.approx(before["after"], abs=0.5), f"{where}: what follows it moved"
    assert shift < 0.001, f"{page_path} at {width} px: layout shift {shift:.4f} when Vega took over"


@pytest.mark.parametrize("page_path", [*(p for p in site_pages() if p.endswith(toc_pages()[0])), *CHART_PAGES])
def test_vega_is_loaded_only_when_a_chart_needs_it(site: str, contexts: Callable[..., object], page_path: str) -> None:
    visit = Visit()
    page = open_page(contexts, site, visit, viewport={"width": LAPTOP, "height": 900})
    page.goto(site + page_path, wait_until="load")  # type: ignore[attr-defined]
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    near = page.evaluate(  # type: ignore[attr-defined]
        """() => Array.from(document.querySelectorAll('figure.csto-chart[data-live="controls"]'))
          .some(f => f.getClientRects().length && f.getBoundingClientRect().top < innerHeight + 300)"""
    )
    requested = page.evaluate(VEGA_REQUESTED)  # type: ignore[attr-defined]
    controls = page.locator('figure.csto-chart[data-live="controls"]').count()  # type: ignore[attr-defined]
    if controls:
        go_live(page)
        assert page.evaluate(VEGA_REQUESTED), f"{page_path}: Vega was never loaded for its controls"  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
    assert requested == near, f"{page_path}: Vega {'loaded' if requested else 'not loaded'} at first, near={near}"
    assert not visit.failed and not visit.console, (visit.failed, visit.console)
