"""Lesson 1, Origins: signatures, the Charter, members per year, departures and the defence clause."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import measures, views
from ..data import load
from .specs import (
    Mistake,
    Spec,
    WrongType,
    as_int,
    as_labels,
    compare_labels,
    hashed,
    kind_of,
    per_check,
    state_aliases,
)


@per_check
def expected_tashkent_signatories() -> int:
    """Origins 1: the states whose signed_1992_tashkent is True."""
    return int(load("states")["signed_1992_tashkent"].sum())


def _later_signers(_: int) -> str:
    later = measures.later_signature_years(load("states"))
    years = ", ".join(map(str, sorted(set(later))))
    return f"Those are the original signatories; the other {len(later)} signed in {years}."


Spec(
    "origins-1",
    "How many states signed the Collective Security Treaty in Tashkent on 1992-05-15?",
    read=lambda answer: as_int(answer, "a number of states"),
    expected=expected_tashkent_signatories,
    right=_later_signers,
    mistakes=[
        Mistake(
            "That counts every state that ever signed; keep only those that signed in Tashkent on 1992-05-15.",
            value=lambda: len(load("states")),
        ),
        Mistake(
            "That counts the states that signed later. Filter on signed_1992_tashkent being True.",
            value=lambda: len(load("states")) - expected_tashkent_signatories(),
        ),
    ],
    otherwise="Count the rows of `states` where signed_1992_tashkent is True (a True counts as 1 in .sum()).",
).register()


def _first(kind: str) -> pd.Timestamp:
    return measures.first_event(load("timeline"), kind)


@per_check
def expected_charter_year() -> int:
    """Origins 2: the year of the timeline's first 'charter_entry_into_force' event."""
    return int(_first("charter_entry_into_force").year)


Spec(
    "origins-2",
    "In which year did the CSTO Charter enter into force?",
    read=lambda answer: as_int(answer, "a year"),
    expected=expected_charter_year,
    right=lambda _: (
        f"The Charter came into force {(_first('charter_entry_into_force') - _first('charter_signature')).days} "
        "days after it was signed, once the six states had ratified it."
    ),
    mistakes=[
        Mistake(
            "That is the year the Charter was signed. Entry into force came after ratification: look for kind "
            "'charter_entry_into_force'.",
            value=lambda: _first("charter_signature").year,
        ),
        Mistake(
            "That is the year of the treaty, not of the Charter that created the organisation.",
            value=lambda: _first("treaty_signature").year,
        ),
    ],
    otherwise="Filter the timeline on kind == 'charter_entry_into_force' and read the year of its date.",
).register()


def _as_year_counts(answer: Any) -> dict[int, int]:
    """Accept a Series (year index), a dict, or a two-column table of year and count."""
    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] == 1:
            answer = answer.iloc[:, 0]
        elif "year" in answer.columns and answer.shape[1] == 2:
            answer = answer.set_index("year").iloc[:, 0]
        else:
            raise WrongType(
                "Expected one count per year: a dict such as {1992: 6, 1993: 6}, or a Series indexed by year."
            )
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        raise WrongType(f"Expected a dict of counts by year, such as {{1992: 6, 1993: 6}}; got {kind_of(answer)}.")
    try:
        return {int(k): int(v) for k, v in answer.items()}
    except (TypeError, ValueError):
        raise WrongType("The keys should be years (like 1999) and the values whole numbers of states.") from None


@per_check
def expected_members_by_year() -> dict[int, int]:
    """Origins 3: the number of states with status 'member' on 1 July of each year."""
    return {int(year): int(count) for year, count in measures.members_per_year().items()}


def _missing_years(got: dict[int, int]) -> list[int]:
    return sorted(set(expected_members_by_year()) - set(got))


def _extra_years(got: dict[int, int]) -> list[int]:
    return sorted(set(got) - set(expected_members_by_year()))


def _first_years(got: dict[int, int]) -> str:
    expected = expected_members_by_year()
    missing, extra = _missing_years(got), _extra_years(got)
    if missing:
        return (
            f"Some years are missing ({len(missing)}, the first is {missing[0]}); give a count for every year "
            f"from {min(expected)} to {max(expected)}."
        )
    return (
        f"Your answer has years outside {min(expected)}–{max(expected)} (the first is {extra[0]}); stop at "
        "the last year in the data."
    )


