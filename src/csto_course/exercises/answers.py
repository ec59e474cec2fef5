"""The rules only an exercise's answer uses: the graders' side of :mod:`csto_course.measures`.

:mod:`csto_course.measures` is the home of every rule the course names, for the charts, the views
and the lessons. Some rules exist only to compute what an exercise asks for (the troops asked
for and sent, the states taking full part today, the article holding the defence promise): a
function for one of them *is* the answer, so it cannot ship in the student package, where
``measures`` does. Those live here, once, beside the graders that use them, and the student
package leaves this module out (:func:`csto_course.authoring.release.student_package`).

The rule for where a function goes is its use: one that a lesson, a view or another shipped
module calls belongs in ``measures``; one that only the lessons' exercise modules, the worked
results a check shows under a right answer (:mod:`.worked`, also left out) and the tests call
belongs here. ``tests/test_sealed.py`` checks that every public function of the
student package's ``measures`` is used by a lesson or a shipped module. A grader reads rows only
through these two modules (``tests/test_graders.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .. import data
from ..errors import CourseTypeError, CourseValueError, require_columns
from ..measures import (
    _VOTE_COLUMNS,
    ACTIVE_RESPONSES,
    CAST_VOTES,
    SPELL_COLUMNS,
    agreement_index,
    agreement_with,
    had_request,
    parties_on,
    spells_on,
    statuses_by_year,
    vote_matrix,
)

__all__ = [
    "members_per_year",
    "members_on",
    "with_request",
    "active_response_rate",
    "response_delays",
    "group_votes",
    "group_cohesion",
    "years_left",
    "member_conflicts",
    "deployments",
    "positions",
    "voted",
    "current_members",
    "open_spell_states",
    "step_days",
    "vote_distance",
    "spending_shares",
    "partner_groups_since",
    "later_signature_years",
    "first_event",
    "ended_spell_states",
    "came_back",
    "spell_counts",
    "most_spells",
    "spells_of",
    "articles",
    "troops_asked_and_sent",
    "response_share",
    "spending_in",
    "top_partner_groups",
    "ties_with",
    "tied_to",
    "agreement_among",
    "rice_index",
    "stated_budget_share",
    "column_shares",
    "rose",
    "bases_with_term_end",
    "base_hosts",
    "status_change_years",
    "release_figure",
]


# --------------------------------------------------------------------------- rules behind the worked results
# Each of these computes an exercise's answer; the worked results a check shows under a right answer
# (csto_course.exercises.worked) are built on them too.


def departures(spells: pd.DataFrame) -> dict[str, int]:
    """First year each state left: a spell that ended with no other spell of its starting that day.

    A change of status (member to suspended, say) ends one spell and starts another on the
    same day, so it is not a departure.
    """
    require_columns(spells, SPELL_COLUMNS, "departures", "membership")
    starts = set(zip(spells["iso3"].astype(str), spells["start_date"], strict=True))
    left: dict[str, int] = {}
    for row in spells.sort_values("start_date").itertuples():
        if pd.notna(row.end_date) and (str(row.iso3), row.end_date) not in starts:
            left.setdefault(str(row.iso3), int(row.end_date.year))
    return left


def members_per_year(spells: pd.DataFrame | None = None, states: pd.DataFrame | None = None) -> pd.Series:
    """The number of states taking full part (status ``member``) in each year, by the 1 July rule
    (:func:`csto_course.measures.statuses_by_year`)."""
    spells = data.load("membership") if spells is None else spells
    states = data.load("states") if states is None else states
    table = statuses_by_year(spells, states)
    counts = table[table["status"] == "member"].groupby("year").size()
    years = sorted(table["year"].unique())
    return counts.reindex(years, fill_value=0).rename("members")


def members_on(spells: pd.DataFrame, day: Any) -> set[str]:
    """ISO3 codes of the states taking full part (status ``member``) on ``day``: the parties but a frozen one.

    The likely slip when a question asks for the parties: Armenia, frozen since 2024, is still one.
    """
    running = spells_on(spells, day)
    return set(running.loc[running["status"].astype(str) == "member", "iso3"].astype(str))


def with_request(crises: pd.DataFrame) -> pd.DataFrame:
    """The crises in which a member asked for help (:func:`csto_course.measures.had_request`)."""
    return crises[had_request(crises)]


def active_response_rate(crises: pd.DataFrame) -> pd.Series:
    """By kind of crisis: among crises with a request, the share in which the alliance acted.

    "A request" is any ``request`` other than ``none`` (help debated in public counts), and
    "acted" is a response in ``measures.ACTIVE_RESPONSES``. Kinds with no request are left out.
    """
    require_columns(crises, ("kind", "request", "response"), "active_response_rate", "crises")
    asked = with_request(crises)
    active = asked["response"].astype(str).isin(ACTIVE_RESPONSES)
    return active.groupby(asked["kind"].astype(str)).mean().rename("active_response_rate")


def response_delays(crises: pd.DataFrame) -> pd.Series:
    """Days from a request made to the alliance itself to the alliance's first response.

    Only requests whose ``requested_of`` is ``csto`` count: a letter to Moscow is not a
    request the alliance could answer. Both dates must be known. A negative delay means the
    alliance spoke before the formal request arrived.
    """
    require_columns(crises, ("crisis_id", "requested_of", "request_date", "response_date"), "response_delays", "crises")
    asked = crises[
        (crises["requested_of"].astype(str) == "csto")
        & crises["request_date"].notna()
        & crises["response_date"].notna()
    ]
    days = (asked["response_date"] - asked["request_date"]).dt.days
    return pd.Series(days.to_numpy(), index=pd.Index(asked["crisis_id"].astype(str), name="crisis_id"), name="days")


def group_votes(
    votes: pd.DataFrame,
    resolutions: pd.DataFrame,
    spells: pd.DataFrame,
    states: list[str] | None = None,
    on: Callable[[pd.DataFrame, Any], set[str]] = parties_on,
) -> pd.DataFrame:
    """How a group voted on each resolution: its yes, no, abstain and absent, one row per resolution.

    The group is the treaty's parties on the day of each vote, as in :func:`group_cohesion`, or
    ``states`` if given, or those ``on(spells, day)`` gives (:func:`members_on`); an exercise compares
    other indices (Rice's) and other groups with it.
    """
    table = vote_matrix(votes, resolutions)
    require_columns(resolutions, ("resolution", "date"), "group_votes", "unga_resolutions")
    days = resolutions.set_index(resolutions["resolution"].astype(str))["date"]
    columns = [*CAST_VOTES, "absent"]
    rows = {}
    for resolution in table.columns:
        group = set(states) if states is not None else on(spells, days[resolution])
        counts = table.loc[table.index.isin(group), resolution].value_counts()
        rows[resolution] = [int(counts.get(v, 0)) for v in columns]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


def group_cohesion(votes: pd.DataFrame, resolutions: pd.DataFrame, spells: pd.DataFrame) -> pd.Series:
    """The agreement index of the treaty's parties on each resolution, absences left out.

    The group is the states that were parties on the day of the vote (``parties_on``), so it
    changes as members come and go.
    """
    require_columns(resolutions, ("resolution", "date"), "group_cohesion", "unga_resolutions")
    counts = group_votes(votes, resolutions, spells)
    out = {resolution: agreement_index(*(int(row[v]) for v in CAST_VOTES)) for resolution, row in counts.iterrows()}
    return pd.Series(out, name="agreement_index", dtype=float).rename_axis("resolution")


def years_left(bases: pd.DataFrame, as_of: Any = None) -> pd.Series:
    """Whole years from the year the data were last checked to the end of each base's current term.

    Only sites in use with a known ``term_end`` are counted: a term that renews itself or whose
    length no source gives has no end to count to.
    """
    require_columns(bases, ("base_id", "term_end", "in_use"), "years_left", "russian_bases")
    year = (data.as_of() if as_of is None else pd.Timestamp(as_of)).year
    known = bases[bases["in_use"].fillna(False).astype(bool) & bases["term_end"].notna()]
    left = pd.to_datetime(known["term_end"]).dt.year - year
    return pd.Series(left.to_numpy(), index=pd.Index(known["base_id"].astype(str), name="base_id"), name="years_left")


# --------------------------------------------------------------------------- the other rules only an answer uses


def current_members(spells: pd.DataFrame, status: str = "member") -> set[str]:
    """ISO3 codes of states whose open spell (no end date) has ``status``."""
    require_columns(spells, SPELL_COLUMNS, "current_members", "membership")
    open_spells = spells[spells["end_date"].isna() & (spells["status"] == status)]
    return set(open_spells["iso3"].astype(str))


def open_spell_states(spells: pd.DataFrame) -> set[str]:
    """ISO3 codes of states with an open spell (no end date) of any status, a frozen or suspended one too.

    The likely slip when counting today's members: :func:`current_members` also checks the status.
    """
    require_columns(spells, SPELL_COLUMNS, "open_spell_states", "membership")
    return set(spells.loc[spells["end_date"].isna(), "iso3"].astype(str))


def step_days(events: pd.DataFrame, crisis_id: str) -> dict[str, int]:
    """Days after a crisis's first ``request`` event at which each later step first happened."""
    require_columns(events, ("crisis_id", "date", "step"), "step_days", "crisis_events")
    steps = events[events["crisis_id"].astype(str) == crisis_id].sort_values("date", kind="stable")
    if steps.empty:
        raise CourseValueError(f"There are no events for a crisis called '{crisis_id}' in crisis_events.")
    start = steps.loc[steps["step"].astype(str) == "request", "date"].min()
    if pd.isna(start):
        raise CourseValueError(f"The crisis '{crisis_id}' has no request step to count from.")
    later = steps[(steps["date"] >= start) & (steps["step"].astype(str) != "request")]
    return {
        str(step): int((group["date"].min() - start).days)
        for step, group in later.groupby(later["step"].astype(str), sort=False)
    }


def vote_distance(vote: Any, partner_vote: Any) -> float:
    """How far one vote is from another: 0 the same, 0.5 one abstained, 1 opposite; empty if either is absent."""
    if vote not in CAST_VOTES or partner_vote not in CAST_VOTES:
        return float("nan")
    if vote == partner_vote:
        return 0.0
    return 0.5 if "abstain" in (vote, partner_vote) else 1.0


_SPENDING_COLUMNS = ("iso3", "year", "usd_million")


def spending_shares(spending: pd.DataFrame, group: Any, year: Any) -> pd.Series:
    """Each state's share of the group's military spending in ``year`` (current US dollars).

    States of the group without a figure that year (SIPRI's "..."; Uzbekistan in most years)
    are left out of the total and of the result, so the shares of those with figures sum to 1.
    """
    require_columns(spending, _SPENDING_COLUMNS, "spending_shares", "military_spending")
    if isinstance(year, (bool, np.bool_)) or not isinstance(year, (int, np.integer)):
        raise CourseTypeError(f"The year must be a whole number such as 2024, without quotes; got {year!r}.")
    rows = spending[(spending["year"] == int(year)) & spending["iso3"].astype(str).isin(set(group))]
    rows = rows[rows["usd_million"].notna()]
    if rows.empty:
        years = sorted(int(y) for y in spending["year"].dropna().unique())
        raise CourseValueError(
            f"No spending figures for that group in {year}; the data cover {years[0]} to {years[-1]}."
        )
    usd = rows.set_index(rows["iso3"].astype(str))["usd_million"].astype(float)
    return (usd / usd.sum()).rename("share").rename_axis("iso3")


def partner_groups_since(ties: pd.DataFrame, first_year: int) -> pd.Series:
    """How many different kinds of partner (China, Turkey, the EU...) each member tied itself to since ``first_year``.

    The group ``other`` (the SCO, BRICS and the like, which include Russia) does not count as a partner.
    """
    require_columns(ties, ("iso3", "start_date", "partner_group"), "partner_groups_since", "ties")
    recent = ties[(pd.to_datetime(ties["start_date"]).dt.year >= int(first_year)) & (ties["partner_group"] != "other")]
    groups = recent.groupby(recent["iso3"].astype(str))["partner_group"].nunique()
    return groups.reindex(sorted(set(ties["iso3"].astype(str))), fill_value=0).astype(int).rename("partner_groups")


def later_signature_years(states: pd.DataFrame) -> list[int]:
    """The year each state that did not sign in Tashkent (1992-05-15) first signed the treaty, one per state."""
    require_columns(states, ("signed_1992_tashkent", "first_signed"), "later_signature_years", "states")
    later = states.loc[~states["signed_1992_tashkent"].astype(bool), "first_signed"]
    return [int(year) for year in pd.to_datetime(later).dt.year]


def first_event(timeline: pd.DataFrame, kind: str) -> pd.Timestamp:
    """The date of the first event of ``kind`` (such as 'charter_signature') in the timeline."""
    require_columns(timeline, ("kind", "date"), "first_event", "timeline")
    return pd.Timestamp(timeline.loc[timeline["kind"].astype(str) == kind, "date"].min())


def ended_spell_states(spells: pd.DataFrame) -> set[str]:
    """ISO3 codes of states with a spell that ended: those that left, and those whose status changed."""
    require_columns(spells, SPELL_COLUMNS, "ended_spell_states", "membership")
    return set(spells.loc[spells["end_date"].notna(), "iso3"].astype(str))


def came_back(spells: pd.DataFrame) -> list[str]:
    """ISO3 codes of the states that left (:func:`departures`) and began a spell in a later year."""
    left = departures(spells)
    later = spells[spells["iso3"].astype(str).map(left).lt(spells["start_date"].dt.year)]
    return sorted(set(later["iso3"].astype(str)))


def spell_counts(spells: pd.DataFrame) -> pd.Series:
    """The number of membership spells of each state, most first."""
    require_columns(spells, SPELL_COLUMNS, "spell_counts", "membership")
    return spells["iso3"].astype(str).value_counts()


def most_spells(spells: pd.DataFrame) -> list[str]:
    """The state with the most membership spells, or the states tied for the most, as sorted ISO3 codes."""
    counts = spell_counts(spells)
    return sorted(str(iso3) for iso3 in counts[counts == counts.max()].index)


def spells_of(spells: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """One state's membership spells in date order (``iso3`` in any case)."""
    require_columns(spells, SPELL_COLUMNS, "spells_of", "membership")
    own = spells[spells["iso3"].astype(str).str.casefold() == iso3.casefold()]
    return own.sort_values("start_date")


def articles(provisions: pd.DataFrame, instrument: str, topic: str) -> set[int]:
    """The numbers of the articles of ``instrument`` (such as 'North Atlantic Treaty') whose topic is ``topic``."""
    require_columns(provisions, ("instrument", "topic", "article"), "articles", "provisions")
    rows = provisions[(provisions["instrument"] == instrument) & (provisions["topic"] == topic)]
    return set(rows["article"].astype(int))


def troops_asked_and_sent(crises: pd.DataFrame) -> tuple[int, int]:
    """(crises whose request was for troops, those of them in which the alliance deployed troops)."""
    require_columns(crises, ("request", "response"), "troops_asked_and_sent", "crises")
    troops = crises[crises["request"].astype(str) == "troops"]
    return len(troops), int((troops["response"].astype(str) == "collective_deployment").sum())


def response_share(
    crises: pd.DataFrame, responses: tuple[str, ...] = ACTIVE_RESPONSES, asked_only: bool = True
) -> pd.Series:
    """By kind of crisis: the share whose response is one of ``responses``, among the crises with a request.

    With the defaults it is :func:`active_response_rate`; ``asked_only=False`` takes every crisis,
    and other ``responses`` another idea of acting: the likely slips an exercise anticipates.
    """
    require_columns(crises, ("kind", "request", "response"), "response_share", "crises")
    rows = with_request(crises) if asked_only else crises
    return rows["response"].astype(str).isin(responses).groupby(rows["kind"].astype(str)).mean()


def spending_in(spending: pd.DataFrame, iso3: str, year: int) -> float:
    """One state's military spending in one year, in millions of current US dollars (``usd_million``)."""
    require_columns(spending, _SPENDING_COLUMNS, "spending_in", "military_spending")
    return float(spending.loc[(spending["iso3"] == iso3) & (spending["year"] == year), "usd_million"].iloc[0])


def _ties_from(ties: pd.DataFrame, first_year: int | None) -> pd.DataFrame:
    require_columns(ties, ("iso3", "start_date", "partner_group"), "ties", "ties")
    return ties if first_year is None else ties[pd.to_datetime(ties["start_date"]).dt.year >= int(first_year)]


def top_partner_groups(ties: pd.DataFrame, first_year: int | None = None) -> pd.Series:
    """Each member's most frequent ``partner_group`` among its ties begun from ``first_year`` on (all, if None)."""
    rows = _ties_from(ties, first_year)
    return rows.groupby("iso3", observed=True)["partner_group"].agg(lambda g: g.astype(str).value_counts().idxmax())


def ties_with(ties: pd.DataFrame, partner_group: str | None = None, first_year: int | None = None) -> pd.Series:
    """How many ties each member began with ``partner_group`` (such as 'china'; any, if None) from ``first_year``
    on (all years, if None), members with none left out."""
    rows = _ties_from(ties, first_year)
    if partner_group is not None:
        rows = rows[rows["partner_group"].astype(str) == partner_group]
    return rows.groupby(rows["iso3"].astype(str)).size().rename("ties")


def tied_to(ties: pd.DataFrame, partner_group: str, first_year: int | None = None) -> set[str]:
    """ISO3 codes of the members with a tie to ``partner_group`` (such as 'china') begun from ``first_year`` on."""
    return set(ties_with(ties, partner_group, first_year).index)


def agreement_among(votes: pd.DataFrame, states: list[str], partner: str = "RUS") -> pd.DataFrame:
    """:func:`agreement_with` ``partner`` for each of ``states`` but the partner, in the order given."""
    require_columns(votes, _VOTE_COLUMNS, "agreement_among", "unga_votes")
    among = votes[votes["iso3"].astype(str).isin(states)]
    return agreement_with(among, partner).reindex([s for s in states if s != partner])


def rice_index(yes: int, no: int) -> float:
    """Rice's index of a group's cohesion, ``|yes - no| / (yes + no)``, blind to abstentions; empty if none voted."""
    return abs(yes - no) / (yes + no) if yes + no else float("nan")


def stated_budget_share(budget: pd.DataFrame, iso3: str) -> list[float]:
    """The shares of the organisation's budget ``iso3`` is stated to pay, in percent, one per source."""
    require_columns(budget, ("iso3", "measure", "value"), "stated_budget_share", "budget_shares")
    rows = budget[(budget["iso3"] == iso3) & (budget["measure"] == "budget_share_percent")]
    return [float(v) for v in rows["value"]]


def column_shares(spending: pd.DataFrame, group: Any, year: int, column: str) -> pd.Series:
    """Each state's share of the group's total of ``column`` (such as 'gdp_share') in ``year``.

    Unlike :func:`spending_shares` it adds up any column, however meaningless the sum: a share of
    GDP is not money, which is the point of the exercise that asks for it.
    """
    require_columns(spending, ("iso3", "year", column), "column_shares", "military_spending")
    rows = spending[(spending["year"] == year) & spending["iso3"].isin(set(group))]
    values = rows.set_index("iso3")[column].astype(float)
    return values / values.sum()


def rose(spending: pd.DataFrame, states: list[str], before: int, after: int, column: str = "gdp_share") -> list[str]:
    """Those of ``states`` whose ``column`` (military spending as a share of GDP, unless told) was higher in
    ``after`` than in ``before``; ``column="usd_million"`` is the likely slip of comparing dollars."""
    require_columns(spending, ("iso3", "year", column), "rose", "military_spending")
    table = spending.pivot(index="iso3", columns="year", values=column)
    return [s for s in states if table.loc[s, after] > table.loc[s, before]]


def bases_with_term_end(bases: pd.DataFrame) -> set[str]:
    """The ``base_id`` of every site with a known ``term_end``, in use or not."""
    require_columns(bases, ("base_id", "term_end"), "bases_with_term_end", "russian_bases")
    return set(bases.loc[bases["term_end"].notna(), "base_id"].astype(str))


def base_hosts(bases: pd.DataFrame, base_ids: Any) -> list[str]:
    """The ISO3 codes of the states hosting the sites ``base_ids``, sorted."""
    require_columns(bases, ("base_id", "iso3"), "base_hosts", "russian_bases")
    return sorted(set(bases.loc[bases["base_id"].isin(list(base_ids)), "iso3"]))


def status_change_years(spells: pd.DataFrame, statuses: tuple[str, ...] = ("suspended", "frozen")) -> set[int]:
    """The years in which a spell with one of ``statuses`` began: a state's status changed, but it did not leave."""
    require_columns(spells, SPELL_COLUMNS, "status_change_years", "membership")
    return {int(y) for y in spells.loc[spells["status"].astype(str).isin(statuses), "start_date"].dt.year}


def member_conflicts(crises: pd.DataFrame) -> pd.DataFrame:
    """The crises that set one member state against another (``members_on_both_sides``)."""
    require_columns(crises, ("members_on_both_sides",), "member_conflicts", "crises")
    return crises[crises["members_on_both_sides"].fillna(False).astype(bool)]


def deployments(crises: pd.DataFrame) -> pd.DataFrame:
    """The crises in which the alliance deployed troops (response 'collective_deployment')."""
    require_columns(crises, ("response",), "deployments", "crises")
    return crises[crises["response"].astype(str) == "collective_deployment"]


def positions(statements: pd.DataFrame, question: str, taken: tuple[str, ...], explicit_only: bool = False) -> set[str]:
    """ISO3 codes of the states whose position on ``question`` is one of ``taken`` (in ``recognition``).

    ``explicit_only`` keeps the statements marked ``explicit``: an inference from a vote is not a statement.
    """
    require_columns(statements, ("iso3", "question", "position", "explicit"), "positions", "recognition")
    rows = statements[(statements["question"] == question) & statements["position"].isin(taken)]
    if explicit_only:
        rows = rows[rows["explicit"].fillna(False).astype(bool)]
    return set(rows["iso3"].astype(str))


def voted(votes: pd.DataFrame, vote: str, states: list[str], session: str = "") -> set[str]:
    """ISO3 codes of ``states`` that cast ``vote`` on at least one resolution whose id starts with ``session``."""
    require_columns(votes, _VOTE_COLUMNS, "voted", "unga_votes")
    rows = votes[
        votes["iso3"].astype(str).isin(states)
        & (votes["vote"] == vote)
        & votes["resolution"].astype(str).str.startswith(session)
    ]
    return set(rows["iso3"].astype(str))


def release_figure(vintages: pd.DataFrame, release: int, iso3: str, year: int, measure: str) -> float:
    """One figure as an earlier SIPRI release gave it (``military_spending_vintages``): Exercise 4.3
    sets it beside the current release's."""
    table = vintages.astype({"sipri_release": str, "iso3": str, "measure": str}).set_index(
        ["sipri_release", "iso3", "year", "measure"]
    )
    return float(table.loc[(str(release), iso3, year, measure), "value"])
