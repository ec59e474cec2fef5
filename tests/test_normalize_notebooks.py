"""tools/normalize_notebooks.py (run by `make execute`): a re-run lesson differs only where its content did."""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path

import nbformat
import pytest

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("normalize_notebooks", ROOT / "tools" / "normalize_notebooks.py")
assert _spec and _spec.loader
normalize_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(normalize_notebooks)

VIEW = "application/vnd.jupyter.widget-view+json"


def _executed(model_id: str) -> nbformat.NotebookNode:
    """A lesson as nbconvert saves it: a widget output with a random id, widget state, a timing."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Text"), nbformat.v4.new_code_cell("slider")]
    nb.cells[0].id, nb.cells[1].id = "c000", "c001"
    nb.cells[1].metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    nb.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="hello\n"),
        nbformat.v4.new_output(
            "display_data",
            data={VIEW: {"model_id": model_id, "version_major": 2, "version_minor": 0}, "text/plain": "IntSlider()"},
        ),
    ]
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {model_id: {}}, "version_major": 2, "version_minor": 0}
    }
    return nb


def test_two_runs_of_a_lesson_normalise_to_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "first.ipynb", tmp_path / "second.ipynb"
    nbformat.write(_executed(uuid.uuid4().hex), first)
    nbformat.write(_executed(uuid.uuid4().hex), second)
    assert first.read_bytes() != second.read_bytes()
    assert normalize_notebooks.main([str(first), str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    nb = nbformat.read(first, as_version=4)
    assert "widgets" not in nb.metadata
    assert "execution" not in nb.cells[1].metadata
    assert nb.cells[1].outputs[1].data[VIEW]["model_id"] == normalize_notebooks.stable_model_id("c001", 1)
    assert nb.cells[1].outputs[0].text == "hello\n"


def test_a_normalised_lesson_is_left_alone_and_check_reports_the_others(tmp_path: Path) -> None:
    path = tmp_path / "lesson.ipynb"
    nbformat.write(_executed(uuid.uuid4().hex), path)
    assert normalize_notebooks.main(["--check", str(path)]) == 1
    normalize_notebooks.main([str(path)])
    before = path.stat().st_mtime_ns, path.read_bytes()
    assert normalize_notebooks.normalize_file(path) is False
    assert normalize_notebooks.main(["--check", str(path)]) == 0
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def _saved_from_an_editor() -> nbformat.NotebookNode:
    """A lesson run in order, then saved with an editor's view state and one author's choice of folds."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["trusted"] = True
    nb.cells = [
        nbformat.v4.new_code_cell("1"),
        nbformat.v4.new_code_cell("print(2)"),
        nbformat.v4.new_markdown_cell("*"),
    ]
    for index, cell in enumerate(nb.cells):
        cell.id = f"c{index:03d}"
    nb.cells[0].execution_count = 1
    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=1)]
    nb.cells[0].metadata.update(collapsed=True, scrolled="auto", trusted=True, ExecuteTime={"end_time": "2026"})
    nb.cells[0].metadata.update(tags=["hide-output"], jupyter={"outputs_hidden": True}, editable=False)
    nb.cells[1].execution_count = 2
    nb.cells[1].metadata["deletable"] = False
    return nb


def test_an_editors_view_state_is_removed_and_the_lessons_own_metadata_kept(tmp_path: Path) -> None:
    path = tmp_path / "lesson.ipynb"
    nbformat.write(_saved_from_an_editor(), path)
    assert normalize_notebooks.main(["--check", str(path)]) == 1
    assert normalize_notebooks.main([str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    assert set(nb.metadata) == {"kernelspec"}
    assert nb.cells[0].metadata == {"tags": ["hide-output"], "jupyter": {"outputs_hidden": True}, "editable": False}
    assert nb.cells[1].metadata == {"deletable": False}
    assert normalize_notebooks.main(["--check", str(path)]) == 0


def test_stray_metadata_and_out_of_order_outputs_are_reported_not_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nb = _saved_from_an_editor()
    nb.metadata["vscode"] = {"interpreter": {"hash": "abc"}}
    nb.cells[0].metadata["jupyter"]["outputs_collapsed"] = True
    nb.cells[1].metadata["colab"] = {"id": "x"}
    nb.cells[1].execution_count = 7
    nb.cells[0].outputs[0].execution_count = 3
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, path)
    capsys.readouterr()
    assert normalize_notebooks.main([str(path)]) == 1
    report = capsys.readouterr().out
    assert "notebook metadata 'vscode'" in report
    assert "cell 0 (c000): metadata 'jupyter.outputs_collapsed'" in report
    assert "cell 1 (c001): metadata 'colab'" in report
    assert "cell 1 (c001): execution count 7 where a run from the top gives 2" in report
    assert "cell 0 (c000): an output numbered 3 in a cell numbered 1" in report
    kept = nbformat.read(path, as_version=4)
    assert "vscode" in kept.metadata and "colab" in kept.cells[1].metadata
