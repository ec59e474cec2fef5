"""Lesson 1, Origins: signatures, the Charter, members per year, departures and the defence clause."""

from __future__ import annotations

import pandas as pd

from .. import views
from ..data import load
from ..language import N_, _, display
from . import answers
from .specs import (
    AnyOf,
    ByAnswer,
    Extra,
    HasAny,
    KeysDiffer,
    Missing,
    Mistake,
    PerKey,
    Read,
    Say,
    SizeIsNot,
    Spec,
    as_departures,
    as_int,
    as_letter,
    as_states,
    as_year_counts,
    hashed,
    per_check,
    state_aliases,
)


@per_check
def expected_tashkent_signatories() -> int:
    """Origins 1: the states whose signed_1992_tashkent is True."""
    return int(load("states")["signed_1992_tashkent"].sum())


def _later_signers(answer: int) -> str:
    later = answers.later_signature_years(load("states"))
    years = ", ".join(map(str, sorted(set(later))))
    return _("Those are the original signatories; the other {count} signed in {years}.").format(
        count=len(later), years=years
    )


Spec(
    "origins-1",
    N_("How many states signed the Collective Security Treaty in Tashkent on 1992-05-15?"),
    read=Read(as_int, N_("a number of states")),
    expected=expected_tashkent_signatories,
    right=_later_signers,
    mistakes=[
        Mistake(
            N_("That counts every state that ever signed; keep only those that signed in Tashkent on 1992-05-15."),
            value=lambda: len(load("states")),
        ),
        Mistake(
            N_("That counts the states that signed later. Filter on signed_1992_tashkent being True."),
            value=lambda: len(load("states")) - expected_tashkent_signatories(),
        ),
    ],
    otherwise=N_("Count the rows of `states` where signed_1992_tashkent is True (a True counts as 1 in .sum())."),
).register()


def _first(kind: str) -> pd.Timestamp:
    return answers.first_event(load("timeline"), kind)


@per_check
def expected_charter_year() -> int:
    """Origins 2: the year of the timeline's first 'charter_entry_into_force' event."""
    return int(_first("charter_entry_into_force").year)


Spec(
    "origins-2",
    N_("In which year did the CSTO Charter enter into force?"),
    read=Read(as_int, N_("a year")),
    expected=expected_charter_year,
    right=lambda answer: _(
        "The Charter came into force {days} days after it was signed, once the six states had ratified it."
    ).format(days=(_first("charter_entry_into_force") - _first("charter_signature")).days),
    mistakes=[
        Mistake(
            N_(
                "That is the year the Charter was signed. Entry into force came after ratification: look for kind "
                "'charter_entry_into_force'."
            ),
            value=lambda: _first("charter_signature").year,
        ),
        Mistake(
            N_("That is the year of the treaty, not of the Charter that created the organisation."),
            value=lambda: _first("treaty_signature").year,
        ),
    ],
    otherwise=N_("Filter the timeline on kind == 'charter_entry_into_force' and read the year of its date."),
).register()


@per_check
def expected_members_by_year() -> dict[int, int]:
    """Origins 3: the number of states with status 'member' on 1 July of each year."""
    return {int(year): int(count) for year, count in answers.members_per_year().items()}


def _first_year() -> int:
    return min(expected_members_by_year())


def _last_year() -> int:
    return max(expected_members_by_year())


_YEARS = {"first": _first_year, "last": _last_year}


def _drops(answer: dict[int, int]) -> str:
    expected = expected_members_by_year()
    years = sorted(expected)
    drops = [y for y, before in zip(years[1:], years[:-1], strict=True) if expected[y] < expected[before]]
    return _("All {count} years match. The count falls in {years}: the chart below shows why.").format(
        count=len(expected), years=", ".join(map(str, drops))
    )


Spec(
    "origins-3",
    N_(
        "Count the members taking full part (status 'member') on 1 July of each year, from 1992 to the last year "
        "in the data."
    ),
    read=Read(as_year_counts),
    expected=expected_members_by_year,
    matches=PerKey(),
    right=_drops,
    mistakes=[
        Mistake(
            Say(
                N_("Some years are missing ({missing}); give a count for every year from {first} to {last}."),
                facts=_YEARS,
            ),
            when=Missing(),
        ),
        Mistake(
            Say(
                N_(
                    "Your answer has years outside {first}–{last} (the first is {first_extra}); stop at the last year "
                    "in the data."
                ),
                facts=_YEARS,
            ),
            when=Extra(),
        ),
    ],
    otherwise=Say(
        N_(
            "{off} year(s) differ; the first is {first_off}. A spell counts if it covers 1 July (started on or before "
            "it, not yet ended) and has status 'member'."
        )
    ),
    worked=lambda: views.charts.members_over_time(answers.members_per_year()),
).register()


@per_check
def expected_left_the_treaty() -> dict[str, int]:
    """Origins 4: each state that ever left (a spell ended and none began that day), with the year it first left."""
    return dict(sorted(answers.departures(load("membership")).items()))


@per_check
def _left() -> dict[str, int]:
    return {k.casefold(): v for k, v in expected_left_the_treaty().items()}


def _changed_status_only() -> set[str]:
    """The states with an ended spell that did not leave (lower case): their status changed."""
    return {s.casefold() for s in answers.ended_spell_states(load("membership"))} - set(_left())


