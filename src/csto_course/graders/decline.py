"""Lesson 4, From crisis to decline: spending, bases, ties and a dependence index.

The ids follow the lesson's labels: Exercise 4.1 is ``decline-1``, and so on. Every expected
answer comes from the data through :mod:`csto_course.measures`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data import as_of, load
from ..grading import (
    GradeResult,
    as_number,
    as_number_map,
    as_state_map,
    close_maps,
    compare_states,
    exercise,
)
from ..measures import (
    DEPENDENCE_COMPONENTS,
    TIES_FROM,
    dependence_components,
    dependence_index,
    parties_on,
    partner_groups_since,
    spending_shares,
    ties_since,
    years_left,
)

#: The year whose spending Exercise 4.1 asks about, and the years Exercise 4.2 compares.
SPENDING_YEAR, BEFORE_WAR = 2024, 2021


def _parties(year: int) -> set[str]:
    return parties_on(load("membership"), f"{year}-07-01")


def expected_russia_share() -> float:
    """Decline 1: Russia's share of the treaty parties' `usd_million` in 2024 (`spending_shares`)."""
    spending = load("military_spending")
    return float(spending_shares(spending, _parties(SPENDING_YEAR), SPENDING_YEAR)["RUS"])


@exercise(
    "decline-1",
    "Russia's share of the treaty parties' combined military spending in 2024 (0 to 1).",
    expected=expected_russia_share,
)
def russia_share(answer: Any) -> GradeResult:
    got = as_number(answer, "a share between 0 and 1")
    spending = load("military_spending")
    expected = expected_russia_share()
    if abs(got - expected) <= 0.005:
        return True, "Russia spends almost all of the alliance's military money, yet says it pays half the budget."
    if abs(got - expected * 100) <= 0.5:
        return False, "That is a percentage: give the share as a number between 0 and 1."
    budget = load("budget_shares")
    stated = budget[(budget["iso3"] == "RUS") & (budget["measure"] == "budget_share_percent")]["value"]
    if any(abs(got - float(v) / 100) <= 0.005 for v in stated):
        return (
            False,
            "That is Russia's stated share of the organisation's budget; the question asks about military spending.",
        )
    with_comparators = spending_shares(spending, _parties(SPENDING_YEAR) | {"CHN", "TUR"}, SPENDING_YEAR)["RUS"]
    if abs(got - float(with_comparators)) <= 0.005:
        return False, "Leave China and Türkiye out: they are comparators, not members."
    for year in sorted(set(spending["year"].dropna().astype(int)) - {SPENDING_YEAR}):
        other = spending_shares(spending, _parties(year), year).get("RUS")
        if other is not None and abs(got - float(other)) <= 0.005 < abs(float(other) - expected):
            return False, f"Check the year: the question asks about {SPENDING_YEAR}."
    rows = spending[(spending["year"] == SPENDING_YEAR) & spending["iso3"].isin(_parties(SPENDING_YEAR))]
    gdp = rows.set_index("iso3")["gdp_share"].astype(float)
    if abs(got - float(gdp["RUS"] / gdp.sum())) <= 0.005:
        return False, "You used the shares of GDP; add up the spending in US dollars (`usd_million`) instead."
    return False, "Not yet. Keep the parties' rows for the year, then divide Russia's `usd_million` by their total."


def _members_but_russia() -> list[str]:
    return sorted(_parties(SPENDING_YEAR) - {"RUS"})


def expected_gdp_share_rose() -> list[str]:
    """Decline 2: the 2024 parties other than Russia whose `gdp_share` in 2024 is above their own in 2021."""
    table = load("military_spending").pivot(index="iso3", columns="year", values="gdp_share")
    return [m for m in _members_but_russia() if table.loc[m, SPENDING_YEAR] > table.loc[m, BEFORE_WAR]]


@exercise(
    "decline-2",
    "Which members other than Russia spent a larger share of GDP on the military in 2024 than in 2021?",
    expected=expected_gdp_share_rose,
)
def gdp_share_rose(answer: Any) -> GradeResult:
    members = _members_but_russia()
    rose = {m.casefold() for m in expected_gdp_share_rose()}
    ok, message, mapped = compare_states(answer, rose)
    if ok:
        return (
            True,
            message + " Spending rose as a share of GDP in most members, not only in Russia: ask why in each case.",
        )
    if "rus" in mapped:
        return False, message + " Leave Russia out: the question is about the other members."
    if mapped - {m.casefold() for m in members}:
        return False, message + " Keep only the treaty's parties in 2024; China, Türkiye and Uzbekistan are not."
    return False, message + f" Compare each member's `gdp_share` in {SPENDING_YEAR} with its own in {BEFORE_WAR}."


def expected_base_years() -> dict[str, int]:
    """Decline 3: for each site in use with a known `term_end`, its year minus the year of the data (`years_left`)."""
    return {str(k): int(v) for k, v in years_left(load("russian_bases")).items()}


@exercise(
    "decline-3",
    "Years left on each Russian base agreement with a known end, for sites still in use.",
    expected=expected_base_years,
)
def base_years(answer: Any) -> GradeResult:
    got = as_number_map(answer, "a number of years for each base", "base_id")
    bases = load("russian_bases")
    expected = {k: float(v) for k, v in expected_base_years().items()}
    if close_maps(got, expected, 0):
        soonest = min(expected.values())
        states = sorted(set(bases.loc[bases["base_id"].isin([k for k, v in expected.items() if v == soonest]), "iso3"]))
        return True, f"The first terms to run out are in {', '.join(states)}: watch what happens before they do."
    every_end = bases[bases["term_end"].notna()]
    if set(got) > set(expected) and set(got) <= set(every_end["base_id"].astype(str)):
        return False, "Leave out the sites no longer in use (`in_use` is False)."
    if set(got) != set(expected):
        return False, f"Give a number for each of the {len(expected)} sites in use whose `term_end` is known."
    if all(got[k] == expected[k] - 1 for k in expected):
        return False, f"Count from the year the data were last checked, {as_of():%Y}, not the year after."
    if all(got[k] == expected[k] + 1 for k in expected):
        return False, f"Count from the year the data were last checked, {as_of():%Y}, not the year before."
    return False, "Subtract the year the data were last checked from the year of each `term_end`."


def expected_ties_from_2014() -> dict[str, int]:
    """Decline 4: for each member in `ties`, the ties begun in 2014 or later (`ties_since`)."""
    return {str(k): int(v) for k, v in ties_since(load("ties"), TIES_FROM).items()}


@exercise(
    "decline-4",
    "For each member other than Russia: the number of ties with other powers begun since 2014.",
    expected=expected_ties_from_2014,
)
def ties_from_2014(answer: Any) -> GradeResult:
    got = as_state_map(answer, "a number of ties for each member")
    ties = load("ties")
    expected = {k: float(v) for k, v in expected_ties_from_2014().items()}
    if close_maps(got, expected, 0):
        return True, "Every member has ties elsewhere; what differs is how many, with whom, and since when."
    if set(got) != set(expected):
        return False, f"Give one count for each of the {len(expected)} members in the `ties` table."
    if close_maps(got, ties_since(ties, 2010).astype(float).to_dict(), 0):
        return False, "These count every tie since 2010; keep only those begun in 2014 or later."
    if close_maps(got, ties_since(ties, TIES_FROM + 1).astype(float).to_dict(), 0):
        return False, "Ties begun in 2014 itself count too: use >= 2014, not > 2014."
    return False, "Keep the rows whose `start_date` falls in 2014 or later, then count them by `iso3`."


def expected_most_diversified() -> str:
    """Decline 5: the member with the most distinct partner groups since 2014 (`partner_groups_since`)."""
    return str(partner_groups_since(load("ties"), TIES_FROM).idxmax())


@exercise(
    "decline-5",
    "Which member has tied itself to the most different kinds of partner since 2014 (not counting 'other')?",
    expected=expected_most_diversified,
)
def most_diversified(answer: Any) -> GradeResult:
    if isinstance(answer, (list, tuple, set)) and len(answer) != 1:
        return False, "Give one member, as an ISO3 code or a name."
    ties = load("ties")
    expected = {expected_most_diversified().casefold()}
    _, _, mapped = compare_states(answer, expected, "one member (an ISO3 code or a name)")
    if mapped == expected:
        return True, "Diversification is not the same as distance from Russia: compare this with the index below."
    most_ties = ties_since(ties, TIES_FROM).idxmax().casefold()
    if mapped == {most_ties}:
        return False, "That member has the most ties, not the most *kinds* of partner: count distinct `partner_group`s."
    recent = ties_since(ties, 2022).idxmax().casefold()
    if mapped == {recent}:
        return False, "That member has the most ties since 2022; the question counts kinds of partner since 2014."
    return False, "Count the distinct `partner_group`s per member since 2014 with `.nunique()`, leaving out 'other'."


def _components() -> pd.DataFrame:
    return dependence_components(load("membership"), load("russian_bases"), load("unga_votes"), load("ties"))


def expected_equal_index() -> dict[str, float]:
    """Decline 6: each member's mean of the four dependence components (`dependence_index`, equal weights)."""
    return {str(k): float(v) for k, v in dependence_index(_components()).items()}


