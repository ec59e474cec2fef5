"""The student edition: no solution text left, and every lesson still runs to the end."""

from __future__ import annotations

import ast

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from csto_course.release import MARKERS, build_student_edition, strip_solutions

from .conftest import ROOT

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_code_solution_becomes_a_stub_for_each_assigned_name() -> None:
    source = "x = 1\n# BEGIN SOLUTION\na, b = 2, 3\ncount = len([a])\n# END SOLUTION\ncheck('e', count)\n"
    stripped = strip_solutions(source)
    assert stripped == "x = 1\n# YOUR CODE HERE: replace the ... below.\na = ...\nb = ...\ncount = ...\ncheck('e', count)\n"


def test_indented_solution_keeps_its_indentation() -> None:
    source = "def f():\n    # BEGIN SOLUTION\n    total = 1\n    # END SOLUTION\n    return total\n"
    assert "    total = ...\n    return total" in strip_solutions(source)


def test_markdown_model_answer_is_removed() -> None:
    source = "Why?\n\n<!-- BEGIN SOLUTION -->\nBecause the treaty says so.\n<!-- END SOLUTION -->\n"
    stripped = strip_solutions(source, "markdown")
    assert "Because" not in stripped and "Write your answer here" in stripped


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("student")
    build_student_edition(ROOT / "notebooks", out)
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
        assert "widgets" not in nb.metadata


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_student_notebook_runs_to_the_end_with_checks_unattempted(student_dir: Path, lesson: str) -> None:
    path = student_dir / lesson
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    checked_names = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for call in _check_calls(cell.source):
            # A check of a variable the student fills in must say "not attempted"; a check of a
            # literal (a demonstration such as check(..., "nine")) keeps its own message.
            if len(call.args) == 2 and isinstance(call.args[1], ast.Name):
                checked_names += 1
                text = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
                assert "Not attempted yet" in text, f"{lesson}: {cell.source!r} gave {text!r}"
    assert checked_names, "a lesson without exercises?"


def _check_calls(source: str) -> list[ast.Call]:
    from IPython.core.inputtransformer2 import TransformerManager

    python = TransformerManager().transform_cell(source)  # turns %magics into plain Python
    return [
        node
        for node in ast.walk(ast.parse(python))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "check"
    ]
