"""The crisis views: the timeline spec, the summary tables, the card and the explorer.

Expected values are computed from the CSVs here, never typed in, so the tests keep
checking the right thing when a crisis is added or recoded.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
import pytest

from csto_course import data, measures
from csto_course.views import crises as cv


@pytest.fixture(scope="module")
def crises() -> pd.DataFrame:
    return data.load("crises")


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return data.load("crisis_events")


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return data.load("sources")


@pytest.fixture(scope="module")
def spec(crises: pd.DataFrame, sources: pd.DataFrame) -> dict[str, Any]:
    return cv.crisis_timeline(crises, sources).to_dict()


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every dict in a nested spec, so a test need not know how the layers are nested."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for value in node:
            found += _walk(value)
    return found


def _ids(*cells: Any) -> list[str]:
    out: list[str] = []
    for cell in cells:
        if isinstance(cell, str):
            out += [p.strip() for p in cell.split(";") if p.strip()]
    return out


# --------------------------------------------------------------------------- constants


def test_every_coded_response_has_a_label_and_colour(crises: pd.DataFrame) -> None:
    enum = list(crises["response"].cat.categories)
    assert enum == cv.RESPONSE_ORDER
    assert set(cv.RESPONSE_LABELS) == set(enum) == set(cv.RESPONSE_COLOURS)
    assert set(cv.KIND_LABELS) == set(crises["kind"].cat.categories)
    assert len(set(cv.RESPONSE_COLOURS.values())) == len(enum)


# --------------------------------------------------------------------------- timeline


def test_timeline_has_a_kind_dropdown_with_all_kinds_first(spec: dict[str, Any], crises: pd.DataFrame) -> None:
    params = [p for d in _walk(spec) for p in d.get("params", []) if isinstance(p, dict)]
    kind = [p for p in params if p.get("name") == "kind"]
    assert len(kind) == 1
    bind = kind[0]["bind"]
    assert bind["input"] == "select"
    assert bind["labels"][0] == "All kinds"
    assert bind["options"][0] is None
    assert set(bind["options"][1:]) == set(crises["kind"].astype(str))
    assert kind[0]["value"] is None


def test_timeline_filters_by_kind_and_keeps_all_when_none(spec: dict[str, Any]) -> None:
    filters = [t["filter"] for d in _walk(spec) for t in d.get("transform", []) if "filter" in t]
    kind_filters = [f for f in filters if isinstance(f, str) and "datum.kind" in f]
    assert kind_filters, filters
    assert any("kind == null" in f for f in kind_filters)


def test_timeline_colour_domain_is_the_response_order(spec: dict[str, Any]) -> None:
    colours = [d["color"] for d in _walk(spec) if isinstance(d.get("color"), dict) and "field" in d["color"]]
    assert colours
    for colour in colours:
        assert colour["field"] == "response"
        assert colour["scale"]["domain"] == cv.RESPONSE_ORDER
        assert colour["scale"]["range"] == [cv.RESPONSE_COLOURS[r] for r in cv.RESPONSE_ORDER]


def test_timeline_tooltips_carry_the_sources(spec: dict[str, Any], crises: pd.DataFrame, sources: pd.DataFrame) -> None:
    tooltips = [t for d in _walk(spec) if isinstance(d.get("tooltip"), list) for t in d["tooltip"]]
    fields = {t["field"] for t in tooltips}
    assert {"name", "sources", "deaths", "confidence", "asked_by", "asked_of", "article"} <= fields
    rows = {r["crisis_id"]: r for r in spec["data"]["values"]}
    assert len(rows) == len(crises)
    kaz = crises.set_index("crisis_id").loc["kaz-january-2022"]
    first_id = _ids(kaz["request_source"], kaz["response_source"], kaz["deaths_source"])[0]
    title = sources.set_index("id").loc[first_id, "title"]
    assert title[:30] in rows["kaz-january-2022"]["sources"]


def test_timeline_rows_are_sorted_by_start_and_dates_are_text(spec: dict[str, Any], crises: pd.DataFrame) -> None:
    values = spec["data"]["values"]
    expected = crises.sort_values("start_date", kind="stable")["crisis_id"].tolist()
    assert [v["crisis_id"] for v in values] == expected
    assert all(isinstance(v["start_date"], str) for v in values)
    open_ended = crises["end_date"].isna().sum()
    assert sum(v["end_date"] is None for v in values) == open_ended
    ys = [d["y"] for d in _walk(spec) if isinstance(d.get("y"), dict)]
    assert ys and all(y["sort"]["field"] == "start_date" for y in ys)


def test_timeline_has_a_description_computed_from_the_data(spec: dict[str, Any], crises: pd.DataFrame) -> None:
    text = spec["description"]
    assert f"{len(crises)} security crises" in text
    troops = crises[crises["response"] == "collective_deployment"]
    assert ("one crisis" if len(troops) == 1 else f"{len(troops)} crises") in text
    assert f"nothing in {int((crises['response'] == 'none').sum())} of the {len(crises)}" in text


def test_timeline_spec_is_deterministic_json(crises: pd.DataFrame, sources: pd.DataFrame) -> None:
    one = json.dumps(cv.crisis_timeline(crises, sources).to_dict(), sort_keys=True)
    two = json.dumps(cv.crisis_timeline(crises).to_dict(), sort_keys=True)
    assert one == two
    assert json.loads(one)["usermeta"] == {"csto": {"width": "container"}}  # on the website, as wide as the column


# --------------------------------------------------------------------------- tables


def test_response_rates_counts_add_up(crises: pd.DataFrame) -> None:
    rates = cv.response_rates(crises)
    assert rates["crises"].sum() == len(crises)
    assert rates["requests"].sum() == int((crises["request"] != "none").sum())
    assert rates["deployments"].sum() == int((crises["response"] == "collective_deployment").sum())
    beyond = ~crises["response"].isin(["none", "statement"])
    assert rates["acted"].sum() == int(beyond.sum())
    assert (rates["requests_rate"] == (rates["requests"] / rates["crises"]).round(3)).all()
    assert rates["acted_rate"].between(0, 1).all()


def test_response_delay_table_uses_the_one_delay_rule(crises: pd.DataFrame, events: pd.DataFrame) -> None:
    table = cv.response_delay_table(crises, events)
    expected = measures.response_delays(crises)
    assert table.set_index("crisis_id")["days"].to_dict() == expected.to_dict()
    assert len(table) == len(expected) > 0
    # Only requests made to the alliance itself: a letter to Moscow is not in the table.
    to_others = set(crises.loc[crises["requested_of"].astype(str) != "csto", "crisis_id"].astype(str))
    assert not to_others & set(table["crisis_id"])
    assert ((table["response_date"] - table["request_date"]).dt.days == table["days"]).all()


def test_every_response_date_has_a_csto_step_that_day(crises: pd.DataFrame, events: pd.DataFrame) -> None:
    table = cv.response_delay_table(crises, events)
    missing = table.loc[table["what_the_alliance_did"] == "", "crisis_id"].tolist()
    assert not missing, f"crises whose response_date has no CSTO event in crisis_events: {missing}"


def test_response_rates_share_is_the_measure(crises: pd.DataFrame) -> None:
    rates = cv.response_rates(crises).set_index("kind")["acted_when_asked_rate"].dropna()
    assert rates.to_dict() == measures.active_response_rate(crises).round(3).to_dict()


# --------------------------------------------------------------------------- card


@pytest.mark.parametrize("crisis_id", ["kaz-january-2022", "arm-sept-2022", "rus-kursk-2024"])
def test_card_links_every_cited_source(
    crisis_id: str, crises: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame
) -> None:
    card = cv.crisis_card(crisis_id, crises, events, sources)
    row = crises.set_index("crisis_id").loc[crisis_id]
    cited = set(_ids(row["request_source"], row["response_source"], row["deaths_source"]))
    cited |= set(_ids(*events.loc[events["crisis_id"] == crisis_id, "source_id"]))
    assert cited
    urls = sources.set_index("id").loc[sorted(cited), "url"]
    for url in urls:
        assert f'href="{url.replace("&", "&amp;")}"' in card
    # Each dated step of the crisis is listed.
    assert card.count("<li>") >= int((events["crisis_id"] == crisis_id).sum())


def test_card_escapes_text(crises: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame) -> None:
    crafted = crises[crises["crisis_id"] == "kaz-january-2022"].copy()
    crafted["name"] = '<script>alert("x")</script> & Co'
    crafted["record_summary"] = "<img src=x onerror=alert(1)>"
    card = cv.crisis_card("kaz-january-2022", crafted, events, sources)
    assert "<script>" not in card and "<img" not in card
    assert "&lt;script&gt;" in card and "&amp; Co" in card


def test_card_shows_request_response_and_deaths(crises: pd.DataFrame) -> None:
    row = crises.set_index("crisis_id").loc["kaz-january-2022"]
    card = cv.crisis_card("kaz-january-2022", crises)
    assert f"{int(row['personnel_deployed']):,}" in card
    assert f"{int(row['deaths_low']):,}–{int(row['deaths_high']):,}" in card
    assert str(row["article_invoked"]) in card
    assert cv.RESPONSE_LABELS[str(row["response"])] in card
    # Nothing is loaded from elsewhere: links only, no images, scripts or stylesheets.
    assert not re.search(r"(src=|<link|@import|url\()", card)


def test_unknown_id_gives_a_friendly_message(crises: pd.DataFrame) -> None:
    for bad in ["no-such-crisis", "<b>x</b>", None, 42]:
        card = cv.crisis_card(bad, crises)  # type: ignore[arg-type]
        assert "There is no crisis" in card
        assert "<b>x</b>" not in card
        assert sum(cid in card for cid in crises["crisis_id"]) >= 3


# --------------------------------------------------------------------------- explorer


def test_explorer_dropdown_changes_the_card(crises: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame) -> None:
    box = cv.crisis_explorer(crises, events, sources)
    picker, view = box.children
    assert picker.value == "kaz-january-2022"
    assert picker.options[0] == ("(choose a crisis)", "")
    assert len(picker.options) == len(crises) + 1
    first = crises.sort_values("start_date").iloc[0]
    assert picker.options[1] == (f"{first['start_date'].year}: {first['name']}", first["crisis_id"])
    before = view.value
    assert "Troops deployed" in before
    picker.value = "arm-sept-2022"
    assert view.value != before
    assert view.value == cv.crisis_card("arm-sept-2022", crises, events, sources)


def test_explorer_empty_selection_prompts(crises: pd.DataFrame) -> None:
    box = cv.crisis_explorer(crises, default="")
    picker, view = box.children
    assert picker.value == ""
    assert "Choose a crisis to see who asked for what, and what the alliance did." in view.value
    picker.value = "kaz-january-2022"
    picker.value = ""
    assert "Choose a crisis" in view.value


def test_explorer_unknown_default_falls_back_to_the_prompt(crises: pd.DataFrame) -> None:
    _, view = cv.crisis_explorer(crises, default="not-a-crisis").children
    assert "Choose a crisis" in view.value
