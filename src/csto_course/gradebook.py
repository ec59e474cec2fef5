"""nbgrader's cell metadata for the lessons, derived from their sources, so nbgrader can grade them.

The lessons already use nbgrader's solution markers; nbgrader also needs to know what each
cell is. This module writes that (``metadata.nbgrader``, schema version 3) from the sources
alone, so it never has to be set by hand and always matches the lesson:

- a **solution cell**, a code cell with ``# BEGIN SOLUTION`` … ``# END SOLUTION``: ``solution``,
  not graded, id ``<exercise>-solution``. ``nbgrader generate_assignment`` replaces the region
  with its stub;
- its **check cell**, the next code cell, ``check("<exercise>", answer)``: an autograded test
  cell, locked, worth one point, id ``<exercise>``. Under nbgrader ``check`` raises
  ``AssertionError`` unless the answer is correct (:func:`csto_course.checks.check`), so the cell
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

import re
from collections.abc import MutableMapping, Sequence
from typing import Any

__all__ = ["SCHEMA_VERSION", "grading_metadata", "apply", "problems"]

#: The version of nbgrader's cell metadata written (nbgrader 0.9 reads and writes version 3).
SCHEMA_VERSION = 3
#: Points for an autograded check, and for a model answer whose rubric gives none.
CHECK_POINTS = 1
DEFAULT_ANSWER_POINTS = 1

_CODE_BEGIN = re.compile(r"^[ \t]*# BEGIN SOLUTION", re.M)
_MARKDOWN_BEGIN = re.compile(r"<!--\s*BEGIN SOLUTION\s*-->")
#: ``check("origins-1", answer)``: the course's checker called with an exercise id.
_CHECK_ID = re.compile(r"(?<![\w.])check\(\s*[\"']([^\"']+)[\"']")
_EXERCISE_HEADING = re.compile(r"^#{1,6}\s+Exercise\s+\d+\.(\d+)", re.M)
_RUBRIC_POINTS = re.compile(r"Rubric\s*\((\d+)\s+points?\)", re.I)

Cell = MutableMapping[str, Any]


def _source(cell: Cell) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


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


def grading_metadata(cells: Sequence[Cell]) -> tuple[dict[int, dict[str, Any]], list[str]]:
    """The nbgrader metadata each cell should have (by cell index; absent: none), and what prevents it.

    A problem (a solution whose next code cell is not a check, an id used twice) is reported,
    and the cells concerned get no metadata; ``nbgrader generate_assignment`` would refuse them.
    """
    found: dict[int, dict[str, Any]] = {}
    issues: list[str] = []
    code = [i for i, cell in enumerate(cells) if cell.get("cell_type") == "code"]
    check_ids = [m.group(1) for i in code for m in _CHECK_ID.finditer(_source(cells[i]))]
    prefix = check_ids[0].rsplit("-", 1)[0] if check_ids else "answer"
    used: dict[str, int] = {}

    def claim(index: int, meta: dict[str, Any]) -> None:
        grade_id = meta["grade_id"]
        if grade_id in used:
            issues.append(f"cell {index}: nbgrader id {grade_id!r} is already used by cell {used[grade_id]}")
            return
        used[grade_id] = index
        found[index] = meta

    for position, index in enumerate(code):
        if not _CODE_BEGIN.search(_source(cells[index])):
            continue
        following = code[position + 1] if position + 1 < len(code) else None
        match = _CHECK_ID.search(_source(cells[following])) if following is not None else None
        if following is None or match is None:
            issues.append(
                f'cell {index}: a solution whose next code cell does not call check("..."), so nbgrader cannot grade it'
            )
            continue
        exercise = match.group(1)
        claim(index, _meta(solution=True, grade=False, locked=False, grade_id=f"{exercise}-solution"))
        claim(following, _meta(solution=False, grade=True, locked=True, grade_id=exercise, points=CHECK_POINTS))

    number: str | None = None
    answers = 0
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        source = _source(cell)
        begin = _MARKDOWN_BEGIN.search(source)
        if begin:
            headings = _EXERCISE_HEADING.findall(source, 0, begin.start())
            number = headings[-1] if headings else number
            answers += 1
            grade_id = f"{prefix}-{number}" if number else f"{prefix}-answer-{answers}"
            rubric = _RUBRIC_POINTS.search(source)
            points = int(rubric.group(1)) if rubric else DEFAULT_ANSWER_POINTS
            claim(index, _meta(solution=True, grade=True, locked=False, grade_id=grade_id, points=points))
            number = None
        headings = _EXERCISE_HEADING.findall(source, begin.end() if begin else 0)
        if headings:
            number = headings[-1]
    return found, issues


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
