"""No exercise needs Python the course has not shown: each reference solution uses only the
constructs that earlier cells, the text's code snippets or the exercise's own wording show."""

from __future__ import annotations

import nbformat

from csto_course.authoring.lesson import read_lesson, read_lessons
from csto_course.authoring.skills import constructs, gaps

from .conftest import ROOT


def test_every_solution_uses_only_what_the_course_has_shown() -> None:
    found = gaps(read_lessons(ROOT), ROOT)
    assert not found, "\n".join(map(str, found))


def _lesson(hint: str, solution: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Lesson 9: A test\n\n*A promise.*"),
        nbformat.v4.new_code_cell("from csto_course import *"),
        nbformat.v4.new_markdown_cell(f"### Exercise 9.1\n\nCount the states. {hint}"),
        nbformat.v4.new_code_cell(f"# BEGIN SOLUTION\n{solution}\n# END SOLUTION"),
        nbformat.v4.new_code_cell('check("test-1", answer)'),
    ]
    return notebook


def test_a_function_nobody_has_shown_is_caught_and_a_hint_that_shows_it_is_enough() -> None:
    solution = "def size(table):\n    return len(table)\n\nanswer = size(states)"
    unshown = gaps([read_lesson(_lesson("", solution), "09_test.ipynb")], ROOT)
    assert {gap.construct for gap in unshown} == {"def", "len()", "size()"}
    hint = "*Hint:* `def size(table): return len(table)` defines a function; call it as `size(states)`."
    assert gaps([read_lesson(_lesson(hint, solution), "09_test.ipynb")], ROOT) == []


def test_constructs_reads_methods_operators_and_loops_but_not_column_names() -> None:
    code = 'for row in spells.itertuples():\n    n = (spells["status"] != "member").sum() / len(spells)'
    assert constructs(code, ignore={"status"}) >= {"for loop", ".itertuples", "!=", "/", ".sum", "len()"}
    assert ".iso3" not in constructs("row.iso3", ignore={"iso3"})
    assert constructs(".dt.days") == {".dt", ".days"}
