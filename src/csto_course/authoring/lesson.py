"""The lesson format, in one place: a lesson notebook read into a typed model.

Every program that needs to know what a lesson's markup means (the student edition, nbgrader's
metadata, the answer key, the lint and the tests) reads it through :func:`read_lesson`; no other
module parses the markup. The markup, as CONTRIBUTING.md teaches it:

- **An exercise** starts at a Markdown heading ``### Exercise N.k``, where N is the lesson's
  number (from its file name, ``03_ukraine_and_division.ipynb`` is lesson 3) and k the
  exercise's; words after the label (``(open question)``) are its title.
- **A solution** in a code cell sits between ``# BEGIN SOLUTION`` and ``# END SOLUTION``, each on
  a line of its own (nbgrader's markers); in a Markdown cell, a **model answer** sits between
  ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->``, with its rubric's points written
  "Rubric (4 points)".
- **A check cell** is the code cell right after a solution: it calls
  ``check("<prefix>-k", answer)``, where k is the exercise's number (Exercise 3.2 is checked by
  ``ukraine-2``) and the prefix is the lesson's, the same for all its exercises. A later cell
  may check the same exercise again (Lesson 0 shows the feedback on a wrong type that way).
- **The set-up cell** is the lesson's first code cell; an **explorer note** is a Markdown cell
  with the note :data:`EXPLORER_NOTE` that tells a reader an explorer needs a running kernel.
- **The title** is the first ``# `` heading, **the promise** the italic sentence under it, and
  the "At a glance" section gives ``**Time:**``, ``**Datasets:**`` and ``**Before you start:**``;
  the book's tables of lessons are written from them, so a new lesson needs no table edited.

A problem is reported as one sentence naming the file and the cell, never raised: the release
refuses a lesson with a :data:`LEAK` or :data:`UNCHECKED` problem, and the lint reports them all.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

__all__ = [
    "MARKERS",
    "CODE_BEGIN",
    "CODE_END",
    "MARKDOWN_BEGIN",
    "MARKDOWN_END",
    "EXPLORER_NOTE",
    "LABELS",
    "LEAK",
    "UNCHECKED",
    "DUPLICATE",
    "LABEL",
    "Problem",
    "SolutionBlock",
    "CheckCall",
    "Exercise",
    "Lesson",
    "source_of",
    "solution_blocks",
    "has_solution",
    "check_calls",
    "is_check_cell",
    "exercise_headings",
    "rubric_points",
    "rubric_text",
    "exercise_plan",
    "lesson_number",
    "read_lesson",
    "lesson_paths",
    "read_lessons",
]

CODE_BEGIN, CODE_END = "# BEGIN SOLUTION", "# END SOLUTION"
MARKDOWN_BEGIN, MARKDOWN_END = "<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->"
#: What every solution marker contains, however it is written: a student's copy must hold neither.
MARKERS = ("BEGIN SOLUTION", "END SOLUTION")
#: The first words of the note that stands for an explorer the static website cannot run.
EXPLORER_NOTE = "> **Needs a running kernel.**"

#: The format's words in each language of the course. English is the source; a Russian lesson is
#: generated from the catalogs in locale/ru (csto_course.authoring.translations) and keeps the same
#: markup with these words, so every tool reads both editions. The one place a label is spelled.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "exercise": "Exercise",
        "objective": "Objectives?",
        "and": "and",
        "about": "about",
        "minutes": "minutes",
        "optional": "optional",
        "glance": "At a glance",
        "objectives": "**Learning objectives.**",
        "main": "**Main question",
        "explorer": EXPLORER_NOTE,
        "model answer": "model answer",
        "rubric": r"Rubric\s*\((\d+)\s+points?\)",
    },
    "ru": {
        "exercise": "Упражнение",
        "objective": "Цел[ьи]",
        "and": "и",
        "about": "около",
        "minutes": "минут[аы]?",
        "optional": "по желанию",
        "glance": "Коротко об уроке",
        "objectives": "**Цели обучения.**",
        "main": "**Главный вопрос",
        "explorer": "> **Нужно работающее ядро.**",
        "model answer": "образец ответа",
        "rubric": r"Критерии оценки\s*\((\d+)\s+балл(?:а|ов)?\)",
    },
}
#: "At a glance" field names in Russian, by the English name the book's tables use.
GLANCE_FIELDS_RU = {
    "Главный вопрос": "Main question",
    "Время": "Time",
    "Наборы данных": "Datasets",
    "Что нужно знать заранее": "Before you start",
    "Термины": "Words to know",
}


def _either(key: str, *, escape: bool = False) -> str:
    """A regex alternative of ``key``'s word in every language."""
    words = [LABELS[lang][key] for lang in LABELS]
    return "(?:" + "|".join(re.escape(w) if escape else w for w in words) + ")"


