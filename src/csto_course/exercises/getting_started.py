"""Lesson 0, Getting started: counting rows and filtering on two conditions."""

from __future__ import annotations

from ..data import load
from . import answers
from .specs import STATES, Mistake, Read, Say, Spec, as_int, per_check


@per_check
def expected_count_states() -> int:
    """Getting started 1: the number of rows of `states`, one per state."""
    return len(load("states"))


Spec(
    "getting-started-1",
    "How many states have ever signed the 1992 treaty or belonged to the CSTO?",
    read=Read(as_int, "a number of states"),
    expected=expected_count_states,
    right="That is every row of the states table: one row per state.",
    mistakes=[
        Mistake(
            "That is the number of membership spells; a state can have several. Count the rows of `states`.",
            value=lambda: len(load("membership")),
        ),
        Mistake(
            "That counts only the states taking full part today; the question asks about every state that ever "
            "belonged.",
            value=lambda: len(answers.current_members(load("membership"))),
        ),
    ],
    otherwise=Say("{got} is not the number of rows in the `states` table. Try len(states)."),
).register()


@per_check
def expected_current() -> list[str]:
    """Getting started 2: the ISO3 codes of the states with an open spell whose status is 'member'."""
    return sorted(answers.current_members(load("membership")))


Spec(
    "getting-started-2",
    "Which states take full part today (an open spell with status 'member')?",
    **STATES,
    expected=expected_current,
    right="",
    mistakes=[
        Mistake(
            "Check the status too: an open spell can be 'frozen' or 'suspended'.",
            value=lambda: answers.open_spell_states(load("membership")),
        )
    ],
    otherwise="Keep the rows whose end_date is missing (.isna()) and whose status is 'member'.",
).register()
