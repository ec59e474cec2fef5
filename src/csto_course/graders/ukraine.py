"""Lesson 3, Ukraine and division: votes at the UN, statements on recognition, and the reading.

The ids follow the lesson's labels: Exercise 3.1 is ``ukraine-1``, and so on. Every
expected answer comes from the data through :mod:`csto_course.measures`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data import load
from ..grading import (
    GradeResult,
    as_number_map,
    as_state_map,
    close_maps,
    compare_states,
    exercise,
)
from ..measures import (
    CAST_VOTES,
    agreement_index,
    agreement_with,
    group_cohesion,
    parties_on,
    vote_distance,
    vote_matrix,
)

#: The two resolutions on territorial integrity that bracket the lesson: Crimea, then the four regions.
CRIMEA_VOTE, ANNEXATION_VOTE = "68/262", "ES-11/4"


def treaty_states() -> list[str]:
    """The nine states that ever signed the 1992 treaty, from the states table."""
    return sorted(load("states")["iso3"].astype(str))


def _agreement_table() -> pd.DataFrame:
    """Each treaty state other than Russia: votes matching Russia's, votes both cast, and the rate."""
    votes = load("unga_votes")
    others = [s for s in treaty_states() if s != "RUS"]
    return agreement_with(votes[votes["iso3"].isin(treaty_states())]).reindex(others)


def expected_agreement_rates() -> dict[str, float]:
    """Ukraine 1: for each treaty state other than Russia, its agreement rate with Russia (`agreement_with`)."""
    return {str(k): float(v) for k, v in _agreement_table()["rate"].items()}


@exercise(
    "ukraine-1",
    "For each treaty state other than Russia: the share of the resolutions both voted on where it voted as Russia did.",
    expected=expected_agreement_rates,
)
def agreement_rates(answer: Any) -> GradeResult:
    got = as_state_map(answer, "a share (0 to 1) for each treaty state")
    votes = load("unga_votes")
    table = _agreement_table()
    expected = expected_agreement_rates()
    if "RUS" in got:
        return False, "Leave Russia out: it agrees with itself every time, which tells us nothing."
    if set(got) != set(expected):
        return False, f"Give one share for each of the {len(expected)} treaty states other than Russia, by ISO3 code."
    if close_maps(got, table["same"].astype(float).to_dict(), 0) and not close_maps(got, expected):
        return False, "These are counts of matching votes; divide each by the number of resolutions both voted on."
    if any(v > 1 for v in got.values()):
        return False, "Shares run from 0 to 1: do not multiply by 100."
    if close_maps(got, expected):
        thinnest = table["both_voted"].idxmin()
        return (
            True,
            f"Look at how far apart the treaty states are, and at how many votes each share rests on: {thinnest}'s "
            f"rests on {table.loc[thinnest, 'both_voted']}.",
        )
    resolutions = votes["resolution"].nunique()
    if close_maps(got, (table["same"] / resolutions).to_dict()):
        return (
            False,
            "You divided by every resolution. A resolution on which the state (or Russia) did not vote is not a "
            "disagreement: divide by the resolutions on which both cast a vote.",
        )
    wrong = sum(abs(got[k] - expected[k]) > 0.005 for k in expected)
    return (
        False,
        f"{wrong} of the {len(expected)} shares are off. Compare each state's vote with Russia's on the same "
        "resolution, and keep only the resolutions where both voted yes, no or abstain.",
    )


def expected_cohesion() -> dict[str, float]:
    """Ukraine 2: for each resolution, the agreement index of the treaty's parties on the day (`group_cohesion`)."""
    cohesion = group_cohesion(load("unga_votes"), load("unga_resolutions"), load("membership"))
    return {str(k): float(v) for k, v in cohesion.items()}


