"""nbgrader's cell metadata for the lessons, derived from their sources, so nbgrader can grade them.

The lessons already use nbgrader's solution markers; nbgrader also needs to know what each
cell is. This module writes that (``metadata.nbgrader``, schema version 3) from the lesson
model (:mod:`csto_course.authoring.lesson`), so it never has to be set by hand and always
matches the lesson:

- a **solution cell**, a code cell with ``# BEGIN SOLUTION`` … ``# END SOLUTION``: ``solution``,
  not graded, id ``<exercise>-solution``. ``nbgrader generate_assignment`` replaces the region
  with its stub;
- its **check cell**, the next code cell, ``check("<exercise>", answer)``: an autograded test
  cell, locked, worth one point, id ``<exercise>``. Under nbgrader ``check`` raises
  ``AssertionError`` unless the answer is correct (:func:`csto_course.exercises.check.check`), so the cell
  scores 1 or 0;
- a **model answer**, a Markdown cell with ``<!-- BEGIN SOLUTION -->`` … ``<!-- END SOLUTION -->``:
  a manually graded answer cell (``solution`` and ``grade``; nbgrader refuses a Markdown solution
  cell that is not graded), id ``<prefix>-<k>`` for Exercise N.k, worth the points its rubric
  names ("Rubric (4 points)"), else 1. ``generate_assignment`` keeps the question and replaces
  the model answer by its text stub; an instructor scores the student's text in formgrader.

Every other cell has no nbgrader metadata: the lessons invite students to change and re-run the
other cells, and nbgrader's read-only cells would forbid that. A ``check(`` that does not follow
a solution (Lesson 0's demonstration of a wrong answer) is not graded either.

``tools/normalize_notebooks.py`` (run by ``make execute`` and ``make lint``) applies
:func:`apply`, so the metadata is rewritten whenever a lesson is saved and checked by the lint.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any

from .lesson import DUPLICATE, UNCHECKED, read_lesson

__all__ = ["SCHEMA_VERSION", "grading_metadata", "apply", "problems"]

#: The version of nbgrader's cell metadata written (nbgrader 0.9 reads and writes version 3).
SCHEMA_VERSION = 3

Cell = MutableMapping[str, Any]


def _meta(*, solution: bool, grade: bool, locked: bool, grade_id: str, points: int | None = None) -> dict[str, Any]:
    """nbgrader's cell metadata, with the keys its own "Create Assignment" tool writes."""
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return meta


def grading_metadata(cells: Sequence[Cell], name: str = "notebook") -> tuple[dict[int, dict[str, Any]], list[str]]:
    """The nbgrader metadata each cell should have (by cell index; absent: none), and what prevents it.

    A problem (a solution whose next code cell is not a check, an id used twice) is reported,
    and the cells concerned get no metadata; ``nbgrader generate_assignment`` would refuse them.
    """
    lesson = read_lesson({"cells": cells}, name)
    found: dict[int, dict[str, Any]] = {}
    used: set[str] = set()
    for exercise in lesson.exercises:
        if exercise.id in used or not (exercise.check_cells or exercise.is_open):
            continue
        used.add(exercise.id)
        if exercise.check_cells:
            for index in exercise.solution_cells:
                found[index] = _meta(solution=True, grade=False, locked=False, grade_id=f"{exercise.id}-solution")
            found[exercise.check_cells[0]] = _meta(
                solution=False, grade=True, locked=True, grade_id=exercise.id, points=exercise.points
            )
        if exercise.model_answer_cell is not None:
            found[exercise.model_answer_cell] = _meta(
                solution=True, grade=True, locked=False, grade_id=exercise.id, points=exercise.points
            )
    return found, [problem.message for problem in lesson.problems_of(UNCHECKED, DUPLICATE)]


def apply(nb: MutableMapping[str, Any]) -> list[str]:
    """Write nbgrader's metadata into ``nb``'s cells in place (removing it from every other cell).

    Returns the problems :func:`grading_metadata` found; their cells are left without metadata.
    """
    cells = nb.get("cells", [])
    wanted, issues = grading_metadata(cells)
    for index, cell in enumerate(cells):
        metadata = cell.setdefault("metadata", {})
        if index in wanted:
            metadata["nbgrader"] = type(metadata)(wanted[index])  # a NotebookNode stays one
        else:
            metadata.pop("nbgrader", None)
    return issues


def problems(nb: MutableMapping[str, Any]) -> list[str]:
    """What keeps nbgrader from grading ``nb`` as it stands, without changing it."""
    return grading_metadata(nb.get("cells", []))[1]
