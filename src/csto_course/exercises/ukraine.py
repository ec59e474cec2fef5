"""Lesson 3, Ukraine and division: votes at the UN, statements on recognition, and the reading.

The ids follow the lesson's labels: Exercise 3.1 is ``ukraine-1``, and so on. Every
expected answer comes from the data through :mod:`csto_course.measures`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from .. import measures
from ..data import load
from ..language import N_, _
from . import answers, worked
from .specs import (
    STATES,
    All,
    AllIn,
    AnyAbove,
    Extra,
    HasAny,
    Mistake,
    Read,
    Say,
    Spec,
    as_number_map,
    as_state_map,
    as_voters,
    close,
    other_keys,
    per_check,
    same_labels,
    tally,
)

#: The two resolutions on territorial integrity that bracket the lesson: Crimea, then the four regions.
CRIMEA_VOTE, ANNEXATION_VOTE = "68/262", "ES-11/4"


def treaty_states() -> list[str]:
    """The nine states that ever signed the 1992 treaty (:func:`csto_course.measures.treaty_states`)."""
    return measures.treaty_states(load("states"))


@per_check
def _others() -> list[str]:
    """The treaty states other than Russia."""
    return [s for s in treaty_states() if s != "RUS"]


@per_check
def _agreement_table() -> pd.DataFrame:
    """Each treaty state other than Russia: votes matching Russia's, votes both cast, and the rate."""
    return answers.agreement_among(load("unga_votes"), treaty_states())


@per_check
def expected_agreement_rates() -> dict[str, float]:
    """Ukraine 1: for each treaty state other than Russia, its agreement rate with Russia (`agreement_with`)."""
    return {str(k): float(v) for k, v in _agreement_table()["rate"].items()}


def _thinnest(answer: dict[str, float]) -> str:
    table = _agreement_table()
    thinnest = table["both_voted"].idxmin()
    return _(
        "Look at how far apart the treaty states are, and at how many votes each share rests on: {state}'s "
        "rests on {votes}."
    ).format(state=thinnest, votes=table.loc[thinnest, "both_voted"])


Spec(
    "ukraine-1",
    N_(
        "For each treaty state other than Russia: the share of the resolutions both voted on where it voted as "
        "Russia did."
    ),
    read=Read(as_state_map, N_("a share (0 to 1) for each treaty state")),
    expected=expected_agreement_rates,
    matches=close(0.005),
    before=[
        Mistake(
            N_("Leave Russia out: it agrees with itself every time, which tells us nothing."),
            when=HasAny(lambda: ["RUS"]),
        ),
        other_keys(
            expected_agreement_rates,
            N_("Give one share for each of the {n} treaty states other than Russia, by ISO3 code."),
        ),
        Mistake(
            N_("These are counts of matching votes; divide each by the number of resolutions both voted on."),
            value=lambda: _agreement_table()["same"].astype(float).to_dict(),
        ),
        Mistake(N_("Shares run from 0 to 1: do not multiply by 100."), when=AnyAbove(1)),
    ],
    right=_thinnest,
    mistakes=[
        Mistake(
            N_(
                "You divided by every resolution. A resolution on which the state (or Russia) did not vote is not a "
                "disagreement: divide by the resolutions on which both cast a vote."
            ),
            value=lambda: _agreement_table()["same"] / load("unga_votes")["resolution"].nunique(),
        )
    ],
    otherwise=Say(
        N_(
            "{off} of the {n} shares are off. Compare each state's vote with Russia's on the same resolution, and keep "
            "only the resolutions where both voted yes, no or abstain."
        )
    ),
    # The treaty states only: China's, India's and Iran's shares would give Exercise 3.4's answer away.
    worked=lambda: worked.agreement_table(load("unga_votes"), states=list(expected_agreement_rates())),
).register()


@per_check
def expected_cohesion() -> dict[str, float]:
    """Ukraine 2: for each resolution, the agreement index of the treaty's parties on the day (`group_cohesion`)."""
    cohesion = answers.group_cohesion(load("unga_votes"), load("unga_resolutions"), load("membership"))
    return {str(k): float(v) for k, v in cohesion.items()}


