"""What every grader shares: the registry of exercises, readers that turn an answer into the
value a question asks for (or explain in one sentence why they cannot), and :class:`Spec`, the
short specification from which each exercise's grader is made.

A grader is a function of the student's answer returning ``(correct, feedback)``. It is
registered under the id its lesson's check cell uses (Exercise 2.3 is ``inaction-3``), with a
function computing its expected answer from the data (the answer key), and lives in its
lesson's module under :mod:`csto_course.exercises`. A lesson writes each exercise as a
:class:`Spec` (how to read the answer, the expected value, how to compare, the anticipated
mistakes with their hints) and :meth:`Spec.register` turns it into that grader, so every exercise is
graded by the same few lines (:func:`grade`). The readers here raise
:class:`WrongType` with a hint aimed at the slip a beginner most likely made: a date where a
year belongs, a True/False mask where a count belongs, a one-row Series where a number belongs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypedDict, TypeVar

import numpy as np
import pandas as pd

from .. import data

__all__ = [
    "Exercise",
    "Expected",
    "GradeResult",
    "Hint",
    "Mistake",
    "Reading",
    "STATES",
    "Spec",
    "WrongType",
    "close",
    "exercise",
    "equal",
    "grade",
    "other_keys",
    "per_check",
    "registry",
    "same_labels",
    "tally",
    "within",
    "kind_of",
    "as_int",
    "as_number",
    "as_labels",
    "as_pair",
    "as_number_map",
    "compare_labels",
    "hashed",
    "state_aliases",
    "as_states",
    "as_state_map",
    "close_maps",
]

GradeResult = tuple[bool, str]
Grade = Callable[[Any], GradeResult]

_SALT = "csto-course:v1:"


Expected = Callable[[], Any]


@dataclass(frozen=True)
class Exercise:
    """A registered exercise: its id, its question, its grader, and the function that computes
    its expected answer from the data, in the form the question asks for (the answer key)."""

    id: str
    question: str
    grade: Grade
    expected: Expected
    spec: Spec | None = None  # the specification it was made from, which the tests read its mistakes from


_REGISTRY: dict[str, Exercise] = {}


def exercise(exercise_id: str, question: str, *, expected: Expected) -> Callable[[Grade], Grade]:
    """Register a grader under the id its lesson's check cell uses, with its expected answer.

    ``expected`` takes no argument and returns the answer a student should give, computed from
    the data; the grader calls it rather than computing the answer a second time.
    """
    if not callable(expected):
        raise TypeError(f"Exercise {exercise_id!r}: expected must be a function returning the expected answer.")

    def register(grade: Grade) -> Grade:
        if exercise_id in _REGISTRY:
            raise ValueError(f"Exercise id {exercise_id!r} is registered twice.")
        _REGISTRY[exercise_id] = Exercise(exercise_id, question, grade, expected)
        return grade

    return register


def registry() -> dict[str, Exercise]:
    """Every registered exercise by id (importing :mod:`csto_course.exercises` registers them all)."""
    return dict(_REGISTRY)


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


class WrongType(Exception):
    """Raised by a grader when the answer is of a kind the question cannot take."""


# --------------------------------------------------------------------------- naming values

_KINDS = {
    bool: "True or False",
    int: "whole number",
    float: "decimal number",
    str: "piece of text",
    list: "list",
    tuple: "tuple",
    set: "set",
    dict: "dict",
    pd.DataFrame: "whole table (a DataFrame)",
    pd.Series: "Series",
    pd.Index: "pandas Index",
    pd.Timestamp: "date (a Timestamp)",
    dt.date: "date",
    type(None): "None",
}


def kind_of(value: Any) -> str:
    """A beginner's name for the kind of ``value``, with "a" or "an": "a whole number", "an int"..."""
    # The first matching entry of _KINDS (a bool is an int to isinstance, but not to a beginner).
    matches = (
        kind for cls, kind in _KINDS.items() if isinstance(value, cls) and not (cls is int and isinstance(value, bool))
    )
    name = next(matches, None)
    if name is None:
        if isinstance(value, np.bool_):
            name = "True or False"
        elif isinstance(value, np.integer):
            name = "whole number"
        elif isinstance(value, np.floating):
            name = "decimal number"
        else:
            name = type(value).__name__
    if name in {"True or False", "None"}:
        return name
    return ("an " if name[0].lower() in "aeiou" else "a ") + name


