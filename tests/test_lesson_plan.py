"""Each exercise names the objectives it serves and its time; each lesson's stated time is the sum.

The objectives run both ways: an exercise may only name an objective its lesson lists, and every
objective is served by at least one exercise or open question. The stated time in "At a glance"
is the reading estimate (:mod:`csto_course.authoring.timing`) plus the exercises' estimates, and
the pages that show lessons' times take them from there.
"""

from __future__ import annotations

import pytest

from csto_course.authoring.lesson import Lesson, read_lesson, read_lessons
from csto_course.authoring.timing import reading_minutes, stated_time, time_text

from .conftest import ROOT

LESSONS = read_lessons(ROOT)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_every_exercise_names_its_objectives_and_time(lesson: Lesson) -> None:
    assert len(lesson.objectives) >= 3, f"{lesson.name}: 'At a glance' lists {len(lesson.objectives)} objectives"
    for exercise in lesson.exercises:
        where = f"{lesson.name}, Exercise {exercise.label}"
        assert exercise.objectives and exercise.minutes, (
            f"{where}: put '*Objective N · about M minutes*' under its heading"
        )
        unknown = [n for n in exercise.objectives if not 1 <= n <= len(lesson.objectives)]
        assert not unknown, f"{where} names objective(s) {unknown}, which 'At a glance' does not list"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_every_objective_is_served_by_an_exercise(lesson: Lesson) -> None:
    served = {n for exercise in lesson.exercises for n in exercise.objectives}
    unserved = [n for n in range(1, len(lesson.objectives) + 1) if n not in served]
    assert not unserved, f"{lesson.name}: no exercise or open question serves objective(s) {unserved}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_the_stated_time_is_the_reading_plus_the_exercises(lesson: Lesson) -> None:
    stated = stated_time(lesson)
    assert stated, f"{lesson.name}: 'At a glance' time {lesson.glance.get('Time')!r} is not in the computed form"
    assert stated.reading == reading_minutes(lesson)
    assert stated.exercises == sum(e.minutes or 0 for e in lesson.exercises if not e.optional)
    assert stated.optional == sum(e.minutes or 0 for e in lesson.exercises if e.optional)
    assert stated.total == stated.reading + stated.exercises
    assert lesson.glance["Time"] == time_text(lesson)


def test_a_longer_lesson_states_a_longer_time() -> None:
    """The reading estimate follows the text: doubling a lesson's prose raises it."""
    lesson = LESSONS[2]
    notebook = {"cells": [dict(c) for c in lesson.cells], "metadata": {}}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown" and not str(cell["source"]).startswith("## At a glance"):
            cell["source"] = str(cell["source"]) * 2
    assert reading_minutes(read_lesson(notebook, lesson.name)) > reading_minutes(lesson)


def test_pages_show_the_lessons_stated_times() -> None:
    from csto_course.website.bookpages import PARTS

    for part in ("lessons", "lessons-plan"):
        table = PARTS[part].write()
        for lesson in LESSONS:
            assert lesson.glance["Time"] in table, (part, lesson.name)
