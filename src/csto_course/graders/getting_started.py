"""Lesson 0, Getting started: counting rows and filtering on two conditions."""

from __future__ import annotations

from typing import Any

from ..data import load
from ..grading import GradeResult, as_int, as_labels, compare_labels, exercise, state_aliases
from ..measures import current_members


def expected_count_states() -> int:
    """Getting started 1: the number of rows of `states`, one per state."""
    return len(load("states"))


@exercise(
    "getting-started-1",
    "How many states have ever signed the 1992 treaty or belonged to the CSTO?",
    expected=expected_count_states,
)
def count_states(answer: Any) -> GradeResult:
    got = as_int(answer, "a number of states")
    if got == expected_count_states():
        return True, "That is every row of the states table: one row per state."
    spells = load("membership")
    if got == len(spells):
        return False, "That is the number of membership spells; a state can have several. Count the rows of `states`."
    if got == len(current_members(spells)):
        return (
            False,
            "That counts only the states taking full part today; the question asks about every state that ever "
            "belonged.",
        )
    return False, f"{got} is not the number of rows in the `states` table. Try len(states)."


def expected_current() -> list[str]:
    """Getting started 2: the ISO3 codes of the states with an open spell whose status is 'member'."""
    return sorted(current_members(load("membership")))


@exercise(
    "getting-started-2",
    "Which states take full part today (an open spell with status 'member')?",
    expected=expected_current,
)
def current(answer: Any) -> GradeResult:
    spells = load("membership")
    got = as_labels(answer, "a list of states (ISO3 codes or names)")
    expected = {c.casefold() for c in expected_current()}
    aliases = state_aliases()
    ok, message = compare_labels(got, expected, "states", aliases)
    if ok:
        return True, message
    with_any_open = {c.casefold() for c in spells.loc[spells["end_date"].isna(), "iso3"].astype(str)}
    if {aliases.get(g, g) for g in got} == with_any_open:
        return False, message + " Check the status too: an open spell can be 'frozen' or 'suspended'."
    return False, message + " Keep the rows whose end_date is missing (.isna()) and whose status is 'member'."