def _index(
    rule: Callable[[int, int, int, int], float],
    states: list[str] | None = None,
    on: Callable[[pd.DataFrame, Any], set[str]] = measures.parties_on,
) -> dict[str, float]:
    """``rule`` (yes, no, abstain, absent) applied to the group's votes on each resolution."""
    table = answers.group_votes(load("unga_votes"), load("unga_resolutions"), load("membership"), states, on)
    return {str(r): rule(*(int(row[v]) for v in (*measures.CAST_VOTES, "absent"))) for r, row in table.iterrows()}


def _least_united(answer: dict[str, float]) -> str:
    expected = expected_cohesion()
    lowest = min(expected, key=expected.__getitem__)
    return _("The members were least united on {resolution}; look at what that resolution was about.").format(
        resolution=lowest
    )


Spec(
    "ukraine-2",
    N_("The treaty parties' agreement index (Hix, Noury and Roland) on each resolution."),
    read=Read(as_number_map, N_("an agreement index for each resolution"), "resolution"),
    expected=expected_cohesion,
    matches=close(0.005),
    before=[
        other_keys(
            expected_cohesion,
            N_("Give one index for each of the {n} resolutions, labelled as in the `resolution` column."),
        )
    ],
    right=_least_united,
    mistakes=[
        Mistake(
            N_(
                "That is Rice's index, which counts yes and no only. The agreement index treats an abstention as a "
                "position of its own: use the largest of the three counts."
            ),
            value=lambda: _index(lambda y, n, a, x: answers.rice_index(y, n)),
        ),
        Mistake(
            N_("Leave out the states that did not vote: absence is not one of the three positions."),
            value=lambda: _index(lambda y, n, a, x: measures.agreement_index(y, n, a + x)),
        ),
        Mistake(
            N_(
                "You used all nine states that ever signed. Use only the parties to the treaty on the day of each vote "
                "(`parties_on(spells, date)`): former members no longer speak for the alliance."
            ),
            value=lambda: _index(lambda y, n, a, x: measures.agreement_index(y, n, a), treaty_states()),
        ),
        Mistake(
            N_(
                "Armenia's participation is frozen, but it is still a party: take the group from "
                "`parties_on(spells, date)`, not from the status 'member'."
            ),
            value=lambda: _index(lambda y, n, a, x: measures.agreement_index(y, n, a), on=answers.members_on),
        ),
    ],
    otherwise=N_(
        "For each resolution count the parties' yes, no and abstain votes, then compute "
        "(largest − (total − largest) / 2) / total."
    ),
    worked=lambda: worked.cohesion_table(load("unga_votes"), load("unga_resolutions"), load("membership")),
).register()


@per_check
def _distances() -> dict[str, tuple[float, float]]:
    """Each treaty state other than Russia: its vote's distance from Russia's on 68/262, then on ES-11/4."""
    matrix = measures.vote_matrix(load("unga_votes"))
    return {
        s: (
            answers.vote_distance(matrix.loc[s, CRIMEA_VOTE], matrix.loc["RUS", CRIMEA_VOTE]),
            answers.vote_distance(matrix.loc[s, ANNEXATION_VOTE], matrix.loc["RUS", ANNEXATION_VOTE]),
        )
        for s in _others()
    }


@per_check
def _changed_vote() -> set[str]:
    """The treaty states other than Russia whose vote on ES-11/4 differs from theirs on 68/262."""
    matrix = measures.vote_matrix(load("unga_votes"))
    return {s.casefold() for s in _others() if str(matrix.loc[s, CRIMEA_VOTE]) != str(matrix.loc[s, ANNEXATION_VOTE])}


@per_check
def expected_moved_away() -> list[str]:
    """Ukraine 3: the treaty states whose vote was further from Russia's on ES-11/4 than on 68/262."""
    return [s for s, (before, after) in _distances().items() if after > before]


@per_check
def _moved_closer() -> set[str]:
    return {s.casefold() for s, (before, after) in _distances().items() if after < before}


Spec(
    "ukraine-3",
    N_("Which treaty states voted further from Russia on ES-11/4 (2022) than on 68/262 (2014)?"),
    **STATES,
    expected=expected_moved_away,
    right=N_("Ask what else changed for them between 2014 and 2022."),
    mistakes=[
        Mistake(
            N_("Some of yours moved *towards* Russia's vote; the question asks who moved away."),
            when=HasAny(_moved_closer),
        ),
        Mistake(
            N_(
                "A change from not voting to voting is not a move along the scale: a state must have cast a vote both "
                "times to be compared."
            ),
            when=All(Extra(), AllIn(_changed_vote)),
        ),
    ],
    otherwise=N_("Score each vote's distance from Russia's (same 0, one abstains 0.5, opposite 1)."),
).register()


