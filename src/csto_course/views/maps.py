"""Maps of the treaty states, year by year.

A state's status in year Y is its status on 1 July of Y; that rule lives in
:mod:`csto_course.measures` and is re-exported here for the lessons. :func:`membership_map`
draws it: an Altair (Vega-Lite 5) map with a year slider (a Vega-Lite parameter) that works
alike on the static website and in JupyterLab without a Python kernel: the country shapes are
embedded in the chart and every year's statuses, counts and events are computed here, so the
browser only looks them up.

Nothing here loads from a CDN or the network. The shapes are Natural Earth 1:110m, de facto
boundaries; see ``data/geo/README.md`` for what that means for Crimea and the Caucasus.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from .. import data
from ..errors import course_function, require_columns
from ..language import N_, _, current, display
from ..measures import (  # the course's one rule for a status in a year, re-exported for the lessons
    FIRST_YEAR,
    REFERENCE_MONTH_DAY,
    SPELL_COLUMNS,
    STATE_COLUMNS,
    VEGA_REFERENCE,
    check_day,
    check_year,
    last_year,
    reference_day,
    status_in_year,
    statuses_by_year,
)
from .charts import CHART_WIDTH, STATUS_COLOURS, responsive, with_alt_text

__all__ = [
    "REFERENCE_MONTH_DAY",
    "VEGA_REFERENCE",
    "FIRST_YEAR",
    "reference_day",
    "status_in_year",
    "statuses_by_year",
    "count_line",
    "load_region",
    "membership_map",
]

#: What the maps read from ``timeline``; a table without these is the wrong one.
_TIMELINE_COLUMNS = ("event_id", "date", "date_precision", "title", "source_id")

#: Where the country shapes live, relative to ``data.data_dir()``.
REGION_FILE = Path("geo") / "region-110m.topojson.json"

#: The TopoJSON object that holds the countries (see ``data/geo/README.md``).
REGION_OBJECT = "countries"

#: The names the map's two large tables go by in the chart's ``datasets``. They are attached
#: once, after the layers are built: Altair deep-copies a chart's inline data at every step
#: (``.project``, ``.encode``, ``layer``...), which took most of a second for the shapes alone.
REGION_DATA = "csto-region-shapes"
STATUS_DATA = "csto-statuses-by-year"
#: The lines under the map (each year's counts and events), read by four layers.
LINES_DATA = "csto-lines-by-year"

#: Countries that were never party to the treaty: a light grey that reads as background.
OTHER_FILL = "#EEEEEE"
TEXT_COLOUR = "#1a1a1a"
BORDER_COLOUR = "#FFFFFF"
NO_EVENTS = N_("No institutional events this year.")

#: The least height of the Vega-Lite map's view; the chart grows to hold what it draws.
_MIN_HEIGHT = 40

STATUSES = list(STATUS_COLOURS)

# Conic equal-area centred on 90°E: Russia from Kaliningrad to Chukotka stays in one piece
# (nothing in the region lies near 90°W, where the rotated map is cut), and areas are true,
# so Russia does not dwarf the Caucasus more than it really does.
PROJECTION_ROTATE = (-90.0, 0.0)
PROJECTION_PARALLELS = (40.0, 65.0)
# The frame is the treaty states' bounding box plus this share of its width or height on
# each side (more to the south, so the southern neighbours give Central Asia context).
_MARGIN = {"left": 0.02, "right": 0.02, "top": 0.02, "bottom": 0.10}


# --------------------------------------------------------------------------- statuses


def _counts(statuses: pd.DataFrame) -> dict[str, int]:
    counted = statuses["status"].astype(str).value_counts()
    return {s: int(counted.get(s, 0)) for s in STATUSES}


def _status_name(status: str) -> str:
    """A status as the map's legend and tooltips show it (``not a member`` is the map's, not the data's)."""
    return _("not a member") if status == "not a member" else display(status)


def _plural(status: str, n: int) -> str:
    if status == "member":
        return _("member") if n == 1 else _("members")
    if status == "not a member":
        return _("not a member") if n == 1 else _("not members")
    return display(status)


