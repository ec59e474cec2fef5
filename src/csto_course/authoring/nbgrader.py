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

**Flagging a submission that reads the answers.** The student package holds no answer, but
``nbgrader autograde`` runs a submission where the course's full graders are installed, so a
submission could call them (``registry()[id].expected()``), load the answer key or read the
sealed checks, and score full marks without doing an exercise. :func:`flag_notebook` reads a
submitted notebook's code cells (their syntax tree, not their text where it can) and names each
use of the graders, the answer key or the sealed checks; run it after autograde with
``python -m csto_course.authoring.nbgrader flag SUBMITTED_DIR``, which prints one line per
flagged cell and exits with status 1 if there is any. A flag is for the instructor to read: it
does not change a grade.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .lesson import DUPLICATE, UNCHECKED, read_lesson

__all__ = ["SCHEMA_VERSION", "grading_metadata", "apply", "problems", "Flag", "flag_source", "flag_notebook", "main"]

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


# --------------------------------------------------------------------------- flagging a submission


def _graders_modules() -> tuple[str, ...]:
    """The modules a submission has no business importing: the graders, the answer rules, the
    authoring tools (the answer key among them) and the sealed checks."""
    from ..exercises import lesson_modules

    lessons = tuple(f"csto_course.exercises.{m}" for m in lesson_modules())
    return (
        "csto_course.authoring",
        "csto_course.exercises.specs",
        "csto_course.exercises.answers",
        "csto_course.exercises.worked",
        "csto_course.exercises.sealed",
        *lessons,
    )


#: Names that reach an expected answer or the graders, wherever they appear (a name, an attribute,
#: a name imported from a module).
_FLAGGED_NAMES = {
    "registry": "the graders' registry",
    "_REGISTRY": "the graders' registry",
    "expected": "an exercise's expected answer",
    "graders": "the graders",
    "answer_key": "the answer key",
    "sealed_exercises": "the sealed checks",
    "SealedExercise": "the sealed checks",
}
#: Text that names the answer key or the sealed checks (a dataset to load, a file to open).
_FLAGGED_TEXT = {
    "reading_claims_key": "the answer-key dataset reading_claims_key",
    "sealed.json": "the sealed checks' file",
    "answer_key": "the answer key",
}
#: Names an exercise module's import gives away (``from csto_course.exercises import origins``).
_EXERCISE_PACKAGE = "csto_course.exercises"


@dataclass(frozen=True)
class Flag:
    """One flagged cell of a submission: where it is and what it uses."""

    notebook: str
    cell: int
    cell_id: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.notebook}: cell {self.cell} (id {self.cell_id!r}) uses {'; '.join(self.reasons)}"


def _python(source: str) -> str:
    """A cell's source with IPython's magics and shell lines blanked, so it parses as Python."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _module_reason(module: str, modules: tuple[str, ...]) -> str | None:
    for flagged in modules:
        if module == flagged or module.startswith(flagged + "."):
            return f"the module {flagged}"
    return None


def flag_source(source: str) -> list[str]:
    """What in one code cell's source reaches the graders, the answer key or the sealed checks.

    Read from the syntax tree: imports of the graders' modules (also by ``importlib`` or
    ``__import__``, which a literal module name gives away), the names of :data:`_FLAGGED_NAMES`
    as names or attributes (``registry()``, ``.expected``), and text naming the answer key or the
    sealed file (``load("reading_claims_key")``, ``open(".../sealed.json")``). A cell that is not
    valid Python is searched as text for the same words.
    """
    modules = _graders_modules()
    reasons: list[str] = []

    def add(reason: str | None) -> None:
        if reason and reason not in reasons:
            reasons.append(reason)

    def search(code: str) -> None:
        try:
            tree = ast.parse(code)
        except SyntaxError:
            for word in (*modules, *_FLAGGED_NAMES, *_FLAGGED_TEXT):
                if re.search(rf"(?<![\w.]){re.escape(word)}(?!\w)", code):
                    add(f"{word!r} (in code that is not valid Python)")
            return
        _search_tree(tree, modules, add)

    search(_python(source))
    for line in source.splitlines():  # a magic's Python (%time, %timeit) is read too
        if line.lstrip().startswith(("%", "!")):
            search(re.sub(r"^\s*(%%?\w+|!)\s*", "", line))
    return reasons


def _search_tree(tree: ast.AST, modules: tuple[str, ...], add: Callable[[str | None], None]) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(_module_reason(alias.name, modules))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            add(_module_reason(node.module, modules))
            for alias in node.names:
                add(_module_reason(f"{node.module}.{alias.name}", modules))
                if alias.name in _FLAGGED_NAMES:
                    add(_FLAGGED_NAMES[alias.name])
        elif isinstance(node, ast.Name) and node.id in _FLAGGED_NAMES and node.id != "expected":
            add(_FLAGGED_NAMES[node.id])  # a variable of one's own called `expected` is no flag
        elif isinstance(node, ast.Attribute):
            if node.attr in _FLAGGED_NAMES:
                add(_FLAGGED_NAMES[node.attr])
            add(_module_reason(ast.unparse(node), modules))  # csto_course.exercises.answers.f(...)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            for word, reason in _FLAGGED_TEXT.items():
                if word in text:
                    add(reason)
            add(_module_reason(text.strip(), modules))
            if text in _FLAGGED_NAMES:  # getattr(exercise, "expected")
                add(_FLAGGED_NAMES[text])


def flag_notebook(nb: MutableMapping[str, Any], name: str = "notebook") -> list[Flag]:
    """Every code cell of a submitted notebook that reaches the graders, the answer key or the sealed checks."""
    flags = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        reasons = flag_source("".join(source) if isinstance(source, list) else str(source))
        if reasons:
            flags.append(Flag(name, index, str(cell.get("id", index)), tuple(reasons)))
    return flags


def _notebooks(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def main(argv: list[str] | None = None) -> int:
    """``flag SUBMITTED_DIR``: one line per flagged cell of the notebooks under it; status 1 if any."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "flag" or not Path(args[1]).is_dir():
        print("usage: python -m csto_course.authoring.nbgrader flag SUBMITTED_DIR", file=sys.stderr)
        print("  (nbgrader's submitted/ or autograded/ folder, or one student's or one assignment's)", file=sys.stderr)
        return 0 if args[:1] in (["-h"], ["--help"]) else 2
    folder = Path(args[1])
    found = 0
    for path in _notebooks(folder):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"{path}: not read ({error})")
            found += 1
            continue
        for flag in flag_notebook(nb, str(path.relative_to(folder))):
            print(flag)
            found += 1
    if not found:
        print(f"No submission under {folder} uses the graders, the answer key or the sealed checks.")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