@exercise(
    "ukraine-2",
    "The treaty parties' agreement index (Hix, Noury and Roland) on each resolution.",
    expected=expected_cohesion,
)
def cohesion(answer: Any) -> GradeResult:
    got = as_number_map(answer, "an agreement index for each resolution", "resolution")
    votes, resolutions, spells = load("unga_votes"), load("unga_resolutions"), load("membership")
    expected = expected_cohesion()
    if set(got) != set(expected):
        return (
            False,
            f"Give one index for each of the {len(expected)} resolutions, labelled as in the `resolution` column.",
        )
    if close_maps(got, expected):
        lowest = min(expected, key=expected.__getitem__)
        return True, f"The members were least united on {lowest}; look at what that resolution was about."
    matrix = vote_matrix(votes, resolutions)
    days = resolutions.set_index(resolutions["resolution"].astype(str))["date"]

    def index_over(group_of: Any, rule: Any) -> dict[str, float]:
        out = {}
        for r in matrix.columns:
            counts = matrix.loc[matrix.index.isin(group_of(r)), r].value_counts()
            out[r] = rule(*(int(counts.get(v, 0)) for v in (*CAST_VOTES, "absent")))
        return out

    def parties(r: str) -> set[str]:
        return parties_on(spells, days[r])

    def rice(y: int, n: int, a: int, _absent: int) -> float:
        return abs(y - n) / (y + n) if y + n else float("nan")

    if close_maps(got, index_over(parties, rice)):
        return (
            False,
            "That is Rice's index, which counts yes and no only. The agreement index treats an abstention as a "
            "position of its own: use the largest of the three counts.",
        )
    if close_maps(got, index_over(parties, lambda y, n, a, x: agreement_index(y, n, a + x))):
        return False, "Leave out the states that did not vote: absence is not one of the three positions."
    if close_maps(got, index_over(lambda r: set(treaty_states()), lambda y, n, a, x: agreement_index(y, n, a))):
        return (
            False,
            "You used all nine states that ever signed. Use only the parties to the treaty on the day of each vote "
            "(`parties_on(spells, date)`): former members no longer speak for the alliance.",
        )
    return (
        False,
        "Not yet. For each resolution count the parties' yes, no and abstain votes, then compute "
        "(largest − (total − largest) / 2) / total.",
    )


