"""Self-checks for exercises: immediate, specific feedback that never gives the answer away.

Every exercise is registered with the id its label gives (Exercise 2.3 is ``"inaction-3"``)
by its lesson's module in :mod:`csto_course.graders`. Its expected answer is computed from
the course data when the check runs (or, for the few answers the data cannot give, stored
as a salted hash), so nothing in a notebook reveals it. ``check`` never raises: a wrong
type, ``None``, an unknown id or an unattempted ``...`` each get a plain sentence.

The one exception is grading with nbgrader (:mod:`csto_course.gradebook` marks each check cell
as an autograded test): while ``nbgrader autograde`` or ``nbgrader validate`` runs a lesson (they
set the environment variable ``NBGRADER_EXECUTION``), an answer that is not correct raises
``AssertionError`` with the feedback as its message, so the check cell fails and scores zero.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import graders  # noqa: F401  (registers every lesson's exercises)
from .grading import WrongType, registry

__all__ = [
    "Feedback",
    "check",
    "exercises",
    "exercise_table",
    "answer_key",
    "open_questions",
    "open_questions_markdown",
    "NOT_ATTEMPTED",
]

#: What a student-edition stub assigns: the answer has not been written yet.
NOT_ATTEMPTED = ...

_STYLE = {
    # status: (symbol, border colour, background); text stays #1a1a1a for contrast >= 12:1.
    "correct": ("✔", "#1b7837", "#e7f4ea"),
    "incorrect": ("✘", "#b2182b", "#fbeaea"),
    "not attempted": ("…", "#5a5a5a", "#f2f2f2"),
    "invalid": ("?", "#8c510a", "#fdf3e1"),
    "unknown": ("?", "#8c510a", "#fdf3e1"),
}

#: `code` in a message: shown as <code> in the HTML box, as plain text in the text version.
_CODE = re.compile(r"`([^`]+)`")


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
            "unknown": "Unknown exercise",
        }[self.status]

    def __repr__(self) -> str:
        symbol = _STYLE[self.status][0]
        plain = _CODE.sub(r"\1", self.message)
        return f"{symbol} {self.exercise}: {self._label()}. {plain}"

    def _repr_html_(self) -> str:
        symbol, border, background = _STYLE[self.status]
        message = _CODE.sub(r"<code>\1</code>", html.escape(self.message))
        return (
            f'<div class="csto-feedback csto-{self.status.replace(" ", "-")}" role="status" '
            f'style="border-left:6px solid {border};background:{background};color:#1a1a1a;'
            f'padding:0.5em 0.8em;margin:0.3em 0;font-family:inherit">'
            f'<strong><span aria-hidden="true">{symbol}</span> {html.escape(self.exercise)}: '
            f"{self._label()}.</strong> {message}</div>"
        )


def exercises() -> dict[str, str]:
    """Every registered exercise id with its question, for instructors and tests."""
    return {k: v.question for k, v in sorted(registry().items())}


#: Set by nbgrader while it runs a notebook to grade it ("autograde") or to validate it ("validate").
NBGRADER_EXECUTION = "NBGRADER_EXECUTION"


def _graded_by_nbgrader() -> bool:
    return bool(os.environ.get(NBGRADER_EXECUTION))


def check(exercise_id: str, answer: Any = NOT_ATTEMPTED) -> Feedback | None:
    """Tell the student whether ``answer`` to exercise ``exercise_id`` is right, and why not.

    Never raises, except under nbgrader's autograde or validate (``NBGRADER_EXECUTION`` set): there
    an answer that is not correct raises ``AssertionError`` with the feedback, failing the test cell,
    and a correct one is displayed rather than returned. (nbgrader reads a test cell's returned
    value as a partial score, and warns that it cannot read "✔ ... Correct." as a number.)
    """
    feedback = _verdict(exercise_id, answer)
    if not _graded_by_nbgrader():
        return feedback
    if not feedback.correct:
        __tracebackhide__ = True  # IPython shows the student the message, not this function's frame
        raise AssertionError(repr(feedback))
    from IPython.display import display  # ipykernel, which runs the lessons, brings IPython

    display(feedback)
    return None


def _verdict(exercise_id: str, answer: Any) -> Feedback:
    """The feedback on one answer; never raises."""
    known = registry()
    if not isinstance(exercise_id, str) or exercise_id.strip() not in known:
        return Feedback(
            str(exercise_id),
            "unknown",
            f"There is no exercise with the id {exercise_id!r}: copy the id from the check cell under the "
            f"exercise. The ids are: {', '.join(sorted(known))}.",
        )
    exercise_id = exercise_id.strip()
    if answer is NOT_ATTEMPTED:
        return Feedback(
            exercise_id, "not attempted", "Replace the ... with your answer, run that cell, then run this one."
        )
    if answer is None:
        return Feedback(
            exercise_id,
            "invalid",
            "Your answer is None. Did the cell assign it? Functions such as print() or a "
            "method ending in _inplace return None rather than a value.",
        )
    try:
        ok, message = known[exercise_id].grade(answer)
    except WrongType as err:
        return Feedback(exercise_id, "invalid", str(err))
    except Exception as err:  # a grader must never show a student a traceback
        return Feedback(
            exercise_id,
            "invalid",
            f"This answer could not be checked ({type(err).__name__}: {err}). Is it the kind of value the "
            "question asks for?",
        )
    return Feedback(exercise_id, "correct" if ok else "incorrect", message)


#: The lessons, from the repository's root (the notebooks are read by the instructor guide's tables).
_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def _notebook_cells(notebooks: Path | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each cell of each lesson, in course order, with the lesson's notebook stem."""
    for path in sorted((notebooks or _NOTEBOOKS).glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            yield path.stem, cell


def exercise_table() -> pd.DataFrame:
    """Every exercise with its lesson and question, in the order the lessons use them."""
    order: list[tuple[str, str]] = []
    for lesson, cell in _notebook_cells():
        if cell["cell_type"] != "code":
            continue
        for line in "".join(cell["source"]).splitlines():
            if line.startswith('check("'):
                exercise_id = line.split('"')[1]
                if exercise_id not in {e for e, _ in order}:
                    order.append((exercise_id, lesson))
    questions = exercises()
    return pd.DataFrame([{"exercise": e, "lesson": lesson, "question": questions.get(e, "")} for e, lesson in order])


def _readable(value: Any) -> str:
    """An expected answer as a line of text: lists joined with ', ', dicts as 'k: v' pairs, floats to 3 decimals."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.3f}"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, dict):
        return ", ".join(f"{_readable(k)}: {_readable(v)}" for k, v in value.items())
    if isinstance(value, tuple):
        return "(" + ", ".join(_readable(v) for v in value) + ")"
    if isinstance(value, (list, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return ", ".join(_readable(v) for v in items) if items else "(none)"
    return str(value)


def answer_key() -> pd.DataFrame:
    """The answer key: every exercise, in lesson order, with the expected answer computed from the data.

    The expected answers are those the graders compare with, from each exercise's ``expected``
    function; lists are joined with ', ', dicts shown as 'k: v' pairs and floats to 3 decimals.
    """
    table = exercise_table()
    known = registry()
    table["expected answer"] = [
        _readable(known[e].expected()) if e in known else "" for e in table["exercise"].astype(str)
    ]
    return table


_SOLUTION = re.compile(r"<!--\s*BEGIN SOLUTION\s*-->(.*?)<!--\s*END SOLUTION\s*-->", re.S)
_EXERCISE_HEADING = re.compile(r"^#{1,6}\s+(Exercise\s+\d+\.\d+.*?)\s*$", re.M)
_SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.S)
_DETAILS = re.compile(r"</?details[^>]*>")


def _model_answer(block: str) -> str:
    """A model answer as plain Markdown: the folding <details> removed, its <summary> kept as a label."""
    block = _SUMMARY.sub(lambda m: f"*{m.group(1).strip()}*", block)
    return _DETAILS.sub("", block).strip()


def open_questions(notebooks: Path | None = None) -> list[dict[str, str]]:
    """The model answer (and rubric) of each open question, read from the lessons' Markdown cells.

    Each is the text between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->``, under the
    exercise heading above it (in the same cell or an earlier one of the same lesson).
    """
    found: list[dict[str, str]] = []
    heading: dict[str, str] = {}
    for lesson, cell in _notebook_cells(notebooks):
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        position = 0
        for match in _SOLUTION.finditer(source):
            headings = _EXERCISE_HEADING.findall(source, position, match.start())
            if headings:
                heading[lesson] = headings[-1]
            found.append(
                {"exercise": heading.get(lesson, ""), "lesson": lesson, "model_answer": _model_answer(match.group(1))}
            )
            position = match.end()
        later = _EXERCISE_HEADING.findall(source, position)
        if later:
            heading[lesson] = later[-1]
    return found


def open_questions_markdown(notebooks: Path | None = None) -> str:
    """The open questions' model answers and rubrics as Markdown, for the instructor guide."""
    return "\n\n".join(f"**{q['exercise']}** ({q['lesson']})\n\n{q['model_answer']}" for q in open_questions(notebooks))