#: Kinds of problem: a solution could reach students; an exercise has no check; two exercises
#: share an id; a label and its id (or heading) disagree.
LEAK, UNCHECKED, DUPLICATE, LABEL = "leak", "unchecked", "duplicate", "label"

#: Points for an autograded check, and for a model answer whose rubric names none.
CHECK_POINTS = 1
DEFAULT_ANSWER_POINTS = 1

_CODE_MARKER = re.compile(r"^[ \t]*# (BEGIN|END) SOLUTION", re.M)
_MARKDOWN_MARKER = re.compile(r"<!--\s*(BEGIN|END) SOLUTION\s*-->")
_HEADING = re.compile(rf"^#{{1,6}}[ \t]+{_either('exercise')}[ \t]+(\d+)\.(\d+)\b[ \t]*(.*?)[ \t]*$", re.M)
#: A folded model answer, as the lessons write one: it must sit inside a solution's markers.
_MODEL_ANSWER = re.compile(rf"<summary>[^<]*\b{_either('model answer')}", re.I)
_RUBRIC = re.compile("|".join(w["rubric"] for w in LABELS.values()), re.I)
#: A call of ``check(`` that is not a method or part of a longer name: the fallback reader for code
#: that does not parse (a half-written cell), so a check cell is still recognised.
_CHECK_CALL = re.compile(r"(?<![\w.])check\(\s*(?:[\"']([^\"']*)[\"'])?")


@dataclass(frozen=True)
class Problem:
    """Something in a lesson that a tool cannot rely on, in one sentence naming file and cell."""

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class SolutionBlock:
    """One solution in a cell's source: ``start:end`` covers the markers, ``body`` lies between them."""

    start: int
    end: int
    body: str
    indent: str = ""


@dataclass(frozen=True)
class CheckCall:
    """``check("<id>", answer)`` in a code cell; ``answer`` is the name passed, if a plain name."""

    id: str | None
    answer: str | None
    line: int


@dataclass(frozen=True)
class Exercise:
    """One labelled exercise: where its parts are (cell indexes) and how it is marked."""

    lesson: int
    number: int
    title: str
    id: str
    heading_cell: int | None
    solution_cells: tuple[int, ...] = ()
    check_cells: tuple[int, ...] = ()
    model_answer: str | None = None
    model_answer_cell: int | None = None
    rubric_points: int | None = None
    #: From the line under the heading, ``*Objective 2 · about 10 minutes*``: the lesson objectives
    #: the exercise serves, its time estimate, and whether it is optional (`` · optional``).
    objectives: tuple[int, ...] = ()
    minutes: int | None = None
    optional: bool = False

    @property
    def label(self) -> str:
        """``"3.2"``, as the heading writes it."""
        return f"{self.lesson}.{self.number}"

    @property
    def is_open(self) -> bool:
        """An open question: a model answer an instructor marks, no automatic check."""
        return not self.check_cells and self.model_answer is not None

    @property
    def cells(self) -> tuple[int, ...]:
        """The cells that hold its answer and check, in order (the heading's not included)."""
        answer = () if self.model_answer_cell is None else (self.model_answer_cell,)
        return (*self.solution_cells, *self.check_cells, *answer)

    @property
    def points(self) -> int:
        if self.check_cells:
            return CHECK_POINTS
        return self.rubric_points or DEFAULT_ANSWER_POINTS


@dataclass(frozen=True)
class Lesson:
    """A lesson notebook as the tools see it."""

    name: str
    number: int | None
    prefix: str | None
    title: str
    cells: Sequence[Mapping[str, Any]]
    setup_cell: int | None
    exercises: tuple[Exercise, ...]
    explorer_notes: tuple[int, ...]
    problems: tuple[Problem, ...] = field(default=())
    promise: str = ""
    glance: Mapping[str, str] = field(default_factory=dict)
    #: The numbered learning objectives of "At a glance", in order (objective 1 first).
    objectives: tuple[str, ...] = ()

    def problems_of(self, *kinds: str) -> list[Problem]:
        return [p for p in self.problems if p.kind in kinds]

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)


# --------------------------------------------------------------------------- reading one cell


