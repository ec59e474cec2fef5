"""Capstone, Check the reading against the record: students' verdicts beside the course's key.

The ids follow the lesson's labels: Exercise 6.1 is ``capstone-1``, and so on. The key is the
``reading_claims_key`` dataset; the other answers come from the data through
:mod:`csto_course.measures`.
"""

from __future__ import annotations

from typing import Any

from ..data import load
from ..grading import (
    GradeResult,
    WrongType,
    as_int,
    compare_states,
    exercise,
    kind_of,
)
from ..measures import departures
from .ukraine import treaty_states

#: The claims Exercise 6.1 asks students to judge: several from each lesson, of every verdict.
JUDGED = ("R07", "R14", "R17", "R19", "R24", "R26", "R29", "R31", "R46")

VERDICTS = ("supported", "needs_qualifying", "contradicted", "cannot_be_verified")


def _verdict(value: Any) -> str:
    if not isinstance(value, str):
        raise WrongType(f"Each verdict must be text such as 'supported'; got {kind_of(value)}.")
    word = value.strip().casefold().replace(" ", "_").replace("-", "_")
    if word not in VERDICTS:
        raise WrongType(f"'{value}' is not a verdict: use one of {', '.join(v.replace('_', ' ') for v in VERDICTS)}.")
    return word


def expected_verdicts() -> dict[str, str]:
    """Capstone 1: the course's verdict (`reading_claims_key`) on each judged claim."""
    key = load("reading_claims_key").set_index("claim_id")
    return {c: str(key.loc[c, "verdict"]) for c in JUDGED}


@exercise(
    "capstone-1",
    "Your verdict on each of the nine claims, beside the course's key, with the reasons.",
    expected=expected_verdicts,
)
def verdicts(answer: Any) -> GradeResult:
    if not isinstance(answer, dict):
        raise WrongType(f"Expected a dict mapping each claim id ('R07'...) to a verdict; got {kind_of(answer)}.")
    given = {str(k).strip().upper(): _verdict(v) for k, v in answer.items() if v is not ...}
    missing = [c for c in JUDGED if c not in given]
    if missing:
        return False, f"Give a verdict for each of the {len(JUDGED)} claims; {len(missing)} still missing."
    key = load("reading_claims_key").set_index("claim_id")
    expected = expected_verdicts()
    differ = [c for c in JUDGED if given[c] != expected[c]]
    if not differ:
        return (
            True,
            f"You agree with the course on all {len(JUDGED)} claims; its reasons are in `reading_claims_key`.",
        )
    reasons = " ".join(f"{c} (you: {given[c].replace('_', ' ')}): {key.loc[c, 'explanation']}" for c in differ)
    return (
        False,
        f"You agree with the course on {len(JUDGED) - len(differ)} of {len(JUDGED)}. Where you differ, the course's "
        f"reasons: {reasons} Disagreeing is allowed if your evidence is better: say so in Exercise 6.4.",
    )


def expected_first_departure() -> int:
    """Capstone 2: the earliest year in `departures(spells)`."""
    return min(departures(load("membership")).values())


@exercise("capstone-2", "In which year did a state first leave the treaty?", expected=expected_first_departure)
def first_departure(answer: Any) -> GradeResult:
    got = as_int(answer, "a year")
    left = departures(load("membership"))
    expected = expected_first_departure()
    if got == expected:
        return True, "So the alliance's first divide came years before the one the reading names."
    if got == 2008:
        return False, "That is the reading's year; the membership data tell another story."
    spells = load("membership")
    changed = set(spells.loc[spells["status"].astype(str).isin(["suspended", "frozen"]), "start_date"].dt.year)
    if got in changed:
        return False, "A suspension or a freeze changed a state's status that year; look for the first time one *left*."
    if got in left.values():
        return False, "A state left that year, but not for the first time: look for the earliest departure."
    return False, "Use `departures(spells)`, or find the earliest end of a spell that no other spell continued."


def expected_accepted_annexation() -> list[str]:
    """Capstone 3: the treaty states other than Russia that 'recognises' or 'accepts_de_facto' on 'annexation_2022'."""
    statements = load("recognition")
    rows = statements[
        (statements["question"] == "annexation_2022")
        & statements["position"].isin(["recognises", "accepts_de_facto"])
        & (statements["iso3"] != "RUS")
        & statements["iso3"].isin(treaty_states())
    ]
    return sorted(set(rows["iso3"].astype(str)))


@exercise(
    "capstone-3",
    "Which treaty states other than Russia recognised or accepted de facto the annexation of four regions in 2022?",
    expected=expected_accepted_annexation,
)
def accepted_annexation(answer: Any) -> GradeResult:
    statements = load("recognition")
    expected = {s.casefold() for s in expected_accepted_annexation()}
    ok, message, mapped = compare_states(answer, expected, "a list of states (ISO3 codes or names), or an empty list")
    if ok:
        return (
            True,
            message + " De facto acceptance in words is not a legal act: that is why the claim needs qualifying.",
        )
    if "rus" in mapped:
        return False, message + " Leave Russia out: the claim is about the other members."
    dpr = statements[
        (statements["question"] == "dpr_lpr_2022") & statements["position"].isin(["recognises", "accepts_de_facto"])
    ]
    if mapped == {s.casefold() for s in dpr["iso3"].astype(str)} - {"rus"}:
        return (
            False,
            message + " That answers February's question (the Donbas 'republics'); check the `question` column.",
        )
    return (
        False,
        message + " Filter `recognition` on the question and on the positions 'recognises' and 'accepts_de_facto'.",
    )