def _years_differ(got: dict[int, int]) -> str:
    expected = expected_members_by_year()
    wrong = [y for y in sorted(expected) if got[y] != expected[y]]
    hint = "higher" if got[wrong[0]] > expected[wrong[0]] else "lower"
    return (
        f"{len(wrong)} year(s) differ; the first is {wrong[0]}, where your count is {hint} than the data give. "
        "A spell counts if it covers 1 July (started on or before it, not yet ended) and has status 'member'."
    )


def _drops(_: dict[int, int]) -> str:
    expected = expected_members_by_year()
    years = sorted(expected)
    drops = [y for y, before in zip(years[1:], years[:-1], strict=True) if expected[y] < expected[before]]
    return (
        f"All {len(expected)} years match. The count falls in {', '.join(map(str, drops))}: the chart below shows why."
    )


Spec(
    "origins-3",
    "Count the members taking full part (status 'member') on 1 July of each year, from 1992 to the last year "
    "in the data.",
    read=_as_year_counts,
    expected=expected_members_by_year,
    right=_drops,
    mistakes=[Mistake(_first_years, when=lambda got: bool(_missing_years(got) or _extra_years(got)))],
    otherwise=_years_differ,
    worked=lambda: views.charts.members_over_time(measures.members_per_year()),
).register()


def _as_departures(answer: Any) -> dict[str, Any]:
    """A dict or Series of years keyed by state, keyed by lower-case ISO3 code whatever the student used."""
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        raise WrongType(
            f"Expected a dict mapping each state's ISO3 code to a year, such as {{'XXX': 2000}}; got {kind_of(answer)}."
        )
    aliases = state_aliases()
    return {aliases.get(str(k).strip().casefold(), str(k).strip().casefold()): v for k, v in answer.items()}


@per_check
def expected_left_the_treaty() -> dict[str, int]:
    """Origins 4: each state that ever left (a spell ended and none began that day), with the year it first left."""
    return dict(sorted(measures.departures(load("membership")).items()))


@per_check
def _left() -> dict[str, int]:
    return {k.casefold(): v for k, v in expected_left_the_treaty().items()}


def _wrong_years(got: dict[str, Any]) -> list[str]:
    return [k for k, year in _left().items() if as_int(got[k], "a year") != year]


def _departures_match(got: dict[str, Any], _: Any) -> bool:
    return set(got) == set(_left()) and not _wrong_years(got)


def _left_and_back(_: dict[str, Any]) -> str:
    expected = _left()
    returned = measures.came_back(load("membership"))
    back = f" {', '.join(returned)} later came back." if returned else ""
    return f"All {len(expected)} left in {', '.join(map(str, sorted(set(expected.values()))))}.{back}"


Spec(
    "origins-4",
    "Which states have left the treaty at least once, and in which year did each first leave?",
    read=_as_departures,
    expected=expected_left_the_treaty,
    matches=_departures_match,
    right=_left_and_back,
    mistakes=[
        Mistake(
            "One of your states changed status (a frozen or suspended spell began the same day) but did not "
            "leave. Leaving means no spell follows.",
            when=lambda got: bool(
                (set(got) - set(_left())) & {s.casefold() for s in measures.ended_spell_states(load("membership"))}
            ),
        ),
        Mistake(
            lambda got: (
                compare_labels(set(got), set(_left()), "states")[1]
                + " A state left when one of its spells ended and no other spell of its began that day."
            ),
            when=lambda got: set(got) != set(_left()),
        ),
    ],
    otherwise=lambda got: (
        f"The states are right, but {len(_wrong_years(got))} year(s) are not: give the year each state FIRST left."
    ),
).register()


@per_check
def expected_most_spells() -> str:
    """Origins 5: the state with the most membership spells (any state tied with it is also accepted)."""
    return measures.most_spells(load("membership"))[0]


def _code(got: set[str]) -> str:
    """The one state of the answer, as a lower-case ISO3 code if it is a state."""
    label = next(iter(got))
    return state_aliases().get(label, label)


