"""How an answer is read: the readers that turn a student's answer into the value a question asks
for, or explain in one sentence why they cannot (:class:`WrongType`).

Both graders use them: the full graders of the clone (:mod:`.specs`) and the sealed checks a
student's installed package grades with (:mod:`.sealed`). So this module ships in the student
package and holds nothing about an answer: no expected value, no data but the spellings of the
states' names (:func:`state_aliases`). A spec names its reader with :class:`Read`
(``Read(as_int, "a year")``), which a sealed check finds here again by its name.

The readers raise :class:`WrongType` with a hint aimed at the slip a beginner most likely made:
a date where a year belongs, a True/False mask where a count belongs, a one-row Series where a
number belongs. Each sentence is in the reader's language (:mod:`csto_course.language`); what a
reader is told to expect (``"a year"``) is marked in the spec with ``N_`` and translated here.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from .. import data
from ..errors import kind_of
from ..language import N_, _, current, speaking, translate

__all__ = [
    "WrongType",
    "Read",
    "READERS",
    "per_check",
    "one_check",
    "kind_of",
    "as_int",
    "as_number",
    "as_pair",
    "as_labels",
    "as_number_map",
    "compare_labels",
    "tally_phrase",
    "state_aliases",
    "as_states",
    "as_state_map",
    "as_code",
    "as_letter",
    "as_year_counts",
    "as_departures",
    "as_one_state",
    "as_voters",
    "as_verdicts",
    "VERDICTS",
]

T = TypeVar("T")

#: The values computed during the check under way, by function (see :func:`per_check`); None between checks.
_THIS_CHECK: ContextVar[dict[Callable[[], Any], Any] | None] = ContextVar("_THIS_CHECK", default=None)


def per_check(compute: Callable[[], T]) -> Callable[[], T]:
    """Compute a value from the data once per check, however many parts of a spec ask for it.

    A spec's comparison, mistakes and hints each call the expected answer or a measure; the data
    cannot change while one answer is checked, so the first result is reused until the check ends
    (outside a check, every call computes afresh, as the data may have changed in between).
    """

    @functools.wraps(compute)
    def once() -> T:
        values = _THIS_CHECK.get()
        if values is None:
            return compute()
        if compute not in values:
            values[compute] = compute()
        return values[compute]

    return once


@contextmanager
def one_check() -> Iterator[None]:
    """The span of one check: values asked for with :func:`per_check` are computed once inside it."""
    token = _THIS_CHECK.set({})
    try:
        yield
    finally:
        _THIS_CHECK.reset(token)


class WrongType(Exception):
    """Raised by a grader when the answer is of a kind the question cannot take."""


def _is_mask(values: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(values.dtype) or (
        values.dtype == object and len(values) > 0 and values.map(lambda v: isinstance(v, (bool, np.bool_))).all()
    )


# --------------------------------------------------------------------------- readers


def as_int(answer: Any, what: str) -> int:
    """Accept 6, 6.0 and numpy integers as ``what`` ("a number of states"); refuse the rest with a hint."""
    what = translate(what)
    if isinstance(answer, (bool, np.bool_)):
        raise WrongType(
            _("Expected {what}, got {answer}: count the True values with .sum() instead.").format(
                what=what, answer=answer
            )
        )
    if isinstance(answer, (pd.Timestamp, dt.date)):
        raise WrongType(
            _("Expected {what}, got a whole date ({date}): add .year to keep only its year.").format(
                what=what, date=f"{answer:%Y-%m-%d}"
            )
        )
    if isinstance(answer, pd.DataFrame):
        raise WrongType(
            _(
                "Expected {what}, got a whole table: pick one column and reduce it to a number, "
                "for example with len(...) or .sum()."
            ).format(what=what)
        )
    if isinstance(answer, pd.Series):
        if _is_mask(answer):
            raise WrongType(
                _(
                    "Expected {what}, got a True/False mask with one value per row: "
                    "add .sum() to count the rows that are True."
                ).format(what=what)
            )
        if len(answer) == 1:
            raise WrongType(_one_value(what))
        raise WrongType(
            _(
                "Expected {what}, got a Series with {count} values: "
                "reduce it to one number, for example with len(...) or .sum()."
            ).format(what=what, count=len(answer))
        )
    if isinstance(answer, str):
        raise WrongType(
            _("Expected {what}, got a piece of text (it is in quotes): write it as a number, without quotes.").format(
                what=what
            )
        )
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise WrongType(_got(what, answer)) from None
    if math.isnan(value) or value != int(value):
        raise WrongType(_("Expected {what} as a whole number, got {answer}.").format(what=what, answer=repr(answer)))
    return int(value)


def _got(what: str, answer: Any) -> str:
    return _("Expected {what}, got {kind}.").format(what=what, kind=kind_of(answer))


def _one_value(what: str) -> str:
    return _("Expected {what}, got a Series holding one value: take the value out with .iloc[0].").format(what=what)


def as_number(answer: Any, what: str) -> float:
    """Accept any real number (6, 0.97, a numpy float); refuse text, True/False, a one-row Series or NaN with a hint."""
    what = translate(what)
    if isinstance(answer, (bool, str)) or answer is None:
        raise WrongType(_got(what, answer))
    if isinstance(answer, pd.Series) and len(answer) == 1:
        raise WrongType(_one_value(what))
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise WrongType(_got(what, answer)) from None
    if value != value:
        raise WrongType(_("Expected {what}, got NaN: check for missing figures before you divide.").format(what=what))
    return value


def as_pair(answer: Any, pair: str, first: str, second: str) -> tuple[int, int]:
    """Accept two whole numbers in brackets, (a, b) or [a, b]; ``pair`` says what they are, for the hint."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise WrongType(_("Expected {pair}; got {kind}.").format(pair=translate(pair), kind=kind_of(answer)))
    return as_int(answer[0], first), as_int(answer[1], second)


