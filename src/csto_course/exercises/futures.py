"""Lesson 5, Futures: the evidence behind each driver of the alliance's future.

The ids follow the lesson's labels: Exercise 5.1 is ``futures-1``, and so on. Every expected
answer comes from the data through :mod:`csto_course.measures`.
"""

from __future__ import annotations

import pandas as pd

from .. import measures
from ..data import load
from ..language import N_, _
from . import answers
from .specs import (
    All,
    Extra,
    KeysDiffer,
    Missing,
    Mistake,
    Near,
    Not,
    PartDiffers,
    Read,
    Say,
    Spec,
    as_int,
    as_number,
    as_pair,
    as_state_map,
    close,
    per_check,
    within,
)

#: The years Exercise 5.1 compares: the last before the full-scale war, and the newest in the data.
PRE_WAR, NEWEST = 2021, 2025
#: The crisis Exercise 5.4 asks about: the Taliban's advance to the Tajik border in 2021.
AFGHAN_CRISIS = "tjk-afghan-border-2021"


@per_check
def expected_russia_multiple() -> float:
    """Futures 1: Russia's `usd_million` in 2025 divided by its `usd_million` in 2021."""
    spending = load("military_spending")
    return answers.spending_in(spending, "RUS", NEWEST) / answers.spending_in(spending, "RUS", PRE_WAR)


def _percentages() -> list[float]:
    """The multiple, and the growth, written as percentages."""
    expected = expected_russia_multiple()
    return [expected * 100, (expected - 1) * 100]


Spec(
    "futures-1",
    N_("Russia's military spending in 2025 as a multiple of its spending in 2021 (current US dollars)."),
    read=Read(as_number, N_("a number, such as 1.5 for half as much again")),
    expected=expected_russia_multiple,
    matches=within(0.01),
    right=N_("Remember that SIPRI's figures for Russia from 2022 on are estimates: read them as such."),
    mistakes=[
        Mistake(
            N_("You divided the wrong way round: the 2025 figure goes on top."),
            value=lambda: 1 / expected_russia_multiple(),
        ),
        Mistake(
            N_("That is the growth (the multiple minus 1); the question asks for the multiple itself."),
            value=lambda: expected_russia_multiple() - 1,
        ),
        Mistake(N_("Give a multiple such as 1.5, not a percentage."), when=Near(_percentages, 1)),
    ],
    otherwise=N_("Divide Russia's `usd_million` for 2025 by its `usd_million` for 2021."),
).register()


def _china_ties(first_year: int | None = measures.TIES_FROM, partner_group: str | None = "china") -> pd.Series:
    """The ties with ``partner_group`` (any, if None) from ``first_year`` on (all years, if None) of the members
    for which China comes first since 2014."""
    counts = answers.ties_with(load("ties"), partner_group, first_year)
    return counts.reindex(_china_first(), fill_value=0)


@per_check
def _china_first() -> list[str]:
    """The members whose most frequent `partner_group` among ties begun since 2014 is 'china'."""
    return [str(m) for m, g in answers.top_partner_groups(load("ties"), measures.TIES_FROM).items() if g == "china"]


@per_check
def expected_china_first() -> dict[str, int]:
    """Futures 2: each member whose most frequent `partner_group` since 2014 is 'china', with its ties with China
    since 2014. (Asked as a list, counting over all years gave the same members: the counts part them.)"""
    return {str(k): int(v) for k, v in _china_ties().items()}


Spec(
    "futures-2",
    N_(
        "Which members' most frequent kind of partner since 2014 is China, and how many ties with China did each "
        "begin since 2014?"
    ),
    read=Read(as_state_map, N_("a number of ties with China for each member")),
    expected=expected_china_first,
    matches=close(0),
    right=N_("China leads where Russia's bases are too: the two are not exclusive."),
    mistakes=[
        Mistake(
            N_(
                "Your answer has members whose most frequent partner since 2014 is not China; keep those for which "
                "China comes first."
            ),
            when=All(Not(Missing()), Extra()),
        ),
        Mistake(
            Say(
                N_(
                    "{tally} For each member, find the `partner_group` with the most ties since 2014 "
                    "(`.idxmax(axis=1)`) "
                    "and keep those where it is 'china'."
                ),
                noun=N_("members"),
            ),
            when=KeysDiffer(),
        ),
        Mistake(
            N_("Those counts include ties begun before 2014: count only the ties begun in 2014 or later."),
            value=lambda: _china_ties(first_year=None),
        ),
        Mistake(
            N_("Those are the members' ties of every kind; count only their ties with China."),
            value=lambda: _china_ties(partner_group=None),
        ),
    ],
    otherwise=N_("For each of those members, count its ties with China begun in 2014 or later (the `china` column)."),
).register()


@per_check
def expected_member_conflicts() -> tuple[int, int]:
    """Futures 3: (crises whose members_on_both_sides is True, the year of the latest start_date among them)."""
    both = answers.member_conflicts(load("crises"))
    return len(both), int(both["start_date"].max().year)


def _pairs(answer: tuple[int, int]) -> str:
    pairs = answers.member_conflicts(load("crises"))["countries"].astype(str).nunique()
    if pairs == 1:
        return _("Every one of them set the same two members against each other, along the same border.")
    return _("They involved {count} different pairs of members: read the `countries` column.").format(count=pairs)


Spec(
    "futures-3",
    N_("How many crises set one member against another, and in which year did the latest begin? (a pair)"),
    read=Read(as_pair, N_("a pair in brackets, (number of crises, year)"), N_("a number of crises"), N_("a year")),
    expected=expected_member_conflicts,
    right=_pairs,
    mistakes=[
        Mistake(
            N_("Both numbers are there in the wrong order: first the number of crises, then the year."),
            value=lambda: expected_member_conflicts()[::-1],
        ),
        Mistake(
            N_("The number is off: count the crises whose `members_on_both_sides` is True."),
            when=PartDiffers(0),
        ),
    ],
    otherwise=N_("The year is off: take the latest `start_date` among those crises, and keep its year."),
).register()


@per_check
def expected_afghan_delay() -> int:
    """Futures 4: the response delay of crisis tjk-afghan-border-2021 (`response_delays`)."""
    return int(answers.response_delays(load("crises"))[AFGHAN_CRISIS])


def _from_start() -> int:
    crisis = load("crises").set_index("crisis_id").loc[AFGHAN_CRISIS]
    return int((crisis["response_date"] - crisis["start_date"]).days)


Spec(
    "futures-4",
    N_("Days from Tajikistan's request to the alliance in July 2021 to the alliance's first response."),
    read=Read(as_int, N_("a number of days")),
    expected=expected_afghan_delay,
    right=N_("Quick, as in Lesson 2: the question is what the response was, not how fast it came."),
    mistakes=[
        Mistake(
            N_("The sign is flipped: subtract the request's date from the response's."),
            value=lambda: -expected_afghan_delay(),
        ),
        Mistake(
            N_("That counts from the start of the crisis; count from the request (`request_date`)."), value=_from_start
        ),
    ],
    otherwise=Say(
        N_("Subtract `request_date` from `response_date` for the row `{crisis}` and take `.days`."),
        facts={"crisis": lambda: AFGHAN_CRISIS},
    ),
).register()
