"""Spell-check the course's prose with codespell (run by ``make lint`` and the pre-commit hook).

codespell knows a list of common misspellings, not every English word, so it
never flags names such as Tokayev or Gyumri; the words it wrongly flags go in
``.codespell-words.txt`` (one per line), which ``[tool.codespell]`` in pyproject.toml names.

Checked: the lessons' cells (Markdown and code, never their outputs: a chart's JSON or a
table of data is not prose), the pages in book/, the READMEs, data/sources.csv (its titles
and notes), the configuration, and the code's comments and docstrings. Not checked:
book/references.bib (generated from data/sources.csv) and vendored files.

codespell reads a notebook as JSON, outputs included, so each cell's source is first written
to its own file in a temporary folder; a finding is reported as ``notebook, cell N (id), line``.

Usage (from the repository root)::

    python tools/lint_prose.py            # the files above
    python tools/lint_prose.py FILE ...   # only these (a .ipynb is read cell by cell)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: What is checked when no file is named, as globs from the repository root.
DEFAULT_FILES = (
    "notebooks/*.ipynb",
    "book/*.md",
    "*.md",
    "data/README.md",
    "data/geo/README.md",
    "data/sources.csv",
    "CITATION.cff",
    "_config.yml",
    "_toc.yml",
    "Makefile",
    ".ci/run",
    "src/**/*.py",
    "tests/**/*.py",
    "bench/*.py",
    "tools/*.py",
)


def default_files(root: Path = ROOT) -> list[Path]:
    """The files checked when none is named, each once, in a stable order."""
    found = {path for pattern in DEFAULT_FILES for path in root.glob(pattern) if path.is_file()}
    return sorted(path.relative_to(root) for path in found)


def extract_cells(notebook: Path, into: Path, name: str | None = None) -> dict[str, str]:
    """Write each cell's source of ``notebook`` to a file under ``into``; map each file to a label.

    A label names the notebook as ``name`` (by default its path), then the cell.
    """
    # Plain JSON, not nbformat: importing nbformat takes seconds (its validator's dependencies).
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    labels: dict[str, str] = {}
    folder = into / notebook.name
    folder.mkdir(parents=True, exist_ok=True)
    for index, cell in enumerate(cells):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if not source.strip():
            continue
        path = folder / f"cell-{index:03d}.txt"
        path.write_text(source + "\n", encoding="utf-8")
        labels[str(path)] = f"{name or notebook}, cell {index} ({cell.get('id', 'no id')}, {cell['cell_type']})"
    return labels


def run_codespell(files: list[Path], root: Path = ROOT) -> int:
    """Run codespell on ``files`` (paths from ``root``), print its findings, return its exit status."""
    with tempfile.TemporaryDirectory(prefix="lint-prose-") as tmp:
        labels: dict[str, str] = {}
        targets: list[str] = []
        for path in files:
            if path.suffix == ".ipynb":
                found = extract_cells(root / path, Path(tmp), name=str(path))
                labels.update(found)
                targets.extend(found)
            else:
                targets.append(str(path))
        if not targets:
            return 0
        # Run from the root, where codespell reads [tool.codespell] in pyproject.toml.
        result = subprocess.run(
            [sys.executable, "-m", "codespell_lib", *targets],
            cwd=root,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
    for line in result.stdout.splitlines():
        print(_relabel(line, labels))
    sys.stderr.write(result.stderr)
    return result.returncode


def _relabel(line: str, labels: dict[str, str]) -> str:
    """``/tmp/.../cell-003.txt:2: <finding>`` becomes ``notebooks/x.ipynb, cell 3 (id, markdown), line 2: ...``."""
    match = re.match(r"(.+?):(\d+): (.*)", line)
    if match and match.group(1) in labels:
        return f"{labels[match.group(1)]}, line {match.group(2)}: {match.group(3)}"
    return line


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] if argv else default_files()
    missing = [str(path) for path in files if not (ROOT / path).is_file()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    status = run_codespell(files)
    if status not in (0, 65):  # 65: codespell found misspellings (it prints them)
        print(f"codespell failed with exit status {status}", file=sys.stderr)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