def as_labels(answer: Any, what: str) -> set[str]:
    """Accept a list, set, tuple, Series or Index of labels (or one label); compare case-blind."""
    what = translate(what)
    if isinstance(answer, str):
        items: Iterable[Any] = [answer]
    elif isinstance(answer, pd.DataFrame):
        raise WrongType(
            _("Expected {what}, got a whole table: pick the column, for example table['iso3'].tolist().").format(
                what=what
            )
        )
    elif isinstance(answer, pd.Series) and _is_mask(answer):
        raise WrongType(
            _(
                "Expected {what}, got a True/False mask with one value per row: "
                "use it to pick rows, then take the column, table.loc[mask, 'column'].tolist()."
            ).format(what=what)
        )
    elif (
        isinstance(answer, pd.Series)
        and pd.api.types.is_numeric_dtype(answer.dtype)
        and not isinstance(answer.index, pd.RangeIndex)
    ):
        raise WrongType(
            _(
                "Expected {what}, got a Series of counts, whose labels are in its index: "
                "take them with .index.tolist(), or the top one with .idxmax()."
            ).format(what=what)
        )
    elif isinstance(answer, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)):
        items = list(answer)
    else:
        raise WrongType(_got(what, answer))
    return {str(x).strip().casefold() for x in items if not (isinstance(x, float) and math.isnan(x))}


def as_number_map(answer: Any, what: str, key: str) -> dict[str, float]:
    """Accept a dict or a Series mapping each ``key`` (such as a crisis id) to a number."""
    what = translate(what)
    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        answer = answer.iloc[:, 0]
    if isinstance(answer, pd.Series):
        if isinstance(answer.index, pd.RangeIndex) and len(answer):
            raise WrongType(
                _(
                    "Your Series is labelled by row numbers (0, 1, 2, ...), not by {key}: "
                    "label it with .set_index('{key}') before taking the column, or pass index=table['{key}'] "
                    "to pd.Series."
                ).format(key=key)
            )
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        raise WrongType(_("Expected {what}: a dict or a Series, got {kind}.").format(what=what, kind=kind_of(answer)))
    try:
        return {str(k).strip(): float(v) for k, v in answer.items()}
    except (TypeError, ValueError):
        text = next((v for v in answer.values() if isinstance(v, str)), None)
        if text is None:
            raise WrongType(_("Expected {what}; some values are not numbers.").format(what=what)) from None
        raise WrongType(
            _("Expected {what}; some values are not numbers (such as {value}).").format(what=what, value=repr(text))
        ) from None


def compare_labels(
    got: set[str], expected: set[str], noun: str, aliases: dict[str, str] | None = None
) -> tuple[bool, str]:
    """Compare two sets of labels and say how many are missing or extra, never which."""
    aliases = aliases or {}
    got = {aliases.get(g, g) for g in got}
    missing, extra = len(expected - got), len(got - expected)
    return not missing and not extra, tally_phrase(len(got), len(expected), missing, extra, noun)


