"""The book on a phone, on a laptop and on a projector: nothing runs past the screen, every
chart fits its figure and still works, and the year slider still answers the keyboard.

Every page, English and Russian, is opened at 390 px (a phone) here, and at 1280 px (a laptop) by test_site.py, in
the visit that also runs axe. At both widths (the checks are in layout.py),

- nothing is wider than the screen, except inside a box that scrolls sideways (a table, a
  code cell) and that itself fits; the page never scrolls sideways;
- every chart (folded outputs opened) lies wholly inside its figure, with no text smaller
  than ``charts.MIN_FONT_SIZE``;
- every chart control still changes its chart.

At 853 x 480 CSS pixels with a device scale factor of 1.5, which is what a 1280 x 720
projector shows with the browser zoomed to 150 %, a lesson chart and its caption fit on one
screen; the screenshot on book/accessibility.md is taken here. Full-page screenshots of every
page at both widths, to look at, are made by ``make shots`` (tools/screenshots.py), not here.

Needs Debian's Chromium and a built book, as tests/browser/test_site.py does.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterator

import pytest

from csto_course.views import charts
from csto_course.website.layout import LAPTOP, PHONE, assert_fits, settle
from csto_course.website.server import ROOT, SHOTS, WAIT_FOR_CHARTS, go_live, site_pages

from .test_site import CHANGE_CONTROL, Visit, _pages_with_chart_controls, open_page

#: 1280 x 720 at 150 % zoom: the page is laid out for 853 x 480 CSS pixels.
PROJECTOR = {"viewport": {"width": 853, "height": 480}, "device_scale_factor": 1.5}
PROJECTOR_SHOT = ROOT / "book" / "_static" / "images" / "projector-lesson1.png"
LESSON_1 = "notebooks/01_origins.html"

#: How far down the screen the page's sticky header reaches.
STUCK_AT_TOP = """() => Math.max(0, ...Array.from(document.querySelectorAll('body *')).filter(e => {
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  return ['sticky', 'fixed'].includes(s.position) && e.getClientRects().length && r.top <= 1 && r.width > 400;
}).map(e => e.getBoundingClientRect().bottom))"""


@pytest.fixture
def visit(site: str, contexts: Callable[..., object]) -> Iterator[object]:
    """Open a page at a given size, with requests watched as test_site does; closed afterwards."""
    opened: list[object] = []

    def go(page_path: str, live: bool = False, **context: object) -> tuple[object, Visit]:
        record = Visit()
        page = open_page(contexts, site, record, **context)
        opened.append(page)
        page.goto(site + page_path, wait_until="load")  # type: ignore[attr-defined]
        page.wait_for_function(WAIT_FOR_CHARTS, timeout=15_000)  # type: ignore[attr-defined]
        if live:
            go_live(page)
        settle(page)
        return page, record

    yield go
    for page in opened:
        page.close()  # type: ignore[attr-defined]


@pytest.mark.browser
@pytest.mark.parametrize("page_path", site_pages())
def test_nothing_is_wider_than_a_phone_and_every_chart_fits(visit: object, page_path: str) -> None:
    """At 1280 px the same is checked by test_site.py, in the visit that runs axe on the page."""
    page, record = visit(page_path, viewport={"width": PHONE, "height": 900})  # type: ignore[operator]
    assert_fits(page, page_path, PHONE)
    assert not record.console, f"{page_path} at {PHONE} px logged errors: {record.console}"


@pytest.mark.browser
@pytest.mark.parametrize("page_path", _pages_with_chart_controls())
def test_every_chart_control_changes_its_chart_on_a_phone(visit: object, page_path: str) -> None:
    page, record = visit(page_path, live=True, viewport={"width": PHONE, "height": 844})  # type: ignore[operator]
    figures = page.locator("figure.csto-chart")
    checked = 0
    for i in range(figures.count()):
        figure = figures.nth(i)
        controls = figure.locator(".vega-bindings input[type=range], .vega-bindings select")
        for j in range(controls.count()):
            control = controls.nth(j)
            assert "csto-chart-live" in (figure.get_attribute("class") or ""), f"chart {i} was not taken over"
            box = control.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, f"control {j} of chart {i} is off screen"
            before = figure.locator("svg").first.inner_html()
            control.evaluate(CHANGE_CONTROL)
            page.wait_for_timeout(300)
            assert figure.locator("svg").first.inner_html() != before, f"control {j} of chart {i} did nothing"
            checked += 1
    assert checked, f"{page_path}: no control found"
    assert not record.console, record.console


@pytest.mark.browser
@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_the_map_year_slider_is_reached_with_tab_and_redrawn_with_the_arrow_keys(visit: object, width: int) -> None:
    page, _ = visit(LESSON_1, viewport={"width": width, "height": 900})  # type: ignore[operator]
    # The map is the lesson's chart with a slider; its title names the year shown.
    figure = page.locator("figure.csto-chart").filter(has=page.locator("input[type=range]")).last
    slider = figure.locator(".vega-bindings input[type=range]")
    page.evaluate("() => { window.scrollTo(0, 0); if (document.activeElement) document.activeElement.blur(); }")
    for _ in range(1500):
        page.keyboard.press("Tab")
        if slider.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail(f"at {width} px, Tab never reached the map's year slider")
    # Reaching the chart hands it to Vega (charts.js), which keeps the slider focused.
    page.wait_for_function(
        "(f) => f.classList.contains('csto-chart-live')", arg=figure.element_handle(), timeout=15_000
    )
    assert slider.evaluate("el => el === document.activeElement"), "the slider lost the focus when Vega took over"
    assert "1 July" in figure.locator("svg").first.inner_html(), "the map's title names no date"
    year = int(slider.input_value())
    before = figure.locator("svg").first.inner_html()
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(300)
    assert int(slider.input_value()) == year - 1
    after = figure.locator("svg").first.inner_html()
    assert after != before and f"1 July {year - 1}" in after, "the arrow key did not redraw the map"


#: Each language's page of lesson 1, the words its caption opens with, and the screenshot of it that
#: the accessibility page shows (the Russian site shows the ``.ru`` one: website.russian_site).
PROJECTOR_PAGES = {
    "en": (LESSON_1, r"Figure\s+1\.1:\s+members\s+taking", PROJECTOR_SHOT),
    "ru": (f"ru/{LESSON_1}", r"рисунок\s+1\.1:\s+полноправные", PROJECTOR_SHOT.with_name("projector-lesson1.ru.png")),
}


@pytest.mark.browser
@pytest.mark.parametrize("language", sorted(PROJECTOR_PAGES))
def test_a_lesson_chart_and_its_caption_fit_a_projector_screen(visit: object, language: str) -> None:
    """Figure 1.1 (members by year) with its text alternative and its caption, on one screen at 150 %."""
    lesson, caption_opens, _ = PROJECTOR_PAGES[language]
    page, _ = visit(lesson, **PROJECTOR)  # type: ignore[operator]
    figure = page.locator("figure.csto-chart").first
    # The chart comes with the check's right answer; the paragraph under it names it and its source.
    caption = page.locator("p", has_text=re.compile(caption_opens)).first
    # Whatever stays at the top of the screen as the page scrolls (the theme's header) hides that much.
    top = page.evaluate(STUCK_AT_TOP)
    figure.evaluate(
        "(f, top) => window.scrollTo({top: scrollY + f.getBoundingClientRect().top - top - 8, behavior: 'instant'})",
        top,
    )
    page.wait_for_timeout(300)
    first = figure.bounding_box()
    last = caption.bounding_box()
    assert first and last
    height = PROJECTOR["viewport"]["height"]  # type: ignore[index]
    assert first["y"] >= top - 1, "the chart starts under the page's header"
    assert last["y"] + last["height"] <= height, (
        f"at 1280 x 720 and 150 % zoom the chart and its caption take {last['y'] + last['height'] - first['y']:.0f} "
        f"of {height - top:.0f} px"
    )
    assert first["width"] <= PROJECTOR["viewport"]["width"]  # type: ignore[index]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"projector__{language}__01_origins.png"))


@pytest.mark.parametrize("language", sorted(PROJECTOR_PAGES))
def test_projector_screenshot_is_on_the_accessibility_page(language: str) -> None:
    text = (ROOT / "book" / "accessibility.md").read_text(encoding="utf-8")
    shot = PROJECTOR_PAGES[language][2]
    assert shot.exists() and shot.stat().st_size < 200_000
    assert "_static/images/projector-lesson1.png" in text  # the Russian site stages the .ru picture under this name


# --------------------------------------------------------------------------- chart specs


def test_long_titles_wrap_as_the_chart_narrows() -> None:
    title = charts.wrapping_title("Members taking full part in the treaty, by year", beside=45).to_dict()
    expr = title["text"]["expr"]
    assert expr.count("?") == 2, "one line, two lines, or three"
    assert '"Members taking full part in the treaty, by year"' in expr
    assert '["Members taking full part", "in the treaty, by year"]' in expr


def test_course_charts_fit_their_width_and_follow_the_column_on_the_website() -> None:
    from csto_course import data, views
    from csto_course.exercises.answers import members_per_year
    from csto_course.views import maps

    specs = {
        "membership_gantt": charts.membership_gantt(data.load("membership"), data.load("states"), data.as_of()),
        "members_over_time": charts.members_over_time(members_per_year()),
        "membership_map": maps.membership_map(data.load("membership"), data.load("states"), data.load("timeline")),
        "crisis_timeline": views.crises.crisis_timeline(data.load("crises")),
    }
    for name, chart in specs.items():
        spec = chart.to_dict()
        # A fixed whole width in JupyterLab; as wide as the column on the website (charts.js).
        assert spec["width"] == charts.CHART_WIDTH, name
        assert spec["usermeta"] == {"csto": {"width": "container"}}, name
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}, name
        assert "vconcat" not in spec and "hconcat" not in spec and "concat" not in spec, f"{name}: cannot fit"
        sizes = [v for k, v in _items(spec) if k.endswith("ontSize") and isinstance(v, (int, float))]
        assert min(sizes) >= charts.MIN_FONT_SIZE, f"{name}: {min(sizes)} px text"


def _items(node: object) -> Iterator[tuple[str, object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _items(value)
    elif isinstance(node, list):
        for value in node:
            yield from _items(value)


# --------------------------------------------------------------------------- make shots


@pytest.mark.browser
def test_make_shots_saves_a_whole_page_and_refuses_an_unknown_one(
    site: str, browser: object, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("csto_screenshots", ROOT / "tools" / "screenshots.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    path = tool.take(browser, site, LESSON_1, PHONE, folder=tmp_path)
    assert path.name == "390__notebooks__01_origins.png"
    width, height = struct.unpack(">II", path.read_bytes()[16:24])  # the PNG header's size
    assert width == PHONE and height > 5 * 900, f"not the whole page: {width} x {height} px"
    assert tool.main(["book/nowhere"]) == 1
    assert (
        capsys.readouterr().err.strip()
        == "Not a page of the book: book/nowhere.html (see _toc.yml; ru/ before a Russian page)."
    )