@per_check
def _rates() -> pd.Series:
    return measures.agreement_with(load("unga_votes"))["rate"]


@per_check
def expected_below_china() -> list[str]:
    """Ukraine 4: the treaty states other than Russia whose agreement rate with Russia is below China's."""
    rates = _rates()
    return [s for s in _others() if rates[s] < rates["CHN"]]


Spec(
    "ukraine-4",
    N_("Which treaty states other than Russia voted as Russia did less often than China did?"),
    **STATES,
    expected=expected_below_china,
    right=(
        N_(
            "Each of them agreed with Russia less often than China did. Look at the counts behind the shares "
            "before reading a stance into them: a gap of a vote or two is not a difference of policy."
        )
    ),
    mistakes=[
        Mistake(
            N_(
                "Your list has China: `<=` keeps it, since its rate equals itself; "
                "the question asks *less* often (`<`) "
                "and only about the treaty states."
            ),
            value=lambda: [s for s in [*_others(), "CHN"] if _rates()[s] <= _rates()["CHN"]],
        ),
        Mistake(
            N_("China is the yardstick, not a treaty state: list only treaty states other than Russia."),
            when=HasAny(lambda: ["CHN"]),
        ),
        Mistake(
            N_("Those are the states *above* China's rate; the question asks who is below it."),
            value=lambda: [s for s in _others() if _rates()[s] > _rates()["CHN"]],
        ),
        Mistake(
            N_("That compares with India; the question asks about China."),
            value=lambda: [s for s in _others() if _rates()[s] < _rates()["IND"]],
        ),
    ],
    otherwise=N_("Compute China's agreement rate the same way, then keep the treaty states below it."),
    worked=lambda: worked.agreement_table(load("unga_votes")),
).register()


@per_check
def expected_non_recognition() -> list[str]:
    """Ukraine 5: the states with an explicit 'does_not_recognise' statement on the question 'annexation_2022'."""
    return sorted(
        answers.positions(load("recognition"), "annexation_2022", ("does_not_recognise",), explicit_only=True)
    )


def _february_only() -> set[str]:
    """The states that said they do not recognise the 'people's republics' in February, but not the annexations."""
    february = answers.positions(load("recognition"), "dpr_lpr_2022", ("does_not_recognise",))
    return {s.casefold() for s in february} - {s.casefold() for s in expected_non_recognition()}


Spec(
    "ukraine-5",
    N_("Which treaty states said explicitly that they do not recognise Russia's annexation of four regions in 2022?"),
    **STATES,
    expected=expected_non_recognition,
    right=N_("Silence is not recognition either: look at who said nothing."),
    mistakes=[
        Mistake(
            N_("Keep only the statements marked `explicit`: an inference from a vote is not a statement."),
            value=lambda: answers.positions(load("recognition"), "annexation_2022", ("does_not_recognise",)),
        ),
        Mistake(
            N_(
                "Check the `question` column: February's 'people's republics' and September's annexations are "
                "different questions."
            ),
            when=HasAny(_february_only),
        ),
    ],
    otherwise=N_("Filter `recognition` on question, position and the `explicit` column."),
).register()


@per_check
def expected_voted_with_russia() -> list[str]:
    """Ukraine 6: the treaty states other than Russia with a 'no' on an ES-11 resolution."""
    return sorted(answers.voted(load("unga_votes"), "no", _others(), session="ES-11"))


Spec(
    "ukraine-6",
    N_("Which treaty states other than Russia voted no on at least one resolution of the emergency special session?"),
    read=Read(as_voters),
    expected=expected_voted_with_russia,
    matches=same_labels,
    preface=tally(N_("states")),
    right=N_("Now set that beside the reading's claim that only one member openly backs Russia."),
    mistakes=[
        Mistake(
            N_("Keep only the emergency session's resolutions (ES-11/...): 68/262 was in 2014."),
            value=lambda: answers.voted(load("unga_votes"), "no", _others()),
        ),
        Mistake(
            N_("Look at every ES-11 resolution, not only the first: some were about other things."),
            value=lambda: ["BLR"],
        ),
    ],
    otherwise=N_("Filter the votes to the ES-11 resolutions and `vote == 'no'`, then leave Russia out."),
).register()
