"""Self-checks for exercises: immediate, specific feedback that never gives the answer away.

Every exercise is registered with the id its label gives (Exercise 2.3 is ``"inaction-3"``)
by its lesson's module in :mod:`csto_course.exercises`. Where those full graders are installed
(a clone of the course, an instructor's copy, nbgrader's autograde), the expected answer is
computed from the course data when the check runs. The student package holds no grader and no
answer: there ``check`` grades from the sealed checks written when the edition was built
(:mod:`.sealed`), which give the same verdicts and messages. Either way nothing in a notebook
reveals the answer. ``check`` never raises: a wrong type, ``None``, an unknown id or an
unattempted ``...`` each get a plain sentence.

The one exception is grading with nbgrader (:mod:`csto_course.authoring.nbgrader` marks each check cell
as an autograded test): while ``nbgrader autograde`` or ``nbgrader validate`` runs a lesson (they
set the environment variable ``NBGRADER_EXECUTION``), an answer that is not correct raises
``AssertionError`` with the feedback as its message, so the check cell fails and scores zero.
"""

from __future__ import annotations

import difflib
import html
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import course_function
from ..language import _
from .readers import WrongType

__all__ = [
    "Feedback",
    "check",
    "exercises",
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
    """The verdict on one answer, shown as a coloured box with a symbol and a sentence.

    ``worked`` is the exercise's worked result (a table or a chart), present only when the answer
    is right: shown under the box, so a student sees the counts behind their answer once they
    have found it, and never before.
    """

    exercise: str
    status: str
    message: str
    worked: Any = field(default=None, repr=False, compare=False)

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def _label(self) -> str:
        return {
            "correct": _("Correct"),
            "incorrect": _("Not yet"),
            "not attempted": _("Not attempted yet"),
            "invalid": _("Check your answer's type"),
            "unknown": _("Unknown exercise"),
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

    def _ipython_display_(self) -> None:
        """The box, then (after a right answer) the worked result, as two outputs of the check cell."""
        from IPython.display import display  # ipykernel, which runs the lessons, brings IPython

        display({"text/plain": repr(self), "text/html": self._repr_html_()}, raw=True)
        if self.correct and self.worked is not None:
            display(self.worked)


class Gradable(Protocol):
    """What check() needs of an exercise: its question and a grader (a full one, or a sealed one)."""

    @property
    def question(self) -> str: ...

    @property
    def grade(self) -> Callable[[Any], tuple[bool, str]]: ...


def graders() -> Mapping[str, Gradable]:
    """The exercises check() grades with: the full graders where they are installed, else the sealed checks.

    The full graders (:mod:`.specs` and the lessons' modules) are in a clone of the course, and
    wherever an instructor installs it; the student package lacks them and carries ``sealed.json``.
    """
    try:
        from .specs import registry
    except ImportError:  # the student package
        from .sealed import sealed_exercises

        return sealed_exercises()
    return registry()


@course_function
def exercises() -> dict[str, str]:
    """Every registered exercise id with its question, for instructors and tests."""
    return {k: v.question for k, v in sorted(graders().items())}


#: Set by nbgrader while it runs a notebook to grade it ("autograde") or to validate it ("validate").
NBGRADER_EXECUTION = "NBGRADER_EXECUTION"


def _graded_by_nbgrader() -> bool:
    return bool(os.environ.get(NBGRADER_EXECUTION))


@course_function
def check(exercise_id: str, answer: Any = NOT_ATTEMPTED) -> Feedback | None:
    """Tell the student whether ``answer`` to exercise ``exercise_id`` is right, and why not.

    Never raises for an answer, whatever it is, except under nbgrader's autograde or validate
    (``NBGRADER_EXECUTION`` set): there an answer that is not correct raises ``AssertionError`` with
    the feedback, failing the test cell, and a correct one is displayed rather than returned.
    (nbgrader reads a test cell's returned value as a partial score, and warns that it cannot read
    "✔ ... Correct." as a number.) A call that does not fit, such as ``check()`` with nothing in its
    brackets, is not an answer: it gets one sentence as an error, as in every function a lesson calls.
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
    known = graders()
    if not isinstance(exercise_id, str) or exercise_id.strip() not in known:
        close = difflib.get_close_matches(exercise_id.strip(), list(known), n=1) if isinstance(exercise_id, str) else []
        advice = (
            _("did you mean {id}?").format(id=repr(close[0]))
            if close
            else _("copy the id from the check cell under the exercise.")
        )
        return Feedback(
            str(exercise_id),
            "unknown",
            _("There is no exercise with the id {id}: {advice}").format(id=repr(exercise_id), advice=advice),
        )
    exercise_id = exercise_id.strip()
    if answer is NOT_ATTEMPTED:
        return Feedback(
            exercise_id, "not attempted", _("Replace the ... with your answer, run that cell, then run this one.")
        )
    if answer is None:
        return Feedback(
            exercise_id,
            "invalid",
            _(
                "Your answer is None: did the cell assign it a value, or the result of something that returns "
                "None, such as print() or a pandas method called with inplace=True?"
            ),
        )
    try:
        ok, message = known[exercise_id].grade(answer)
    except WrongType as err:
        return Feedback(exercise_id, "invalid", str(err))
    except Exception as err:  # a grader must never show a student a traceback
        return Feedback(
            exercise_id,
            "invalid",
            _("This answer could not be checked ({error}): is it the kind of value the question asks for?").format(
                error=f"{type(err).__name__}: {err}"
            ),
        )
    if not ok:
        return Feedback(exercise_id, "incorrect", message)
    return Feedback(exercise_id, "correct", message, _worked(known[exercise_id], answer))


def _worked(exercise: Any, answer: Any) -> Any:
    """The worked result a right answer opens, or None (a check never fails for want of it): the
    full graders compute it from the data; the sealed checks decipher it with the answer."""
    try:
        spec = getattr(exercise, "spec", None)
        if spec is not None:
            return spec.worked() if spec.worked is not None else None
        opened = getattr(exercise, "worked", None)
        return opened(answer) if callable(opened) else None
    except Exception:
        return None
