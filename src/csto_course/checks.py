"""Self-checks for exercises: immediate, specific feedback that never gives the answer away.

Every exercise is registered with an id such as ``"origins-1"``. Its expected answer is
computed from the course data when the check runs (or, for the few answers the data
cannot give, stored as a salted hash), so nothing in a notebook reveals it. ``check``
never raises: a wrong type, ``None`` or an unattempted ``...`` each get a plain sentence.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["Feedback", "check", "exercise", "exercises", "NOT_ATTEMPTED"]

#: What a student-edition stub assigns: the answer has not been written yet.
NOT_ATTEMPTED = ...

_SALT = "csto-course:v1:"

_STYLE = {
    # status: (symbol, border colour, background); text stays #1a1a1a for contrast >= 12:1.
    "correct": ("✔", "#1b7837", "#e7f4ea"),
    "incorrect": ("✘", "#b2182b", "#fbeaea"),
    "not attempted": ("…", "#5a5a5a", "#f2f2f2"),
    "invalid": ("?", "#8c510a", "#fdf3e1"),
}


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer, shown as a coloured box with a symbol and a sentence."""

    exercise: str
    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def _label(self) -> str:
        return {
            "correct": "Correct",
            "incorrect": "Not yet",
            "not attempted": "Not attempted yet",
            "invalid": "Check your answer's type",
        }[self.status]

    def __repr__(self) -> str:
        symbol = _STYLE[self.status][0]
        return f"{symbol} {self.exercise}: {self._label()}. {self.message}"

    def _repr_html_(self) -> str:
        symbol, border, background = _STYLE[self.status]
        return (
            f'<div class="csto-feedback csto-{self.status.replace(" ", "-")}" role="status" '
            f'style="border-left:6px solid {border};background:{background};color:#1a1a1a;'
            f'padding:0.5em 0.8em;margin:0.3em 0;font-family:inherit">'
            f'<strong><span aria-hidden="true">{symbol}</span> {html.escape(self.exercise)}: '
            f"{self._label()}.</strong> {html.escape(self.message)}</div>"
        )


Grader = Callable[[Any], Feedback]


@dataclass(frozen=True)
class Exercise:
    id: str
    question: str
    grade: Callable[[Any], tuple[bool, str]]


_REGISTRY: dict[str, Exercise] = {}


def exercise(exercise_id: str, question: str) -> Callable[[Callable[[Any], tuple[bool, str]]], Callable[[Any], tuple[bool, str]]]:
    """Register a grader: a function of the student's answer returning (correct, feedback)."""

    def register(grade: Callable[[Any], tuple[bool, str]]) -> Callable[[Any], tuple[bool, str]]:
        if exercise_id in _REGISTRY:
            raise ValueError(f"Exercise id {exercise_id!r} is registered twice.")
        _REGISTRY[exercise_id] = Exercise(exercise_id, question, grade)
        return grade

    return register


def exercises() -> dict[str, str]:
    """Every registered exercise id with its question, for instructors and tests."""
    from . import exercises as _  # noqa: F401  (registers the lessons' exercises)

    return {k: v.question for k, v in sorted(_REGISTRY.items())}


class WrongType(Exception):
    """Raised by a grader when the answer is of a kind the question cannot take."""


def check(exercise_id: str, answer: Any = NOT_ATTEMPTED) -> Feedback:
    """Tell the student whether ``answer`` to exercise ``exercise_id`` is right, and why not."""
    from . import exercises as _  # noqa: F401

    if not isinstance(exercise_id, str) or exercise_id not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY))
        return Feedback(str(exercise_id), "invalid", f"There is no exercise with this id. The ids are: {known}.")
    if answer is NOT_ATTEMPTED:
        return Feedback(exercise_id, "not attempted", "Replace the ... with your answer, run that cell, then run this one.")
    if answer is None:
        return Feedback(
            exercise_id,
            "invalid",
            "Your answer is None. Did the cell assign it? Functions such as print() or a "
            "method ending in _inplace return None rather than a value.",
        )
    try:
        ok, message = _REGISTRY[exercise_id].grade(answer)
    except WrongType as err:
        return Feedback(exercise_id, "invalid", str(err))
    except Exception as err:  # a grader must never show a student a traceback
        return Feedback(
            exercise_id,
            "invalid",
            f"This answer could not be checked ({type(err).__name__}: {err}). Is it the kind of value the question asks for?",
        )
    return Feedback(exercise_id, "correct" if ok else "incorrect", message)


# ---------------------------------------------------------------------------
# Building blocks the graders share.


def as_int(answer: Any, what: str) -> int:
    """Accept 6, 6.0, numpy integers and one-element results; refuse text with a reason."""
    if isinstance(answer, bool):
        raise WrongType(f"Expected a number of {what}, got True/False.")
    if isinstance(answer, (pd.Series, pd.DataFrame)):
        if answer.size == 1:
            answer = answer.to_numpy().ravel()[0]
        else:
            raise WrongType(
                f"Expected one number of {what}, got a {type(answer).__name__} with {answer.size} values. "
                "Try len(...) or .sum() to reduce it to one number."
            )
    if isinstance(answer, str):
        raise WrongType(f"Expected a number of {what}, got the text {answer!r}. Write it without quotes.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise WrongType(f"Expected a number of {what}, got a {type(answer).__name__}.") from None
    if math.isnan(value) or value != int(value):
        raise WrongType(f"Expected a whole number of {what}, got {answer!r}.")
    return int(value)


def as_labels(answer: Any, what: str) -> set[str]:
    """Accept a list, set, tuple, Series or Index of labels (or one label); compare case-blind."""
    if isinstance(answer, str):
        items: Iterable[Any] = [answer]
    elif isinstance(answer, pd.DataFrame):
        raise WrongType(
            f"Expected a list of {what}, got a whole table. Pick the column, e.g. table['iso3'].tolist()."
        )
    elif isinstance(answer, (list, tuple, set, frozenset, pd.Series, pd.Index)):
        items = list(answer)
    else:
        raise WrongType(f"Expected a list of {what}, got a {type(answer).__name__}.")
    return {str(x).strip().casefold() for x in items if not (isinstance(x, float) and math.isnan(x))}


def hashed(answer: str) -> str:
    """The salted hash that stores an answer the data cannot compute."""
    return hashlib.sha256((_SALT + str(answer).strip().casefold()).encode("utf-8")).hexdigest()


def compare_labels(
    got: set[str], expected: set[str], noun: str, aliases: dict[str, str] | None = None
) -> tuple[bool, str]:
    """Compare two sets of labels and say how many are missing or extra, never which."""
    aliases = aliases or {}
    got = {aliases.get(g, g) for g in got}
    missing, extra = expected - got, got - expected
    if not missing and not extra:
        return True, f"All {len(expected)} {noun} are there, and nothing else."
    parts = []
    if missing:
        parts.append(f"{len(missing)} {noun} missing")
    if extra:
        parts.append(f"{len(extra)} that should not be there")
    return False, f"You have {len(got)}; " + " and ".join(parts) + "."


def exercise_table() -> "pd.DataFrame":
    """Every exercise with its lesson and question, in the order the lessons use them."""
    import json
    from pathlib import Path

    order: list[tuple[str, str]] = []
    for path in sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for line in "".join(cell["source"]).splitlines():
                if line.startswith('check("'):
                    exercise_id = line.split('"')[1]
                    if exercise_id not in {e for e, _ in order}:
                        order.append((exercise_id, path.stem))
    questions = exercises()
    return pd.DataFrame(
        [{"exercise": e, "lesson": lesson, "question": questions.get(e, "")} for e, lesson in order]
    )
