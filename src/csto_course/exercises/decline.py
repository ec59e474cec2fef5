"""Lesson 4, From crisis to decline: spending, bases, ties and a dependence index.

The ids follow the lesson's labels: Exercise 4.1 is ``decline-1``, and so on. Every expected
answer comes from the data through :mod:`csto_course.measures`.
"""

from __future__ import annotations

import pandas as pd

from .. import measures
from ..data import as_of, load
from ..language import N_, _
from . import answers, worked
from .specs import (
    STATES,
    All,
    AllIn,
    Extra,
    HasAny,
    IsNone,
    Missing,
    Mistake,
    Near,
    Not,
    Read,
    Say,
    Spec,
    as_number,
    as_number_map,
    as_one_state,
    as_state_map,
    close,
    other_keys,
    per_check,
    same_label,
    within,
)

#: The year whose spending Exercise 4.1 asks about, and the year Exercise 4.2 compares it with: Russia's
#: annexation of Crimea. (From 2021 the members whose share of GDP rose are those whose dollars rose, so
#: a student who compared dollars would be graded right; from 2014 Kyrgyzstan parts them.)
SPENDING_YEAR, SHARE_FROM = 2024, 2014
#: The last year before the full-scale invasion, from which the lesson compares Russia's spending: a start
#: for Exercise 4.2 that gives the same list as comparing dollars.
BEFORE_FULL_WAR = 2021
#: The year from which Exercise 4.5 counts ties: Russia's full-scale invasion of Ukraine. (No tie in the
#: data begins in 2014, so from 2014 a student's ``> 2014`` would be graded right; several begin in 2022.)
RECENT_TIES_FROM = 2022


def _parties(year: int) -> set[str]:
    return measures.parties_on(load("membership"), measures.reference_day(year))


def _russia_share(
    year: int = SPENDING_YEAR, also: frozenset[str] = frozenset(), group: set[str] | None = None
) -> float:
    """Russia's share of the spending of the year's parties (and of ``also``), or of ``group``, as
    `spending_shares` gives it."""
    states = (_parties(year) if group is None else group) | also
    return float(answers.spending_shares(load("military_spending"), states, year)["RUS"])


@per_check
def expected_russia_share() -> float:
    """Decline 1: Russia's share of the treaty parties' `usd_million` in 2024 (`spending_shares`)."""
    return _russia_share()


#: How far an answer to Exercise 4.1 may be from the share: three decimals. (Within two, the shares of
#: 2022 and 2025 pass for 2024's: Russia's share has stayed near 0.97 since the war began.)
SHARE_TOLERANCE = 0.0005


def _other_years() -> list[float]:
    """Russia's share in each other year, where it differs from the right one."""
    spending, expected = load("military_spending"), expected_russia_share()
    shares = []
    for year in sorted(set(spending["year"].dropna().astype(int)) - {SPENDING_YEAR}):
        other = answers.spending_shares(spending, _parties(year), year).get("RUS")
        if other is not None and abs(float(other) - expected) > SHARE_TOLERANCE:
            shares.append(float(other))
    return shares


Spec(
    "decline-1",
    N_("Russia's share of the treaty parties' combined military spending in 2024 (0 to 1)."),
    read=Read(as_number, N_("a share between 0 and 1")),
    expected=expected_russia_share,
    matches=within(SHARE_TOLERANCE),
    right=(
        N_(
            "Russia accounts for almost all of the members' combined military spending (their national budgets, "
            "not the alliance's own), yet says it pays half of the organisation's budget."
        )
    ),
    mistakes=[
        Mistake(
            Say(
                N_(
                    "Give the share with three decimals at least: rounded to two, it cannot tell {year} from the years "
                    "around it."
                ),
                facts={"year": lambda: SPENDING_YEAR},
            ),
            when=Near(lambda: [round(expected_russia_share(), 2)], 1e-9),
        ),
        Mistake(
            N_("That is a percentage: give the share as a number between 0 and 1."),
            when=Near(lambda: [expected_russia_share() * 100], 0.5),
        ),
        Mistake(
            N_(
                "That is Russia's stated share of the organisation's budget; the question asks about military spending."
            ),
            when=Near(lambda: [v / 100 for v in answers.stated_budget_share(load("budget_shares"), "RUS")], 0.005),
        ),
        Mistake(
            N_("Leave China and Türkiye out: they are comparators, not members."),
            value=lambda: _russia_share(also=frozenset({"CHN", "TUR"})),
        ),
        Mistake(
            Say(N_("Check the year: the question asks about {year}."), facts={"year": lambda: SPENDING_YEAR}),
            when=Near(_other_years, SHARE_TOLERANCE),
        ),
        Mistake(
            N_("Armenia's participation is frozen, but it is still a party: keep it among the states you add up."),
            value=lambda: _russia_share(
                group=answers.members_on(load("membership"), measures.reference_day(SPENDING_YEAR))
            ),
        ),
        Mistake(
            N_("You used the shares of GDP; add up the spending in US dollars (`usd_million`) instead."),
            value=lambda: answers.column_shares(
                load("military_spending"), _parties(SPENDING_YEAR), SPENDING_YEAR, "gdp_share"
            )["RUS"],
        ),
    ],
    otherwise=N_("Keep the parties' rows for the year, then divide Russia's `usd_million` by their total."),
).register()


