"""Lesson 5's scenario rule and the capstone's claims table.

The scenario rule is checked for every combination of the drivers' settings; the claims table
is checked for completeness: every claim names a lesson that exists and datasets that exist.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from csto_course import datasets, load, views
from csto_course.authoring.lesson import lesson_paths
from csto_course.errors import CourseTypeError, CourseValueError

from .conftest import ROOT


def _all_settings() -> list[dict[str, str]]:
    return [
        dict(zip(views.scenarios.DRIVERS, combo, strict=True))
        for combo in itertools.product(*views.scenarios.DRIVERS.values())
    ]


def test_every_scenario_follows_from_some_settings() -> None:
    reached = {views.scenarios.scenario_for(s).key for s in _all_settings()}
    assert reached == {s.key for s in views.scenarios.SCENARIOS}


def test_the_chosen_scenario_meets_the_most_conditions_and_ties_go_to_the_first_listed() -> None:
    order = [s.key for s in views.scenarios.SCENARIOS]
    for settings in _all_settings():
        counts = views.scenarios.matches(settings)
        chosen = views.scenarios.scenario_for(settings).key
        assert counts[chosen] == max(counts.values())
        assert all(counts[k] < counts[chosen] for k in order[: order.index(chosen)])


def test_every_scenario_profile_uses_real_settings_and_has_signposts() -> None:
    for s in views.scenarios.SCENARIOS:
        assert len(s.profile) == 3 and len(s.signposts) >= 3
        for driver, value in s.profile.items():
            assert value in views.scenarios.DRIVERS[driver]


def test_scenario_for_refuses_bad_settings_in_one_sentence() -> None:
    with pytest.raises(CourseTypeError, match="dict of settings"):
        views.scenarios.scenario_for(["russia"])  # type: ignore[arg-type]
    with pytest.raises(CourseValueError, match="Unknown driver"):
        views.scenarios.scenario_for({"nato": "strong"})
    with pytest.raises(CourseValueError, match="can be"):
        views.scenarios.scenario_for({"russia": "victorious"})


def test_explorer_menus_and_text_alternative_name_every_driver_and_scenario() -> None:
    spec = views.scenarios.scenario_explorer().to_dict()
    menus = [p for p in spec["params"] if p.get("bind", {}).get("input") == "select"]
    assert [p["name"] for p in menus] == list(views.scenarios.DRIVERS)
    assert all(p["value"] == views.scenarios.DRIVERS[p["name"]][0] for p in menus)
    for s in views.scenarios.SCENARIOS:
        assert s.name in spec["description"]


def test_the_explorer_is_one_chart_that_tells_each_scenario_with_its_signposts() -> None:
    """The chart's caption under the bars holds what the removed JupyterLab menus showed: story and signposts."""
    spec = views.scenarios.scenario_explorer().to_dict()
    assert not hasattr(views.scenarios, "scenario_widget") and not hasattr(views.scenarios, "widgets")
    told = spec["title"]["text"]["expr"]
    for s in views.scenarios.SCENARIOS:
        assert s.name in told and s.story.split()[0] in told
        for sign in s.signposts:
            assert sign.split()[0] in told


def test_every_claim_names_a_lesson_and_datasets_that_exist() -> None:
    claims = load("reading_claims")
    lessons = {p.stem for p in lesson_paths(ROOT)}
    assert set(claims["lesson"].astype(str)) <= lessons
    known = set(datasets())
    for row in claims.itertuples():
        named = [d for d in ("" if pd.isna(row.datasets) else str(row.datasets)).split(";") if d]
        assert set(named) <= known, (row.claim_id, named)


def test_the_key_has_one_verdict_per_claim() -> None:
    claims, key = load("reading_claims"), load("reading_claims_key")
    assert sorted(claims["claim_id"]) == sorted(key["claim_id"])


def test_every_lesson_but_the_first_and_the_capstone_teaches_some_claim() -> None:
    taught = set(load("reading_claims")["lesson"].astype(str))
    lessons = {p.stem for p in lesson_paths(ROOT)} - {"00_getting_started", "06_capstone"}
    assert lessons <= taught