def tally_phrase(have: int, expected: int, missing: int, extra: int, noun: str) -> str:
    """How a set of ``have`` labels compares with the ``expected`` ones, from the counts alone.

    The sealed checks know only these counts (they compare digests), so the sentence is written
    from them, and both graders say the same.
    """
    noun = translate(noun)  # in Russian, the genitive plural: «государств», as in «не хватает государств: 2»
    if not missing and not extra:
        if expected == 1:
            return _("That is the only one, and nothing else is there.")
        if expected == 2:
            return _("Both {noun} are there, and nothing else.").format(noun=noun)
        return _("All {expected} {noun} are there, and nothing else.").format(expected=expected, noun=noun)
    lacking = (
        _("{missing} of the {noun} is missing") if missing == 1 else _("{missing} of the {noun} are missing")
    ).format(missing=missing, noun=noun)
    foreign = (_("{extra} of yours does not belong") if extra == 1 else _("{extra} of yours do not belong")).format(
        extra=extra
    )
    if missing and extra:
        return _("You gave {have}: {missing_part}, and {extra_part}.").format(
            have=have, missing_part=lacking, extra_part=foreign
        )
    return _("You gave {have}: {part}.").format(have=have, part=lacking if missing else foreign)


@per_check
def state_aliases() -> dict[str, str]:
    """Let students answer with ISO codes, names, or names as the UN record prints them: spelling -> ISO3.

    A name is known as the data spell it (English) and as the reader's language does: a student of the
    Russian edition, whose tables name the states in Russian, may answer either way."""
    aliases: dict[str, str] = {}
    for language in dict.fromkeys(("en", current())):
        with speaking(language):
            votes, states = data.load("unga_votes"), data.load("states")
        for iso3, name in zip(votes["iso3"].astype(str), votes["state"].astype(str), strict=True):
            aliases[iso3.casefold()] = aliases[name.casefold()] = iso3.casefold()
        for row in states.itertuples():
            for spelling in (row.iso3, row.iso2, row.name):
                aliases[str(spelling).casefold()] = str(row.iso3).casefold()
    return aliases


def as_states(answer: Any, what: str = N_("a list of states (ISO3 codes or names)")) -> set[str]:
    """A list of states as lower-case ISO3 codes, whether written as codes, names, or names as the UN prints them."""
    aliases = state_aliases()
    if isinstance(answer, pd.Series) and len(answer) and not pd.api.types.is_numeric_dtype(answer.dtype):
        _states_in_index(answer, what, aliases)
    return {aliases.get(g, g) for g in as_labels(answer, what)}


def _states_in_index(answer: pd.Series, what: str, aliases: dict[str, str]) -> None:
    """Refuse a Series whose index holds the states and whose values are something else about them (each
    member's top partner, say): its values would be read as states, 'china' as China."""
    index = [aliases.get(str(k).strip().casefold()) for k in answer.index]
    values = [aliases.get(str(v).strip().casefold()) for v in answer]
    if None not in index and values != index:
        raise WrongType(
            _(
                "Expected {what}, got a Series whose values are not the states (such as {value}): "
                "keep the rows you want, then take the states from its index with .index.tolist()."
            ).format(what=translate(what), value=repr(str(answer.iloc[0])))
        )


def as_state_map(answer: Any, what: str) -> dict[str, float]:
    """A number per state (a dict or Series), keyed by ISO3 code whether the student used codes or names."""
    got = as_number_map(answer, what, "iso3")
    aliases = state_aliases()
    return {aliases.get(k.casefold(), k.casefold()).upper(): v for k, v in got.items()}


@dataclass(frozen=True, init=False)
class Read:
    """A reader of this module and the arguments it is given: ``Read(as_int, "a year")``.

    Calling it reads an answer, as ``as_int(answer, "a year")`` would. Unlike a lambda it can be
    written down by name, so a sealed check (:mod:`.sealed`) reads the answer with the same
    reader in a student's package, where the lesson's grader module is not.
    """

    reader: Callable[..., Any]
    args: tuple[Any, ...]

    def __init__(self, reader: Callable[..., Any], *args: Any) -> None:
        object.__setattr__(self, "reader", reader)
        object.__setattr__(self, "args", args)

    def __call__(self, answer: Any) -> Any:
        return self.reader(answer, *self.args)

    @property
    def name(self) -> str:
        return self.reader.__name__


# --------------------------------------------------------------------------- the lessons' own readers


def as_code(answer: Any, what: str = N_("the code from the requested_of column")) -> str:
    """A code from a column (such as requested_of), as text, case-blind."""
    if not isinstance(answer, str):
        if isinstance(answer, pd.Series) and len(answer) == 1:
            raise WrongType(_("You have a Series holding one value; take the text out with .iloc[0]."))
        raise WrongType(
            _("Answer with {what}, as text; got {kind}.").format(what=translate(what), kind=kind_of(answer))
        )
    return answer.strip().casefold()


