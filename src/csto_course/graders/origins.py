"""Lesson 1, Origins: signatures, the Charter, members per year, departures and the defence clause."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..data import load
from ..grading import (
    GradeResult,
    WrongType,
    as_int,
    as_labels,
    compare_labels,
    exercise,
    hashed,
    kind_of,
    state_aliases,
)
from ..measures import departures, members_per_year


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


def expected_tashkent_signatories() -> int:
    """Origins 1: the states whose signed_1992_tashkent is True."""
    return int(load("states")["signed_1992_tashkent"].sum())


@exercise(
    "origins-1",
    "How many states signed the Collective Security Treaty in Tashkent on 1992-05-15?",
    expected=expected_tashkent_signatories,
)
def tashkent_signatories(answer: Any) -> GradeResult:
    states = load("states")
    got = as_int(answer, "a number of states")
    expected = expected_tashkent_signatories()
    if got == expected:
        later = states.loc[~states["signed_1992_tashkent"].astype(bool), "first_signed"].dt.year
        return (
            True,
            f"Those are the original signatories; the other {len(later)} signed in "
            f"{', '.join(map(str, sorted(set(later))))}.",
        )
    if got == len(states):
        return False, "That counts every state that ever signed; keep only those that signed in Tashkent on 1992-05-15."
    if got == len(states) - expected:
        return False, "That counts the states that signed later. Filter on signed_1992_tashkent being True."
    return False, "Count the rows of `states` where signed_1992_tashkent is True (a True counts as 1 in .sum())."


def _first_event(kind: str) -> pd.Timestamp:
    """The date of the first event of ``kind`` in the timeline."""
    timeline = load("timeline")
    return timeline.loc[timeline["kind"] == kind, "date"].min()


def expected_charter_year() -> int:
    """Origins 2: the year of the timeline's first 'charter_entry_into_force' event."""
    return int(_first_event("charter_entry_into_force").year)


@exercise("origins-2", "In which year did the CSTO Charter enter into force?", expected=expected_charter_year)
def charter_year(answer: Any) -> GradeResult:
    got = as_int(answer, "a year")
    signed, in_force = _first_event("charter_signature"), _first_event("charter_entry_into_force")
    if got == expected_charter_year():
        return (
            True,
            f"The Charter came into force {(in_force - signed).days} days after it was signed, once the six "
            "states had ratified it.",
        )
    if got == signed.year:
        return (
            False,
            "That is the year the Charter was signed. Entry into force came after ratification: look for kind "
            "'charter_entry_into_force'.",
        )
    if got == _first_event("treaty_signature").year:
        return False, "That is the year of the treaty, not of the Charter that created the organisation."
    return False, "Filter the timeline on kind == 'charter_entry_into_force' and read the year of its date."


def expected_members_by_year() -> dict[int, int]:
    """Origins 3: the number of states with status 'member' on 1 July of each year."""
    return {int(year): int(count) for year, count in members_per_year().items()}


@exercise(
    "origins-3",
    "Count the members taking full part (status 'member') on 1 July of each year, from 1992 to the last year in "
    "the data.",
    expected=expected_members_by_year,
)
def members_by_year(answer: Any) -> GradeResult:
    got = _as_year_counts(answer)
    expected = expected_members_by_year()
    missing = sorted(set(expected) - set(got))
    if missing:
        return (
            False,
            f"Some years are missing ({len(missing)}, the first is {missing[0]}); give a count for every year "
            f"from {min(expected)} to {max(expected)}.",
        )
    extra = sorted(set(got) - set(expected))
    if extra:
        return (
            False,
            f"Your answer has years outside {min(expected)}–{max(expected)} (the first is {extra[0]}); stop at "
            "the last year in the data.",
        )
    wrong = [y for y in sorted(expected) if got[y] != expected[y]]
    if not wrong:
        years = sorted(expected)
        drops = [y for y, before in zip(years[1:], years[:-1], strict=True) if expected[y] < expected[before]]
        return (
            True,
            f"All {len(expected)} years match. The count falls in {', '.join(map(str, drops))}: the chart below "
            "shows why.",
        )
    first = wrong[0]
    hint = "higher" if got[first] > expected[first] else "lower"
    return False, (
        f"{len(wrong)} year(s) differ; the first is {first}, where your count is {hint} than the data give. "
        "A spell counts if it covers 1 July (started on or before it, not yet ended) and has status 'member'."
    )


def expected_left_the_treaty() -> dict[str, int]:
    """Origins 4: each state that ever left (a spell ended and none began that day), with the year it first left."""
    return dict(sorted(departures(load("membership")).items()))


