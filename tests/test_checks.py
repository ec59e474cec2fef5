"""Self-checks: right answers pass, wrong ones get a reason, bad input gets a kind word."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from csto_course import check, load
from csto_course.authoring.lesson import check_calls, read_lessons, source_of
from csto_course.exercises.answers import current_members
from csto_course.exercises.check import exercises
from csto_course.exercises.specs import registry

from .conftest import ROOT


def test_correct_answer_computed_from_the_data() -> None:
    feedback = check("getting-started-1", len(load("states")))
    assert feedback.correct, feedback
    assert check("getting-started-1", np.int64(len(load("states")))).correct
    assert check("getting-started-1", float(len(load("states")))).correct


def test_wrong_answer_explains_without_revealing() -> None:
    expected = len(load("states"))
    feedback = check("getting-started-1", expected + 3)
    assert feedback.status == "incorrect"
    assert str(expected) not in feedback.message


def test_common_slip_gets_a_specific_hint() -> None:
    feedback = check("getting-started-1", len(load("membership")))
    assert feedback.status == "incorrect"
    assert "spells" in feedback.message


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        ("nine", "without quotes"),
        ([1, 2], "Expected a number of states, got a list"),
        (True, ".sum()"),
        (2.5, "whole number"),
        (pd.Series([1, 2, 3]), "len(...)"),
    ],
)
def test_wrong_types_get_a_friendly_message(answer: object, phrase: str) -> None:
    feedback = check("getting-started-1", answer)
    assert feedback.status == "invalid"
    assert phrase in feedback.message


def test_none_and_unattempted() -> None:
    assert check("getting-started-1", None).status == "invalid"
    assert "None" in check("getting-started-1", None).message
    assert check("getting-started-1", ...).status == "not attempted"
    assert check("getting-started-1").status == "not attempted"


def test_an_unknown_exercise_gets_the_closest_id_or_where_to_copy_it_from() -> None:
    feedback = check("getting-started-99", 1)
    assert feedback.status == "unknown"
    assert "There is no exercise with the id" in feedback.message and "type" not in feedback._label()
    assert "did you mean 'getting-started-" in feedback.message
    assert check(42, 1).status == "unknown"  # type: ignore[arg-type]
    assert "copy the id from the check cell" in check("xyzzy", 1).message


def test_label_answers_accept_codes_or_names_in_any_case() -> None:
    spells = load("membership")
    codes = sorted(current_members(spells))
    assert check("getting-started-2", codes).correct
    names = load("states").set_index("iso3").loc[codes, "name"].str.upper().tolist()
    assert check("getting-started-2", names).correct
    assert check("getting-started-2", pd.Series(codes)).correct
    short = check("getting-started-2", codes[1:])
    assert short.status == "incorrect" and "1 of the states is missing" in short.message
    assert check("getting-started-2", load("states")).status == "invalid"


def test_feedback_renders_as_accessible_html() -> None:
    html = check("getting-started-1", 0)._repr_html_()
    assert 'role="status"' in html and "Not yet" in html
    assert "✘" in repr(check("getting-started-1", 0))


def _notebook_check_ids() -> set[str]:
    return {
        call.id
        for lesson in read_lessons(ROOT)
        for cell in lesson.cells
        for call in check_calls(source_of(cell))
        if cell["cell_type"] == "code" and call.id
    }


def test_every_exercise_is_used_in_a_lesson_and_every_check_is_registered() -> None:
    registered = set(exercises())
    used = _notebook_check_ids()
    assert used <= registered, f"checks with no grader: {used - registered}"
    assert registered <= used, f"graders no lesson uses: {registered - used}"


WORKED = sorted(k for k, e in registry().items() if e.spec is not None and e.spec.worked is not None)


def test_the_lessons_worked_results_are_shown_by_their_checks() -> None:
    """The six worked results that lessons once folded under a check (and JupyterLab unfolded), the
    answer key's reasons for the capstone's nine claims, and the yardsticks of Exercise 3.4 (China,
    India, Iran), which left 3.1's table so as not to give 3.4 away: only a right answer opens each."""
    assert WORKED == [
        "capstone-1",
        "decline-4",
        "inaction-2",
        "inaction-4",
        "origins-3",
        "ukraine-1",
        "ukraine-2",
        "ukraine-4",
    ]


@pytest.mark.parametrize("exercise_id", WORKED)
def test_a_worked_result_comes_with_a_right_answer_only(exercise_id: str) -> None:
    from IPython.core.formatters import DisplayFormatter

    spec = registry()[exercise_id].spec
    assert spec is not None
    right = check(exercise_id, spec.expected())
    assert right.correct and right.worked is not None, right
    data, _ = DisplayFormatter().format(right.worked)
    assert data, f"{exercise_id}: its worked result displays nothing"
    for wrong in (check(exercise_id, {"no such key": 1}), check(exercise_id, "nonsense"), check(exercise_id)):
        assert not wrong.correct and wrong.worked is None, wrong