def _is_mask(values: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(values.dtype) or (
        values.dtype == object and len(values) > 0 and values.map(lambda v: isinstance(v, (bool, np.bool_))).all()
    )


# --------------------------------------------------------------------------- readers


def as_int(answer: Any, what: str) -> int:
    """Accept 6, 6.0 and numpy integers as ``what`` ("a number of states"); refuse the rest with a hint."""
    if isinstance(answer, (bool, np.bool_)):
        raise WrongType(f"Expected {what}, got {answer}. Count the True values with .sum() instead.")
    if isinstance(answer, (pd.Timestamp, dt.date)):
        raise WrongType(f"Expected {what}, got a whole date ({answer:%Y-%m-%d}). Add .year to keep only its year.")
    if isinstance(answer, pd.DataFrame):
        raise WrongType(
            f"Expected {what}, got a whole table. Pick one column and reduce it to a number, "
            "for example with len(...) or .sum()."
        )
    if isinstance(answer, pd.Series):
        if _is_mask(answer):
            raise WrongType(
                f"Expected {what}, got a True/False mask with one value per row. "
                "Add .sum() to count the rows that are True."
            )
        if len(answer) == 1:
            raise WrongType(f"Expected {what}, got a Series holding one value. Take the value out with .iloc[0].")
        raise WrongType(
            f"Expected {what}, got a Series with {len(answer)} values. "
            "Reduce it to one number, for example with len(...) or .sum()."
        )
    if isinstance(answer, str):
        raise WrongType(
            f"Expected {what}, got a piece of text (it is in quotes). Write it as a number, without quotes."
        )
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise WrongType(f"Expected {what}, got {kind_of(answer)}.") from None
    if math.isnan(value) or value != int(value):
        raise WrongType(f"Expected {what} as a whole number, got {answer!r}.")
    return int(value)


def as_number(answer: Any, what: str) -> float:
    """Accept any real number (6, 0.97, a numpy float); refuse text, True/False, a one-row Series or NaN with a hint."""
    if isinstance(answer, (bool, str)) or answer is None:
        raise WrongType(f"Expected {what}, got {kind_of(answer)}.")
    if isinstance(answer, pd.Series) and len(answer) == 1:
        raise WrongType(f"Expected {what}, got a Series holding one value. Take the value out with .iloc[0].")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise WrongType(f"Expected {what}, got {kind_of(answer)}.") from None
    if value != value:
        raise WrongType(f"Expected {what}, got NaN: check for missing figures before you divide.")
    return value


def as_pair(answer: Any, pair: str, first: str, second: str) -> tuple[int, int]:
    """Accept two whole numbers in brackets, (a, b) or [a, b]; ``pair`` says what they are, for the hint."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise WrongType(f"Expected {pair}; got {kind_of(answer)}.")
    return as_int(answer[0], first), as_int(answer[1], second)


def as_labels(answer: Any, what: str) -> set[str]:
    """Accept a list, set, tuple, Series or Index of labels (or one label); compare case-blind."""
    if isinstance(answer, str):
        items: Iterable[Any] = [answer]
    elif isinstance(answer, pd.DataFrame):
        raise WrongType(f"Expected {what}, got a whole table. Pick the column, e.g. table['iso3'].tolist().")
    elif isinstance(answer, pd.Series) and _is_mask(answer):
        raise WrongType(
            f"Expected {what}, got a True/False mask with one value per row. "
            "Use it to pick rows, then take the column: table.loc[mask, 'column'].tolist()."
        )
    elif (
        isinstance(answer, pd.Series)
        and pd.api.types.is_numeric_dtype(answer.dtype)
        and not isinstance(answer.index, pd.RangeIndex)
    ):
        raise WrongType(
            f"Expected {what}, got a Series of counts: the labels are in its index. "
            "Take them with .index.tolist(), or the top one with .idxmax()."
        )
    elif isinstance(answer, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)):
        items = list(answer)
    else:
        raise WrongType(f"Expected {what}, got {kind_of(answer)}.")
    return {str(x).strip().casefold() for x in items if not (isinstance(x, float) and math.isnan(x))}


def as_number_map(answer: Any, what: str, key: str) -> dict[str, float]:
    """Accept a dict or a Series mapping each ``key`` (such as a crisis id) to a number."""
    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        answer = answer.iloc[:, 0]
    if isinstance(answer, pd.Series):
        if isinstance(answer.index, pd.RangeIndex) and len(answer):
            raise WrongType(
                f"Your Series is labelled by row numbers (0, 1, 2, ...), not by {key}. "
                f"Label it with .set_index('{key}') before taking the column, or pass index=table['{key}'] "
                "to pd.Series."
            )
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        raise WrongType(f"Expected {what}: a dict or a Series, got {kind_of(answer)}.")
    try:
        return {str(k).strip(): float(v) for k, v in answer.items()}
    except (TypeError, ValueError):
        raise WrongType(f"Expected {what}; some values are not numbers.") from None


def compare_labels(got: set[str], expected: set[str], noun: str, aliases: dict[str, str] | None = None) -> GradeResult:
    """Compare two sets of labels and say how many are missing or extra, never which."""
    aliases = aliases or {}
    got = {aliases.get(g, g) for g in got}
    missing, extra = expected - got, got - expected
    if not missing and not extra:
        if len(expected) == 1:
            return True, f"That is the only one of the {noun}, and nothing else is there."
        return True, f"All {len(expected)} {noun} are there, and nothing else."
    parts = []
    if missing:
        parts.append(f"{len(missing)} of the {noun} missing")
    if extra:
        parts.append(f"{len(extra)} that should not be there")
    return False, f"You have {len(got)}; " + " and ".join(parts) + "."


def hashed(answer: str) -> str:
    """The salted hash that stores an answer the data cannot compute (a reading of two texts)."""
    return hashlib.sha256((_SALT + str(answer).strip().casefold()).encode("utf-8")).hexdigest()


@per_check
def state_aliases() -> dict[str, str]:
    """Let students answer with ISO codes, names, or names as the UN record prints them: spelling -> ISO3."""
    aliases: dict[str, str] = {}
    votes = data.load("unga_votes")
    for iso3, name in zip(votes["iso3"].astype(str), votes["state"].astype(str), strict=True):
        aliases[iso3.casefold()] = aliases[name.casefold()] = iso3.casefold()
    for row in data.load("states").itertuples():
        for spelling in (row.iso3, row.iso2, row.name):
            aliases[str(spelling).casefold()] = str(row.iso3).casefold()
    return aliases


def as_states(answer: Any, what: str = "a list of states (ISO3 codes or names)") -> set[str]:
    """A list of states as lower-case ISO3 codes, whether written as codes, names, or names as the UN prints them."""
    aliases = state_aliases()
    return {aliases.get(g, g) for g in as_labels(answer, what)}


def as_state_map(answer: Any, what: str) -> dict[str, float]:
    """A number per state (a dict or Series), keyed by ISO3 code whether the student used codes or names."""
    got = as_number_map(answer, what, "iso3")
    aliases = state_aliases()
    return {aliases.get(k.casefold(), k.casefold()).upper(): v for k, v in got.items()}


def close_maps(got: dict[str, float], expected: dict[str, float], tolerance: float = 0.005) -> bool:
    """The same keys, and every value within ``tolerance`` of the expected one."""
    return set(got) == set(expected) and all(abs(got[k] - expected[k]) <= tolerance for k in expected)


# --------------------------------------------------------------------------- comparisons


def equal(got: Any, value: Any) -> bool:
    """The default comparison: the same value (a whole number, a set, a dict)."""
    return bool(got == value)


def within(tolerance: float) -> Callable[[Any, Any], bool]:
    """Compare numbers, accepting a difference up to ``tolerance`` (for rounding)."""
    return lambda got, value: abs(got - float(value)) <= tolerance


def close(tolerance: float = 0.005) -> Callable[[Any, Any], bool]:
    """Compare a number per key (a dict or a Series): the same keys, each value within ``tolerance``."""
    return lambda got, value: close_maps(got, {str(k): float(v) for k, v in dict(value).items()}, tolerance)


def same_labels(got: set[str], value: Iterable[Any]) -> bool:
    """Compare a set of labels read case-blind (:func:`as_labels`, :func:`as_states`) with a list of labels."""
    return got == {str(v).casefold() for v in value}


def tally(noun: str) -> Callable[[set[str], Iterable[Any]], str]:
    """A preface saying how many ``noun`` are missing or extra (:func:`compare_labels`), never which."""
    return lambda got, expected: compare_labels(got, {str(e).casefold() for e in expected}, noun)[1]


# --------------------------------------------------------------------------- exercises as data

#: A message: fixed text, or a function of the answer as read when it must quote the answer or the data.
Hint = str | Callable[[Any], str]


@dataclass(frozen=True)
class Mistake:
    """An anticipated wrong answer and the hint it gets.

    ``value`` computes from the data the answer this mistake gives, compared with the answer as
    the right answer is (the spec's ``matches``): most mistakes are another measure, or the same
    one on other rows. ``when`` tests the answer as read instead, for the few mistakes no single
    value describes (a key too many, a sign flipped on every value). Give exactly one.
    """

    hint: Hint
    value: Callable[[], Any] | None = None
    when: Callable[[Any], bool] | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.when is None):
            raise TypeError("A Mistake needs exactly one of value= (the answer it gives) or when= (a test).")


@dataclass(frozen=True)
class Spec:
    """One exercise as data, from which :meth:`register` makes its grader.

    ``read`` turns the answer into the value compared (raising :class:`WrongType` with a hint if it
    cannot), ``expected`` computes the right answer from the data (it is also the answer key),
    ``matches`` compares the two (:func:`equal` unless told), and ``right`` is the message for a
    right answer. A wrong one gets the hint of the first of ``before`` (a wrong shape, checked
    before comparing, where it could otherwise pass), then of ``mistakes``, that it makes, or
    ``otherwise``. ``preface``, if given, says how the answer compares (how many states are
    missing) and goes before every message but those of ``before``. ``worked``, if given, makes
    the worked result a check shows under a right answer (a table or chart with the counts behind
    it): shown only then, so it never gives the answer away before the student has found it.
    """

    id: str
    question: str
    read: Callable[[Any], Any]
    expected: Expected
    right: Hint
    otherwise: Hint
    mistakes: Sequence[Mistake] = ()
    matches: Callable[[Any, Any], bool] = equal
    before: Sequence[Mistake] = ()
    preface: Callable[[Any, Any], str] | None = None
    worked: Callable[[], Any] | None = None

    def register(self) -> Spec:
        """Register the grader this spec describes under its id, with its expected answer."""
        exercise(self.id, self.question, expected=self.expected)(lambda answer: grade(self, answer))
        _REGISTRY[self.id] = dataclasses.replace(_REGISTRY[self.id], spec=self)
        return self


class Reading(TypedDict):
    """How a kind of answer is read and compared, for several specs at once (``Spec(..., **STATES)``)."""

    read: Callable[[Any], Any]
    matches: Callable[[Any, Any], bool]
    preface: Callable[[Any, Any], str] | None


#: A list of states (codes or names), compared with the expected ISO3 codes as a set, each message
#: prefaced by how many are missing or extra.
STATES = Reading(read=as_states, matches=same_labels, preface=tally("states"))


def other_keys(expected: Expected, hint: str) -> Mistake:
    """The mistake of giving a value per key for other keys than ``expected``'s: ``hint`` says how many, as {n}."""
    return Mistake(lambda _: hint.format(n=len(expected())), when=lambda got: set(got) != set(expected()))


def _say(hint: Hint, got: Any) -> str:
    return hint if isinstance(hint, str) else hint(got)


def _makes(mistake: Mistake, got: Any, matches: Callable[[Any, Any], bool]) -> bool:
    if mistake.when is not None:
        return mistake.when(got)
    assert mistake.value is not None  # __post_init__ makes sure of it
    return matches(got, mistake.value())


def grade(spec: Spec, answer: Any) -> GradeResult:
    """Grade ``answer`` as ``spec`` says: the one grading routine every exercise shares."""
    token = _THIS_CHECK.set({})
    try:
        return _grade(spec, answer)
    finally:
        _THIS_CHECK.reset(token)


def _grade(spec: Spec, answer: Any) -> GradeResult:
    got = spec.read(answer)
    shape = next((m.hint for m in spec.before if _makes(m, got, spec.matches)), None)
    if shape is not None:
        return False, _say(shape, got)
    expected = spec.expected()
    preface = spec.preface(got, expected) if spec.preface else ""

    def said(hint: Hint) -> str:
        return " ".join(part for part in (preface, _say(hint, got)) if part)

    if spec.matches(got, expected):
        return True, said(spec.right)
    return False, said(next((m.hint for m in spec.mistakes if _makes(m, got, spec.matches)), spec.otherwise))