def _left_and_back(answer: dict[str, int]) -> str:
    expected = _left()
    returned = answers.came_back(load("membership"))
    years = ", ".join(map(str, sorted(set(expected.values()))))
    if not returned:
        return _("All {count} left in {years}.").format(count=len(expected), years=years)
    return _("All {count} left in {years}. {states} later came back.").format(
        count=len(expected), years=years, states=", ".join(returned)
    )


Spec(
    "origins-4",
    N_("Which states have left the treaty at least once, and in which year did each first leave?"),
    read=Read(as_departures),
    expected=expected_left_the_treaty,
    matches=PerKey(casefold_keys=True),
    right=_left_and_back,
    mistakes=[
        Mistake(
            N_(
                "One of your states changed status (a frozen or suspended spell began the same day) but did not "
                "leave. Leaving means no spell follows."
            ),
            when=HasAny(_changed_status_only),
        ),
        Mistake(
            Say(
                N_("{tally} A state left when one of its spells ended and no other spell of its began that day."),
                noun=N_("states"),
            ),
            when=KeysDiffer(),
        ),
    ],
    otherwise=Say(N_("The states are right, but {off} year(s) are not: give the year each state FIRST left.")),
).register()


@per_check
def expected_most_spells() -> str:
    """Origins 5: the state with the most membership spells (any state tied with it is also accepted)."""
    return answers.most_spells(load("membership"))[0]


def _code(got: set[str]) -> str:
    """The one state of the answer, as a lower-case ISO3 code (as_states reads names as codes)."""
    return next(iter(got))


def _history(got: set[str]) -> str:
    history = answers.spells_of(load("membership"), _code(got))
    steps = _(", then ").join(
        _("{status} from {year}").format(status=display(r.status), year=f"{r.start_date:%Y}")
        for r in history.itertuples()
    )
    return _("{count} spells: {steps}.").format(count=answers.spell_counts(load("membership")).max(), steps=steps)


Spec(
    "origins-5",
    N_("Which state has had the most membership spells?"),
    read=Read(as_states, N_("one state (its ISO3 code or name)")),
    expected=expected_most_spells,
    before=[
        Mistake(Say(N_("Give one state, as its ISO3 code or its name; your answer holds {have}.")), when=SizeIsNot(1))
    ],
    matches=AnyOf(lambda: [{s.casefold()} for s in answers.most_spells(load("membership"))]),
    right=_history,
    mistakes=[
        Mistake(
            N_("That state has fewer spells. Count the rows per state with value_counts() on the iso3 column."),
            when=HasAny(lambda: set(state_aliases().values()), of="labels"),
        )
    ],
    otherwise=N_("That is not one of the states in the data; use an ISO3 code from `states`."),
).register()


def _articles(instrument: str, topic: str) -> set[int]:
    return answers.articles(load("provisions"), instrument, topic)


@per_check
def expected_defence_article() -> int:
    """Origins 6: the article of the Collective Security Treaty whose topic is 'mutual_defence'."""
    return min(_articles("Collective Security Treaty", "mutual_defence"))


Spec(
    "origins-6",
    N_("Which article of the 1992 Collective Security Treaty holds the mutual-defence promise?"),
    read=Read(as_int, N_("an article number")),
    expected=expected_defence_article,
    matches=AnyOf(lambda: _articles("Collective Security Treaty", "mutual_defence")),
    right=N_(
        "Aggression against one party is aggression against all; the reading's 'Article Seven' is a different text."
    ),
    mistakes=[
        Mistake(
            N_("That is NATO's article. Filter the provisions on the Collective Security Treaty."),
            when=HasAny(lambda: _articles("North Atlantic Treaty", "mutual_defence")),
        ),
        Mistake(
            N_(
                "That is the number the reading gives, but it belongs to the 2002 Charter and concerns building "
                "collective forces. Look at the treaty's own articles."
            ),
            when=HasAny(lambda: _articles("CSTO Charter", "collective_security")),
        ),
    ],
    otherwise=N_("Filter `provisions` on instrument 'Collective Security Treaty' and topic 'mutual_defence'."),
).register()


#: The right letter, stored only as a salted hash: the data cannot compute a reading of two texts.
_O7_ANSWER = "08730346f138345bdecec5930bac72ee2ab05118945f7c0745388f8a5f33a70c"
_O7_HINTS = {
    "a": N_("Read the paraphrases again: does either text say every ally must send troops?"),
    "b": N_("Compare the two paraphrases line by line: who decides what help to give?"),
    "c": N_("Look at the provisions table: the 1992 treaty has a row with topic 'mutual_defence'."),
    "d": N_("Neither article is about internal unrest; both concern attacks on a party."),
}


@per_check
def expected_compare_clauses() -> str:
    """Origins 7: the letter whose salted hash is the stored answer (found by hashing the four candidates)."""
    return next(letter for letter in _O7_HINTS if hashed(letter) == _O7_ANSWER)


Spec(
    "origins-7",
    N_("Which statement compares the treaty's Article 4 with NATO's Article 5 accurately? (a letter)"),
    read=Read(as_letter, "abcd"),
    expected=expected_compare_clauses,
    right=N_(
        "Both promise help to an attacked ally and cite the UN Charter's Article 51, but NATO leaves each "
        "ally to judge what action is necessary."
    ),
    otherwise=ByAnswer(_O7_HINTS),
).register()
