"""The crisis views: the timeline spec (with one crisis written out in full under it), and the summary tables
that inaction-2 and inaction-4 show under a right answer (:mod:`csto_course.exercises.worked`).

Expected values are computed from the CSVs here, never typed in, so the tests keep
checking the right thing when a crisis is added or recoded.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from csto_course import data
from csto_course.errors import CourseValueError, WrongTableError
from csto_course.exercises import answers, worked
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
    rates = worked.response_rates(crises)
    assert rates["crises"].sum() == len(crises)
    assert rates["requests"].sum() == int((crises["request"] != "none").sum())
    assert rates["deployments"].sum() == int((crises["response"] == "collective_deployment").sum())
    beyond = ~crises["response"].isin(["none", "statement"])
    assert rates["acted"].sum() == int(beyond.sum())
    assert (rates["requests_rate"] == (rates["requests"] / rates["crises"]).round(3)).all()
    assert rates["acted_rate"].between(0, 1).all()


def test_response_delay_table_uses_the_one_delay_rule(crises: pd.DataFrame, events: pd.DataFrame) -> None:
    table = worked.response_delay_table(crises, events)
    expected = answers.response_delays(crises)
    assert table.set_index("crisis_id")["days"].to_dict() == expected.to_dict()
    assert len(table) == len(expected) > 0
    # Only requests made to the alliance itself: a letter to Moscow is not in the table.
    to_others = set(crises.loc[crises["requested_of"].astype(str) != "csto", "crisis_id"].astype(str))
    assert not to_others & set(table["crisis_id"])
    assert ((table["response_date"] - table["request_date"]).dt.days == table["days"]).all()


def test_every_response_date_has_a_csto_step_that_day(crises: pd.DataFrame, events: pd.DataFrame) -> None:
    table = worked.response_delay_table(crises, events)
    missing = table.loc[table["what_the_alliance_did"] == "", "crisis_id"].tolist()
    assert not missing, f"crises whose response_date has no CSTO event in crisis_events: {missing}"


def test_response_rates_share_is_the_measure(crises: pd.DataFrame) -> None:
    rates = worked.response_rates(crises).set_index("kind")["acted_when_asked_rate"].dropna()
    assert rates.to_dict() == answers.active_response_rate(crises).round(3).to_dict()


def test_the_tables_refuse_the_wrong_table_in_one_sentence(crises: pd.DataFrame) -> None:
    with pytest.raises(WrongTableError, match=r"response_rates\(\) reads the `crises` table, but got the `states`"):
        worked.response_rates(data.load("states"))
    with pytest.raises(WrongTableError, match=r'reads the `crises` table, not a list: pass load\("crises"\)'):
        worked.response_rates([1, 2])  # type: ignore[arg-type]
    with pytest.raises(WrongTableError, match=r'pass load\("crisis_events"\)'):
        worked.response_delay_table(crises, crises)


def test_the_shipped_crisis_views_compute_no_worked_result() -> None:
    assert not {"response_rates", "response_delay_table"} & set(dir(cv))


# --------------------------------------------------------------------------- one crisis in full
# What the removed JupyterLab explorer showed as a card is written out under the timeline,
# for the crisis its second menu picks.


def _account(crisis_id: str, crises: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame) -> str:
    return " ".join(" ".join(cv._accounts(crises, events, sources)[crisis_id]["wide"]).split())


@pytest.mark.parametrize("crisis_id", ["kaz-january-2022", "arm-sept-2022", "rus-kursk-2024"])
def test_account_names_every_cited_source(
    crisis_id: str, crises: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame
) -> None:
    text = _account(crisis_id, crises, events, sources)
    row = crises.set_index("crisis_id").loc[crisis_id]
    cited = set(_ids(row["request_source"], row["response_source"], row["deaths_source"]))
    cited |= set(_ids(*events.loc[events["crisis_id"] == crisis_id, "source_id"]))
    assert cited
    for source_id in cited:
        assert f"[{source_id}]" in text
    titles = sources.set_index("id").loc[sorted(cited), "title"]
    assert all(" ".join(str(t).split()) in text for t in titles)
    # Each dated step of the crisis is listed, then each source.
    lines = cv._accounts(crises, events, sources)[crisis_id]["wide"]
    assert sum(line.startswith("• ") for line in lines) >= int((events["crisis_id"] == crisis_id).sum()) + len(cited)


def test_account_is_data_in_the_chart(crises: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame) -> None:
    """Text goes into the chart as JSON and is drawn as text, so odd characters can neither break nor inject."""
    crafted = crises.copy()
    crafted.loc[crafted["crisis_id"] == "kaz-january-2022", "name"] = "<script>alert(\"x\")</script> & 'Co'"
    spec = cv.crisis_timeline(crafted, sources, events).to_dict()
    accounts = cv._accounts(crafted, events, sources)
    expr = spec["title"]["text"]["expr"]
    for layout in cv._CARD_CHARS:
        assert json.dumps({k: v[layout] for k, v in accounts.items()}) in expr
    assert accounts["kaz-january-2022"]["wide"][0] == "<script>alert(\"x\")</script> & 'Co'"


def test_account_shows_request_response_and_deaths(
    crises: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame
) -> None:
    row = crises.set_index("crisis_id").loc["kaz-january-2022"]
    text = _account("kaz-january-2022", crises, events, sources)
    assert f"{int(row['personnel_deployed']):,}" in text
    assert f"{int(row['deaths_low']):,}–{int(row['deaths_high']):,}" in text
    assert str(row["article_invoked"]) in text
    assert cv.RESPONSE_LABELS[str(row["response"])] in text
    assert " ".join(str(row["record_summary"]).split()) in text


def test_account_lines_fit_their_layout(crises: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame) -> None:
    for account in cv._accounts(crises, events, sources).values():
        for layout, chars in cv._CARD_CHARS.items():
            assert max(len(line) for line in account[layout]) <= chars


# --------------------------------------------------------------------------- the menus


def test_timeline_menus_are_bound_parameters(crises: pd.DataFrame, spec: dict[str, Any]) -> None:
    params = {p["name"]: p for p in spec["params"]}
    assert params["kind"]["bind"]["input"] == "select"
    chosen = params["crisis"]
    assert chosen["bind"]["input"] == "select" and chosen["value"] == cv.DEFAULT_CRISIS
    ordered = crises.sort_values("start_date", kind="stable")
    assert chosen["bind"]["options"] == ordered["crisis_id"].astype(str).tolist()
    first = ordered.iloc[0]
    assert chosen["bind"]["labels"][0].startswith(f"{first['start_date'].year}: ")
    assert "[crisis]" in spec["title"]["text"]["expr"]
    assert any("datum.crisis_id == crisis" in json.dumps(d) for d in _walk(spec) if "strokeWidth" in d)


def test_timeline_starts_at_the_first_crisis_a_narrowed_table_has_and_refuses_a_typo(
    crises: pd.DataFrame, sources: pd.DataFrame
) -> None:
    """The view's own first choice may be missing from a table a student narrowed; a crisis they name may not."""
    narrowed = crises[crises["crisis_id"] != cv.DEFAULT_CRISIS]
    spec = cv.crisis_timeline(narrowed, sources).to_dict()
    chosen = next(p for p in spec["params"] if p["name"] == "crisis")
    assert chosen["value"] == narrowed.sort_values("start_date", kind="stable")["crisis_id"].iloc[0]
    with pytest.raises(CourseValueError, match=rf"no crisis_id 'not-a-crisis'.*such as default='{cv.DEFAULT_CRISIS}'"):
        cv.crisis_timeline(crises, sources, default="not-a-crisis")
