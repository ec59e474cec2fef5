"""Lesson 2, A legacy of inaction: requests, responses, delays and the one deployment.

The ids follow the lesson's labels: Exercise 2.1 is ``inaction-1``, and so on.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data import load
from ..grading import GradeResult, WrongType, as_int, as_labels, as_number_map, compare_labels, exercise, kind_of
from ..measures import ACTIVE_RESPONSES, active_response_rate, response_delays, step_days


def expected_troops_asked_and_sent() -> tuple[int, int]:
    """Inaction 1: (crises whose request is 'troops', those of them whose response is 'collective_deployment')."""
    crises = load("crises")
    troops = crises[crises["request"] == "troops"]
    return len(troops), int((troops["response"] == "collective_deployment").sum())


@exercise(
    "inaction-1",
    "How many crises saw a member ask for troops, and in how many of those did the alliance send them? (a pair)",
    expected=expected_troops_asked_and_sent,
)
def troops_asked_and_sent(answer: Any) -> GradeResult:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise WrongType(f"Expected a pair of numbers in brackets, (asked, sent); got {kind_of(answer)}.")
    crises = load("crises")
    asked, sent = expected_troops_asked_and_sent()
    got = (as_int(answer[0], "a number of crises"), as_int(answer[1], "a number of crises"))
    if got == (asked, sent):
        return (
            True,
            f"{asked - sent} of {asked} requests for troops got none from the alliance; look at whom they were "
            "addressed to.",
        )
    if got == (sent, asked):
        return (
            False,
            "Both numbers are there, in the wrong order: first the crises with a request for troops, then those "
            "that got them.",
        )
    if got[0] == len(crises[crises["request"] != "none"]):
        return False, "The first number counts every request; keep only those whose request is 'troops'."
    if got[0] != asked:
        return False, "The first number is off: count the crises whose request is 'troops'."
    return (
        False,
        "The second number is off: among those crises, count the ones whose response is 'collective_deployment'.",
    )


def expected_active_share() -> dict[str, float]:
    """Inaction 2: by kind, the share of crises with a request whose response is one of ACTIVE_RESPONSES."""
    return {str(k): float(v) for k, v in active_response_rate(load("crises")).items()}


@exercise(
    "inaction-2",
    "By kind of crisis: among crises with a request, the share in which the alliance did more than issue a statement.",
    expected=expected_active_share,
)
def active_share(answer: Any) -> GradeResult:
    got = as_number_map(answer, "a share (0 to 1) for each kind of crisis", "kind")
    crises = load("crises")
    expected = expected_active_share()
    if set(got) != set(expected):
        return (
            False,
            f"Give one share for each kind that had a request: {len(expected)} kinds, named as in the `kind` column.",
        )
    if any(v > 1 for v in got.values()):
        return False, "Shares run from 0 to 1: divide by the number of crises, and do not multiply by 100."
    wrong = [k for k in expected if abs(got[k] - expected[k]) > 0.005]
    if not wrong:
        return True, "Notice how few crises of any kind got more than words, and how small each group is."
    over_all = crises["response"].astype(str).isin(ACTIVE_RESPONSES).groupby(crises["kind"].astype(str)).mean()
    if all(abs(got[k] - over_all.get(k, -1)) <= 0.005 for k in expected):
        return (
            False,
            "These are shares of every crisis, including those in which nobody asked. Keep only the crises whose "
            "request is not 'none' first.",
        )
    beyond_statement = crises[crises["request"] != "none"]
    with_statement = beyond_statement["response"].isin([*ACTIVE_RESPONSES, "statement"])
    if all(
        abs(got[k] - v) <= 0.005 for k, v in with_statement.groupby(beyond_statement["kind"].astype(str)).mean().items()
    ):
        return False, "A statement is words only: leave 'statement' out of the responses that count as doing more."
    return False, (
        f"{len(wrong)} kind(s) differ. Keep only the crises whose request is not 'none', then take the share "
        f"whose response is one of {', '.join(ACTIVE_RESPONSES)}."
    )


def _both_sides(crises: pd.DataFrame) -> pd.Series:
    """True for the crises that set one member against another."""
    return crises["members_on_both_sides"].fillna(False).astype(bool)


def expected_member_against_member() -> list[str]:
    """Inaction 3: the crisis_id of each crisis whose members_on_both_sides is True."""
    crises = load("crises")
    return crises.loc[_both_sides(crises), "crisis_id"].astype(str).tolist()


@exercise("inaction-3", "Which crises set one member state against another?", expected=expected_member_against_member)
def member_against_member(answer: Any) -> GradeResult:
    crises = load("crises")
    got = as_labels(answer, "a list of crisis ids")
    both_sides = _both_sides(crises)
    expected = {c.casefold() for c in expected_member_against_member()}
    names = {n.casefold() for n in crises.loc[both_sides, "name"].astype(str)}
    if got == names:
        return False, "Those are the crises' names; collect their crisis_id values instead."
    ok, message = compare_labels(got, expected, "crises")
    if ok:
        return (
            True,
            message
            + " In each, both sides were allies, so a promise of defence against an attacker could not simply apply.",
        )
    return False, message + " Keep the rows where members_on_both_sides is True and collect their crisis_id values."


def expected_delays() -> dict[str, int]:
    """Inaction 4: for each crisis requested of 'csto' with both dates, response_date minus request_date in days."""
    return {str(k): int(v) for k, v in response_delays(load("crises")).items()}


@exercise(
    "inaction-4",
    "For each request made to the alliance itself, the days from the request to the alliance's first response.",
    expected=expected_delays,
)
def delays(answer: Any) -> GradeResult:
    got = as_number_map(answer, "a number of days for each crisis id", "crisis_id")
    crises = load("crises")
    expected = expected_delays()
    if set(got) > set(expected) and set(got) <= set(crises["crisis_id"].astype(str)):
        return (
            False,
            "You have crises whose request went to someone else, or that lack a date. Keep requested_of == "
            "'csto' and both dates.",
        )
    ok, message = compare_labels(set(got), set(expected), "crises")
    if not ok:
        return False, message + " Keep the crises whose requested_of is 'csto' and that have both dates."
    wrong = [k for k in expected if got[k] != expected[k]]
    if wrong and all(got[k] == -expected[k] for k in expected):
        return (
            False,
            "Every sign is flipped: subtract the request date from the response date, not the other way round.",
        )
    if wrong:
        return (
            False,
            f"{len(wrong)} delay(s) differ: subtract request_date from response_date and take .dt.days (negative "
            "values are allowed).",
        )
    negative = sum(1 for v in expected.values() if v < 0)
    return True, f"In {negative} case(s) the alliance spoke before the formal request: a statement is cheap and quick."


_DEPLOYMENT_STEPS = ("decision", "arrival", "withdrawal_start", "withdrawal_complete")


def expected_deployment() -> dict[str, int]:
    """Inaction 5: for the crisis with a collective deployment, the days from the appeal to each step (from
    `crisis_events`), and personnel_deployed."""
    crises = load("crises")
    deployed = crises[crises["response"] == "collective_deployment"]
    crisis_id = str(deployed["crisis_id"].iloc[0])
    steps = step_days(load("crisis_events"), crisis_id)
    expected = {k: steps[k] for k in _DEPLOYMENT_STEPS}
    expected["personnel"] = int(deployed["personnel_deployed"].iloc[0])
    return expected


@exercise(
    "inaction-5",
    "The one collective deployment: days after the appeal of the decision, the arrival, the start and the end of "
    "the withdrawal, and the troops sent.",
    expected=expected_deployment,
)
def deployment(answer: Any) -> GradeResult:
    got = as_number_map(answer, "a number for each step, and for 'personnel'", "step")
    expected = expected_deployment()
    missing = set(expected) - set(got)
    if missing:
        return False, f"Give a value for each of: {', '.join(sorted(expected))} ({len(missing)} missing)."
    wrong = [k for k in _DEPLOYMENT_STEPS if got[k] != expected[k]]
    if wrong and all(got[k] == expected[k] + 1 for k in wrong):
        return (
            False,
            "Each differing step is one day too many: count the days between two dates (the appeal's day is day 0).",
        )
    if wrong:
        return (
            False,
            f"{len(wrong)} step(s) differ; count days from the date of the 'request' step, using the first event "
            "of each step.",
        )
    if got["personnel"] != expected["personnel"]:
        return False, "The days are right, but 'personnel' is not: read personnel_deployed for this crisis in `crises`."
    return (
        True,
        f"From the appeal to the last of {expected['personnel']:,} troops leaving took "
        f"{expected['withdrawal_complete']} days.",
    )


def expected_asked_whom() -> str:
    """Inaction 6: the requested_of code of crisis kgz-osh-2010."""
    return str(load("crises").set_index("crisis_id").loc["kgz-osh-2010", "requested_of"])


@exercise(
    "inaction-6",
    "The reading says the alliance refused Kyrgyzstan's request in 2010. Of whom did Kyrgyzstan ask for troops?",
    expected=expected_asked_whom,
)
def asked_whom(answer: Any) -> GradeResult:
    if not isinstance(answer, str):
        if isinstance(answer, pd.Series) and len(answer) == 1:
            raise WrongType("You have a Series holding one value; take the text out with .iloc[0].")
        raise WrongType(f"Answer with the code from the requested_of column, as text; got {kind_of(answer)}.")
    crises = load("crises").set_index("crisis_id")
    expected = expected_asked_whom()
    given = answer.strip().casefold()
    if given == expected:
        return (
            True,
            "The appeal went to Moscow, which called the violence an internal affair and referred it to the alliance.",
        )
    codes = set(crises["requested_of"].astype(str))
    if given in codes:
        return False, "Look at the requested_of column for crisis kgz-osh-2010 once more, and read its record_summary."
    return False, "Answer with one of the codes used in the requested_of column, exactly as it appears there."
