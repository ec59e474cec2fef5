"""Lesson 3's measures and views: agreement, cohesion, the heatmap and the explorer.

The measures are checked on small hand-made roll calls whose answers can be worked out on
paper; the views are checked on the course data, against the same measures.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from csto_course import load, views
from csto_course.errors import CourseValueError, WrongTableError
from csto_course.exercises import worked
from csto_course.exercises.answers import group_cohesion, vote_distance
from csto_course.measures import (
    CAST_VOTES,
    agreement_index,
    agreement_with,
    parties_on,
    vote_matrix,
)


def _toy_votes() -> pd.DataFrame:
    rows = {
        "R1": {"RUS": "no", "AAA": "no", "BBB": "abstain", "CCC": "yes"},
        "R2": {"RUS": "no", "AAA": "absent", "BBB": "no", "CCC": "yes"},
        "R3": {"RUS": "absent", "AAA": "yes", "BBB": "yes", "CCC": "yes"},
    }
    return pd.DataFrame(
        [{"resolution": r, "iso3": s, "state": s, "vote": v} for r, votes in rows.items() for s, v in votes.items()]
    )


def test_agreement_counts_only_resolutions_both_voted_on() -> None:
    table = agreement_with(_toy_votes())
    # AAA: R1 same; R2 AAA absent; R3 Russia absent -> 1 of 1.
    assert table.loc["AAA"].to_dict() == {"both_voted": 1, "same": 1, "rate": 1.0}
    # BBB: R1 differs, R2 same -> 1 of 2.
    assert table.loc["BBB", "rate"] == 0.5
    assert table.loc["CCC", "rate"] == 0.0
    assert "RUS" not in table.index


def test_agreement_index_matches_its_definition() -> None:
    assert agreement_index(6, 0, 0) == 1.0
    assert agreement_index(2, 2, 2) == 0.0
    # Largest 4 of 6: (4 - 2/2) / 6 = 0.5.
    assert agreement_index(4, 1, 1) == 0.5
    assert math.isnan(agreement_index(0, 0, 0))


@pytest.mark.parametrize(
    ("vote", "other", "distance"),
    [("no", "no", 0.0), ("abstain", "no", 0.5), ("yes", "abstain", 0.5), ("yes", "no", 1.0)],
)
def test_vote_distance(vote: str, other: str, distance: float) -> None:
    assert vote_distance(vote, other) == distance


def test_an_absence_has_no_distance() -> None:
    assert math.isnan(vote_distance("absent", "no"))


def test_parties_on_counts_frozen_members_but_not_suspended_ones() -> None:
    spells = load("membership")
    frozen = spells[spells["status"] == "frozen"]
    day = frozen["start_date"].min() + pd.Timedelta(days=1)
    assert set(frozen.loc[frozen["start_date"] <= day, "iso3"]) <= parties_on(spells, day)
    suspended = spells[spells["status"] == "suspended"].iloc[0]
    assert suspended["iso3"] not in parties_on(spells, suspended["start_date"] + pd.Timedelta(days=1))


def test_roll_calls_add_up_to_the_recorded_totals_where_every_state_is_listed() -> None:
    votes, resolutions = load("unga_votes"), load("unga_resolutions")
    for r in resolutions.itertuples():
        rows = votes[votes["resolution"] == r.resolution]
        if len(rows) < r.yes + r.no + r.abstain:
            continue  # only the focus states were coded for this resolution
        counts = rows["vote"].astype(str).value_counts()
        for vote in (*CAST_VOTES, "absent"):
            assert int(counts.get(vote, 0)) == int(getattr(r, vote)), (r.resolution, vote)


def test_a_vote_no_source_gives_is_shown_as_not_recorded() -> None:
    votes, resolutions = load("unga_votes"), load("unga_resolutions")
    matrix = vote_matrix(votes, resolutions)
    gaps = {(s, r) for s in matrix.index for r in matrix.columns if pd.isna(matrix.loc[s, r])}
    spec = views.votes.vote_heatmap(votes, resolutions).to_dict()
    made = {t["as"]: t["calculate"] for t in spec["transform"] if "calculate" in t}
    order = json.loads(made["resolution"])
    shown = {
        (row["iso3"], r)
        for row in spec["data"]["values"]
        for r, vote in zip(order, row["votes"], strict=True)
        if vote == "not recorded"
    }
    assert shown == gaps
    assert json.loads(made["letter"].rsplit("[datum.vote]", 1)[0])["not recorded"] == "?"


def test_cohesion_uses_the_parties_on_the_day_of_each_vote() -> None:
    votes, resolutions, spells = load("unga_votes"), load("unga_resolutions"), load("membership")
    cohesion = group_cohesion(votes, resolutions, spells)
    table = worked.cohesion_table(votes, resolutions, spells)
    assert list(table.index) == list(resolutions.sort_values("date")["resolution"].astype(str))
    assert (table["agreement_index"] - cohesion.reindex(table.index).round(3)).abs().max() == 0
    assert (table[["yes", "no", "abstain", "absent", "not_recorded"]].sum(axis=1) == table["parties"]).all()


def test_the_worked_vote_tables_name_the_states_and_refuse_the_wrong_table() -> None:
    votes = load("unga_votes")
    table = worked.agreement_table(votes)
    others = [s for s in views.votes.focus_states() if s != "RUS"]
    assert list(table.index) == others
    assert table[["both_voted", "same", "rate"]].equals(agreement_with(votes).reindex(others))
    assert table.loc["KAZ", "name"] == "Kazakhstan"
    with pytest.raises(CourseValueError, match=r"no votes for 'Russia' in this table.*such as 'RUS'"):
        worked.agreement_table(votes, partner="Russia")
    with pytest.raises(WrongTableError, match=r'load\("membership"\)'):
        worked.cohesion_table(votes, load("unga_resolutions"), load("states"))
    assert not {"agreement_table", "cohesion_table"} & set(dir(views.votes))


def test_heatmap_selector_names_each_state_and_its_rate() -> None:
    votes, resolutions = load("unga_votes"), load("unga_resolutions")
    chart = views.votes.vote_heatmap(votes, resolutions).to_dict()
    param = chart["params"][0]
    assert param["name"] == "state" and param["bind"]["input"] == "select"
    # The grid's sixteen states first, then every other state in the roll calls (the removed
    # JupyterLab explorer's reach): a chosen state outside the grid gets a row under it.
    everyone = set(load("unga_votes")["iso3"].astype(str))
    assert param["bind"]["options"][: len(views.votes.focus_states())] == views.votes.focus_states()
    assert set(param["bind"]["options"]) == everyone and len(param["bind"]["options"]) == len(everyone)
    assert any("datum.iso3 == state" in t.get("filter", "") for t in chart["transform"])
    lookup = json.loads(chart["title"]["text"]["expr"].rsplit("[state]", 1)[0])
    rates = agreement_with(votes)
    for iso3, lines in lookup.items():
        if iso3 != "RUS" and not pd.isna(rates.loc[iso3, "rate"]):
            same, both = int(rates.loc[iso3, "same"]), int(rates.loc[iso3, "both_voted"])
            assert f"{same} of" in lines[1] and f"{both} votes" in lines[2]
    assert len(chart["description"]) > 200
    # One row per state, its votes a list (one per resolution) that the browser spreads into cells.
    assert len(chart["data"]["values"]) == len(everyone)
    assert all(len(row["votes"]) == len(resolutions) for row in chart["data"]["values"])
    assert set(lookup) == everyone


def test_views_refuse_the_wrong_table_in_one_sentence() -> None:
    with pytest.raises(WrongTableError, match=r'load\("unga_votes"\)'):
        views.votes.vote_heatmap(load("crises"), load("unga_resolutions"))
    with pytest.raises(WrongTableError, match=r'load\("unga_resolutions"\)'):
        views.votes.vote_heatmap(load("unga_votes"), load("states"))
    with pytest.raises(WrongTableError, match=r'load\("recognition"\)'):
        views.votes.recognition_matrix(load("unga_votes"))
    with pytest.raises(WrongTableError, match=r'load\("alignment_acts"\)'):
        views.votes.alignment_chart(load("recognition"))


def test_heatmap_refuses_an_unknown_state() -> None:
    with pytest.raises(CourseValueError, match="ISO3"):
        views.votes.vote_heatmap(load("unga_votes"), load("unga_resolutions"), states=["Kazakh SSR"])


def test_recognition_matrix_has_one_row_per_treaty_state() -> None:
    table = views.votes.recognition_matrix(load("recognition"))
    assert len(table) == len(load("states"))
    assert set(table.columns) == set(load("recognition")["question"].astype(str))
