"""Lesson 2, A legacy of inaction: requests, responses, delays and the one deployment.

The ids follow the lesson's labels: Exercise 2.1 is ``inaction-1``, and so on.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import measures, views
from ..data import load
from .specs import (
    Mistake,
    Spec,
    WrongType,
    as_labels,
    as_number_map,
    as_pair,
    close,
    compare_labels,
    kind_of,
    other_keys,
    per_check,
    same_labels,
    tally,
)


@per_check
def expected_troops_asked_and_sent() -> tuple[int, int]:
    """Inaction 1: (crises whose request is 'troops', those of them whose response is 'collective_deployment')."""
    return measures.troops_asked_and_sent(load("crises"))


def _troops_unsent(_: tuple[int, int]) -> str:
    asked, sent = expected_troops_asked_and_sent()
    return (
        f"{asked - sent} of {asked} requests for troops got none from the alliance; look at whom they were "
        "addressed to."
    )


Spec(
    "inaction-1",
    "How many crises saw a member ask for troops, and in how many of those did the alliance send them? (a pair)",
    read=lambda answer: as_pair(
        answer, "a pair of numbers in brackets, (asked, sent)", "a number of crises", "a number of crises"
    ),
    expected=expected_troops_asked_and_sent,
    right=_troops_unsent,
    mistakes=[
        Mistake(
            "Both numbers are there, in the wrong order: first the crises with a request for troops, then those "
            "that got them.",
            value=lambda: expected_troops_asked_and_sent()[::-1],
        ),
        Mistake(
            "The first number counts every request; keep only those whose request is 'troops'.",
            when=lambda got: got[0] == len(measures.with_request(load("crises"))),
        ),
        Mistake(
            "The first number is off: count the crises whose request is 'troops'.",
            when=lambda got: got[0] != expected_troops_asked_and_sent()[0],
        ),
    ],
    otherwise="The second number is off: among those crises, count the ones whose response is 'collective_deployment'.",
).register()


@per_check
def expected_active_share() -> dict[str, float]:
    """Inaction 2: by kind, the share of crises with a request whose response is one of ACTIVE_RESPONSES."""
    return {str(k): float(v) for k, v in measures.active_response_rate(load("crises")).items()}


def _kinds_differ(got: dict[str, float]) -> str:
    wrong = [k for k, v in expected_active_share().items() if abs(got[k] - v) > 0.005]
    return (
        f"{len(wrong)} kind(s) differ. Keep only the crises whose request is not 'none', then take the share "
        f"whose response is one of {', '.join(measures.ACTIVE_RESPONSES)}."
    )


Spec(
    "inaction-2",
    "By kind of crisis: among crises with a request, the share in which the alliance did more than issue a statement.",
    read=lambda answer: as_number_map(answer, "a share (0 to 1) for each kind of crisis", "kind"),
    expected=expected_active_share,
    matches=close(0.005),
    before=[
        other_keys(
            expected_active_share,
            "Give one share for each kind that had a request: {n} kinds, named as in the `kind` column.",
        ),
        Mistake(
            "Shares run from 0 to 1: divide by the number of crises, and do not multiply by 100.",
            when=lambda got: any(v > 1 for v in got.values()),
        ),
    ],
    right="Notice how few crises of any kind got more than words, and how small each group is.",
    mistakes=[
        Mistake(
            "These are shares of every crisis, including those in which nobody asked. Keep only the crises whose "
            "request is not 'none' first.",
            value=lambda: measures.response_share(load("crises"), asked_only=False)[list(expected_active_share())],
        ),
        Mistake(
            "A statement is words only: leave 'statement' out of the responses that count as doing more.",
            value=lambda: measures.response_share(load("crises"), (*measures.ACTIVE_RESPONSES, "statement")),
        ),
    ],
    otherwise=_kinds_differ,
    worked=lambda: views.crises.response_rates(load("crises")),
).register()


def _conflicts(column: str) -> list[str]:
    return measures.member_conflicts(load("crises"))[column].astype(str).tolist()


@per_check
def expected_member_against_member() -> list[str]:
    """Inaction 3: the crisis_id of each crisis whose members_on_both_sides is True."""
    return _conflicts("crisis_id")


Spec(
    "inaction-3",
    "Which crises set one member state against another?",
    read=lambda answer: as_labels(answer, "a list of crisis ids"),
    expected=expected_member_against_member,
    matches=same_labels,
    before=[
        Mistake(
            "Those are the crises' names; collect their crisis_id values instead.", value=lambda: _conflicts("name")
        )
    ],
    preface=tally("crises"),
    right="In each, both sides were allies, so a promise of defence against an attacker could not simply apply.",
    otherwise="Keep the rows where members_on_both_sides is True and collect their crisis_id values.",
).register()


@per_check
def expected_delays() -> dict[str, int]:
    """Inaction 4: for each crisis requested of 'csto' with both dates, response_date minus request_date in days."""
    return {str(k): int(v) for k, v in measures.response_delays(load("crises")).items()}


def _negative_delays(_: dict[str, float]) -> str:
    negative = sum(1 for v in expected_delays().values() if v < 0)
    return f"In {negative} case(s) the alliance spoke before the formal request: a statement is cheap and quick."


def _delays_differ(got: dict[str, float]) -> str:
    wrong = [k for k, v in expected_delays().items() if got[k] != v]
    return (
        f"{len(wrong)} delay(s) differ: subtract request_date from response_date and take .dt.days (negative "
        "values are allowed)."
    )


Spec(
    "inaction-4",
    "For each request made to the alliance itself, the days from the request to the alliance's first response.",
    read=lambda answer: as_number_map(answer, "a number of days for each crisis id", "crisis_id"),
    expected=expected_delays,
    matches=close(0),
    right=_negative_delays,
    mistakes=[
        Mistake(
            "You have crises whose request went to someone else, or that lack a date. Keep requested_of == "
            "'csto' and both dates.",
            when=lambda got: set(expected_delays()) < set(got) <= set(load("crises")["crisis_id"].astype(str)),
        ),
        Mistake(
            lambda got: (
                compare_labels(set(got), set(expected_delays()), "crises")[1]
                + " Keep the crises whose requested_of is 'csto' and that have both dates."
            ),
            when=lambda got: set(got) != set(expected_delays()),
        ),
        Mistake(
            "Every sign is flipped: subtract the request date from the response date, not the other way round.",
            value=lambda: {k: -v for k, v in expected_delays().items()},
        ),
    ],
    otherwise=_delays_differ,
    worked=lambda: views.crises.response_delay_table(load("crises"), load("crisis_events")),
).register()


_DEPLOYMENT_STEPS = ("decision", "arrival", "withdrawal_start", "withdrawal_complete")


@per_check
def expected_deployment() -> dict[str, int]:
    """Inaction 5: for the crisis with a collective deployment, the days from the appeal to each step (from
    `crisis_events`), and personnel_deployed."""
    deployed = measures.deployments(load("crises"))
    steps = measures.step_days(load("crisis_events"), str(deployed["crisis_id"].iloc[0]))
    expected = {k: steps[k] for k in _DEPLOYMENT_STEPS}
    expected["personnel"] = int(deployed["personnel_deployed"].iloc[0])
    return expected


def _wrong_steps(got: dict[str, float]) -> list[str]:
    expected = expected_deployment()
    return [k for k in _DEPLOYMENT_STEPS if got[k] != expected[k]]


def _missing_steps(got: dict[str, float]) -> set[str]:
    return set(expected_deployment()) - set(got)


Spec(
    "inaction-5",
    "The one collective deployment: days after the appeal of the decision, the arrival, the start and the end of "
    "the withdrawal, and the troops sent.",
    read=lambda answer: as_number_map(answer, "a number for each step, and for 'personnel'", "step"),
    expected=expected_deployment,
    matches=lambda got, expected: set(expected) <= set(got) and all(got[k] == v for k, v in expected.items()),
    right=lambda _: (
        f"From the appeal to the last of {expected_deployment()['personnel']:,} troops leaving took "
        f"{expected_deployment()['withdrawal_complete']} days."
    ),
    mistakes=[
        Mistake(
            lambda got: (
                f"Give a value for each of: {', '.join(sorted(expected_deployment()))} "
                f"({len(_missing_steps(got))} missing)."
            ),
            when=lambda got: bool(_missing_steps(got)),
        ),
        Mistake(
            "Each differing step is one day too many: count the days between two dates (the appeal's day is day 0).",
            when=lambda got: (
                bool(_wrong_steps(got)) and all(got[k] == expected_deployment()[k] + 1 for k in _wrong_steps(got))
            ),
        ),
        Mistake(
            lambda got: (
                f"{len(_wrong_steps(got))} step(s) differ; count days from the date of the 'request' "
                "step, using the first event of each step."
            ),
            when=lambda got: bool(_wrong_steps(got)),
        ),
    ],
    otherwise="The days are right, but 'personnel' is not: read personnel_deployed for this crisis in `crises`.",
).register()


def _as_code(answer: Any) -> str:
    """A code of the requested_of column, as text."""
    if not isinstance(answer, str):
        if isinstance(answer, pd.Series) and len(answer) == 1:
            raise WrongType("You have a Series holding one value; take the text out with .iloc[0].")
        raise WrongType(f"Answer with the code from the requested_of column, as text; got {kind_of(answer)}.")
    return answer.strip().casefold()


@per_check
def expected_asked_whom() -> str:
    """Inaction 6: the requested_of code of crisis kgz-osh-2010."""
    return str(load("crises").set_index("crisis_id").loc["kgz-osh-2010", "requested_of"])


Spec(
    "inaction-6",
    "The reading says the alliance refused Kyrgyzstan's request in 2010. Of whom did Kyrgyzstan ask for troops?",
    read=_as_code,
    expected=expected_asked_whom,
    right="The appeal went to Moscow, which called the violence an internal affair and referred it to the alliance.",
    mistakes=[
        Mistake(
            "Look at the requested_of column for crisis kgz-osh-2010 once more, and read its record_summary.",
            when=lambda got: got in set(load("crises")["requested_of"].astype(str)),
        )
    ],
    otherwise="Answer with one of the codes used in the requested_of column, exactly as it appears there.",
).register()
