"""No exercise's answer is shown before its check: not in the prose, not in a table or chart above it.

For every exercise with a computed answer, the answer is written in the forms a page would show
it (a number rounded as tables round, the states' names or codes together) and looked for in
what a student sees above the check: the Markdown of the lesson up to the exercise, and the saved
outputs of the code cells above it (which include earlier checks' worked results). A number is
sought in the paragraph or output that holds it, a value per key in a row that names the key;
a list of states counts as shown when one paragraph or one output names all of them and no other
but Russia;
a single state counts as shown when a sentence names it with words that single it out ("most",
"stands out"). These are tells, not proof: a reader still reads each exercise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from csto_course import load
from csto_course.authoring.lesson import Exercise, Lesson, read_lessons, source_of
from csto_course.exercises.specs import registry

from .conftest import ROOT

LESSONS = read_lessons(ROOT)
SOLUTION = re.compile(r"<!-- BEGIN SOLUTION -->.*?<!-- END SOLUTION -->|<details.*?</details>", re.S)


def _names() -> dict[str, str]:
    states = load("states")
    names = dict(zip(states["iso3"].astype(str), states["name"].astype(str), strict=True))
    names.update({"CHN": "China", "IND": "India", "IRN": "Iran"})
    return names


def _number_forms(value: float) -> set[str]:
    """How a page may print a number: as is, to two or three places, or as a percentage."""
    forms = {f"{value:.3f}", f"{value:.2f}"}
    if float(value).is_integer():
        forms = {str(int(value))}
    elif 0 < value < 1:
        forms |= {f"{100 * value:.0f}%", f"{100 * value:.1f}%", f"{100 * value:.0f} per cent"}
    return forms


def _blocks_above(lesson: Lesson, exercise: Exercise) -> Iterator[str]:
    """What a student sees above the exercise's check: paragraphs of Markdown, and each output."""
    first_check = exercise.check_cells[0]
    for cell in lesson.cells[:first_check]:
        if cell["cell_type"] == "markdown":
            yield from SOLUTION.sub(" ", source_of(cell)).split("\n\n")
        elif cell["cell_type"] == "code":
            for output in cell.get("outputs", []):
                data: dict[str, Any] = output.get("data", {})
                text = output.get("text") or data.get("text/html") or data.get("text/plain") or ""
                yield text if isinstance(text, str) else "".join(text)


def _shown_number(value: float, blocks: list[str]) -> str | None:
    if float(value).is_integer() and (abs(value) < 10 or 1900 <= value <= 2100):
        return None  # small counts and years are everywhere in a history course: not a tell
    pattern = re.compile(r"(?<![\d.])(" + "|".join(re.escape(f) for f in _number_forms(value)) + r")(?![\d])")
    return next((block for block in blocks if pattern.search(block)), None)


def _shown_states(codes: set[str], blocks: list[str], universe: int) -> str | None:
    """A block that names every state of the answer and no other but Russia (which prose about the
    votes names anyway): a table of all the states, or a paragraph about all of them, shows the
    data, not the answer."""
    if len(codes) < 2 or len(codes) >= universe:
        return None
    names = _names()
    for block in blocks:
        named = {c for c, n in names.items() if re.search(rf"\b({re.escape(c)}|{re.escape(n)})\b", block)}
        if codes <= named and named - codes <= {"RUS"}:
            return block
    return None


def _shown_map(expected: dict[Any, float], blocks: list[str]) -> str | None:
    """A block with a row (a line, or a table row) for every key that holds the key and its value."""
    telling = {k: v for k, v in expected.items() if not float(v).is_integer() or abs(v) >= 10}
    if len(telling) < 2:
        return None
    for block in blocks:
        rows = re.split(r"<tr|\n", block)
        if all(
            any(re.search(rf"\b{re.escape(str(k))}\b", row) and _shown_number(float(v), [row]) for row in rows)
            for k, v in telling.items()
        ):
            return block
    return None


#: Words that single a state out: a sentence that names the answer with one of them gives it away.
SINGLING_OUT = re.compile(r"\b(most|largest|highest|stands? out|more than any|every kind|the only|alone)\b", re.I)


def _shown_state(code: str, blocks: list[str]) -> str | None:
    name = _names().get(code, code)
    for block in blocks:
        if "<table" in block or "dataframe" in block:
            continue  # a table of every state is data, not a verdict
        for sentence in re.split(r"(?<=[.;:])\s", block):
            if re.search(rf"\b({re.escape(code)}|{re.escape(name)})\b", sentence) and SINGLING_OUT.search(sentence):
                return sentence
    return None


def _exercises() -> Iterator[tuple[Lesson, Exercise]]:
    for lesson in LESSONS:
        for exercise in lesson.exercises:
            if exercise.check_cells and exercise.id in registry():
                yield lesson, exercise


@pytest.mark.parametrize("lesson, exercise", list(_exercises()), ids=lambda x: getattr(x, "id", ""))
def test_no_answer_is_shown_above_its_check(lesson: Lesson, exercise: Exercise) -> None:
    expected = registry()[exercise.id].expected()
    blocks = list(_blocks_above(lesson, exercise))
    found: str | None = None
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        found = _shown_number(float(expected), blocks)
    elif isinstance(expected, str) and expected.isupper() and len(expected) == 3:
        found = _shown_state(expected, blocks)
    elif isinstance(expected, (list, set, tuple)) and all(isinstance(x, str) and len(x) == 3 for x in expected):
        found = _shown_states(set(expected), blocks, universe=len(_names()))
    elif isinstance(expected, dict) and expected and all(isinstance(v, (int, float)) for v in expected.values()):
        found = _shown_map(expected, blocks)
    elif isinstance(expected, pd.Series):
        pytest.fail(f"{exercise.id}: expected answers are plain Python values")
    where = f"Exercise {exercise.label} ({exercise.id})"
    assert found is None, f"{where}: its answer is shown above its check:\n{found[:600]}"