@course_function
def count_line(statuses: pd.DataFrame, year: int | None = None) -> str:
    """One line such as "In 2012: 6 members, 1 suspended, 2 not members." (zero counts left out)."""
    require_columns(statuses, ("status",), "count_line", made_by="status_in_year")
    year = _year_of(statuses) if year is None else year
    lead = _("In {year}: ").format(year=year) if year is not None else ""
    return lead + _count_text(statuses) + "."


def _count_text(statuses: pd.DataFrame) -> str:
    parts = [_("{count} {status}").format(count=n, status=_plural(s, n)) for s, n in _counts(statuses).items() if n]
    return ", ".join(parts) or _("no treaty states")


def _year_of(statuses: pd.DataFrame) -> int | None:
    if "year" in statuses.attrs:
        return int(statuses.attrs["year"])
    if "year" in statuses.columns and statuses["year"].nunique() == 1:
        return int(statuses["year"].iloc[0])
    return None


# --------------------------------------------------------------------------- shapes


@lru_cache(maxsize=4)
def _read_region(path: str) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise data.DataError(f"The country shapes are missing ({path}); `make vendor` writes them.") from None


@course_function
def load_region() -> dict[str, Any]:
    """The region's TopoJSON (27 countries, object ``countries``), read once per data folder.

    The same dict is returned on every call: treat it as read-only.
    """
    return _read_region(str(data.data_dir() / REGION_FILE))


def _geometries(topo: dict[str, Any]) -> list[dict[str, Any]]:
    return list(topo["objects"][REGION_OBJECT]["geometries"])


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Arcs as (longitude, latitude) lists: undo the delta encoding and the quantisation."""
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)
    return arcs


def _ring(indices: Sequence[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join arcs into a ring; a negative index ``~i`` means arc ``i`` backwards."""
    ring: list[tuple[float, float]] = []
    for k, index in enumerate(indices):
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if k == 0 else points[1:])  # arcs share their end points
    return ring


