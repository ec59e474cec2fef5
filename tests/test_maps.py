"""Maps: the 1 July rule, bad years, and the one map: the Altair chart with its year slider, counts and events."""

from __future__ import annotations

import csv
import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from csto_course import load
from csto_course.data import as_of
from csto_course.views.charts import STATUS_COLOURS
from csto_course.views.maps import (
    FIRST_YEAR,
    count_line,
    load_region,
    membership_map,
    reference_day,
    status_in_year,
    statuses_by_year,
)

from .conftest import ROOT

LAST = int(as_of().year)


@pytest.fixture(scope="module")
def spells() -> pd.DataFrame:
    return load("membership")


@pytest.fixture(scope="module")
def states() -> pd.DataFrame:
    return load("states")


@pytest.fixture(scope="module")
def timeline() -> pd.DataFrame:
    return load("timeline")


def test_reference_day_is_1_july() -> None:
    assert reference_day(2012) == pd.Timestamp("2012-07-01")


def test_each_spell_gives_its_status_the_year_after_it_began(spells: pd.DataFrame, states: pd.DataFrame) -> None:
    checked = 0
    for spell in spells.itertuples():
        year = spell.start_date.year + 1
        if year > LAST or (not pd.isna(spell.end_date) and reference_day(year) >= spell.end_date):
            continue  # the spell did not reach 1 July of the next year
        got = status_in_year(spells, states, year).set_index("iso3").at[spell.iso3, "status"]
        assert got == spell.status, f"{spell.spell_id} in {year}"
        checked += 1
    assert checked >= len(spells) // 2


