"""tools/normalize_notebooks.py (run by `make execute`): a re-run lesson differs only where its content did."""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path

import nbformat

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
        nbformat.v4.new_output("display_data", data={VIEW: {"model_id": model_id, "version_major": 2, "version_minor": 0}, "text/plain": "IntSlider()"}),
    ]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {model_id: {}}, "version_major": 2, "version_minor": 0}}
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
