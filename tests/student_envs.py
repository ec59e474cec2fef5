"""Fresh environments for the tests of what a student gets (test_handout.py, test_student_branch.py).

Each is made by ``uv sync --frozen`` into the test's own folder (``UV_PROJECT_ENVIRONMENT``), with
``UV_OFFLINE=1``: uv reads each package's address from uv.lock, so it needs only the files
``make env`` left in uv's cache, and the tests never reach the internet. A kernel spec in a
JUPYTER_PATH folder of the test's own runs the lessons with that environment's Python.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from .conftest import ROOT


def uv() -> str:
    found = shutil.which("uv") or shutil.which(str(ROOT / ".tools" / "bin" / "uv"))
    assert found, "uv not found: run `make env`, which installs it"
    return found


def run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    """Run a command offline (the uv cache holds every package `make env` installed); its output."""
    env = {**os.environ, "UV_OFFLINE": "1", **(env or {})}
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def sync(folder: Path, *options: str) -> Path:
    """A new environment at ``folder`` with uv.lock's runtime set and ``options`` (groups); its python.

    Not the course itself (``--no-install-project``). ``--compile-bytecode``: as pip does by
    default, so the lessons' imports are as fast as a student's.
    """
    command = ("sync", "--frozen", "--no-default-groups", "--no-install-project", "--compile-bytecode", "--quiet")
    run(uv(), *command, *options, "--python", sys.executable, env={"UV_PROJECT_ENVIRONMENT": str(folder)})
    return folder / "bin" / "python"


def kernel_spec(jupyter_path: Path, name: str, python: Path, env: dict[str, str] | None = None) -> None:
    """Register a kernel that runs ``python``'s ipykernel, in a JUPYTER_PATH folder of the test's own."""
    folder = jupyter_path / "kernels" / name
    folder.mkdir(parents=True)
    bin_dir = str(python.parent)
    spec = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": name,
        "language": "python",
        "env": {"VIRTUAL_ENV": str(python.parent.parent), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        | (env or {}),
    }
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")


def run_student_lesson(folder: Path, lesson: str, kernel: str) -> tuple[list[Any], list[str]]:
    """Run one lesson of a student copy (``folder/notebooks``) in ``kernel``, as a student's Run All
    does: its code cells, and each error or stderr output as one line (JupyterLab shows stderr in
    red, and a student takes it for an error). The kernel is told the notebook's path as Jupyter
    Server tells it (``JPY_SESSION_NAME``), from which the course reads the lesson's language."""
    path = folder / "notebooks" / lesson
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name=kernel,
        allow_errors=True,
        resources={"metadata": {"path": str(folder / "notebooks")}},
    )
    client.execute(env={**os.environ, "JPY_SESSION_NAME": str(path.resolve())})
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    problems = [
        f"cell {cell.id}: {output.get('ename', 'stderr')}: {output.get('evalue') or output.get('text', '')[:300]}"
        for cell in code
        for output in cell.outputs
        if output.output_type == "error" or (output.output_type == "stream" and output.name == "stderr")
    ]
    return code, problems