def _members_but_russia() -> list[str]:
    return sorted(_parties(SPENDING_YEAR) - {"RUS"})


@per_check
def expected_gdp_share_rose() -> list[str]:
    """Decline 2: the 2024 parties other than Russia whose `gdp_share` in 2024 is above their own in 2014."""
    return answers.rose(load("military_spending"), _members_but_russia(), SHARE_FROM, SPENDING_YEAR)


def _dollars_rose() -> list[str]:
    return answers.rose(load("military_spending"), _members_but_russia(), SHARE_FROM, SPENDING_YEAR, "usd_million")


def _in_dollars(answer: list[str]) -> str:
    shares, dollars = len(expected_gdp_share_rose()), len(_dollars_rose())
    members = len(_members_but_russia())
    if dollars == shares:
        return _("Spending rose as a share of GDP in {shares} of the {members} members.").format(
            shares=shares, members=members
        )
    return _(
        "Spending rose as a share of GDP in {shares} of the {members} members; in dollars it rose in {dollars}: "
        "a bigger budget can be a smaller share of a growing economy."
    ).format(shares=shares, members=members, dollars=dollars)


Spec(
    "decline-2",
    N_("Which members other than Russia spent a larger share of GDP on the military in {year} than in {since}?"),
    question_fields={"year": SPENDING_YEAR, "since": SHARE_FROM},
    **STATES,
    expected=expected_gdp_share_rose,
    right=_in_dollars,
    mistakes=[
        Mistake(N_("Leave Russia out: the question is about the other members."), when=HasAny(lambda: ["RUS"])),
        Mistake(
            N_("Keep only the treaty's parties in 2024; China, Türkiye and Uzbekistan are not."),
            when=Not(AllIn(_members_but_russia)),
        ),
        Mistake(
            Say(
                N_(
                    "Compare each member's `gdp_share` (not its spending in dollars) in {year} with its own in "
                    "{since} (not {before})."
                ),
                facts={"year": lambda: SPENDING_YEAR, "since": lambda: SHARE_FROM, "before": lambda: BEFORE_FULL_WAR},
            ),
            value=_dollars_rose,
        ),
    ],
    otherwise=Say(
        N_("Compare each member's `gdp_share` in {year} with its own in {since}."),
        facts={"year": lambda: SPENDING_YEAR, "since": lambda: SHARE_FROM},
    ),
).register()


#: The release and year Exercise 4.3 compares: SIPRI's 2023 release, the first with figures for 2022.
EARLIER_RELEASE, REVISED_YEAR = 2023, 2022


def _releases(iso3: str, measure: str) -> tuple[float, float]:
    """A 2022 figure as the current release gives it, and as the 2023 release gave it."""
    older = answers.release_figure(load("military_spending_vintages"), EARLIER_RELEASE, iso3, REVISED_YEAR, measure)
    current = load("military_spending").astype({"iso3": str}).set_index(["iso3", "year"])
    return float(current.loc[(iso3, REVISED_YEAR), measure]), older


def _revision(iso3: str, measure: str) -> float:
    newer, older = _releases(iso3, measure)
    return newer / older


@per_check
def expected_tajik_revision() -> float:
    """Decline 3: Tajikistan's 2022 share of GDP in the current release over the 2023 release's."""
    return _revision("TJK", "gdp_share")


def _tajik_difference() -> float:
    """The slip of subtracting the two releases' shares instead of dividing one by the other."""
    newer, older = _releases("TJK", "gdp_share")
    return newer - older


