"""The lessons' exercises. Each expected answer is computed from the data at check time.

Feedback names the likely slip (a wrong filter, counting rows instead of states) without
naming the answer.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .checks import as_int, as_labels, compare_labels, exercise
from .data import load


def _state_aliases() -> dict[str, str]:
    """Let students answer with ISO codes or names: map each spelling to the ISO3 code."""
    states = load("states")
    aliases: dict[str, str] = {}
    for row in states.itertuples():
        for spelling in (row.iso3, row.iso2, row.name):
            aliases[str(spelling).casefold()] = str(row.iso3).casefold()
    return aliases


def current_members(spells: pd.DataFrame, status: str = "member") -> set[str]:
    """ISO3 codes of states whose open spell (no end date) has ``status``."""
    open_spells = spells[spells["end_date"].isna() & (spells["status"] == status)]
    return set(open_spells["iso3"].astype(str))


# Lesson 0: getting started ---------------------------------------------------------------


@exercise("getting-started-1", "How many states have ever signed the 1992 treaty or belonged to the CSTO?")
def _gs1(answer: Any) -> tuple[bool, str]:
    states = load("states")
    got = as_int(answer, "states")
    expected = len(states)
    if got == expected:
        return True, "That is every row of the states table: one row per state."
    spells = load("membership")
    if got == len(spells):
        return False, "That is the number of membership spells; a state can have several. Count rows of `states`."
    if got == len(current_members(spells)):
        return False, "That counts today's full members only; the question asks about every state that ever belonged."
    return False, f"{got} is not the number of rows in the `states` table. Try len(states)."


@exercise("getting-started-2", "Which states are full members today (an open spell with status 'member')?")
def _gs2(answer: Any) -> tuple[bool, str]:
    spells = load("membership")
    got = as_labels(answer, "states (ISO3 codes or names)")
    expected = {c.casefold() for c in current_members(spells)}
    ok, message = compare_labels(got, expected, "states", _state_aliases())
    if ok:
        return True, message
    with_any_open = {c.casefold() for c in spells.loc[spells["end_date"].isna(), "iso3"].astype(str)}
    if {_state_aliases().get(g, g) for g in got} == with_any_open:
        return False, message + " Check the status too: an open spell can be 'frozen' or 'suspended'."
    return False, message + " Keep rows whose end_date is missing (.isna()) and whose status is 'member'."