@exercise(
    "decline-6",
    "Each member's dependence index with equal weights on the four components.",
    expected=expected_equal_index,
)
def equal_index(answer: Any) -> GradeResult:
    got = as_state_map(answer, "an index for each member")
    components = _components()
    expected = expected_equal_index()
    if "RUS" in got:
        return False, "Leave Russia out: the index measures the other members' dependence on it."
    if set(got) != set(expected):
        return False, f"Give one index for each of the {len(expected)} members in `components`."
    if close_maps(got, expected):
        return True, "Now move the sliders below and see which rankings survive a change of weights."
    if close_maps(got, (components.sum(axis=1)).to_dict()):
        return False, "That is the sum of the components; divide by the number of components to get a mean from 0 to 1."
    three = list(DEPENDENCE_COMPONENTS)[:3]
    if close_maps(got, components[three].mean(axis=1).to_dict()):
        return False, "Use all four components, `full_participation` included."
    return False, "Take each member's mean across the four columns of `components` (`.mean(axis=1)`)."


def expected_more_than_kazakhstan() -> list[str]:
    """Decline 7: the members with more ties begun since 2014 than Kazakhstan (`ties_since`)."""
    counts = ties_since(load("ties"), TIES_FROM)
    return [str(m) for m, n in counts.items() if n > counts["KAZ"]]


@exercise(
    "decline-7",
    "Which members began more ties with other powers since 2014 than Kazakhstan did?",
    expected=expected_more_than_kazakhstan,
)
def more_than_kazakhstan(answer: Any) -> GradeResult:
    ties = load("ties")
    counts = ties_since(ties, TIES_FROM)
    expected = {m.casefold() for m in expected_more_than_kazakhstan()}
    ok, message, mapped = compare_states(answer, expected)
    if ok:
        return True, message + " Kazakhstan is close to Russia and also one of the members most open to others."
    if "kaz" in mapped:
        return False, message + " Leave Kazakhstan itself out: it cannot have more ties than it has."
    since_2022 = ties_since(ties, 2022)
    if mapped == {m.casefold() for m, n in since_2022.items() if n > since_2022["KAZ"]}:
        return False, message + " That counts from 2022; the question counts from 2014."
    if mapped == {m.casefold() for m, n in counts.items() if n >= counts["KAZ"] and m != "KAZ"}:
        return False, message + " Some of yours have exactly as many ties as Kazakhstan: the question asks *more*."
    return False, message + " Count each member's ties begun since 2014 and compare with Kazakhstan's count."
