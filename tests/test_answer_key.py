"""The instructors' answer key: every exercise's expected answer, computed from the data.

Each registered exercise has an ``expected`` function returning its answer in the form the
question asks for; the grader calls the same function, so the key's answer must pass its own
check. The key lists the exercises in lesson order, and the open questions' model answers are
read from the lessons' Markdown cells.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from csto_course import check
from csto_course.authoring.answer_key import answer_key, exercise_table, open_questions, open_questions_markdown
from csto_course.authoring.lesson import exercise_headings, read_lessons, source_of
from csto_course.exercises.check import exercises
from csto_course.exercises.specs import exercise, registry

from .conftest import ROOT


def _open_headings() -> list[str]:
    """Each heading titled "(open question)" or "(writing task)", in course order: each needs a model answer."""
    return [
        f"Exercise {number}.{k} {title}"
        for lesson in read_lessons(ROOT)
        for cell in lesson.cells
        if cell["cell_type"] == "markdown"
        for number, k, title, _ in exercise_headings(source_of(cell))
        if title in ("(open question)", "(writing task)")
    ]


def _course_order(exercise_id: str) -> tuple[int, int]:
    """(lesson's place in _toc.yml, exercise number): Exercise 2.3 is inaction-3, after every origins-k."""
    prefix, number = exercise_id.rsplit("-", 1)
    return [lesson.prefix for lesson in read_lessons(ROOT)].index(prefix), int(number)


def test_every_exercise_has_an_expected_function() -> None:
    known = registry()
    assert set(known) == set(exercises())
    for exercise_id, registered in known.items():
        assert callable(registered.expected), exercise_id


def test_registering_without_an_expected_function_is_refused() -> None:
    with pytest.raises(TypeError):
        exercise("answer-key-test-1", "A question with no expected answer.")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="expected must be a function"):
        exercise("answer-key-test-1", "A question.", expected=42)  # type: ignore[arg-type]
    assert "answer-key-test-1" not in registry()


@pytest.mark.parametrize("exercise_id", sorted(exercises()))
def test_the_expected_answer_passes_its_own_check(exercise_id: str) -> None:
    expected = registry()[exercise_id].expected()
    assert expected is not None and expected is not ..., exercise_id
    feedback = check(exercise_id, expected)
    assert feedback.correct, feedback


def test_answer_key_has_one_row_per_exercise_in_lesson_order() -> None:
    key = answer_key()
    assert list(key.columns) == ["exercise", "lesson", "question", "expected answer"]
    ids = key["exercise"].tolist()
    assert len(ids) == len(set(ids)) == len(exercises())
    assert set(ids) == set(exercises())
    assert ids == exercise_table()["exercise"].tolist()
    assert ids == sorted(ids, key=_course_order)
    prefixes = {Path(lesson.name).stem: lesson.prefix for lesson in read_lessons(ROOT)}
    assert [prefixes[lesson] for lesson in key["lesson"]] == [e.rsplit("-", 1)[0] for e in ids]
    assert key["question"].map(bool).all() and key["expected answer"].map(bool).all()


def test_answer_key_shows_answers_readably() -> None:
    key = answer_key().set_index("exercise")["expected answer"]
    known = registry()
    lists = [e for e, x in known.items() if isinstance(x.expected(), list) and len(x.expected()) > 1]
    dicts = [e for e, x in known.items() if isinstance(x.expected(), dict)]
    floats = [e for e, x in known.items() if isinstance(x.expected(), float)]
    assert lists and dicts and floats
    for e in lists:
        assert key[e] == ", ".join(map(str, known[e].expected())), e
    for e in dicts:
        first = next(iter(known[e].expected()))
        assert key[e].startswith(f"{first}: "), e
        assert "{" not in key[e] and "'" not in key[e], e
    for e in floats:
        assert key[e] == f"{known[e].expected():.3f}", e
    assert re.fullmatch(r"\d\.\d{3}", key["decline-1"])


def test_open_questions_finds_one_model_answer_per_open_question() -> None:
    headings = _open_headings()
    assert len(headings) >= 6
    found = open_questions()
    assert [q["exercise"] for q in found] == headings
    for question in found:
        answer = question["model_answer"]
        assert len(answer) > 200, question["exercise"]
        assert "SOLUTION" not in answer and "<details" not in answer and "<summary>" not in answer
        assert "Model answer" in answer or "A strong answer" in answer, question["exercise"]
    markdown = open_questions_markdown()
    for heading in headings:
        assert f"**{heading}**" in markdown
