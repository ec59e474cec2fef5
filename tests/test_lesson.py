"""The lesson model (csto_course.authoring.lesson), the one reader of the lessons' markup.

Each rule of the format is shown here with a small lesson that keeps it and one that breaks it,
so the tools that rely on the model (release, nbgrader's metadata, the answer key, the lint)
can trust it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from csto_course.authoring.lesson import (
    DUPLICATE,
    LABEL,
    LEAK,
    UNCHECKED,
    check_calls,
    lesson_paths,
    read_lesson,
    solution_blocks,
)

from .conftest import ROOT

HEADING = "### Exercise 3.1\n\nHow many?"
SOLUTION = "# BEGIN SOLUTION\nanswer = 9\n# END SOLUTION"


def _lesson(*cells: tuple[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) if k == "code" else nbformat.v4.new_markdown_cell(s) for k, s in cells]
    for index, cell in enumerate(nb.cells):
        cell.id = f"c{index:03d}"
    return nb


def _kinds(nb: nbformat.NotebookNode, name: str = "03_test.ipynb") -> list[str]:
    return [problem.kind for problem in read_lesson(nb, name).problems]


def test_an_exercise_is_read_with_its_label_id_cells_and_points() -> None:
    lesson = read_lesson(
        _lesson(
            ("code", "%pip install nothing\nfrom csto_course import *"),
            ("markdown", HEADING),
            ("code", SOLUTION),
            ("code", "check('ukraine-1', answer)"),  # single quotes: the same check
            ("code", 'check("ukraine-1", "nine")'),  # checked again, to show the feedback on a wrong type
            (
                "markdown",
                "### Exercise 3.2 (open question)\n\nWhy?\n\n<!-- BEGIN SOLUTION -->\nBecause."
                "\n\nRubric (4 points)\n<!-- END SOLUTION -->",
            ),
        ),
        "03_test.ipynb",
    )
    assert lesson.problems == ()
    assert (lesson.number, lesson.prefix, lesson.setup_cell) == (3, "ukraine", 0)
    first, second = lesson.exercises
    assert (first.label, first.id, first.solution_cells, first.check_cells, first.points) == (
        "3.1",
        "ukraine-1",
        (2,),
        (3,),
        1,
    )
    assert (second.label, second.id, second.title, second.is_open, second.points) == (
        "3.2",
        "ukraine-2",
        "(open question)",
        True,
        4,
    )
    assert second.model_answer is not None and second.model_answer.strip().startswith("Because.")


@pytest.mark.parametrize(
    ("cells", "kind", "words"),
    [
        (
            [("markdown", HEADING), ("code", SOLUTION), ("code", 'check("ukraine-2", answer)')],
            LABEL,
            "Exercise 3.1 is checked by 'ukraine-2', not 'ukraine-1'",
        ),
        (
            [("markdown", "### Exercise 4.1"), ("code", SOLUTION), ("code", 'check("ukraine-1", answer)')],
            LABEL,
            "labels Exercise 4.1 in lesson 3",
        ),
        ([("code", SOLUTION), ("code", 'check("ukraine-1", answer)')], LABEL, "with no '### Exercise N.k' heading"),
        (
            [("markdown", HEADING), ("code", SOLUTION), ("code", "print(answer)")],
            UNCHECKED,
            "the next code cell (cell 2) does not call check",
        ),
        ([("markdown", HEADING), ("code", SOLUTION)], UNCHECKED, "no code cell follows it"),
        (
            [("markdown", HEADING), ("code", "# BEGIN SOLUTION\nanswer = 9"), ("code", 'check("ukraine-1", answer)')],
            LEAK,
            "with no '# END SOLUTION' after it, so the solution would leak",
        ),
        (
            [
                ("markdown", HEADING),
                ("code", "x = 1  # BEGIN SOLUTION\ny = 2"),
                ("code", 'check("ukraine-1", x)'),
            ],
            LEAK,
            "a solution marker that is not a comment starting its own line",
        ),
        ([("markdown", "Text <!-- BEGIN SOLUTION --> and no end")], LEAK, "with no '<!-- END SOLUTION -->'"),
        (
            [
                ("markdown", HEADING),
                ("code", SOLUTION),
                ("code", 'check("ukraine-1", answer)'),
                ("markdown", "### Exercise 3.1"),
                ("code", SOLUTION),
                ("code", 'check("ukraine-1", answer)'),
            ],
            DUPLICATE,
            "uses the id 'ukraine-1', which cell 1 already uses",
        ),
        (
            [("markdown", HEADING), ("code", "x = 1"), ("code", 'check("ukraine-1", x)')],
            LABEL,
            "with no solution cell before it",
        ),
    ],
    ids=[
        "id-and-label",
        "other-lesson",
        "no-heading",
        "no-check",
        "last-cell",
        "unclosed",
        "inline-marker",
        "markdown-unclosed",
        "duplicate",
        "check-without-solution",
    ],
)
def test_each_broken_rule_is_one_sentence_naming_the_file_and_cell(
    cells: list[tuple[str, str]], kind: str, words: str
) -> None:
    problems = read_lesson(_lesson(*cells), "03_test.ipynb").problems
    assert kind in [p.kind for p in problems], problems
    message = next(p.message for p in problems if p.kind == kind)
    assert message.startswith("03_test.ipynb") and "cell" in message and words in message, message


def test_solution_blocks_keep_their_indent_and_body() -> None:
    source = "def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\nprint(f())"
    (block,) = solution_blocks(source)
    assert (block.indent, block.body) == ("    ", "    return 1\n")
    assert source[: block.start] + source[block.end :] == "def f():\nprint(f())"
    (markdown,) = solution_blocks("A <!-- BEGIN SOLUTION -->model<!-- END SOLUTION --> B", "markdown")
    assert markdown.body == "model"


def test_check_calls_are_read_as_python_and_half_written_cells_still_count() -> None:
    assert [(c.id, c.answer) for c in check_calls("x = 1\ncheck( 'a-1' , x)\nobj.check('no', 1)")] == [("a-1", "x")]
    assert [c.id for c in check_calls('check("a-2", [1, 2')] == ["a-2"]  # does not parse: read by a pattern


def test_the_lessons_come_from_the_table_of_contents_in_its_order() -> None:
    paths = lesson_paths(ROOT)
    assert paths and all(p.suffix == ".ipynb" and p.exists() for p in paths)
    assert [p.name for p in paths] == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.slow  # it runs the lint in a copy of the repository (not in `make check`, which runs the lint itself)
def test_the_lint_reports_a_mislabelled_and_an_unchecked_exercise(tmp_path: Path) -> None:
    """What README promises of `make lint`: each problem in one sentence naming the file."""
    mislabelled, unchecked = tmp_path / "03_test.ipynb", tmp_path / "03_other.ipynb"
    nbformat.write(
        _lesson(("markdown", HEADING), ("code", SOLUTION), ("code", 'check("ukraine-2", answer)')), mislabelled
    )
    nbformat.write(_lesson(("markdown", HEADING), ("code", SOLUTION), ("code", "print(answer)")), unchecked)
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "normalize_notebooks.py"), "--check", str(mislabelled), str(unchecked)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(str(mislabelled)) and "Exercise 3.1 is checked by 'ukraine-2', not 'ukraine-1'" in line
        for line in lines
    ), result.stdout
    assert any(line.startswith(str(unchecked)) and 'does not call check("...")' in line for line in lines), (
        result.stdout
    )
