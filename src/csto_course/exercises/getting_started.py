"""Lesson 0, Getting started: counting rows, filtering on two conditions, and finding a row's sources."""

from __future__ import annotations

from ..data import load
from ..language import N_
from . import answers
from .specs import STATES, Mistake, Read, Say, Spec, as_int, as_labels, per_check, same_labels, tally


@per_check
def expected_count_states() -> int:
    """Getting started 1: the number of rows of `states`, one per state."""
    return len(load("states"))


Spec(
    "getting-started-1",
    N_("How many states have ever signed the 1992 treaty or belonged to the CSTO?"),
    read=Read(as_int, N_("a number of states")),
    expected=expected_count_states,
    right=N_("That is every row of the states table: one row per state."),
    mistakes=[
        Mistake(
            N_("That is the number of membership spells; a state can have several. Count the rows of `states`."),
            value=lambda: len(load("membership")),
        ),
        Mistake(
            N_(
                "That counts only the states taking full part today; the question asks about every state that ever "
                "belonged."
            ),
            value=lambda: len(answers.current_members(load("membership"))),
        ),
        Mistake(
            N_(
                "That counts only the states that signed in Tashkent in 1992; the question asks about every state that "
                "ever signed or belonged."
            ),
            value=lambda: int(load("states")["signed_1992_tashkent"].sum()),
        ),
    ],
    otherwise=Say(N_("{got} is not the number of rows in the `states` table. Try len(states).")),
).register()


@per_check
def expected_current() -> list[str]:
    """Getting started 2: the ISO3 codes of the states with an open spell whose status is 'member'."""
    return sorted(answers.current_members(load("membership")))


Spec(
    "getting-started-2",
    N_("Which states take full part today (an open spell with status 'member')?"),
    **STATES,
    expected=expected_current,
    right="",
    mistakes=[
        Mistake(
            N_("Check the status too: an open spell can be 'frozen' or 'suspended'."),
            value=lambda: answers.open_spell_states(load("membership")),
        )
    ],
    otherwise=N_("Keep the rows whose end_date is missing (.isna()) and whose status is 'member'."),
).register()


def _sources_of(spell_id: str) -> str:
    return str(load("membership").set_index("spell_id").loc[spell_id, "source_id"])


@per_check
def expected_uzb_sources() -> list[str]:
    """Getting started 3: the source ids of membership row UZB-3, split at each ';'."""
    return sorted(_sources_of("UZB-3").split(";"))


Spec(
    "getting-started-3",
    N_("Which documents does row UZB-3 of the membership table rest on?"),
    read=Read(as_labels, N_("a list of source ids")),
    expected=expected_uzb_sources,
    matches=same_labels,
    mistakes=[
        Mistake(
            N_("That is the whole source_id text, with its ids joined by ';': split it with .split(\";\")."),
            value=lambda: [_sources_of("UZB-3")],
        ),
        Mistake(
            N_("Those are the sources of UZB-2, the spell that ended in 2012; the suspension is row UZB-3."),
            value=lambda: sorted(_sources_of("UZB-2").split(";")),
        ),
    ],
    preface=tally(N_("source ids")),
    right=(
        N_(
            'Each id leads to a full reference: cite("membership") lists them with their titles, and the '
            "References page gives publisher, date and address."
        )
    ),
    otherwise=N_("Fetch the source_id of row UZB-3 (set_index, then .loc, as in section 5) and split it at ';'."),
).register()