def source_of(cell: Mapping[str, Any]) -> str:
    """A cell's source as one string (nbformat keeps it as a list of lines in some files)."""
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def _marker_pattern(cell_type: str) -> re.Pattern[str]:
    return _MARKDOWN_MARKER if cell_type == "markdown" else _CODE_MARKER


def has_solution(source: str, cell_type: str = "code") -> bool:
    """Whether the source opens a solution with a marker as the format writes it."""
    return any(m.group(1) == "BEGIN" for m in _marker_pattern(cell_type).finditer(source))


def marker_problem(source: str, cell_type: str) -> str | None:
    """What is wrong with one cell's solution markers (unpaired, nested, misplaced), or None."""
    if cell_type not in ("code", "markdown"):
        if any(marker in source for marker in MARKERS):
            return f"is a {cell_type} cell with a solution marker, which the student edition cannot strip"
        return None
    pattern = _marker_pattern(cell_type)
    begin, end = (MARKDOWN_BEGIN, MARKDOWN_END) if cell_type == "markdown" else (CODE_BEGIN, CODE_END)
    open_line = None
    for match in pattern.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        if match.group(1) == "BEGIN":
            if open_line is not None:
                return (
                    f"has a '{begin}' on line {line} inside the solution begun on line {open_line}, "
                    "and solutions cannot be nested"
                )
            open_line = line
        elif open_line is None:
            return f"has an '{end}' on line {line} with no '{begin}' before it"
        else:
            open_line = None
    if open_line is not None:
        return f"has a '{begin}' on line {open_line} with no '{end}' after it, so the solution would leak"
    outside = source
    for block in reversed(solution_blocks(source, cell_type)):
        outside = outside[: block.start] + outside[block.end :]
    if any(marker in outside for marker in MARKERS):
        form = (
            "an HTML comment such as '<!-- BEGIN SOLUTION -->'"
            if cell_type == "markdown"
            else ("a comment starting its own line")
        )
        return f"has a solution marker that is not {form}, so the solution would leak"
    if cell_type == "markdown" and _MODEL_ANSWER.search(outside):
        return (
            f"has a folded model answer ('<summary>Model answer') outside '{MARKDOWN_BEGIN}' and "
            f"'{MARKDOWN_END}', so it would leak"
        )
    return None


def solution_blocks(source: str, cell_type: str = "code") -> list[SolutionBlock]:
    """Each well-formed solution in one cell's source, in order (see :func:`marker_problem` for the rest)."""
    blocks: list[SolutionBlock] = []
    pattern = _marker_pattern(cell_type)
    begin: re.Match[str] | None = None
    for match in pattern.finditer(source):
        if match.group(1) == "BEGIN":
            begin = match
            continue
        if begin is None:
            continue
        if cell_type == "markdown":
            blocks.append(SolutionBlock(begin.start(), match.end(), source[begin.end() : match.start()]))
        else:
            line_start = source.rfind("\n", 0, begin.start()) + 1
            body_start = source.find("\n", begin.end())
            body_start = len(source) if body_start < 0 else body_start + 1
            end_line = source.find("\n", match.end())
            end = len(source) if end_line < 0 else end_line + 1
            indent = source[line_start : begin.start() + len(begin.group(0)) - len(CODE_BEGIN)]
            body = source[body_start : match.start()]  # the END marker's match starts its line
            blocks.append(SolutionBlock(line_start, end, body, indent))
        begin = None
    return blocks


def check_calls(source: str) -> list[CheckCall]:
    """Every ``check(...)`` call in a code cell, read as Python (quotes and spacing do not matter).

    IPython's own transformer turns ``%magics`` into Python first; a cell that still does not
    parse (half-written) is read by a pattern, so its check is found all the same.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return [CheckCall(m.group(1), None, source.count("\n", 0, m.start()) + 1) for m in _CHECK_CALL.finditer(source)]
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "check":
            first = node.args[0] if node.args else None
            exercise_id = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            second = node.args[1] if len(node.args) > 1 else None
            answer = second.id if isinstance(second, ast.Name) else None
            calls.append(CheckCall(exercise_id, answer, node.lineno))
    return sorted(calls, key=lambda c: c.line)


def is_check_cell(cell: Mapping[str, Any]) -> bool:
    """A code cell that calls the course's ``check(``: the student edition locks it."""
    return cell.get("cell_type") == "code" and bool(_CHECK_CALL.search(source_of(cell)))