Spec(
    "decline-3",
    N_("By what factor did SIPRI's current release revise Tajikistan's 2022 share of GDP, against its 2023 release?"),
    read=Read(as_number, N_("a number, such as 1.5 for half as much again")),
    expected=expected_tajik_revision,
    matches=within(0.003),  # the revisions of Tajikistan's dollars and Kyrgyzstan's share lie 0.006 apart
    right=(
        N_(
            "A revision of that size changes any claim built on the older figure: quote the release, or the date "
            "you read it, with the number."
        )
    ),
    mistakes=[
        Mistake(
            N_("You divided the wrong way round: the current release's figure goes on top."),
            value=lambda: 1 / expected_tajik_revision(),
        ),
        Mistake(
            N_("That is the revision of Tajikistan's spending in dollars; the question asks about its share of GDP."),
            value=lambda: _revision("TJK", "usd_million"),
        ),
        Mistake(
            N_("That is Kyrgyzstan's revision; the question asks about Tajikistan."),
            value=lambda: _revision("KGZ", "gdp_share"),
        ),
        Mistake(
            N_("That is the difference between the two figures; a factor is one divided by the other."),
            value=_tajik_difference,
        ),
    ],
    otherwise=N_("In Tajikistan's gdp_share row of the table, divide release_2026 by release_2023."),
).register()


@per_check
def expected_base_years() -> dict[str, int]:
    """Decline 4: for each site in use with a known `term_end`, its year minus the year of the data (`years_left`)."""
    return {str(k): int(v) for k, v in answers.years_left(load("russian_bases")).items()}


def _soonest(answer: dict[str, float]) -> str:
    expected = expected_base_years()
    soonest = min(expected.values())
    states = answers.base_hosts(load("russian_bases"), [k for k, v in expected.items() if v == soonest])
    return _("The first terms to run out are in {states}: watch what happens before they do.").format(
        states=", ".join(states)
    )


def _shifted(years: int) -> dict[str, int]:
    return {k: v + years for k, v in expected_base_years().items()}


Spec(
    "decline-4",
    N_("Years left on each Russian base agreement with a known end, for sites still in use."),
    read=Read(as_number_map, N_("a number of years for each base"), "base_id"),
    expected=expected_base_years,
    matches=close(0),
    right=_soonest,
    mistakes=[
        Mistake(
            N_("Leave out the sites no longer in use (`in_use` is False)."),
            when=All(Not(Missing()), Extra(), AllIn(lambda: answers.bases_with_term_end(load("russian_bases")))),
        ),
        other_keys(
            expected_base_years, N_("Give a number for each of the {n} sites in use whose `term_end` is known.")
        ),
        Mistake(
            Say(
                N_("Count from the year the data were last checked, {year}, not the year after."),
                facts={"year": lambda: f"{as_of():%Y}"},
            ),
            value=lambda: _shifted(-1),
        ),
        Mistake(
            Say(
                N_("Count from the year the data were last checked, {year}, not the year before."),
                facts={"year": lambda: f"{as_of():%Y}"},
            ),
            value=lambda: _shifted(1),
        ),
    ],
    otherwise=N_("Subtract the year the data were last checked from the year of each `term_end`."),
    worked=lambda: worked.base_terms(load("russian_bases")),
).register()


def _ties_from(year: int) -> pd.Series:
    return measures.ties_since(load("ties"), year)


@per_check
def expected_recent_ties() -> dict[str, int]:
    """Decline 5: for each member in `ties`, the ties begun in 2022 or later (`ties_since`)."""
    return {str(k): int(v) for k, v in _ties_from(RECENT_TIES_FROM).items()}


Spec(
    "decline-5",
    N_("For each member other than Russia: the number of ties with other powers begun since {since}."),
    question_fields={"since": RECENT_TIES_FROM},
    read=Read(as_state_map, N_("a number of ties for each member")),
    expected=expected_recent_ties,
    matches=close(0),
    right=N_("Every member has ties elsewhere; what differs is how many, with whom, and since when."),
    mistakes=[
        other_keys(expected_recent_ties, N_("Give one count for each of the {n} members in the `ties` table.")),
        Mistake(
            Say(
                N_("These count every tie since 2010; keep only those begun in {since} or later."),
                facts={"since": lambda: RECENT_TIES_FROM},
            ),
            value=lambda: _ties_from(2010),
        ),
        Mistake(
            Say(
                N_("These count from {start}; the question counts the ties begun in {since} or later."),
                facts={"start": lambda: measures.TIES_FROM, "since": lambda: RECENT_TIES_FROM},
            ),
            value=lambda: _ties_from(measures.TIES_FROM),
        ),
        Mistake(
            Say(
                N_("Ties begun in {since} itself count too: use >= {since}, not > {since}."),
                facts={"since": lambda: RECENT_TIES_FROM},
            ),
            value=lambda: _ties_from(RECENT_TIES_FROM + 1),
        ),
    ],
    otherwise=Say(
        N_("Keep the rows whose `start_date` falls in {since} or later, then count them by `iso3`."),
        facts={"since": lambda: RECENT_TIES_FROM},
    ),
).register()


@per_check
def expected_most_diversified() -> str:
    """Decline 6: the member with the most distinct partner groups since 2014 (`partner_groups_since`)."""
    return str(answers.partner_groups_since(load("ties"), measures.TIES_FROM).idxmax())


