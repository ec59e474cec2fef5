"""Charts drawn when the book is built: each Vega-Lite chart as SVG, so a reader sees it without
waiting for Vega, without JavaScript, in the PDF and in a feed reader.

vl-convert-python, the Vega project's converter, runs Vega itself (no browser, no network) and
writes the SVG that Vega's own SVG renderer would. A chart is drawn at each of ``WIDTHS``, each
drawing a file of its own that the page shows as an image (render.write_charts): the page's
HTML stays small and its DOM short, and a drawing far down the page is fetched only when the
reader comes near it. The page shows the widest drawing that fits its column (a CSS container
query in course.css), scaled to the column's width.
Where a chart has a control (a slider, a drop-down), the page also carries its controls as
Vega's own markup, so that when ``_static/charts.js`` hands the chart to Vega (see render.py)
Vega's drawing and controls take the same room: nothing on the page moves.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vl_convert

#: The widths, in pixels, a chart is drawn at. The page shows the widest one that fits its
#: column (300 below 400 px, and so on) scaled to the column, at most 1.33 times: on a phone (a
#: 342 to 364 px column) the 300 px drawing, on a 1280 px laptop (672 px) the 640 px one, and
#: on a wide screen or a projector (774 px, the theme's widest) the 760 px one. charts.js picks
#: the same width when Vega takes over, and course.css holds the same breakpoints.
WIDTHS = (300, 400, 520, 640, 760)

#: The Vega-Lite release vl-convert compiles with: the minor version of the site's vega-lite.min.js.
VL_VERSION = "5.20"

#: Names the drawings this code makes: a chart's files are named by its spec and this, so a
#: change to the code or to vl-convert gives new files, never yesterday's drawings.
DRAWING_VERSION = hashlib.sha1(Path(__file__).read_bytes() + version("vl-convert-python").encode()).hexdigest()[:8]

#: The charts' typeface on the website: Arial, or a font drawn to Arial's widths (Liberation Sans
#: on Linux; Helvetica's are close). Vega places every label by the width of its text, so the
#: drawing made here matches Vega's in the reader's browser only if both measure the same font:
#: vl-convert measures Liberation Sans, and a browser on Windows, macOS, iOS or Linux draws
#: Arial or Liberation Sans. The lessons' own theme (``system-ui``, views.charts) resolves to a
#: different font on each system, so the website's copy of a chart names this one instead.
CHART_FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"

_SIZE = re.compile(r'\bwidth="([\d.]+)" height="([\d.]+)"')
#: What Vega writes on each mark for screen readers (its tooltip's text, its kind). A drawing is
#: one image, named by the figure's caption: assistive technology never reads inside it, so these
#: are left out of the static drawings, about half their bytes. Vega's live drawing has them.
_MARK_ARIA = re.compile(r'(?<=<)(?!svg\b)([a-z]+\b[^>]*?) (?:aria-label|aria-roledescription|role)="[^"]*"')
#: Coordinates in shapes and transforms, to two decimals: a hundredth of a pixel cannot be seen.
_GEOMETRY = re.compile(r'\b(d|transform|x|y|x2|y2|width|height)="([^"]*)"')
_LONG_DECIMAL = re.compile(r"(\d+\.\d\d)\d+")


def for_website(spec: dict[str, Any]) -> dict[str, Any]:
    """The chart as the website draws it, both here and in Vega: in ``CHART_FONT``."""
    out = copy.deepcopy(spec)
    out.setdefault("config", {})["font"] = CHART_FONT
    return out


def has_controls(spec: dict[str, Any]) -> bool:
    """Whether the chart has a control bound to a parameter (Vega must run for it to move)."""
    return any("bind" in param for param in spec.get("params", []))


def at_width(spec: dict[str, Any], width: int) -> dict[str, Any]:
    """The chart as Vega draws it in a column of ``width`` pixels (charts.responsive marks the
    charts that follow their column; any other chart keeps its own width)."""
    sized = copy.deepcopy(spec)
    if sized.get("usermeta", {}).get("csto", {}).get("width") == "container":
        sized["width"] = width
    return sized


def svg(spec: dict[str, Any], width: int) -> str:
    """The chart drawn at ``width``: an SVG file of its own (the page shows it with ``<img>``)."""
    drawn = vl_convert.vegalite_to_svg(at_width(spec, width), vl_version=VL_VERSION)
    opening = drawn.index(">")
    head, body = drawn[:opening], drawn[opening:]
    while True:  # one attribute per element and pass
        body, count = _MARK_ARIA.subn(r"\1", body)
        if not count:
            break
    body = _GEOMETRY.sub(lambda m: m[1] + '="' + _LONG_DECIMAL.sub(r"\1", m[2]) + '"', body)
    return head + body


def widths(spec: dict[str, Any]) -> tuple[int, ...]:
    """The widths the chart is drawn at: every one of ``WIDTHS`` for a chart that follows its
    column, its own width for any other."""
    if spec.get("usermeta", {}).get("csto", {}).get("width") == "container":
        return WIDTHS
    return (int(spec.get("width", WIDTHS[-1])),)


def drawing_html(width: int, drawing: str, url: str, alt: str) -> str:
    """One drawing on the page: an image of the SVG file at ``url``, as large as drawn (so the
    browser keeps its room before the file arrives), in a box course.css shows or hides by the
    column's width. It loads when it comes near the screen (``loading="lazy"``)."""
    size = _SIZE.search(drawing[: drawing.index(">")])
    if size is None:
        raise ValueError("a drawing without a width and a height")
    return (
        f'<div class="csto-chart-static" data-width="{width}"><img class="csto-chart-drawing" src="{url}" '
        f'width="{round(float(size[1]))}" height="{round(float(size[2]))}" alt="{html.escape(alt)}" '
        'loading="lazy" decoding="async"></div>'
    )