def exercise_headings(source: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str, int]]:
    """``(lesson, number, title, offset)`` for each ``Exercise N.k`` heading in ``source[start:end]``."""
    return [
        (int(m.group(1)), int(m.group(2)), m.group(3), m.start())
        for m in _HEADING.finditer(source, start, len(source) if end is None else end)
    ]


def rubric_points(source: str) -> int | None:
    """The points a rubric names ("Rubric (4 points)", "Критерии оценки (4 балла)"), or None."""
    match = _RUBRIC.search(source)
    return int(next(g for g in match.groups() if g)) if match else None


def rubric_text(source: str) -> str | None:
    """The rubric's paragraph ("**Rubric (4 points).** 1: ..."), which students see beside the question."""
    match = _RUBRIC.search(source)
    if not match:
        return None
    start = source.rfind("\n\n", 0, match.start())
    end = source.find("\n\n", match.end())
    return source[start + 2 if start >= 0 else 0 : end if end >= 0 else len(source)].strip()


def lesson_number(name: str | Path) -> int | None:
    """The lesson's number from its file name: ``03_ukraine_and_division.ipynb`` is lesson 3."""
    stem = Path(name).stem
    head = stem.split("_", 1)[0]
    return int(head) if head.isdigit() else None


# --------------------------------------------------------------------------- reading a lesson


@dataclass
class _Draft:
    lesson: int
    number: int
    title: str
    heading_cell: int | None
    solution_cells: list[int] = field(default_factory=list)
    check_cells: list[int] = field(default_factory=list)
    check_id: str | None = None
    model_answer: str | None = None
    model_answer_cell: int | None = None
    rubric_points: int | None = None


def _where(name: str, index: int, cell: Mapping[str, Any]) -> str:
    cell_id = cell.get("id")
    return (
        f"{name}: cell {index} (counting from 0, id {cell_id!r})"
        if cell_id
        else f"{name}: cell {index} (counting from 0)"
    )


def _unchecked(name: str, index: int, cells: Sequence[Mapping[str, Any]], why: str) -> Problem:
    return Problem(
        UNCHECKED,
        f"{_where(name, index, cells[index])} holds a solution but {why}, so its exercise has no check cell "
        'calling check("...") and nbgrader cannot grade it.',
    )