def as_letter(answer: Any, letters: str = "abcd") -> str:
    """One of ``letters``: 'b', 'B', '(b)', 'b)' and 'b.' all mean option b."""
    if not isinstance(answer, str):
        raise WrongType(
            _("Answer with one letter as text, such as '{letter}'; got {kind}.").format(
                letter=letters[0], kind=kind_of(answer)
            )
        )
    letter = answer.strip().strip("().").strip().casefold()
    if len(letter) != 1 or letter not in letters:
        raise WrongType(
            _(
                "Answer with one of the letters {first} to {last}, as text (for example '{first}'); got {answer}."
            ).format(first=letters[0], last=letters[-1], answer=repr(answer))
        )
    return letter


def as_year_counts(answer: Any) -> dict[int, int]:
    """Accept a Series (year index), a dict, or a two-column table of year and count."""
    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] == 1:
            answer = answer.iloc[:, 0]
        elif "year" in answer.columns and answer.shape[1] == 2:
            answer = answer.set_index("year").iloc[:, 0]
        else:
            raise WrongType(
                _("Expected one count per year: a dict such as {example}, or a Series indexed by year.").format(
                    example="{1992: 6, 1993: 6}"
                )
            )
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        raise WrongType(
            _("Expected a dict of counts by year, such as {example}; got {kind}.").format(
                example="{1992: 6, 1993: 6}", kind=kind_of(answer)
            )
        )
    try:
        return {int(k): int(v) for k, v in answer.items()}
    except (TypeError, ValueError):
        raise WrongType(_("The keys should be years (like 1999) and the values whole numbers of states.")) from None


def as_departures(answer: Any) -> dict[str, int]:
    """A year per state (a dict or Series), keyed by lower-case ISO3 code whatever the student used."""
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        raise WrongType(
            _("Expected a dict mapping each state's ISO3 code to a year, {example}; got {kind}.").format(
                example="{code: year}", kind=kind_of(answer)
            )
        )
    aliases = state_aliases()
    return {
        aliases.get(str(k).strip().casefold(), str(k).strip().casefold()): as_int(v, N_("a year"))
        for k, v in answer.items()
    }


def as_one_state(answer: Any, what: str = N_("one member (an ISO3 code or a name)")) -> set[str] | None:
    """The answer as states, or None if it is a list, tuple or set of other than one item."""
    if isinstance(answer, (list, tuple, set)) and len(answer) != 1:
        return None
    return as_states(answer, what)


def as_voters(answer: Any) -> set[str]:
    """A list of states; also a True/False Series indexed by state, read as the states marked True."""
    if isinstance(answer, pd.Series) and pd.api.types.is_bool_dtype(answer.dtype) and answer.index.dtype == object:
        answer = answer[answer].index.tolist()
    return as_states(answer)


#: The verdicts a claim of the reading can get (the capstone).
VERDICTS = ("supported", "needs_qualifying", "contradicted", "cannot_be_verified")


def _verdict(value: Any) -> str:
    if not isinstance(value, str):
        raise WrongType(_("Each verdict must be text such as 'supported'; got {kind}.").format(kind=kind_of(value)))
    word = value.strip().casefold().replace(" ", "_").replace("-", "_")
    if word not in VERDICTS:
        raise WrongType(
            _("'{value}' is not a verdict: use one of {verdicts}.").format(
                value=value, verdicts=", ".join(v.replace("_", " ") for v in VERDICTS)
            )
        )
    return word


def as_verdicts(answer: Any) -> dict[str, str]:
    """A verdict per claim id; a claim still marked ... is left out."""
    if not isinstance(answer, dict):
        raise WrongType(
            _("Expected a dict mapping each claim id ('R07'...) to a verdict; got {kind}.").format(kind=kind_of(answer))
        )
    return {str(k).strip().upper(): _verdict(v) for k, v in answer.items() if v is not ...}


#: Every reader a spec may name with :class:`Read`, by name: what a sealed check may call.
READERS: dict[str, Callable[..., Any]] = {
    f.__name__: f
    for f in (
        as_int,
        as_number,
        as_pair,
        as_labels,
        as_number_map,
        as_states,
        as_state_map,
        as_code,
        as_letter,
        as_year_counts,
        as_departures,
        as_one_state,
        as_voters,
        as_verdicts,
    )
}