def test_statuses_agree_with_a_plain_reading_of_the_csv(states: pd.DataFrame, spells: pd.DataFrame) -> None:
    """An independent oracle: the raw CSV text, compared as ISO date strings."""
    with open(ROOT / "data" / "membership.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = statuses_by_year(spells, states)
    seen = set()
    for row in table.itertuples():
        day = f"{row.year}-07-01"
        covering = [
            r["status"]
            for r in rows
            if r["iso3"] == row.iso3 and r["start_date"] <= day and (not r["end_date"] or day < r["end_date"])
        ]
        expected = covering[-1] if covering else "not a member"
        assert row.status == expected, f"{row.iso3} in {row.year}"
        seen.add(expected)
    assert "not a member" in seen and "member" in seen


def test_the_boundaries_of_a_spell(states: pd.DataFrame) -> None:
    iso3 = str(states["iso3"].iloc[0])
    spells = pd.DataFrame(
        {
            "iso3": [iso3, iso3],
            "status": ["member", "suspended"],
            "start_date": pd.to_datetime(["2000-07-01", "2005-07-02"]),
            "end_date": pd.to_datetime(["2005-07-01", None]),
        }
    )

    def status(year: int) -> str:
        return str(status_in_year(spells, states, year).set_index("iso3").at[iso3, "status"])

    assert status(1999) == "not a member"
    assert status(2000) == "member"  # starts on the reference day: counts
    assert status(2004) == "member"
    assert status(2005) == "not a member"  # ended on the reference day: does not count
    assert status(2006) == "suspended"  # an open spell runs on
    assert status(LAST) == "suspended"


def test_status_table_shape(spells: pd.DataFrame, states: pd.DataFrame) -> None:
    table = status_in_year(spells, states, np.int64(2012))
    assert list(table.columns) == ["iso3", "name", "iso_numeric", "status"]
    assert len(table) == len(states)
    assert list(table["name"]) == sorted(table["name"])
    assert set(table["status"]) <= set(STATUS_COLOURS)


@pytest.mark.parametrize(
    ("year", "error", "phrase"),
    [
        ("2012", TypeError, "whole number"),
        (True, TypeError, "whole number"),
        (2012.0, TypeError, "whole number"),
        (1980, ValueError, f"between {FIRST_YEAR}"),
        (LAST + 1, ValueError, str(LAST)),
    ],
)
def test_bad_years_get_a_friendly_message(
    spells: pd.DataFrame, states: pd.DataFrame, year: object, error: type, phrase: str
) -> None:
    with pytest.raises(error, match=re.escape(phrase)):
        status_in_year(spells, states, year)  # type: ignore[arg-type]


def test_statuses_by_year_has_one_row_per_state_per_year(spells: pd.DataFrame, states: pd.DataFrame) -> None:
    table = statuses_by_year(spells, states)
    assert list(table.columns) == ["year", "iso3", "name", "iso_numeric", "status"]
    assert len(table) == len(states) * (LAST - FIRST_YEAR + 1)
    assert not table.duplicated(["year", "iso3"]).any()
    assert table["year"].min() == FIRST_YEAR and table["year"].max() == LAST
    short = statuses_by_year(spells, states, 2000, 2002)
    assert sorted(short["year"].unique()) == [2000, 2001, 2002]


def test_region_is_cached_and_has_the_countries() -> None:
    topo = load_region()
    assert topo is load_region()
    ids = [g["id"] for g in topo["objects"]["countries"]["geometries"]]
    assert all(re.fullmatch(r"\d{3}", i) for i in ids)


def test_decoded_rings_are_closed() -> None:
    """A wrong arc direction or join would leave rings open."""
    from csto_course.views.maps import _decode_arcs, _polygons

    topo = load_region()
    arcs = _decode_arcs(topo)
    for geometry in topo["objects"]["countries"]["geometries"]:
        for polygon in _polygons(geometry, arcs):
            for ring in polygon:
                assert ring[0] == pytest.approx(ring[-1], abs=1e-6), geometry["properties"]["name"]


@pytest.fixture(scope="module")
def map_spec(spells: pd.DataFrame, states: pd.DataFrame, timeline: pd.DataFrame) -> dict:
    return membership_map(spells, states, timeline).to_dict()


def _walk(node: object):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_map_has_a_year_slider(map_spec: dict) -> None:
    params = [p for p in _walk(map_spec) if isinstance(p.get("params"), list) for p in p["params"]]
    year = [p for p in params if p.get("name") == "year"]
    assert len(year) == 1
    bind = year[0]["bind"]
    assert bind["input"] == "range"
    assert (bind["min"], bind["max"], bind["step"]) == (FIRST_YEAR, LAST, 1)


def test_map_embeds_the_topojson_and_looks_up_statuses(map_spec: dict) -> None:
    formats = [d["format"] for d in _walk(map_spec) if isinstance(d.get("format"), dict)]
    assert {"type": "topojson", "feature": "countries"} in formats
    topologies = [d for d in _walk(map_spec) if d.get("type") == "Topology"]
    assert topologies, "the shapes must be inline, not loaded from a URL"
    assert not [d for d in _walk(map_spec) if "url" in d]
    lookups = [t for t in _walk(map_spec) if "lookup" in t]
    assert lookups and lookups[0]["lookup"] == "key" and lookups[0]["from"]["key"] == "key"
    calculated = [t["calculate"] for t in _walk(map_spec) if t.get("as") == "key"]
    assert calculated and "datum.id" in calculated[0] and "year" in calculated[0]
    # The two large tables are attached once, by name (see maps.REGION_DATA).
    keys = {r["key"] for r in map_spec["datasets"][lookups[0]["from"]["data"]["name"]]}
    assert "051-2012" in keys  # 3-digit ISO id, as in the TopoJSON, then the year
    assert map_spec["description"].startswith("Map of the CSTO region")


def test_map_spec_is_deterministic(
    spells: pd.DataFrame, states: pd.DataFrame, timeline: pd.DataFrame, map_spec: dict
) -> None:
    again = membership_map(spells, states, timeline).to_dict()
    assert json.dumps(again, sort_keys=True) == json.dumps(map_spec, sort_keys=True)


def test_map_colours_are_the_course_palette(map_spec: dict) -> None:
    scales = [e["scale"] for e in _walk(map_spec) if e.get("field") == "status" and "scale" in e]
    assert scales[0]["domain"] == list(STATUS_COLOURS)
    assert scales[0]["range"] == list(STATUS_COLOURS.values())


def test_count_line_adds_up(spells: pd.DataFrame, states: pd.DataFrame) -> None:
    line = count_line(status_in_year(spells, states, 2012))
    assert line.startswith("In 2012: ")
    assert sum(int(n) for n in re.findall(r"(\d+) ", line.removeprefix("In 2012: "))) == len(states)


def _year_rows(map_spec: dict) -> dict[int, list[dict]]:
    """The lines listed under the map, by year, as the chart's data holds them."""
    from csto_course.views.maps import LINES_DATA

    rows = map_spec["datasets"][LINES_DATA]
    by_year: dict[int, list[dict]] = {}
    for row in rows:
        by_year.setdefault(row["event_year"], []).append(row)
    return by_year


def test_the_map_lists_each_year_counts_first(spells: pd.DataFrame, states: pd.DataFrame, map_spec: dict) -> None:
    """The counts the removed JupyterLab explorer printed under its map are the first line of each year's list."""
    by_year = _year_rows(map_spec)
    assert sorted(by_year) == list(range(FIRST_YEAR, LAST + 1))
    for year, rows in by_year.items():
        assert rows[0]["kind"] == "count" and rows[0]["label"] == count_line(status_in_year(spells, states, year), year)
        assert rows[1]["kind"] == "heading" and rows[1]["label"] == f"Events in {year}"
    filters = [t["filter"] for t in _walk(map_spec) if isinstance(t.get("filter"), str)]
    assert "datum.event_year == year" in filters and "datum.kind == 'count'" in filters


def test_the_map_lists_the_year_events_with_their_sources(timeline: pd.DataFrame, map_spec: dict) -> None:
    by_year = _year_rows(map_spec)
    years = set(timeline["date"].dt.year)
    busy = int(timeline["date"].dt.year.iloc[0])
    quiet = next(y for y in range(FIRST_YEAR, LAST + 1) if y not in years)
    events = [r for r in by_year[busy] if r["kind"] == "event"]
    assert {r["source"] for r in events} == set(timeline.loc[timeline["date"].dt.year == busy, "source_id"].astype(str))
    assert "No institutional events this year." not in [r["label"] for r in by_year[busy]]
    assert [r["label"] for r in by_year[quiet] if r["kind"] == "none"] == ["No institutional events this year."]
    tooltips = [e["tooltip"] for e in _walk(map_spec) if isinstance(e.get("tooltip"), list)]
    assert [t for tips in tooltips for t in tips if t["field"] == "source"] == [
        {"field": "source", "title": "Source", "type": "nominal"}
    ]


def test_python_projection_is_albers_and_frames_the_map_as_the_vega_lite_spec(map_spec: dict) -> None:
    """The Python projection against Snyder's Albers equal-area conic, and the frame it gives the Vega-Lite map.

    The oracle is written from J. P. Snyder, *Map Projections: A Working Manual*, USGS
    Professional Paper 1395 (1987), pp. 98-100, spherical forms (eqs. 14-1 to 14-4, 14-6), with
    R = 1 and the origin on the equator at the central meridian, as d3's (and so Vega's)
    ``conicEqualArea`` has it. Vega then fits the projection to the four corner points in the
    spec, so the map keeps the frame exactly when those corners span the spec's aspect ratio.
    """
    from csto_course.views.maps import PROJECTION_PARALLELS, PROJECTION_ROTATE, _ConicEqualArea

    phi1, phi2 = (math.radians(p) for p in PROJECTION_PARALLELS)
    lon0 = -PROJECTION_ROTATE[0]  # d3's rotate [-90, 0] puts 90°E at the centre
    n = (math.sin(phi1) + math.sin(phi2)) / 2  # 14-6
    C = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)  # 14-5
    rho0 = math.sqrt(C) / n  # 14-3a with phi0 = 0

    def albers(lon: float, lat: float) -> tuple[float, float]:
        rho = math.sqrt(C - 2 * n * math.sin(math.radians(lat))) / n  # 14-3a
        theta = n * math.radians((lon - lon0 + 180) % 360 - 180)  # 14-4
        return rho * math.sin(theta), rho0 - rho * math.cos(theta)  # 14-1, 14-2

    project = _ConicEqualArea()
    places = {
        "Kaliningrad": (20.5, 54.7),
        "Moscow": (37.62, 55.75),
        "Yerevan": (44.51, 40.18),
        "Dushanbe": (68.78, 38.56),
        "Bishkek": (74.59, 42.87),
        "Norilsk": (88.2, 69.35),
        "Anadyr": (177.5, 64.73),
        "Equator at 0°": (0.0, 0.0),
    }
    for name, (lon, lat) in places.items():
        assert project(lon, lat) == pytest.approx(albers(lon, lat), abs=1e-12), name
        assert project.invert(*project(lon, lat)) == pytest.approx((lon, lat), abs=1e-9), name
        # Equal area: a patch of sphere of area cos(lat) dlon dlat keeps its area (|Jacobian| = cos lat).
        d = 1e-6
        (xa, ya), (xb, yb), (xc, yc) = (
            project(lon, lat),
            project(lon + math.degrees(d), lat),
            project(lon, lat + math.degrees(d)),
        )
        jacobian = abs((xb - xa) * (yc - ya) - (xc - xa) * (yb - ya)) / d**2
        assert jacobian == pytest.approx(math.cos(math.radians(lat)), rel=1e-5), name
    for parallel in PROJECTION_PARALLELS:  # true scale along both standard parallels (Snyder 14-7: k = 1)
        d = 1e-6
        (xa, ya), (xb, yb) = project(90.0, parallel), project(90.0 + math.degrees(d), parallel)
        assert math.hypot(xb - xa, yb - ya) / (d * math.cos(math.radians(parallel))) == pytest.approx(1, rel=1e-6)

    # The Vega-Lite map: the same projection, fitted to four corners, in a box map_width x
    # map_height, the height being the width (which follows the container) times a fixed ratio.
    layers = [node for node in _walk(map_spec) if "projection" in node]
    assert layers, "the Vega-Lite map has no projection"
    params = {p["name"]: p for p in map_spec["params"]}
    ratio = re.fullmatch(r"round\(map_width \* ([0-9.]+)\)", params["map_height"]["expr"])
    assert ratio, params["map_height"]
    spec_aspect = float(ratio.group(1))
    for layer in layers:
        projection = layer["projection"]
        assert projection["type"] == "conicEqualArea"
        assert (
            tuple(projection["rotate"]) == PROJECTION_ROTATE and tuple(projection["parallels"]) == PROJECTION_PARALLELS
        )
        assert projection["size"] == {"expr": "[map_width, map_height]"}
        corners = [albers(lon, lat) for lon, lat in projection["fit"]["geometry"]["coordinates"]]
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        aspect = (max(ys) - min(ys)) / (max(xs) - min(xs))
        assert spec_aspect == pytest.approx(aspect, abs=1e-5)


@pytest.mark.parametrize(("lon", "lat"), [(-60.0, 60.0), (170.0, 65.0), (-100.0, 40.0), (30.0, 50.0)])
def test_projection_inverts_far_from_the_central_meridian(lon: float, lat: float) -> None:
    """Past the cone's apex (more than about 116 degrees from 90E) d3 corrects the angle; so must we."""
    from csto_course.views.maps import _ConicEqualArea

    project = _ConicEqualArea()
    back = project.invert(*project(lon, lat))
    assert back == pytest.approx((lon, lat), abs=1e-9)
