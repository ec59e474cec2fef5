"""How long each lesson takes to run top to bottom, bare, as "Run All" in JupyterLab does (used by bench/run.py).

For each notebook: a fresh kernel's start-up, then every cell in order, timed apart, so a
lesson's own work ("Run All beyond kernel start") is not hidden by the kernel's start.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from csto_course.authoring.lesson import lesson_paths

ROOT = Path(__file__).resolve().parents[1]


def measure_lessons() -> list[dict[str, object]]:
    """One row per lesson: kernel start, Run All beyond it, and the whole bare run, in seconds."""
    rows: list[dict[str, object]] = []
    for path in lesson_paths(ROOT):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        with client.setup_kernel():
            ready = time.perf_counter()
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            done = time.perf_counter()
        ended = time.perf_counter()  # the kernel has shut down
        rows.append(
            {
                "lesson": path.stem,
                "kernel_start_s": round(ready - start, 3),
                "run_all_s": round(done - ready, 3),
                "bare_s": round(ended - start, 3),
            }
        )
    return rows
