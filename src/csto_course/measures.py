"""The course's measures: each rule written once, used by the charts, the views and the graders.

A count that a chart shows and a grader checks must come from the same code, or a student
who follows the lesson exactly can be told they are wrong. Every rule a lesson names is written
once, with the reason for its choices, here or (marked *answers*) in
:mod:`csto_course.exercises.answers`:

- a state's **status in a year** is its status on 1 July of that year;
- a **member** is a state taking full part: an open spell with status ``member``;
- a state **left** when a spell ended and no other spell of its began that day;
- the alliance **acted** when it did more than issue a statement (``ACTIVE_RESPONSES``);
- the **delay** of a response is counted from a request made to the alliance itself (*answers*);
- two states **agree** on a resolution when both cast a vote and cast the same one;
- a group's **cohesion** on a vote is Hix, Noury and Roland's agreement index (the index here, the
  group's cohesion vote by vote in *answers*);
- a state's **share of military spending** is its share of the group's total in SIPRI's current
  dollars, among the states with a figure that year (*answers*);
- the **years left** on a base agreement run from the year the data were last checked to the year
  its current term ends (*answers*);
- a member's **ties** in a period are the ties that *began* in it;
- the **dependence index** is a weighted mean of components scaled from 0 to 1.

This module ships in the student package, so it holds only the rules a lesson, a chart or a view
uses. A rule that only computes an exercise's answer (the troops asked for and sent, the states
taking full part today, the members in each year, the delays, the years left) would hand a student
that answer: it lives in :mod:`csto_course.exercises.answers`, beside the graders, which the student
package leaves out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from . import data
from .errors import CourseTypeError, CourseValueError, course_function, kind_of, require_columns
from .language import N_, _, translate

__all__ = [
    "REFERENCE_MONTH_DAY",
    "VEGA_REFERENCE",
    "FIRST_YEAR",
    "ACTIVE_RESPONSES",
    "reference_day",
    "check_year",
    "check_day",
    "SPELL_COLUMNS",
    "STATE_COLUMNS",
    "spells_on",
    "treaty_states",
    "status_in_year",
    "statuses_by_year",
    "CAST_VOTES",
    "TREATY_PARTIES",
    "parties_on",
    "vote_matrix",
    "agreement_with",
    "agreement_index",
    "ties_since",
    "DEPENDENCE_COMPONENTS",
    "dependence_components",
    "dependence_index",
    "had_request",
]

#: A state's status "in year Y" is its status on this (month, day) of Y: mid-year, so a
#: change in the last days of June (Uzbekistan's note of 28 June 2012) counts for that year.
REFERENCE_MONTH_DAY = (7, 1)

#: The same day as a Vega expression for charts with a ``year`` param. Vega's ``datetime``
#: counts months from 0, so 6 is July.
VEGA_REFERENCE = "datetime(year, 6, 1)"

#: The treaty was signed on 15 May 1992; no earlier year has anything to show.
FIRST_YEAR = 1992

#: Responses that go beyond words: the alliance met, sent people, equipment or troops.
ACTIVE_RESPONSES = ("consultations", "mission", "advisers_equipment", "collective_deployment")

#: What the rules read from a ``membership`` table (spells) and from the ``states`` table.
SPELL_COLUMNS = ("iso3", "status", "start_date", "end_date")
STATE_COLUMNS = ("iso3", "name", "iso_numeric")


# --------------------------------------------------------------------------- years


def last_year() -> int:
    """The last year the data cover: the year they were last checked."""
    return int(data.as_of().year)


def whole_number(value: Any, what: str, example: int) -> int:
    """``value`` as an ``int`` if it is a whole number (numpy's too; not True or False), or one sentence saying so."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        got = repr(value) if isinstance(value, (str, float)) else kind_of(value)
        message = (
            _("The {what} must be a whole number such as {example}, without quotes; got {got}.")
            if isinstance(value, str)
            else _("The {what} must be a whole number such as {example}; got {got}.")
        )
        raise CourseTypeError(message.format(what=translate(what), example=example, got=got))
    return int(value)


def check_year(year: Any, what: str = N_("year")) -> int:
    """A whole-number year within the data, or one sentence saying what to write instead."""
    year = whole_number(year, what, 2012)
    last = last_year()
    if not FIRST_YEAR <= year <= last:
        raise CourseValueError(
            _(
                "The {what} must be between {first} (the treaty was signed in May 1992) and "
                "{last} (the data were last checked on {checked}); got {year}."
            ).format(what=translate(what), first=FIRST_YEAR, last=last, checked=f"{data.as_of():%Y-%m-%d}", year=year)
        )
    return year


def check_day(day: Any, what: str = N_("day")) -> pd.Timestamp:
    """A day within the data's years, from a date or an ISO date as text, or one sentence saying what to write.

    A number is refused, though pandas would read 5 as a moment in 1970, and so is a day
    outside :func:`check_year`'s years: the data know nothing of them, so any answer would be empty.
    """
    what = translate(what)
    if isinstance(day, (bool, np.bool_)) or not isinstance(day, (str, dt.date, np.datetime64)):
        raise CourseTypeError(
            _("The {what} must be a date such as '2022-03-02' or as_of(); got {kind}.").format(
                what=what, kind=kind_of(day)
            )
        )
    try:
        stamp = pd.Timestamp(day)
    except ValueError:
        stamp = pd.NaT
    if pd.isna(stamp):
        raise CourseValueError(
            _("The {what} must be a date written year-month-day, such as '2022-03-02' or as_of(); got {day}.").format(
                what=what, day=repr(day)
            )
        )
    check_year(int(stamp.year), _("year of the {what}").format(what=what))
    return stamp


@course_function
def reference_day(year: int) -> pd.Timestamp:
    """The day whose status stands for the whole of ``year`` (1 July)."""
    year = check_year(year)
    month, day = REFERENCE_MONTH_DAY
    return pd.Timestamp(year=year, month=month, day=day)


# --------------------------------------------------------------------------- membership


@course_function
def spells_on(spells: pd.DataFrame, day: Any) -> pd.DataFrame:
    """The spells running on ``day``: the course's one rule for whether a spell covers a day.

    A spell covers a day if it began on or before it and had not yet ended (``end_date`` is
    the first day outside the spell; an empty end date means still running).
    """
    day = check_day(day)
    start, end = pd.to_datetime(spells["start_date"]), pd.to_datetime(spells["end_date"])
    return spells[(start <= day) & (end.isna() | (day < end))]


@course_function
def treaty_states(states: pd.DataFrame) -> list[str]:
    """The ISO3 codes of the states that ever signed the 1992 treaty: the rows of ``states``, sorted."""
    require_columns(states, ("iso3",), "treaty_states", "states")
    return sorted(states["iso3"].astype(str))


@course_function
def status_in_year(spells: pd.DataFrame, states: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each treaty state's status on 1 July of ``year``: member, frozen, suspended or not a member
    (a spell counts if it covers that day, :func:`spells_on`)."""
    require_columns(spells, SPELL_COLUMNS, "status_in_year", "membership")
    require_columns(states, STATE_COLUMNS, "status_in_year", "states")
    day = reference_day(year)
    start = pd.to_datetime(spells["start_date"])
    running = spells_on(spells, day)
    # Spells of one state should not overlap; if an edit makes them, the later one wins.
    running = running.assign(_start=start[running.index]).sort_values("_start")
    current = running.drop_duplicates("iso3", keep="last").set_index("iso3")["status"].astype(str)
    out = states[["iso3", "name", "iso_numeric"]].copy()
    out["status"] = [str(current.get(iso3, "not a member")) for iso3 in out["iso3"]]
    out = out.sort_values("name", kind="stable").reset_index(drop=True)
    out.attrs["year"] = day.year
    return out


@course_function
def statuses_by_year(
    spells: pd.DataFrame, states: pd.DataFrame, first: int = FIRST_YEAR, last: int | None = None
) -> pd.DataFrame:
    """Every treaty state's status in every year from ``first`` to ``last`` (a long table)."""
    first = check_year(first, N_("first year"))
    last = last_year() if last is None else check_year(last, N_("last year"))
    if last < first:
        raise CourseValueError(
            _("The last year ({last}) comes before the first year ({first}).").format(last=last, first=first)
        )
    frames = [status_in_year(spells, states, y).assign(year=y) for y in range(first, last + 1)]
    out = pd.concat(frames, ignore_index=True)
    return out[["year", "iso3", "name", "iso_numeric", "status"]]


# --------------------------------------------------------------------------- votes

#: The votes a state can cast. ``absent`` (it did not vote) is a choice too, but not a vote:
#: it is left out of agreement and cohesion, as in the studies these measures come from.
CAST_VOTES = ("yes", "no", "abstain")

#: Statuses under which a state is a party to the treaty on a day: a frozen member (Armenia
#: since 2024-02-22) has not left, so it still counts; a suspended one (Uzbekistan 2012) has.
TREATY_PARTIES = ("member", "frozen")

_VOTE_COLUMNS = ("resolution", "iso3", "vote")


@course_function
def parties_on(spells: pd.DataFrame, day: Any) -> set[str]:
    """ISO3 codes of the states that were parties to the treaty on ``day`` (see ``TREATY_PARTIES``)."""
    require_columns(spells, SPELL_COLUMNS, "parties_on", "membership")
    running = spells_on(spells, day)
    return set(running.loc[running["status"].astype(str).isin(TREATY_PARTIES), "iso3"].astype(str))


@course_function
def vote_matrix(votes: pd.DataFrame, resolutions: pd.DataFrame | None = None) -> pd.DataFrame:
    """States by resolutions, each cell the state's vote; columns in the order the votes were taken."""
    require_columns(votes, _VOTE_COLUMNS, "vote_matrix", "unga_votes")
    table = votes.pivot(index="iso3", columns="resolution", values="vote").astype("string")
    if resolutions is not None:
        require_columns(resolutions, ("resolution", "date"), "vote_matrix", "unga_resolutions")
        order = resolutions.sort_values("date", kind="stable")["resolution"].astype(str)
        table = table.reindex(columns=[r for r in order if r in table.columns])
    table.columns = table.columns.astype(str)
    table.index = table.index.astype(str)
    return table


@course_function
def agreement_with(votes: pd.DataFrame, partner: str = "RUS") -> pd.DataFrame:
    """For each state: on how many resolutions it and ``partner`` both voted, how often alike, and the rate.

    A resolution counts for a state only if both cast a vote (yes, no or abstain); an absence
    by either leaves it out. ``rate`` is ``same / both_voted`` (empty if they never both voted).
    """
    table = vote_matrix(votes)
    if not isinstance(partner, str):
        raise CourseTypeError(
            _("The partner must be an ISO3 code as text, such as 'RUS'; got {kind}.").format(kind=kind_of(partner))
        )
    if partner not in table.index:
        others = [c for c in ("RUS", *sorted(table.index)) if c in table.index and c != partner]
        if not others:
            raise CourseValueError(
                _("There are no votes for '{partner}' in this table: pass load(\"unga_votes\") whole.").format(
                    partner=partner
                )
            )
        raise CourseValueError(
            _(
                "There are no votes for '{partner}' in this table: pass load(\"unga_votes\") whole, or a code it "
                "holds, such as '{other}'."
            ).format(partner=partner, other=others[0])
        )
    mine = table.drop(index=partner)
    theirs = table.loc[partner]
    both = mine.isin(CAST_VOTES) & theirs.isin(CAST_VOTES).to_numpy()
    same = both & mine.eq(theirs, axis=1).fillna(False)
    out = pd.DataFrame({"both_voted": both.sum(axis=1).astype(int), "same": same.sum(axis=1).astype(int)})
    out["rate"] = (out["same"] / out["both_voted"].where(out["both_voted"] > 0)).astype(float)
    out.index.name = "iso3"
    return out


@course_function
def agreement_index(yes: int, no: int, abstain: int) -> float:
    """Hix, Noury and Roland's agreement index: 1 when all vote alike, 0 when split evenly three ways.

    ``(max - (n - max) / 2) / n`` with ``n = yes + no + abstain``: unlike Rice's index, which
    counts yes and no only, it treats an abstention as a position of its own. Empty if nobody voted.
    Each count must be a whole number of 0 or more: a negative count gives a number, not an index.
    """
    counts = {"yes": yes, "no": no, "abstain": abstain}
    for vote, count in counts.items():
        if whole_number(count, _("number of {vote} votes").format(vote=vote), 3) < 0:
            raise CourseValueError(
                _("The number of {vote} votes must be 0 or more; got {count}.").format(vote=vote, count=int(count))
            )
    yes, no, abstain = (int(c) for c in counts.values())
    n = yes + no + abstain
    if n == 0:
        return float("nan")
    top = max(yes, no, abstain)
    return (top - (n - top) / 2) / n


# --------------------------------------------------------------------------- burden and hedging


@course_function
def ties_since(ties: pd.DataFrame, first_year: int, members: Any = None) -> pd.Series:
    """How many ties each member began with partners other than Russia from ``first_year`` on."""
    require_columns(ties, ("iso3", "start_date", "partner_group"), "ties_since", "ties")
    first_year = check_year(first_year, N_("first year"))
    recent = ties[pd.to_datetime(ties["start_date"]).dt.year >= first_year]
    counts = recent.groupby(recent["iso3"].astype(str)).size()
    index = sorted(set(ties["iso3"].astype(str))) if members is None else list(members)
    return counts.reindex(index, fill_value=0).astype(int).rename("ties").rename_axis("iso3")


#: The dependence index's components, each scaled so that 1 means most dependent on Russia.
DEPENDENCE_COMPONENTS = {
    "russian_sites": "Russian military sites in use on the member's territory, as a share of the most any member hosts",
    "un_agreement": "share of UN votes on Ukraine on which the member voted as Russia did (lesson 3)",
    "few_other_ties": "1 minus the member's ties with other powers since 2014, as a share of the most any member has",
    "full_participation": "1 if the member takes full part in the organisation, 0 if its participation is frozen",
}

#: Ties counted from this year: Russia's annexation of Crimea, when several members began to look elsewhere.
TIES_FROM = 2014


@course_function
def dependence_components(
    spells: pd.DataFrame, bases: pd.DataFrame, votes: pd.DataFrame, ties: pd.DataFrame
) -> pd.DataFrame:
    """Each component (see ``DEPENDENCE_COMPONENTS``) for each member other than Russia, from 0 to 1.

    Each table is checked first, so a wrong one is named as this function's argument rather
    than by the rule deep inside that reads it.
    """
    require_columns(spells, SPELL_COLUMNS, "dependence_components", "membership")
    require_columns(votes, _VOTE_COLUMNS, "dependence_components", "unga_votes")
    require_columns(ties, ("iso3", "start_date", "partner_group"), "dependence_components", "ties")
    if "RUS" not in set(votes["iso3"].astype(str)):
        raise CourseValueError(
            _(
                "dependence_components() compares each member's UN votes with Russia's, but this votes table has none "
                'of Russia\'s: pass load("unga_votes") whole.'
            )
        )
    members = sorted(parties_on(spells, data.as_of()) - {"RUS"})
    open_spells = spells[spells["end_date"].isna()]
    statuses = open_spells.set_index(open_spells["iso3"].astype(str))
    require_columns(bases, ("iso3", "in_use"), "dependence_components", "russian_bases")
    sites = bases[bases["in_use"].fillna(False).astype(bool)].groupby(bases["iso3"].astype(str)).size()
    sites = sites.reindex(members, fill_value=0)
    other = ties_since(ties, TIES_FROM, members)
    out = pd.DataFrame(
        {
            "russian_sites": sites / sites.max() if sites.max() else sites * 0.0,
            "un_agreement": agreement_with(votes)["rate"].reindex(members),
            "few_other_ties": 1 - other / other.max() if other.max() else other * 0.0 + 1,
            "full_participation": [float(statuses["status"].get(m) == "member") for m in members],
        },
        index=pd.Index(members, name="iso3"),
    )
    return out.astype(float)


@course_function
def dependence_index(components: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.Series:
    """The weighted mean of the components: equal weights unless ``weights`` says otherwise.

    A teaching device, not a measurement: the ranking depends on the weights chosen.
    """
    require_columns(components, tuple(DEPENDENCE_COMPONENTS), "dependence_index", made_by="dependence_components")
    weights = dict.fromkeys(DEPENDENCE_COMPONENTS, 1.0) if weights is None else dict(weights)
    unknown = sorted(set(weights) - set(DEPENDENCE_COMPONENTS))
    if unknown:
        raise CourseValueError(
            _("Unknown component(s) {unknown}; the components are {components}.").format(
                unknown=unknown, components=list(DEPENDENCE_COMPONENTS)
            )
        )
    if any(not isinstance(w, (int, float)) or isinstance(w, bool) or w < 0 for w in weights.values()):
        raise CourseValueError(_("Each weight must be a number of 0 or more, such as 1 or 2.5."))
    total = sum(weights.get(c, 0.0) for c in DEPENDENCE_COMPONENTS)
    if total == 0:
        raise CourseValueError(_("At least one weight must be above 0, or there is nothing to average."))
    index = sum(components[c] * weights.get(c, 0.0) for c in DEPENDENCE_COMPONENTS) / total
    return pd.Series(index, name="dependence_index")


# --------------------------------------------------------------------------- rows the exercises ask about
# The exercises read rows through these (and through csto_course.exercises.answers, for the rules only
# an answer uses): a grader never selects rows itself, so a rule it checks is written once
# (tests/test_graders.py). The lessons and views use these too.


@course_function
def had_request(crises: pd.DataFrame) -> pd.Series:
    """For each crisis, whether a member asked for help: a ``request`` other than 'none' (help
    debated in public counts). The course's one rule for "a request"."""
    require_columns(crises, ("request",), "had_request", "crises")
    return crises["request"].astype(str) != "none"
