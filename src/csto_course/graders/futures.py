"""Lesson 5, Futures: the evidence behind each driver of the alliance's future.

The ids follow the lesson's labels: Exercise 5.1 is ``futures-1``, and so on. Every expected
answer comes from the data through :mod:`csto_course.measures`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data import load
from ..grading import (
    GradeResult,
    WrongType,
    as_int,
    as_number,
    compare_states,
    exercise,
    kind_of,
)
from ..measures import TIES_FROM, response_delays

#: The years Exercise 5.1 compares: the last before the full-scale war, and the newest in the data.
PRE_WAR, NEWEST = 2021, 2025
#: The crisis Exercise 5.4 asks about: the Taliban's advance to the Tajik border in 2021.
AFGHAN_CRISIS = "tjk-afghan-border-2021"


def _russia_usd(year: int) -> float:
    spending = load("military_spending")
    return float(spending.loc[(spending["iso3"] == "RUS") & (spending["year"] == year), "usd_million"].iloc[0])


def expected_russia_multiple() -> float:
    """Futures 1: Russia's `usd_million` in 2025 divided by its `usd_million` in 2021."""
    return _russia_usd(NEWEST) / _russia_usd(PRE_WAR)


@exercise(
    "futures-1",
    "Russia's military spending in 2025 as a multiple of its spending in 2021 (current US dollars).",
    expected=expected_russia_multiple,
)
def russia_multiple(answer: Any) -> GradeResult:
    got = as_number(answer, "a number, such as 1.5 for half as much again")
    expected = expected_russia_multiple()
    if abs(got - expected) <= 0.01:
        return True, "Remember that SIPRI's figures for Russia from 2022 on are estimates: read them as such."
    if abs(got - 1 / expected) <= 0.01:
        return False, "You divided the wrong way round: the 2025 figure goes on top."
    if abs(got - (expected - 1)) <= 0.01:
        return False, "That is the growth (the multiple minus 1); the question asks for the multiple itself."
    if abs(got - expected * 100) <= 1 or abs(got - (expected - 1) * 100) <= 1:
        return False, "Give a multiple such as 1.5, not a percentage."
    return False, "Divide Russia's `usd_million` for 2025 by its `usd_million` for 2021."


def _top_partner_group(ties: pd.DataFrame) -> pd.Series:
    """Each member's most frequent `partner_group` among the ties given."""
    return ties.groupby("iso3", observed=True)["partner_group"].agg(lambda g: g.astype(str).value_counts().idxmax())


def _recent_ties() -> pd.DataFrame:
    ties = load("ties")
    return ties[ties["start_date"].dt.year >= TIES_FROM]


def expected_china_first() -> list[str]:
    """Futures 2: the members whose most frequent `partner_group` among ties begun since 2014 is 'china'."""
    return [str(m) for m, g in _top_partner_group(_recent_ties()).items() if g == "china"]


@exercise(
    "futures-2", "Which members' most frequent kind of partner since 2014 is China?", expected=expected_china_first
)
def china_first(answer: Any) -> GradeResult:
    ties = load("ties")
    recent = _recent_ties()
    expected = {m.casefold() for m in expected_china_first()}
    ok, message, mapped = compare_states(answer, expected)
    if ok:
        return True, message + " China leads where Russia's bases are too: the two are not exclusive."
    with_china = {str(m).casefold() for m in recent.loc[recent["partner_group"] == "china", "iso3"].unique()}
    if mapped == with_china:
        return (
            False,
            message + " That lists every member with any tie to China; keep those for which China comes first.",
        )
    old = _top_partner_group(ties)
    if mapped == {str(m).casefold() for m, g in old.items() if g == "china"}:
        return False, message + " Count only the ties begun in 2014 or later."
    return False, message + " For each member, count its ties since 2014 by `partner_group` and keep the top one."


def _member_conflicts() -> pd.DataFrame:
    crises = load("crises")
    return crises[crises["members_on_both_sides"].fillna(False).astype(bool)]


def expected_member_conflicts() -> tuple[int, int]:
    """Futures 3: (crises whose members_on_both_sides is True, the year of the latest start_date among them)."""
    both = _member_conflicts()
    return len(both), int(both["start_date"].max().year)


@exercise(
    "futures-3",
    "How many crises set one member against another, and in which year did the latest begin? (a pair)",
    expected=expected_member_conflicts,
)
def member_conflicts(answer: Any) -> GradeResult:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise WrongType(f"Expected a pair in brackets, (number of crises, year); got {kind_of(answer)}.")
    both = _member_conflicts()
    expected = expected_member_conflicts()
    got = (as_int(answer[0], "a number of crises"), as_int(answer[1], "a year"))
    if got == expected:
        pairs = both["countries"].astype(str).nunique()
        if pairs == 1:
            return True, "Every one of them set the same two members against each other: geography keeps this alive."
        return True, f"They involved {pairs} different pairs of members: read the `countries` column."
    if got == expected[::-1]:
        return False, "Both numbers are there in the wrong order: first the number of crises, then the year."
    if got[0] != expected[0]:
        return False, "The number is off: count the crises whose `members_on_both_sides` is True."
    return False, "The year is off: take the latest `start_date` among those crises, and keep its year."


def expected_afghan_delay() -> int:
    """Futures 4: the response delay of crisis tjk-afghan-border-2021 (`response_delays`)."""
    return int(response_delays(load("crises"))[AFGHAN_CRISIS])


@exercise(
    "futures-4",
    "Days from Tajikistan's request to the alliance in July 2021 to the alliance's first response.",
    expected=expected_afghan_delay,
)
def afghan_delay(answer: Any) -> GradeResult:
    got = as_int(answer, "a number of days")
    expected = expected_afghan_delay()
    if got == expected:
        return True, "Quick, as in Lesson 2: the question is what the response was, not how fast it came."
    if got == -expected:
        return False, "The sign is flipped: subtract the request's date from the response's."
    crises = load("crises").set_index("crisis_id")
    start = crises.loc[AFGHAN_CRISIS, "start_date"]
    if got == int((crises.loc[AFGHAN_CRISIS, "response_date"] - start).days):
        return False, "That counts from the start of the crisis; count from the request (`request_date`)."
    return False, f"Subtract `request_date` from `response_date` for the row `{AFGHAN_CRISIS}` and take `.days`."