Spec(
    "decline-6",
    N_("Which member has tied itself to the most different kinds of partner since 2014 (not counting 'other')?"),
    read=Read(as_one_state),
    expected=expected_most_diversified,
    matches=same_label,
    before=[Mistake(N_("Give one member, as an ISO3 code or a name."), when=IsNone())],
    right=N_("Diversification is not the same as distance from Russia: compare this with the index below."),
    mistakes=[
        Mistake(
            Say(
                N_(
                    "That member has the most ties since {start}, and the most kinds since {since}: "
                    "count distinct `partner_group`s since {start}."
                ),
                facts={"start": lambda: measures.TIES_FROM, "since": lambda: RECENT_TIES_FROM},
            ),
            value=lambda: _ties_from(measures.TIES_FROM).idxmax(),
        ),
        Mistake(
            Say(
                N_("That member has the most ties since {since}; the question counts kinds of partner since {start}."),
                facts={"start": lambda: measures.TIES_FROM, "since": lambda: RECENT_TIES_FROM},
            ),
            value=lambda: _ties_from(RECENT_TIES_FROM).idxmax(),
        ),
    ],
    otherwise=N_("Count the distinct `partner_group`s per member since 2014 with `.nunique()`, leaving out 'other'."),
).register()


@per_check
def _components() -> pd.DataFrame:
    return measures.dependence_components(load("membership"), load("russian_bases"), load("unga_votes"), load("ties"))


@per_check
def expected_equal_index() -> dict[str, float]:
    """Decline 7: each member's mean of the four dependence components (`dependence_index`, equal weights)."""
    return {str(k): float(v) for k, v in measures.dependence_index(_components()).items()}


Spec(
    "decline-7",
    N_("Each member's dependence index with equal weights on the four components."),
    read=Read(as_state_map, N_("an index for each member")),
    expected=expected_equal_index,
    matches=close(),
    before=[
        Mistake(
            N_("Leave Russia out: the index measures the other members' dependence on it."),
            when=HasAny(lambda: ["RUS"]),
        ),
        other_keys(expected_equal_index, N_("Give one index for each of the {n} members in `components`.")),
    ],
    right=N_("Now move the sliders below and see which rankings survive a change of weights."),
    mistakes=[
        Mistake(
            N_("That is the sum of the components; divide by the number of components to get a mean from 0 to 1."),
            value=lambda: _components().sum(axis=1),
        ),
        Mistake(
            N_("Use all four components, `full_participation` included."),
            value=lambda: _components()[list(measures.DEPENDENCE_COMPONENTS)[:3]].mean(axis=1),
        ),
    ],
    otherwise=N_("Take each member's mean across the four columns of `components` (`.mean(axis=1)`)."),
).register()


def _more_ties_than_kazakhstan(since: int, strictly: bool = True) -> list[str]:
    """The members with more ties since ``since`` than Kazakhstan; ``strictly=False`` is the slip of ``>=``,
    which keeps Kazakhstan itself, as ``counts[counts >= counts["KAZ"]]`` does."""
    counts = _ties_from(since)
    return [str(m) for m, n in counts.items() if (n > counts["KAZ"] if strictly else n >= counts["KAZ"])]


@per_check
def expected_more_than_kazakhstan() -> list[str]:
    """Decline 8: the members with more ties begun since 2014 than Kazakhstan (`ties_since`)."""
    return _more_ties_than_kazakhstan(measures.TIES_FROM)


Spec(
    "decline-8",
    N_("Which members began more ties with other powers since 2014 than Kazakhstan did?"),
    **STATES,
    expected=expected_more_than_kazakhstan,
    right=N_("Kazakhstan is close to Russia and also one of the members most open to others."),
    mistakes=[
        Mistake(
            N_(
                "Your list has Kazakhstan: `>=` keeps it, since its count equals itself; the question asks for *more* "
                "ties (`>`)."
            ),
            value=lambda: _more_ties_than_kazakhstan(measures.TIES_FROM, strictly=False),
        ),
        Mistake(N_("Leave Kazakhstan itself out: it cannot have more ties than it has."), when=HasAny(lambda: ["KAZ"])),
        Mistake(
            Say(
                N_("That counts from {since}, as Exercise 4.5 did; this question counts from {start}."),
                facts={"start": lambda: measures.TIES_FROM, "since": lambda: RECENT_TIES_FROM},
            ),
            value=lambda: _more_ties_than_kazakhstan(RECENT_TIES_FROM),
        ),
    ],
    otherwise=N_("Count each member's ties begun since 2014 and compare with Kazakhstan's count."),
).register()