def _value_text(value: Any) -> str:
    """A parameter's value as Vega writes it beside a slider (JavaScript's String(value))."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "null" if value is None else str(value)


def _bind(param: dict[str, Any]) -> str:
    """One control as vega-view 5 writes it (``vega-bind`` > ``label`` > name and input)."""
    bind, name, value = param["bind"], param["name"], param.get("value")
    label = html.escape(str(bind.get("name", name)))
    if bind["input"] == "range":
        limits = "".join(f' {key}="{_value_text(bind[key])}"' for key in ("min", "max", "step") if key in bind)
        field = (
            f'<input type="range" name="{html.escape(name)}"{limits} value="{html.escape(_value_text(value))}">'
            f"<span>{html.escape(_value_text(value))}</span>"
        )
    elif bind["input"] == "select":
        labels = bind.get("labels") or [_value_text(option) for option in bind["options"]]
        options = "".join(
            f'<option value="{html.escape(_value_text(option))}"{" selected" if option == value else ""}>'
            f"{html.escape(str(text))}</option>"
            for option, text in zip(bind["options"], labels, strict=True)
        )
        field = f'<select name="{html.escape(name)}">{options}</select>'
    else:
        raise ValueError(f"parameter {name!r}: no static markup for a {bind['input']!r} control")
    return f'<div class="vega-bind"><label><span class="vega-bind-name">{label}</span>{field}</label></div>'


def controls(spec: dict[str, Any]) -> str:
    """The chart's controls as Vega writes them, shown (with JavaScript on) until Vega replaces them."""
    binds = "".join(_bind(param) for param in spec.get("params", []) if "bind" in param)
    # pst-js-only: the theme hides these when JavaScript is off, where they could not move the chart.
    return f'<form class="vega-bindings csto-static-bindings pst-js-only">{binds}</form>' if binds else ""


def spec_json(spec: dict[str, Any]) -> str:
    """The spec as JSON that is safe inside a ``<script>`` element."""
    return json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
