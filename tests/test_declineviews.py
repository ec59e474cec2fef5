"""Lesson 4's measures and views: spending shares, years left, ties, the dependence index.

The measures are checked on small hand-made tables whose answers can be worked out on paper,
then the views on the course data against the same measures.
"""

from __future__ import annotations

import pandas as pd
import pytest

from csto_course import load, views
from csto_course.errors import CourseTypeError, CourseValueError, WrongTableError
from csto_course.exercises import worked
from csto_course.exercises.answers import partner_groups_since, spending_shares, years_left
from csto_course.measures import (
    DEPENDENCE_COMPONENTS,
    dependence_components,
    dependence_index,
    ties_since,
)


def test_spending_shares_leave_out_states_without_a_figure() -> None:
    spending = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "year": [2024] * 3, "usd_million": [90.0, 10.0, None]})
    shares = spending_shares(spending, {"AAA", "BBB", "CCC"}, 2024)
    assert shares.to_dict() == {"AAA": 0.9, "BBB": 0.1}


def test_spending_shares_refuse_a_year_as_text_or_out_of_range() -> None:
    spending = load("military_spending")
    with pytest.raises(CourseTypeError, match="whole number such as 2024"):
        spending_shares(spending, {"RUS"}, "2024")
    with pytest.raises(CourseValueError, match="the data cover"):
        spending_shares(spending, {"RUS"}, 1990)


def test_years_left_counts_from_the_year_checked_and_skips_unknown_or_unused() -> None:
    bases = pd.DataFrame(
        {
            "base_id": ["A", "B", "C"],
            "term_end": pd.to_datetime(["2044-01-01", None, "2030-01-01"]),
            "in_use": [True, True, False],
        }
    )
    assert years_left(bases, "2026-11-27").to_dict() == {"A": 18}


def test_ties_since_counts_ties_begun_from_that_year_and_zero_for_none() -> None:
    ties = pd.DataFrame(
        {
            "iso3": ["AAA", "AAA", "BBB"],
            "start_date": pd.to_datetime(["2013-05-01", "2014-01-01", "2010-01-01"]),
            "partner_group": ["china", "other", "eu"],
        }
    )
    assert ties_since(ties, 2014).to_dict() == {"AAA": 1, "BBB": 0}
    assert partner_groups_since(ties, 2010).to_dict() == {"AAA": 1, "BBB": 1}


def test_dependence_components_are_scaled_from_0_to_1_for_members_other_than_russia() -> None:
    components = dependence_components(load("membership"), load("russian_bases"), load("unga_votes"), load("ties"))
    assert list(components.columns) == list(DEPENDENCE_COMPONENTS)
    assert "RUS" not in components.index
    assert ((components >= 0) & (components <= 1)).all().all()
    assert components["russian_sites"].max() == 1 and components["few_other_ties"].min() == 0


def test_dependence_index_is_the_weighted_mean_and_refuses_bad_weights() -> None:
    components = pd.DataFrame({c: [1.0, 0.0] for c in DEPENDENCE_COMPONENTS}, index=["AAA", "BBB"])
    components.loc["BBB", "russian_sites"] = 1.0
    equal = dependence_index(components)
    assert equal.to_dict() == {"AAA": 1.0, "BBB": 0.25}
    only_sites = dependence_index(components, {"russian_sites": 1})
    assert only_sites.to_dict() == {"AAA": 1.0, "BBB": 1.0}
    with pytest.raises(CourseValueError, match="At least one weight"):
        dependence_index(components, dict.fromkeys(DEPENDENCE_COMPONENTS, 0))
    with pytest.raises(CourseValueError, match="Unknown component"):
        dependence_index(components, {"bases": 1})
    with pytest.raises(CourseValueError, match="number of 0 or more"):
        dependence_index(components, {"russian_sites": -1})


def test_index_builder_has_a_slider_per_component_and_computes_the_same_mean() -> None:
    components = dependence_components(load("membership"), load("russian_bases"), load("unga_votes"), load("ties"))
    spec = views.decline.index_builder(components).to_dict()
    sliders = [p for p in spec["params"] if p.get("bind", {}).get("input") == "range"]
    assert [p["name"] for p in sliders] == [f"w_{c}" for c in DEPENDENCE_COMPONENTS]
    assert all(p["value"] == 1 for p in sliders)
    # The formula in the chart is the measure's: equal weights give the equal-weights index.
    formula = spec["layer"][0]["transform"][0]["calculate"]
    for c in DEPENDENCE_COMPONENTS:
        assert f"w_{c} * datum.{c}" in formula
    text = spec["description"]
    for value in dependence_index(components):
        assert f"index {value:.2f}" in text


def test_index_builder_ranks_in_the_tooltip_re_sorts_and_explains_zero_weights() -> None:
    """What the removed JupyterLab twin showed (the ranking, the weights, the all-zero sentence) is in the chart."""
    components = dependence_components(load("membership"), load("russian_bases"), load("unga_votes"), load("ties"))
    spec = views.decline.index_builder(components).to_dict()
    bars = spec["layer"][0]
    assert {"window": [{"op": "rank", "as": "rank"}], "sort": [{"field": "index", "order": "descending"}]} in bars[
        "transform"
    ]
    assert "Rank" in [t["title"] for t in bars["encoding"]["tooltip"]]
    # An explicit sort op: without one, JupyterLab did not re-sort the bars (tests/browser/test_jupyterlab.py).
    assert bars["encoding"]["y"]["sort"] == {"field": "index", "op": "max", "order": "descending"}
    caption = spec["title"]["text"]["expr"]
    assert "at least one weight above 0" in caption and all(f"w_{c}" in caption for c in DEPENDENCE_COMPONENTS)
    assert not hasattr(views.decline, "index_explorer") and not hasattr(views.decline, "widgets")


def test_base_terms_show_years_left_from_the_measure_and_the_plain_table_hides_them() -> None:
    bases = load("russian_bases")
    plain = views.decline.bases_table(bases)
    assert "years left" not in plain.columns and not hasattr(views.decline, "base_terms")
    table = worked.base_terms(bases)
    assert list(table.columns) == [*plain.columns[:4], "years left", *plain.columns[4:]]
    assert table.drop(columns="years left").equals(plain)
    for base_id, left in years_left(bases).items():
        assert table.loc[base_id, "years left"] == str(int(left))
    assert set(table.loc[~table.index.isin(years_left(bases).index), "years left"]) <= {""}


def test_views_refuse_the_wrong_table_in_one_sentence() -> None:
    with pytest.raises(WrongTableError, match=r'load\("military_spending"\)'):
        views.decline.spending_chart(load("ties"))
    with pytest.raises(WrongTableError, match=r"bases_table\(\) reads the `russian_bases`"):
        views.decline.bases_table(load("ties"))
    with pytest.raises(WrongTableError, match=r"base_terms\(\) reads the `russian_bases`"):
        worked.base_terms(load("ties"))
    with pytest.raises(WrongTableError, match=r'load\("ties"\)'):
        views.decline.ties_chart(load("russian_bases"))
    with pytest.raises(WrongTableError, match="dependence_components"):
        views.decline.index_builder(load("ties"))
    with pytest.raises(WrongTableError, match="exercises_chart"):
        views.decline.exercises_chart(load("ties"))


def test_charts_describe_themselves() -> None:
    for chart in (
        views.decline.spending_chart(load("military_spending")),
        views.decline.ties_chart(load("ties")),
        views.decline.exercises_chart(load("csto_exercises")),
    ):
        assert len(chart.to_dict()["description"]) > 150