def _history(got: set[str]) -> str:
    history = measures.spells_of(load("membership"), _code(got))
    steps = ", then ".join(f"{r.status} from {r.start_date:%Y}" for r in history.itertuples())
    return f"{measures.spell_counts(load('membership')).max()} spells: {steps}."


Spec(
    "origins-5",
    "Which state has had the most membership spells?",
    read=lambda answer: as_labels(answer, "one state (its ISO3 code or name)"),
    expected=expected_most_spells,
    before=[
        Mistake(
            lambda got: f"Give one state, as its ISO3 code or its name; your answer holds {len(got)}.",
            when=lambda got: len(got) != 1,
        )
    ],
    matches=lambda got, _: _code(got) in {s.casefold() for s in measures.most_spells(load("membership"))},
    right=_history,
    mistakes=[
        Mistake(
            "That state has fewer spells. Count the rows per state with value_counts() on the iso3 column.",
            when=lambda got: _code(got) in state_aliases().values(),
        )
    ],
    otherwise="That is not one of the states in the data; use an ISO3 code from `states`.",
).register()


def _articles(instrument: str, topic: str) -> set[int]:
    return measures.articles(load("provisions"), instrument, topic)


@per_check
def expected_defence_article() -> int:
    """Origins 6: the article of the Collective Security Treaty whose topic is 'mutual_defence'."""
    return min(_articles("Collective Security Treaty", "mutual_defence"))


Spec(
    "origins-6",
    "Which article of the 1992 Collective Security Treaty holds the mutual-defence promise?",
    read=lambda answer: as_int(answer, "an article number"),
    expected=expected_defence_article,
    matches=lambda got, _: got in _articles("Collective Security Treaty", "mutual_defence"),
    right="Aggression against one party is aggression against all; the reading's 'Article Seven' is a different text.",
    mistakes=[
        Mistake(
            "That is NATO's article. Filter the provisions on the Collective Security Treaty.",
            when=lambda got: got in _articles("North Atlantic Treaty", "mutual_defence"),
        ),
        Mistake(
            "That is the number the reading gives, but it belongs to the 2002 Charter and concerns building "
            "collective forces. Look at the treaty's own articles.",
            when=lambda got: got in _articles("CSTO Charter", "collective_security"),
        ),
    ],
    otherwise="Filter `provisions` on instrument 'Collective Security Treaty' and topic 'mutual_defence'.",
).register()


#: The right letter, stored only as a salted hash: the data cannot compute a reading of two texts.
_O7_ANSWER = "08730346f138345bdecec5930bac72ee2ab05118945f7c0745388f8a5f33a70c"
_O7_HINTS = {
    "a": "Read the paraphrases again: does either text say every ally must send troops?",
    "b": "Compare the two paraphrases line by line: who decides what help to give?",
    "c": "Look at the provisions table: the 1992 treaty has a row with topic 'mutual_defence'.",
    "d": "Neither article is about internal unrest; both concern attacks on a party.",
}


def _letter(answer: Any) -> str:
    """'b', 'B', '(b)', 'b)' and 'b.' all mean option b."""
    if not isinstance(answer, str):
        raise WrongType(f"Answer with one letter as text, such as 'a'; got {kind_of(answer)}.")
    letter = answer.strip().strip("().").strip().casefold()
    if letter not in _O7_HINTS:
        raise WrongType(f"Answer with one of the letters a to d, as text (for example 'a'); got {answer!r}.")
    return letter


@per_check
def expected_compare_clauses() -> str:
    """Origins 7: the letter whose salted hash is the stored answer (found by hashing the four candidates)."""
    return next(letter for letter in _O7_HINTS if hashed(letter) == _O7_ANSWER)


Spec(
    "origins-7",
    "Which statement compares the treaty's Article 4 with NATO's Article 5 accurately? (a letter)",
    read=_letter,
    expected=expected_compare_clauses,
    right="Both promise help to an attacked ally and cite the UN Charter's Article 51, but NATO leaves each "
    "ally to judge what action is necessary.",
    otherwise=_O7_HINTS.__getitem__,
).register()
