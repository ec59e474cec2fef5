"""Charts drawn when the book is built (csto_course.website.staticcharts, render.figure_html)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from csto_course.views import charts
from csto_course.website import staticcharts
from csto_course.website.render import figure_html, write_charts

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.20.1.json",
    "data": {"values": [{"year": 1992 + i, "members": m} for i, m in enumerate([6, 6, 9, 9, 9])]},
    "mark": {"type": "line", "tooltip": True},
    "encoding": {
        "x": {"field": "year", "type": "quantitative"},
        "y": {"field": "members", "type": "quantitative"},
    },
    "width": 520,
    "autosize": {"type": "fit-x", "contains": "padding"},
    "usermeta": {"csto": {"width": "container"}},
    "description": "Line chart of the number of members by year, 1992 to 1996.",
    "params": [
        {
            "name": "year",
            "value": 1993,
            "bind": {"input": "range", "min": 1992, "max": 1996, "step": 1, "name": "Year "},
        },
        {
            "name": "kind",
            "value": None,
            "bind": {"input": "select", "options": [None, "war"], "labels": ["All", "War"]},
        },
    ],
}


def test_a_chart_is_drawn_into_a_file_at_every_width_and_shown_as_an_image(tmp_path: Path) -> None:
    html = figure_html(SPEC)
    chart_id = re.search(r'<figure class="csto-chart" id="(vl-[0-9a-f]+)" data-live="controls">', html)
    assert chart_id, html[:200]
    assert 'role="group"' not in html and "<noscript>" not in html, "markup the Nu HTML Checker refuses"
    page = write_charts(html, tmp_path, lambda path: f"../{path}")
    assert "application/json" not in page and f'data-spec="../_static/charts/{chart_id.group(1)}.json"' in page
    shown = re.findall(
        r'<div class="csto-chart-static" data-width="(\d+)"><img class="csto-chart-drawing" src="([^"]+)" '
        r'width="(\d+)" height="[\d.]+" alt="([^"]+)" loading="lazy"',
        page,
    )
    assert [int(w) for w, *_ in shown] == list(staticcharts.WIDTHS)
    for width, src, drawn_width, alt in shown:
        drawing = (tmp_path / src.rsplit("/", 1)[1]).read_text(encoding="utf-8")
        assert drawing.startswith("<svg") and f'width="{drawn_width}"' in drawing, "the image is as large as its file"
        assert int(drawn_width) == int(width), "a chart that follows its column is drawn as wide as the width"
        assert "aria-roledescription" not in drawing, "marks inside an image carry no ARIA"
        assert alt == SPEC["description"]
    assert json.loads((tmp_path / f"{chart_id.group(1)}.json").read_text())["description"] == SPEC["description"]


def test_the_static_controls_are_vegas_markup_with_the_specs_values() -> None:
    form = staticcharts.controls(SPEC)
    assert form.startswith('<form class="vega-bindings csto-static-bindings pst-js-only">')
    assert (
        '<label><span class="vega-bind-name">Year </span><input type="range" name="year" min="1992" max="1996" '
        'step="1" value="1993"><span>1993</span></label>'
    ) in form
    assert (
        '<select name="kind"><option value="null" selected>All</option><option value="war">War</option></select>'
        in form
    )
    assert staticcharts.controls({"mark": "bar"}) == ""


def test_the_website_draws_charts_in_an_arial_metric_font_and_leaves_the_lessons_spec_alone() -> None:
    lesson = {"config": {"font": charts._FONT}, "mark": "bar"}
    website = staticcharts.for_website(lesson)
    assert website["config"]["font"].startswith("Arial, 'Liberation Sans'")
    assert lesson["config"]["font"] == charts._FONT