@exercise(
    "origins-4",
    "Which states have left the treaty at least once, and in which year did each first leave?",
    expected=expected_left_the_treaty,
)
def left_the_treaty(answer: Any) -> GradeResult:
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        raise WrongType(
            f"Expected a dict mapping each state's ISO3 code to a year, such as {{'XXX': 2000}}; got {kind_of(answer)}."
        )
    spells = load("membership")
    aliases = state_aliases()
    got = {aliases.get(str(k).strip().casefold(), str(k).strip().casefold()): v for k, v in answer.items()}
    expected = {k.casefold(): v for k, v in expected_left_the_treaty().items()}
    changed_not_left = {
        str(r.iso3).casefold()
        for r in spells.itertuples()
        if pd.notna(r.end_date) and str(r.iso3).casefold() not in expected
    }
    extra = set(got) - set(expected)
    if extra & changed_not_left:
        return (
            False,
            "One of your states changed status (a frozen or suspended spell began the same day) but did not "
            "leave. Leaving means no spell follows.",
        )
    ok, message = compare_labels(set(got), set(expected), "states")
    if not ok:
        return False, message + " A state left when one of its spells ended and no other spell of its began that day."
    wrong_year = [k for k in expected if as_int(got[k], "a year") != expected[k]]
    if wrong_year:
        return (
            False,
            f"The states are right, but {len(wrong_year)} year(s) are not: give the year each state FIRST left.",
        )
    returned = sorted(
        k.upper()
        for k, year in expected.items()
        if (spells["iso3"].str.casefold().eq(k) & (spells["start_date"].dt.year > year)).any()
    )
    back = f" {', '.join(returned)} later came back." if returned else ""
    return True, f"All {len(expected)} left in {', '.join(map(str, sorted(set(expected.values()))))}.{back}"


def _spell_counts() -> pd.Series:
    """The number of membership spells of each state."""
    return load("membership")["iso3"].astype(str).value_counts()


def _most_spells() -> list[str]:
    """The state (or, if tied, the states) with the most membership spells."""
    counts = _spell_counts()
    return sorted(str(t) for t in counts[counts == counts.max()].index)


def expected_most_spells() -> str:
    """Origins 5: the state with the most membership spells (any state tied with it is also accepted)."""
    return _most_spells()[0]


@exercise("origins-5", "Which state has had the most membership spells?", expected=expected_most_spells)
def most_spells(answer: Any) -> GradeResult:
    spells = load("membership")
    counts = _spell_counts()
    top = {t.casefold() for t in _most_spells()}
    got = as_labels(answer, "one state (its ISO3 code or name)")
    if len(got) != 1:
        return False, f"Give one state, as its ISO3 code or its name; your answer holds {len(got)}."
    aliases = state_aliases()
    code = aliases.get(next(iter(got)), next(iter(got)))
    if code in top:
        history = spells[spells["iso3"].str.casefold() == code].sort_values("start_date")
        steps = ", then ".join(f"{r.status} from {r.start_date:%Y}" for r in history.itertuples())
        return True, f"{counts.max()} spells: {steps}."
    if code in aliases.values():
        return False, "That state has fewer spells. Count the rows per state with value_counts() on the iso3 column."
    return False, "That is not one of the states in the data; use an ISO3 code from `states`."


def _articles(instrument: str, topic: str) -> set[int]:
    """The articles of ``instrument`` whose provision has ``topic``."""
    provisions = load("provisions")
    rows = provisions[(provisions["instrument"] == instrument) & (provisions["topic"] == topic)]
    return set(rows["article"].astype(int))


def _defence_articles() -> set[int]:
    return _articles("Collective Security Treaty", "mutual_defence")


def expected_defence_article() -> int:
    """Origins 6: the article of the Collective Security Treaty whose topic is 'mutual_defence'."""
    return min(_defence_articles())


@exercise(
    "origins-6",
    "Which article of the 1992 Collective Security Treaty holds the mutual-defence promise?",
    expected=expected_defence_article,
)
def defence_article(answer: Any) -> GradeResult:
    got = as_int(answer, "an article number")
    if got in _defence_articles():
        return (
            True,
            "Aggression against one party is aggression against all; the reading's 'Article Seven' is a "
            "different text.",
        )
    if got in _articles("North Atlantic Treaty", "mutual_defence"):
        return False, "That is NATO's article. Filter the provisions on the Collective Security Treaty."
    if got in _articles("CSTO Charter", "collective_security"):
        return (
            False,
            "That is the number the reading gives, but it belongs to the 2002 Charter and concerns building "
            "collective forces. Look at the treaty's own articles.",
        )
    return False, "Filter `provisions` on instrument 'Collective Security Treaty' and topic 'mutual_defence'."


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


def expected_compare_clauses() -> str:
    """Origins 7: the letter whose salted hash is the stored answer (found by hashing the four candidates)."""
    return next(letter for letter in _O7_HINTS if hashed(letter) == _O7_ANSWER)


@exercise(
    "origins-7",
    "Which statement compares the treaty's Article 4 with NATO's Article 5 accurately? (a letter)",
    expected=expected_compare_clauses,
)
def compare_clauses(answer: Any) -> GradeResult:
    letter = _letter(answer)
    if letter == expected_compare_clauses():
        return (
            True,
            "Both promise help to an attacked ally and cite the UN Charter's Article 51, but NATO leaves each "
            "ally to judge what action is necessary.",
        )
    return False, _O7_HINTS[letter]
