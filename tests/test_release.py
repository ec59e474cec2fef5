"""The student edition: no solution text left, and every lesson still runs to the end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from csto_course.authoring.lesson import lesson_paths
from csto_course.authoring.release import (
    MARKERS,
    ReleaseError,
    build_student_edition,
    strip_solutions,
    student_notebook,
)

from .conftest import ROOT

LESSONS = lesson_paths(ROOT)


def test_code_solution_becomes_a_stub_for_each_assigned_name() -> None:
    source = "x = 1\n# BEGIN SOLUTION\na, b = 2, 3\ncount = len([a])\n# END SOLUTION\ncheck('e', count)\n"
    stripped = strip_solutions(source)
    assert (
        stripped
        == "x = 1\n# YOUR CODE HERE: replace the ... below.\na = ...\nb = ...\ncount = ...\ncheck('e', count)\n"
    )


def test_indented_solution_keeps_its_indentation() -> None:
    source = "def f():\n    # BEGIN SOLUTION\n    total = 1\n    # END SOLUTION\n    return total\n"
    assert "    total = ...\n    return total" in strip_solutions(source)


def test_markdown_model_answer_is_removed() -> None:
    source = "Why?\n\n<!-- BEGIN SOLUTION -->\nBecause the treaty says so.\n<!-- END SOLUTION -->\n"
    stripped = strip_solutions(source, "markdown")
    assert "Because" not in stripped and "Write your answer here" in stripped


def _lesson(*cells: tuple[str, str]) -> nbformat.NotebookNode:
    """A small notebook from (cell type, source) pairs; cell ids are c000, c001, ..."""
    nb = nbformat.v4.new_notebook()
    for index, (kind, source) in enumerate(cells):
        cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
        cell.id = f"c{index:03d}"
        nb.cells.append(cell)
    return nb


SOLUTION = "# BEGIN SOLUTION\nanswer = 9\n# END SOLUTION\n"
CHECK = 'check("lesson-1", answer)'


@pytest.mark.parametrize(
    ("cells", "cell", "words"),
    [
        pytest.param(
            [("code", "# BEGIN SOLUTION\nanswer = 9\n"), ("code", CHECK)],
            0,
            "no '# END SOLUTION'",
            id="code-begin-without-end",
        ),
        pytest.param(
            [
                ("code", "# BEGIN SOLUTION\nx = 1\n# BEGIN SOLUTION\nanswer = 9\n# END SOLUTION\n# END SOLUTION"),
                ("code", CHECK),
            ],
            0,
            "cannot be nested",
            id="code-nested",
        ),
        pytest.param(
            [("markdown", "Intro"), ("code", "answer = 9\n# END SOLUTION\n"), ("code", CHECK)],
            1,
            "no '# BEGIN SOLUTION' before",
            id="code-stray-end",
        ),
        pytest.param(
            [("code", "answer = 9  # BEGIN SOLUTION\n"), ("code", CHECK)],
            0,
            "not a comment starting its own line",
            id="code-marker-mid-line",
        ),
        pytest.param(
            [("markdown", "Why?\n<!-- BEGIN SOLUTION -->\nBecause.\n")],
            0,
            "no '<!-- END SOLUTION -->'",
            id="markdown-begin-without-end",
        ),
        pytest.param(
            [
                (
                    "markdown",
                    "<!-- BEGIN SOLUTION -->\nA\n<!--BEGIN SOLUTION-->\nB\n<!-- END SOLUTION -->\n<!-- END "
                    "SOLUTION -->",
                )
            ],
            0,
            "cannot be nested",
            id="markdown-nested",
        ),
        pytest.param(
            [("markdown", "Why?\nBecause.\n<!-- END SOLUTION -->")],
            0,
            "no '<!-- BEGIN SOLUTION -->' before",
            id="markdown-stray-end",
        ),
        pytest.param(
            [("code", SOLUTION), ("markdown", "Next section"), ("code", "print(answer)")],
            0,
            'does not call check("...")',
            id="next-code-cell-not-a-check",
        ),
        pytest.param(
            [("code", "x = 1"), ("code", SOLUTION), ("markdown", "The end.")],
            1,
            "no code cell follows",
            id="solution-is-last-code-cell",
        ),
    ],
)
def test_a_lesson_that_would_leak_or_lose_a_check_is_refused_naming_the_file_and_cell(
    cells: list[tuple[str, str]], cell: int, words: str
) -> None:
    with pytest.raises(ReleaseError) as refused:
        student_notebook(_lesson(*cells), name="notebooks/99_test.ipynb")
    message = str(refused.value)
    assert message.startswith(f"notebooks/99_test.ipynb: cell {cell} (counting from 0, id 'c{cell:03d}')"), message
    assert words in message
    assert message.count(". ") == 0 and message.endswith("."), "one sentence"


def test_a_solution_followed_by_its_check_past_markdown_is_accepted() -> None:
    nb = _lesson(("code", SOLUTION), ("markdown", "Now check it."), ("code", CHECK))
    assert "answer = ..." in student_notebook(nb).cells[0].source


def test_check_cells_are_locked_and_other_cells_are_not() -> None:
    nb = _lesson(("code", "x = 1"), ("code", SOLUTION), ("code", CHECK), ("markdown", "Text with check(x) in it"))
    cells = student_notebook(nb).cells
    assert cells[2].metadata["editable"] is False and cells[2].metadata["deletable"] is False
    for other in (cells[0], cells[1], cells[3]):
        assert "editable" not in other.metadata and "deletable" not in other.metadata


def test_the_command_prints_one_sentence_and_exits_1_without_a_traceback(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    nbformat.write(_lesson(("code", "# BEGIN SOLUTION\nanswer = 9\n"), ("code", CHECK)), lessons / "01_leaky.ipynb")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: lessons/01_leaky\n")
    out = tmp_path / "student"
    result = subprocess.run(
        [sys.executable, "-m", "csto_course.authoring.release", str(out), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Student edition not written: lessons/01_leaky.ipynb: cell 0 (counting from 0, id 'c000') has a "
        "'# BEGIN SOLUTION' on line 1 with no '# END SOLUTION' after it, so the solution would leak."
    ]
    assert not (out / "notebooks" / "01_leaky.ipynb").exists()


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("student")
    build_student_edition(ROOT, out)
    return out


def test_student_edition_has_every_lesson_and_no_solution_text(student_dir: Path) -> None:
    written = sorted(p.name for p in student_dir.glob("*.ipynb"))
    assert written == [p.name for p in LESSONS]
    for path in student_dir.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for marker in MARKERS:
                assert marker not in cell.source, f"{path.name}: {marker} left in a cell"
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{path.name}: outputs would reveal answers"
                if "check(" in cell.source:
                    locked = (cell.metadata.get("editable"), cell.metadata.get("deletable"))
                    assert locked == (False, False), f"{path.name}: check cell {cell.id} is not locked"
        assert "widgets" not in nb.metadata


# That each student notebook runs to the end with every check "not attempted" is tested once,
# where a student meets it: in a fresh environment holding only the runtime set and the handout's
# wheel (tests/test_handout.py, test_each_student_notebook_runs_in_the_fresh_environment).