def _title(cells: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """The first ``# `` heading and the italic promise that follows it."""
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            source = source_of(cell)
            match = re.search(r"^#[ \t]+(.+?)[ \t]*$", source, re.M)
            if match:
                promise = re.search(r"^\*(?!\*)(.+?)\*[ \t]*$", source[match.end() :], re.M | re.S)
                return match.group(1), " ".join(promise.group(1).split()) if promise else ""
    return "", ""


#: The plan line under an exercise's heading: ``*Objectives 1 and 3 · about 15 minutes · optional*``.
_PLAN = re.compile(
    rf"^\*{_either('objective')}[ \t]+([0-9](?:[0-9, ]|{_either('and')}\b)*?)[ \t]+·[ \t]+{_either('about')}[ \t]+(\d+)"
    rf"[ \t]+{_either('minutes')}([ \t]+·[ \t]+{_either('optional')})?\*[ \t]*$",
    re.M,
)
#: A numbered objective in "At a glance": ``1. **explain** how ...``, up to the next one or a blank line.
_OBJECTIVE = re.compile(r"^\d+\.[ \t]+(.+?)(?=\n\d+\.[ \t]|\n\n|\Z)", re.M | re.S)


def exercise_plan(source: str, start: int = 0) -> tuple[tuple[int, ...], int | None, bool]:
    """``(objectives, minutes, optional)`` from the plan line after ``source[start:]``'s heading, up to
    the next heading; ``((), None, False)`` where there is none."""
    line_end = source.find("\n", start)
    line_end = len(source) if line_end < 0 else line_end
    following = re.compile(r"^#{1,6}[ \t]", re.M).search(source, line_end)
    end = following.start() if following else len(source)
    match = _PLAN.search(source, line_end, end)
    if not match:
        return (), None, False
    numbers = tuple(int(n) for n in re.findall(r"\d+", match.group(1)))
    return numbers, int(match.group(2)), bool(match.group(3))


def _objectives(cells: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    for cell in cells:
        source = source_of(cell)
        if cell.get("cell_type") == "markdown" and _GLANCE.search(source):
            block = re.split(_either("objectives", escape=True), source, maxsplit=1)[-1]
            block = re.split(_either("main", escape=True), block, maxsplit=1)[0]
            return tuple(" ".join(m.split()) for m in _OBJECTIVE.findall(block))
    return ()


#: ``**Time:** 60 to 75 minutes.``: a field of "At a glance", up to the next field or the end.
_GLANCE_FIELD = re.compile(r"\*\*([A-ZА-ЯЁ][^*:\n]*):\*\*\s*(.+?)(?=\s*\*\*[A-ZА-ЯЁ][^*\n]*[:.]\*\*|\Z)", re.S)
_GLANCE = re.compile(rf"^## {_either('glance', escape=True)}", re.M)


def _glance(cells: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The "At a glance" fields (Time, Datasets, Before you start...), each on one line, final stop dropped."""
    for cell in cells:
        source = source_of(cell)
        if cell.get("cell_type") == "markdown" and _GLANCE.search(source):
            return {
                GLANCE_FIELDS_RU.get(k, k): " ".join(v.split()).removesuffix(".")
                for k, v in _GLANCE_FIELD.findall(source)
            }
    return {}


def read_lesson(notebook: Path | Mapping[str, Any], name: str | None = None) -> Lesson:
    """Read a lesson (a path, or a notebook already read) into a :class:`Lesson`; never raises on markup.

    ``name`` names the lesson in problems (default: the file's name, or "notebook").
    """
    if isinstance(notebook, Path):
        name = name or notebook.name
        nb: Mapping[str, Any] = nbformat.read(notebook, as_version=4)
    else:
        nb = notebook
        name = name or "notebook"
    cells: Sequence[Mapping[str, Any]] = nb.get("cells", [])
    number = lesson_number(name)
    problems: list[Problem] = []
    drafts: list[_Draft] = []
    current: _Draft | None = None  # the exercise whose heading came last
    awaiting: tuple[int, _Draft | None] | None = None  # a solution cell whose check cell is next
    last_checked: str | None = None
    setup = next((i for i, c in enumerate(cells) if c.get("cell_type") == "code"), None)
    notes: list[int] = []

    def open_exercise(lesson: int, k: int, title: str, index: int) -> _Draft:
        draft = _Draft(lesson, k, title, index)
        drafts.append(draft)
        if number is not None and lesson != number:
            problems.append(
                Problem(
                    LABEL,
                    f"{_where(name, index, cells[index])} labels Exercise {lesson}.{k} "
                    f"in lesson {number}; number it {number}.{k}.",
                )
            )
        return draft

    for index, cell in enumerate(cells):
        cell_type = str(cell.get("cell_type"))
        source = source_of(cell)
        problem = marker_problem(source, cell_type)
        if problem:
            problems.append(Problem(LEAK, f"{_where(name, index, cell)} {problem}."))
        if cell_type == "markdown":
            notes_here = (w["explorer"] for w in LABELS.values())
            if any(source.lstrip().startswith(n) or f"\n{n}" in source for n in notes_here):
                notes.append(index)
            position = 0
            for block in solution_blocks(source, "markdown"):
                for lesson, k, title, _ in exercise_headings(source, position, block.start):
                    current = open_exercise(lesson, k, title, index)
                position = block.end
                if current is None or current.model_answer is not None:
                    problems.append(
                        Problem(
                            LABEL,
                            f"{_where(name, index, cell)} holds a model answer with no "
                            "'### Exercise N.k' heading of its own above it.",
                        )
                    )
                    current = _Draft(number or 0, 0, "", None)
                    drafts.append(current)
                current.model_answer = block.body
                current.model_answer_cell = index
                current.rubric_points = rubric_points(source)
            for lesson, k, title, _ in exercise_headings(source, position):
                current = open_exercise(lesson, k, title, index)
            continue
        if cell_type != "code":
            continue
        if has_solution(source, "code"):
            if awaiting is not None:
                problems.append(
                    _unchecked(name, awaiting[0], cells, f"the next code cell (cell {index}) is another solution")
                )
            awaiting = (index, current)
            if current is not None:
                current.solution_cells.append(index)
            continue
        calls = [c for c in check_calls(source) if c.id]
        if awaiting is not None:
            solution_index, owner = awaiting
            awaiting = None
            if not calls:
                problems.append(
                    _unchecked(
                        name, solution_index, cells, f'the next code cell (cell {index}) does not call check("...")'
                    )
                )
                continue
            if owner is None:
                owner = _Draft(number or 0, 0, "", None)
                drafts.append(owner)
                owner.solution_cells.append(solution_index)
                problems.append(
                    Problem(
                        LABEL,
                        f"{_where(name, index, cell)} checks {calls[0].id!r} with no "
                        "'### Exercise N.k' heading above its solution.",
                    )
                )
            owner.check_cells.append(index)
            owner.check_id = calls[0].id
            last_checked = calls[0].id
            current = None
            continue
        for call in calls:
            if call.id == last_checked:
                continue  # the same exercise checked again, to show the feedback on another answer
            problems.append(
                Problem(
                    LABEL,
                    f"{_where(name, index, cell)} calls check({call.id!r}) with no solution "
                    "cell before it, so nbgrader cannot grade it.",
                )
            )
    if awaiting is not None:
        problems.append(_unchecked(name, awaiting[0], cells, "no code cell follows it"))

    ids = [d.check_id for d in drafts if d.check_id]
    prefixes = sorted({i.rsplit("-", 1)[0] for i in ids})
    prefix = prefixes[0] if len(prefixes) == 1 else (ids[0].rsplit("-", 1)[0] if ids else None)
    if len(prefixes) > 1:
        problems.append(
            Problem(
                LABEL,
                f"{name}: its checks use more than one id prefix ({', '.join(prefixes)}); "
                "a lesson's exercises share one.",
            )
        )
    exercises = []
    for draft in drafts:
        exercise_id = draft.check_id or f"{prefix or 'answer'}-{draft.number}"
        if draft.check_id and draft.number and draft.check_id != f"{prefix}-{draft.number}":
            where = _where(name, draft.check_cells[0], cells[draft.check_cells[0]])
            problems.append(
                Problem(
                    LABEL,
                    f"{where}: Exercise {draft.lesson}.{draft.number} is checked by "
                    f"{draft.check_id!r}, not '{prefix}-{draft.number}'.",
                )
            )
        if not draft.solution_cells and draft.model_answer is None and draft.heading_cell is not None:
            continue  # a heading for an exercise done in prose (no answer to mark): nothing for the tools
        plan: tuple[tuple[int, ...], int | None, bool] = ((), None, False)
        if draft.heading_cell is not None:
            heading_source = source_of(cells[draft.heading_cell])
            for lesson_no, k, _, offset in exercise_headings(heading_source):
                if (lesson_no, k) == (draft.lesson, draft.number):
                    plan = exercise_plan(heading_source, offset)
        exercises.append(
            Exercise(
                lesson=draft.lesson,
                number=draft.number,
                title=draft.title,
                id=exercise_id,
                heading_cell=draft.heading_cell,
                solution_cells=tuple(draft.solution_cells),
                check_cells=tuple(draft.check_cells),
                model_answer=draft.model_answer,
                model_answer_cell=draft.model_answer_cell,
                rubric_points=draft.rubric_points,
                objectives=plan[0],
                minutes=plan[1],
                optional=plan[2],
            )
        )
    seen: dict[str, Exercise] = {}
    for exercise in exercises:
        first = seen.setdefault(exercise.id, exercise)
        if first is not exercise:
            where = _where(name, exercise.cells[0], cells[exercise.cells[0]])
            problems.append(
                Problem(
                    DUPLICATE,
                    f"{where} uses the id {exercise.id!r}, which cell {first.cells[0]} "
                    "already uses; each exercise needs its own.",
                )
            )
    title, promise = _title(cells)
    return Lesson(
        name=name,
        number=number,
        prefix=prefix,
        title=title,
        promise=promise,
        glance=_glance(cells),
        objectives=_objectives(cells),
        cells=cells,
        setup_cell=setup,
        exercises=tuple(exercises),
        explorer_notes=tuple(notes),
        problems=tuple(problems),
    )


# --------------------------------------------------------------------------- the course's lessons


def lesson_paths(root: Path) -> list[Path]:
    """The lessons in course order, as ``_toc.yml`` lists them: its chapters that are notebooks."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}

    def files(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                yield node["file"]
            for value in node.values():
                yield from files(value)
        elif isinstance(node, list):
            for value in node:
                yield from files(value)

    found = []
    for entry in files(toc):
        path = root / (entry if entry.endswith(".ipynb") else f"{entry}.ipynb")
        if path.exists() and path not in found:
            found.append(path)
    return found


def read_lessons(root: Path) -> list[Lesson]:
    """Every lesson of the course at ``root``, in course order."""
    return [read_lesson(path) for path in lesson_paths(root)]
