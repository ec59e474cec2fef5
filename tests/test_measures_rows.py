"""The measures the graders read rows through, checked against the lesson's own measures.

Each exercise's likely mistakes are other measures, or the same one on other rows; these tests
pin how each relates to the rule a lesson teaches, so a change to one shows in the other.
"""

from __future__ import annotations

import pandas as pd
import pytest

from csto_course import load, measures
from csto_course.exercises import answers


def test_the_membership_rows() -> None:
    spells = load("membership")
    assert answers.current_members(spells) <= answers.open_spell_states(spells)
    left = answers.departures(spells)
    assert set(answers.came_back(spells)) <= set(left) <= answers.ended_spell_states(spells)
    assert set(answers.most_spells(spells)) <= set(answers.spell_counts(spells).index)
    for iso3 in answers.most_spells(spells):
        history = answers.spells_of(spells, iso3.lower())
        assert len(history) == answers.spell_counts(spells).max()
        assert history["start_date"].is_monotonic_increasing
    assert all(isinstance(year, int) for year in answers.status_change_years(spells))


def test_the_treaty_and_the_timeline() -> None:
    states = load("states")
    assert len(answers.later_signature_years(states)) == len(states) - int(states["signed_1992_tashkent"].sum())
    timeline = load("timeline")
    assert answers.first_event(timeline, "charter_signature") < answers.first_event(
        timeline, "charter_entry_into_force"
    )
    provisions = load("provisions")
    assert answers.articles(provisions, "Collective Security Treaty", "mutual_defence")
    assert answers.articles(provisions, "No such treaty", "mutual_defence") == set()


def test_the_crisis_rows() -> None:
    crises = load("crises")
    pd.testing.assert_series_equal(
        answers.response_share(crises), answers.active_response_rate(crises), check_names=False
    )
    asked, sent = answers.troops_asked_and_sent(crises)
    assert sent <= asked <= len(answers.with_request(crises)) <= len(crises)
    assert len(answers.deployments(crises)) == sent
    assert answers.member_conflicts(crises)["members_on_both_sides"].astype(bool).all()


def test_the_vote_rows() -> None:
    votes, resolutions, spells = load("unga_votes"), load("unga_resolutions"), load("membership")
    treaty = sorted(load("states")["iso3"].astype(str))
    table = answers.agreement_among(votes, treaty)
    assert "RUS" not in table.index and list(table.index) == [s for s in treaty if s != "RUS"]
    counts = answers.group_votes(votes, resolutions, spells)
    cohesion = answers.group_cohesion(votes, resolutions, spells)
    for resolution, row in counts.iterrows():
        assert measures.agreement_index(row["yes"], row["no"], row["abstain"]) == pytest.approx(
            cohesion[resolution], nan_ok=True
        )
    assert answers.rice_index(3, 1) == 0.5 and answers.rice_index(0, 0) != answers.rice_index(0, 0)
    others = [s for s in treaty if s != "RUS"]
    assert answers.voted(votes, "no", others, session="ES-11") <= answers.voted(votes, "no", others)
    recognition = load("recognition")
    explicit = answers.positions(recognition, "annexation_2022", ("does_not_recognise",), explicit_only=True)
    assert explicit <= answers.positions(recognition, "annexation_2022", ("does_not_recognise",))


def test_the_spending_bases_and_ties_rows() -> None:
    spending = load("military_spending")
    parties = measures.parties_on(load("membership"), "2024-07-01")
    shares = answers.spending_shares(spending, parties, 2024)
    usd = {s: answers.spending_in(spending, s, 2024) for s in shares.index}
    assert shares["RUS"] == pytest.approx(usd["RUS"] / sum(usd.values()))
    assert answers.column_shares(spending, parties, 2024, "usd_million")["RUS"] == pytest.approx(shares["RUS"])
    assert set(answers.rose(spending, sorted(parties - {"RUS"}), 2021, 2024)) <= parties
    assert all(0 < v < 100 for v in answers.stated_budget_share(load("budget_shares"), "RUS"))
    bases = load("russian_bases")
    left = answers.years_left(bases)
    assert set(left.index) <= answers.bases_with_term_end(bases)
    assert set(answers.base_hosts(bases, left.index)) <= set(bases["iso3"].astype(str))
    ties = load("ties")
    since = measures.ties_since(ties, measures.TIES_FROM)
    assert answers.tied_to(ties, "china", measures.TIES_FROM) <= set(since[since > 0].index)
    assert answers.ties_with(ties, first_year=measures.TIES_FROM).to_dict() == since[since > 0].to_dict()
    top = answers.top_partner_groups(ties, measures.TIES_FROM)
    assert {m for m, g in top.items() if g == "china"} <= answers.tied_to(ties, "china", measures.TIES_FROM)
