"""Capstone, Check the reading against the record: students' verdicts beside the course's key.

The ids follow the lesson's labels: Exercise 6.1 is ``capstone-1``, and so on. The key is the
``reading_claims_key`` dataset; the other answers come from the data through
:mod:`csto_course.measures`.
"""

from __future__ import annotations

from ..data import load
from ..language import N_
from . import answers, worked
from .specs import (
    HasAny,
    Missing,
    Mistake,
    PerKey,
    Read,
    Say,
    Spec,
    as_int,
    as_states,
    as_verdicts,
    per_check,
    same_labels,
    tally,
)
from .ukraine import treaty_states

#: The claims Exercise 6.1 asks students to judge: several from each lesson, of every verdict.
JUDGED = ("R07", "R14", "R17", "R19", "R24", "R26", "R29", "R31", "R46")


@per_check
def expected_verdicts() -> dict[str, str]:
    """Capstone 1: the course's verdict (`reading_claims_key`) on each judged claim."""
    key = load("reading_claims_key").set_index("claim_id")
    return {c: str(key.loc[c, "verdict"]) for c in JUDGED}


Spec(
    "capstone-1",
    N_("Your verdict on each of the nine claims, beside the course's key, with the reasons."),
    read=Read(as_verdicts),
    expected=expected_verdicts,
    matches=PerKey(extra=True),
    before=[Mistake(Say(N_("Give a verdict for each of the {n} claims; {missing} still missing.")), when=Missing())],
    right=Say(
        N_("You agree with the course on all {count} claims; its reasons for each are in the table below."),
        facts={"count": lambda: len(JUDGED)},
    ),
    otherwise=Say(
        N_(
            "You agree with the course on {agree} of {n}; you differ on {off_keys}. Your instructor has the course's "
            "reasons. Disagreeing is allowed if your evidence is better: say so in Exercise 6.4."
        )
    ),
    worked=lambda: worked.claims_with_reasons(JUDGED),
).register()


@per_check
def expected_first_departure() -> int:
    """Capstone 2: the earliest year in `departures(spells)`."""
    return min(answers.departures(load("membership")).values())


Spec(
    "capstone-2",
    N_("In which year did a state first leave the treaty?"),
    read=Read(as_int, N_("a year")),
    expected=expected_first_departure,
    right=(
        N_(
            "So the treaty lost members years before the organisation was created: the reading's date may hold "
            "for the organisation, but not for the alliance behind it."
        )
    ),
    mistakes=[
        Mistake(N_("That is the reading's year; the membership data tell another story."), value=lambda: 2008),
        Mistake(
            N_("A suspension or a freeze changed a state's status that year; look for the first time one *left*."),
            when=HasAny(lambda: answers.status_change_years(load("membership"))),
        ),
        Mistake(
            N_("A state left that year, but not for the first time: look for the earliest departure."),
            when=HasAny(lambda: answers.departures(load("membership")).values()),
        ),
    ],
    otherwise=N_("Use `departures(spells)`, or find the earliest end of a spell that no other spell continued."),
).register()

#: The positions that accept an annexation, in word or in law.
_ACCEPTING = ("recognises", "accepts_de_facto")


@per_check
def expected_accepted_annexation() -> list[str]:
    """Capstone 3: the treaty states other than Russia that 'recognises' or 'accepts_de_facto' on 'annexation_2022'."""
    accepting = answers.positions(load("recognition"), "annexation_2022", _ACCEPTING)
    return sorted((accepting - {"RUS"}) & set(treaty_states()))


Spec(
    "capstone-3",
    N_("Which treaty states other than Russia recognised or accepted de facto the annexation of four regions in 2022?"),
    read=Read(as_states, N_("a list of states (ISO3 codes or names), or an empty list")),
    expected=expected_accepted_annexation,
    matches=same_labels,
    preface=tally(N_("states")),
    right=N_("De facto acceptance in words is not a legal act: that is why the claim needs qualifying."),
    mistakes=[
        Mistake(N_("Leave Russia out: the claim is about the other members."), when=HasAny(lambda: ["RUS"])),
        Mistake(
            N_("That answers February's question (the Donbas 'republics'); check the `question` column."),
            value=lambda: answers.positions(load("recognition"), "dpr_lpr_2022", _ACCEPTING) - {"RUS"},
        ),
    ],
    otherwise=N_("Filter `recognition` on the question and on the positions 'recognises' and 'accepts_de_facto'."),
).register()
