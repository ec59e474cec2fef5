"""How a page of the book fits its screen: the checks that the phone test (test_responsive.py)
and the laptop-width visit (test_site.py) share, and the settling ``make shots`` waits for.

- nothing is wider than the screen, except inside a box that scrolls sideways (a table, a
  code cell) and that itself fits; the page never scrolls sideways;
- every chart (folded outputs opened) lies wholly inside its figure, with no text smaller
  than ``charts.MIN_FONT_SIZE`` as shown (a drawing is scaled to its column).
"""

from __future__ import annotations

import contextlib
from typing import Any

from ..views import charts

PHONE, LAPTOP = 390, 1280

#: Open every folded output that holds a chart (a solution's figure); returns how many were opened.
OPEN_FOLDED_CHARTS = """() => {
  const folded = Array.from(document.querySelectorAll('details:not([open])'))
    .filter(d => d.querySelector('figure.csto-chart'));
  folded.forEach(d => { d.open = true; });
  return folded.length;
}"""

#: Elements that run past the right (or left) edge of the screen and are not inside a box
#: that scrolls sideways and itself fits. Inside an SVG, shapes cut off by a clip path
#: report their whole size, so only the <svg> itself is measured.
WIDER_THAN_SCREEN = """() => {
  const vw = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) {
        const r = a.getBoundingClientRect();
        if (r.left >= -1 && r.right <= vw + 1) return true;
      }
    }
    return false;
  };
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.right <= vw + 1 && r.left >= -1) || !shown(el) || scrolls(el)) continue;
    const name = el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    found.push(`${name} (${Math.round(r.left)} to ${Math.round(r.right)} px)`);
  }
  return {found, pageWidth: document.documentElement.scrollWidth, vw};
}"""

#: The drawing a chart shows now: Vega's SVG, or the one of the static drawings (SVG images, one
#: per width, staticcharts.WIDTHS) that course.css shows at this column's width.
SHOWN_DRAWING = """(figure) => Array.from(figure.querySelectorAll(
  '.csto-chart-view svg.marks, .csto-chart-view img.csto-chart-drawing'))
  .find(d => d.getClientRects().length > 0) || null"""

#: The SVG document of a drawing (Vega's, or a static drawing's file, fetched and parsed), and
#: the scale at which it is shown (its width on the page over the width it was drawn at).
DRAWN_SVG = """async (drawing) => {
  const svg = drawing.tagName === 'IMG'
    ? new DOMParser().parseFromString(await (await fetch(drawing.src)).text(), 'image/svg+xml').documentElement
    : drawing;
  return {svg, scale: drawing.getBoundingClientRect().width / parseFloat(svg.getAttribute('width'))};
}"""

#: For each chart: does its drawing lie inside its figure's box, and how small is its text as
#: shown (a drawing is scaled to its column, so its text is its font size times that scale)?
CHART_BOXES = f"""async () => Promise.all(Array.from(document.querySelectorAll('figure.csto-chart'))
 .map(async (figure, i) => {{
  const view = figure.querySelector('.csto-chart-view');
  const drawing = ({SHOWN_DRAWING})(figure);
  const arrived = drawing && (drawing.tagName !== 'IMG' || (drawing.complete && drawing.naturalWidth > 0));
  if (!arrived) return {{i, drawn: false}};
  const {{svg, scale}} = await ({DRAWN_SVG})(drawing);
  const f = figure.getBoundingClientRect(), v = view.getBoundingClientRect(), s = drawing.getBoundingClientRect();
  const sizes = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim())
    .map(t => parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * scale);
  return {{i, drawn: true, svgWidth: Math.round(s.width), viewWidth: Math.round(v.width),
    inside: s.left >= f.left - 1 && s.right <= f.right + 1 && s.left >= v.left - 1 && s.right <= v.right + 1,
    scrolls: view.scrollWidth > view.clientWidth + 1, smallest: Math.min(...sizes)}};
}}))"""

#: True once every drawn chart fits inside its box (the condition the tests then check).
CHARTS_FIT = f"async () => (await ({CHART_BOXES})()).every(b => !b.drawn || (b.inside && !b.scrolls))"


#: Load every chart's drawing now, not when it nears the screen (a full-page screenshot, a PDF),
#: and wait for them all.
LOAD_DRAWINGS = """async () => {
  const images = Array.from(document.querySelectorAll('img.csto-chart-drawing'));
  images.forEach(i => { i.loading = 'eager'; });
  await Promise.all(images.filter(i => i.getClientRects().length).map(i => i.decode().catch(() => null)));
}"""


def paint_everything(page: Any) -> None:
    """Make the screen as tall as the page, so that the browser paints all of it, before a
    full-page screenshot (``make shots`` and the screenshots the tests keep).

    The browser paints a lesson's cells and the references' entries only near the screen
    (content-visibility in course.css), as a reader scrolls; a full-page screenshot is taken
    beyond the screen, where they would be blank. A cell keeps a guessed height until it is
    painted, so the page's height is measured again until it no longer changes. The charts'
    drawings are then loaded and decoded (one decoded off the main thread may miss the capture).
    """
    width = page.viewport_size["width"]
    height = 0
    for _ in range(5):
        page_height = page.evaluate("() => document.documentElement.scrollHeight")
        if page_height == height:
            break
        height = page_height
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
    page.evaluate(LOAD_DRAWINGS)
    page.wait_for_timeout(200)


def settle(page: Any) -> None:
    """Open the folded outputs that hold a chart, load every drawing, and give every chart time
    to fit its column."""
    if page.evaluate(OPEN_FOLDED_CHARTS):
        page.wait_for_timeout(400)  # charts and tables measure their boxes again
    page.evaluate(LOAD_DRAWINGS)
    # A live chart follows its column through a ResizeObserver (charts.js); on a loaded machine
    # the redraw can come late. Wait for it (up to 5 s); a chart that never fits still fails.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(CHARTS_FIT, timeout=5_000)


def assert_fits(page: Any, page_path: str, width: int) -> None:
    """Nothing on the settled page is wider than the screen, and every chart fits its figure."""
    wide = page.evaluate(WIDER_THAN_SCREEN)
    boxes = page.evaluate(CHART_BOXES)
    assert wide["pageWidth"] <= wide["vw"], f"{page_path} at {width} px scrolls sideways ({wide['pageWidth']} px)"
    assert not wide["found"], f"{page_path} at {width} px: wider than the screen: {wide['found'][:8]}"
    for box in boxes:
        where = f"chart {box['i']} on {page_path} at {width} px"
        assert box["drawn"], f"{where} drew nothing"
        assert box["inside"] and not box["scrolls"], f"{where} is {box['svgWidth']} px in a {box['viewWidth']} px box"
        assert box["smallest"] >= charts.MIN_FONT_SIZE, f"{where} has {box['smallest']} px text"