def _polygons(geometry: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> list[list[list[tuple[float, float]]]]:
    """A geometry as a list of polygons, each a list of rings (outer ring first)."""
    if geometry["type"] == "Polygon":
        return [[_ring(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[_ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
    return []


class _ConicEqualArea:
    """d3's ``geoConicEqualArea`` (rotated), in raw units before fitting; y grows northwards."""

    def __init__(self, rotate: Sequence[float] = PROJECTION_ROTATE, parallels: Sequence[float] = PROJECTION_PARALLELS):
        self.shift = rotate[0]
        phi0, phi1 = (math.radians(p) for p in parallels)
        self.n = (math.sin(phi0) + math.sin(phi1)) / 2
        self.c = 1 + math.sin(phi0) * (2 * self.n - math.sin(phi0))
        self.r0 = math.sqrt(self.c) / self.n

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        lam = (lon + self.shift + 180) % 360 - 180
        r = math.sqrt(self.c - 2 * self.n * math.sin(math.radians(lat))) / self.n
        angle = math.radians(lam) * self.n
        return r * math.sin(angle), self.r0 - r * math.cos(angle)

    def invert(self, x: float, y: float) -> tuple[float, float]:
        r0y = self.r0 - y
        angle = math.atan2(x, abs(r0y)) * math.copysign(1, r0y)
        if r0y * self.n < 0:  # beyond the cone's apex, as d3's invert corrects for
            angle -= math.pi * math.copysign(1, x) * math.copysign(1, r0y)
        lam = angle / self.n
        lat = math.asin((self.c - (x * x + r0y * r0y) * self.n * self.n) / (2 * self.n))
        lon = (math.degrees(lam) - self.shift + 180) % 360 - 180
        return lon, math.degrees(lat)


def _frame(topo: dict[str, Any], treaty_ids: Iterable[str]) -> tuple[float, float, float, float]:
    """The raw projected box (x0, y0, x1, y1) that holds the treaty states, with a margin."""
    project = _ConicEqualArea()
    arcs = _decode_arcs(topo)
    wanted = set(treaty_ids)
    xs: list[float] = []
    ys: list[float] = []
    for geometry in _geometries(topo):
        if str(geometry.get("id")) in wanted:
            for polygon in _polygons(geometry, arcs):
                for lon, lat in polygon[0]:
                    x, y = project(lon, lat)
                    xs.append(x)
                    ys.append(y)
    if not xs:
        raise data.DataError("None of the treaty states is in the region's shapes: check the ISO codes.")
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    w, h = x1 - x0, y1 - y0
    return (
        x0 - _MARGIN["left"] * w,
        y0 - _MARGIN["bottom"] * h,
        x1 + _MARGIN["right"] * w,
        y1 + _MARGIN["top"] * h,
    )


# --------------------------------------------------------------------------- Altair map


def _named(topo: dict[str, Any]) -> dict[str, Any]:
    """The shapes with each country's name in the reader's language (the same dict in English)."""
    if current() == "en":
        return topo
    objects = dict(topo["objects"])
    shapes = dict(objects[REGION_OBJECT])
    shapes["geometries"] = [
        {**g, "properties": {**g.get("properties", {}), "name": display(str(g.get("properties", {}).get("name", "")))}}
        for g in shapes["geometries"]
    ]
    objects[REGION_OBJECT] = shapes
    return {**topo, "objects": objects}


def _as_year(until: pd.Timestamp | int | str | None) -> int:
    if until is None:
        return last_year()
    if isinstance(until, (int, np.integer)) and not isinstance(until, bool):
        return check_year(until, "last year")
    return int(check_day(until, "last day").year)


#: Under the map, the year's events are listed one line each where the map is at least this
#: wide, and wrapped onto more, shorter lines where it is narrower (on a phone).
WIDE_MAP = 420

#: Characters per line of the events list: on a wide map, and on a narrow one (12 px text).
_LINE_CHARS = {"wide": 76, "narrow": 42}

#: Vertical distance between lines of the events list, in pixels.
_LINE_HEIGHT = 17


def _event_rows(timeline: pd.DataFrame, counts: dict[int, str], first: int, last: int) -> list[dict[str, Any]]:
    """The lines under the map for each year: its counts, a heading, then one row per event.

    ``counts`` gives each year's :func:`count_line`. A year without events gets a "no events"
    row. Each row carries its text wrapped for a wide and for a narrow map (``wide``,
    ``narrow``: lists of lines) and the line of that year's list it starts on in each layout
    (``wide_line``, ``narrow_line``, counting from 0); an event row also names its source.
    """
    frame = timeline.sort_values(["date", "event_id"], kind="stable")
    rows: list[dict[str, Any]] = []
    for y in range(first, last + 1):
        rows.append({"event_year": y, "label": counts[y], "kind": "count", "source": ""})
        rows.append({"event_year": y, "label": _("Events in {year}").format(year=y), "kind": "heading", "source": ""})
        chosen = frame[frame["date"].dt.year == y]
        for event in chosen.itertuples(index=False):
            precision = str(event.date_precision) if isinstance(event.date_precision, str) else "day"
            rows.append(
                {
                    "event_year": y,
                    "label": f"{data.iso_date(event.date, precision)}: {display(str(event.title))}",
                    "kind": "event",
                    "source": str(event.source_id),
                }
            )
        if chosen.empty:
            rows.append({"event_year": y, "label": _(NO_EVENTS), "kind": "none", "source": ""})
    lines = {layout: dict.fromkeys(range(first, last + 1), 0) for layout in _LINE_CHARS}
    for row in rows:
        for layout, chars in _LINE_CHARS.items():
            wrapped = textwrap.wrap(row["label"], chars) or [row["label"]]
            row[layout] = wrapped
            row[f"{layout}_line"] = lines[layout][row["event_year"]]
            lines[layout][row["event_year"]] += len(wrapped)
    return rows


@course_function
def membership_map(
    spells: pd.DataFrame,
    states: pd.DataFrame,
    timeline: pd.DataFrame,
    until: pd.Timestamp | int | None = None,
    *,
    start_year: int | None = None,
) -> alt.LayerChart:
    """A map of the treaty states coloured by status, with a year slider and that year's counts and events.

    Everything the slider needs is in the chart itself (the shapes, every year's statuses and
    events), so it works on the static website and in JupyterLab without Python running.
    ``until`` is the last year on the slider (a year or a date; default: the data's as-of
    date); ``start_year`` is the year shown first (default: ``until``).

    The map is as wide as the chart (on the website, the text column), up to ``CHART_WIDTH``,
    and keeps its shape: its height is its width times the frame's aspect ratio (the
    ``map_height`` parameter). The
    legend and the year's events are drawn under it; on a narrow map (less than ``WIDE_MAP``
    pixels) the legend takes two rows and long events wrap onto more lines.
    """
    require_columns(spells, SPELL_COLUMNS, "membership_map", "membership")
    require_columns(states, STATE_COLUMNS, "membership_map", "states")
    require_columns(timeline, _TIMELINE_COLUMNS, "membership_map", "timeline")
    last = _as_year(until)
    shown = last if start_year is None else check_year(start_year, "start year")
    shown = min(shown, last)
    topo = load_region()
    long = statuses_by_year(spells, states, FIRST_YEAR, last)
    long["key"] = long["iso_numeric"].astype(str) + "-" + long["year"].astype(str)
    lookup = [
        {**row, "name": display(str(row["name"])), "status": _status_name(str(row["status"]))}
        for row in long[["key", "name", "status"]].to_dict("records")
    ]
    box = _frame(topo, long["iso_numeric"].astype(str).unique())
    x0, y0, x1, y1 = box
    aspect = round((y1 - y0) / (x1 - x0), 6)
    project = _ConicEqualArea()
    corners = [[round(c, 4) for c in project.invert(x, y)] for x, y in [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]]
    # The map's size follows the chart's width (Vega-Lite's `width` signal; on the website, the
    # column's width less the padding); everything under the map is placed from its height.
    sizes = [
        alt.param(name="map_width", expr=f"min(width, {CHART_WIDTH})"),
        alt.param(name="map_height", expr=f"round(map_width * {aspect})"),
        alt.param(name="wide_map", expr=f"map_width >= {WIDE_MAP}"),
        # The legend takes one row on a wide map and two on a narrow one; the list starts below it.
        alt.param(name="list_top", expr="map_height + (wide_map ? 62 : 80)"),
    ]
    # Vega fits the projection to these four points, in a box the size of the map: the frame
    # that holds the treaty states (see _frame). Country shapes are cut at the box's edges.
    fit = {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": corners}}
    projection = {
        "type": "conicEqualArea",
        "rotate": list(PROJECTION_ROTATE),
        "parallels": list(PROJECTION_PARALLELS),
        "fit": fit,
        "size": alt.ExprRef(expr="[map_width, map_height]"),
        "clipExtent": alt.ExprRef(expr="[[0, 0], [map_width, map_height]]"),
    }
    shapes = alt.NamedData(name=REGION_DATA, format=alt.DataFormat(type="topojson", feature=REGION_OBJECT))
    year = alt.param(
        name="year",
        value=shown,
        bind=alt.binding_range(min=FIRST_YEAR, max=last, step=1, name=_("Year ")),
    )

    background = (
        alt.Chart(shapes)
        .mark_geoshape(fill=OTHER_FILL, stroke=BORDER_COLOUR, strokeWidth=0.6)
        .encode(tooltip=[alt.Tooltip("properties.name:N", title=_("Country"))])
        .project(**projection)
    )
    treaty = (
        alt.Chart(shapes)
        .transform_calculate(key="datum.id + '-' + year")
        .transform_lookup(
            lookup="key",
            from_=alt.LookupData(data=alt.NamedData(name=STATUS_DATA), key="key", fields=["name", "status"]),
        )
        .transform_filter("isValid(datum.status)")
        .mark_geoshape(stroke=BORDER_COLOUR, strokeWidth=0.8)
        .encode(
            color=alt.Color(
                "status:N",
                title=_("Status on 1 July"),
                scale=alt.Scale(
                    domain=[_status_name(s) for s in STATUSES], range=[STATUS_COLOURS[s] for s in STATUSES]
                ),
                # Under the map, in one row (two on a narrow map). Placed by hand
                # ("none"): a legend at the bottom would go under the events list.
                legend=alt.Legend(
                    orient="none",
                    legendX=0,
                    legendY=alt.ExprRef(expr="map_height + 8"),
                    direction="horizontal",
                    columns=alt.ExprRef(expr="wide_map ? 4 : 2"),
                    symbolType="square",
                    padding=0,
                    rowPadding=4,
                    columnPadding=12,
                    titlePadding=4,
                ),
            ),
            tooltip=[alt.Tooltip("name:N", title=_("State")), alt.Tooltip("status:N", title=_("Status that year"))],
        )
        .project(**projection)
    )

    counts = {y: count_line(group, y) for y, group in long.groupby("year")}
    rows = _event_rows(timeline, counts, FIRST_YEAR, last)
    line = f"list_top + (wide_map ? datum.wide_line : datum.narrow_line) * {_LINE_HEIGHT}"
    base = (
        alt.Chart(alt.NamedData(name=LINES_DATA))
        .transform_filter("datum.event_year == year")
        .transform_calculate(y=line, lines="wide_map ? datum.wide : datum.narrow")
        .encode(x=alt.value(0), y=alt.Y("y:Q", scale=None, axis=None), text="lines:N")
    )
    text = {"align": "left", "baseline": "top", "fontSize": 12, "lineHeight": _LINE_HEIGHT, "color": TEXT_COLOUR}
    counted = base.transform_filter("datum.kind == 'count'").mark_text(**text)
    heading = base.transform_filter("datum.kind == 'heading'").mark_text(**{**text, "fontSize": 13}, fontWeight="bold")
    # Each event names its source in a tooltip (the course's source id, as in the `timeline` table).
    listed = (
        base.transform_filter("datum.kind == 'event'")
        .mark_text(**text, limit=alt.ExprRef(expr="width"))
        .encode(tooltip=[alt.Tooltip("label:N", title=_("Event")), alt.Tooltip("source:N", title=_("Source"))])
    )
    empty = base.transform_filter("datum.kind == 'none'").mark_text(**text, fontStyle="italic")
    # An invisible line as tall as the longest year's list, so the chart keeps one height as
    # the slider moves (and the slider under it stays put).
    most = {layout: max(r[f"{layout}_line"] + len(r[layout]) for r in rows) for layout in _LINE_CHARS}
    reserve = (
        alt.Chart(alt.Data(values=[{}]))
        .transform_calculate(
            top="list_top",
            bottom=f"list_top + 2 + (wide_map ? {most['wide']} : {most['narrow']}) * {_LINE_HEIGHT}",
        )
        .mark_rule(strokeOpacity=0)
        .encode(x=alt.value(0), y=alt.Y("top:Q", scale=None, axis=None), y2="bottom:Q")
    )

    title = alt.Title(
        text=alt.ExprRef(expr=f"'{_('Treaty states on 1 July ')}' + year"), color=TEXT_COLOUR, anchor="start"
    )
    # The view's own height is only the least it may be: the chart grows to hold the map, the
    # legend and the list under it (Vega's "pad" sizing, which fit-x uses for the height).
    chart = responsive(
        alt.layer(background, treaty, counted, heading, listed, empty, reserve)
        .add_params(year, *sizes)
        .properties(height=_MIN_HEIGHT, title=title)
    )
    now = status_in_year(spells, states, shown)
    text_alternative = _(
        "Map of the CSTO region, with a year slider from {first} to {last}. Each state that "
        "signed the Collective Security Treaty is coloured by its status on 1 July of the chosen "
        "year (member, frozen, suspended or not a member); other countries are light grey. Below "
        "the map, that year's counts by status and its institutional events are listed, each event "
        "with its source in a tooltip. {counts}"
    ).format(first=FIRST_YEAR, last=last, counts=count_line(now, shown))
    chart = with_alt_text(chart, text_alternative)
    chart.datasets = {
        REGION_DATA: _named(topo),
        STATUS_DATA: lookup,
        LINES_DATA: rows,
    }  # set last: no copy (see REGION_DATA)
    return chart