def _distances(matrix: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Each treaty state other than Russia: its vote's distance from Russia's on 68/262, then on ES-11/4."""
    return {
        s: (
            vote_distance(matrix.loc[s, CRIMEA_VOTE], matrix.loc["RUS", CRIMEA_VOTE]),
            vote_distance(matrix.loc[s, ANNEXATION_VOTE], matrix.loc["RUS", ANNEXATION_VOTE]),
        )
        for s in treaty_states()
        if s != "RUS"
    }


def expected_moved_away() -> list[str]:
    """Ukraine 3: the treaty states whose vote was further from Russia's on ES-11/4 than on 68/262."""
    distance = _distances(vote_matrix(load("unga_votes")))
    return [s for s, (before, after) in distance.items() if after > before]


@exercise(
    "ukraine-3",
    "Which treaty states voted further from Russia on ES-11/4 (2022) than on 68/262 (2014)?",
    expected=expected_moved_away,
)
def moved_away(answer: Any) -> GradeResult:
    matrix = vote_matrix(load("unga_votes"))
    distance = _distances(matrix)
    expected = {s.casefold() for s in expected_moved_away()}
    ok, message, got = compare_states(answer, expected)
    if ok:
        return True, message + " Ask what else changed for them between 2014 and 2022."
    closer = {s.casefold() for s, (before, after) in distance.items() if after < before}
    changed = {s.casefold() for s in distance if str(matrix.loc[s, CRIMEA_VOTE]) != str(matrix.loc[s, ANNEXATION_VOTE])}
    if got & closer:
        return False, message + " Some of yours moved *towards* Russia's vote; the question asks who moved away."
    if got - expected and got <= changed:
        return (
            False,
            message + " A change from not voting to voting is not a move along the scale: a state must have cast a "
            "vote both times to be compared.",
        )
    return False, message + " Score each vote's distance from Russia's (same 0, one abstains 0.5, opposite 1)."


def expected_below_china() -> list[str]:
    """Ukraine 4: the treaty states other than Russia whose agreement rate with Russia is below China's."""
    rates = agreement_with(load("unga_votes"))["rate"]
    return [s for s in treaty_states() if s != "RUS" and rates[s] < rates["CHN"]]


@exercise(
    "ukraine-4",
    "Which treaty states other than Russia voted as Russia did less often than China did?",
    expected=expected_below_china,
)
def below_china(answer: Any) -> GradeResult:
    rates = agreement_with(load("unga_votes"))["rate"]
    china = rates["CHN"]
    others = [s for s in treaty_states() if s != "RUS"]
    expected = {s.casefold() for s in expected_below_china()}
    ok, message, mapped = compare_states(answer, expected)
    if ok:
        return True, message + " China never condemned the war, yet most of Russia's treaty allies sided with it less."
    if mapped == {s.casefold() for s in others if rates[s] <= china}:
        return False, message + " Some of yours agreed with Russia exactly as often as China: the question asks *less*."
    if mapped == {s.casefold() for s in others if rates[s] > china}:
        return False, message + " Those are the states *above* China's rate; the question asks who is below it."
    if mapped == {s.casefold() for s in others if rates[s] < rates["IND"]}:
        return False, message + " That compares with India; the question asks about China."
    return False, message + " Compute China's agreement rate the same way, then keep the treaty states below it."


def expected_non_recognition() -> list[str]:
    """Ukraine 5: the states with an explicit 'does_not_recognise' statement on the question 'annexation_2022'."""
    statements = load("recognition")
    on_2022 = statements[statements["question"] == "annexation_2022"]
    explicit = on_2022[(on_2022["position"] == "does_not_recognise") & on_2022["explicit"].fillna(False).astype(bool)]
    return sorted(set(explicit["iso3"].astype(str)))


@exercise(
    "ukraine-5",
    "Which treaty states said explicitly that they do not recognise Russia's annexation of four regions in 2022?",
    expected=expected_non_recognition,
)
def non_recognition(answer: Any) -> GradeResult:
    statements = load("recognition")
    on_2022 = statements[statements["question"] == "annexation_2022"]
    expected = {s.casefold() for s in expected_non_recognition()}
    ok, message, mapped = compare_states(answer, expected)
    if ok:
        return True, message + " Silence is not recognition either: look at who said nothing."
    any_position = {s.casefold() for s in on_2022.loc[on_2022["position"] == "does_not_recognise", "iso3"].astype(str)}
    if mapped == any_position:
        return (
            False,
            message + " Keep only the statements marked `explicit`: an inference from a vote is not a statement.",
        )
    people = statements[(statements["question"] == "dpr_lpr_2022") & (statements["position"] == "does_not_recognise")]
    if mapped & {s.casefold() for s in people["iso3"].astype(str)} - expected:
        return (
            False,
            message + " Check the `question` column: February's 'people's republics' and September's annexations are "
            "different questions.",
        )
    return False, message + " Filter `recognition` on question, position and the `explicit` column."


def _treaty_votes() -> pd.DataFrame:
    """The votes of the treaty states other than Russia."""
    votes = load("unga_votes")
    return votes[votes["iso3"].isin(treaty_states()) & (votes["iso3"] != "RUS")]


def expected_voted_with_russia() -> list[str]:
    """Ukraine 6: the treaty states other than Russia with a 'no' on an ES-11 resolution."""
    treaty = _treaty_votes()
    session = treaty[treaty["resolution"].astype(str).str.startswith("ES-11")]
    return sorted(set(session.loc[session["vote"] == "no", "iso3"].astype(str)))


@exercise(
    "ukraine-6",
    "Which treaty states other than Russia voted no on at least one resolution of the emergency special session?",
    expected=expected_voted_with_russia,
)
def voted_with_russia(answer: Any) -> GradeResult:
    if isinstance(answer, pd.Series) and pd.api.types.is_bool_dtype(answer.dtype) and answer.index.dtype == object:
        answer = answer[answer].index.tolist()
    treaty = _treaty_votes()
    expected = {s.casefold() for s in expected_voted_with_russia()}
    ok, message, mapped = compare_states(answer, expected)
    if ok:
        return True, message + " Now set that beside the reading's claim that only one member openly backs Russia."
    if mapped == {s.casefold() for s in treaty.loc[treaty["vote"] == "no", "iso3"].astype(str)}:
        return False, message + " Keep only the emergency session's resolutions (ES-11/...): 68/262 was in 2014."
    if mapped == {"blr"}:
        return False, message + " Look at every ES-11 resolution, not only the first: some were about other things."
    return False, message + " Filter the votes to the ES-11 resolutions and `vote == 'no'`, then leave Russia out."
