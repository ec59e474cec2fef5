"""Make the student edition: the lessons with every solution replaced by an unattempted stub.

Solutions sit between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` (nbgrader's markers) in
code cells, and between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` in
Markdown cells. A code stub assigns ``...`` to each name the solution assigned, so "Run
All" still reaches the end and every check says "not attempted yet". Outputs are cleared:
they would show the answers.

Run it as ``python -m csto_course.release OUT_DIR`` (``make student`` does).
"""

from __future__ import annotations

import ast
import re
import shutil
import sys
from pathlib import Path

import nbformat

__all__ = ["strip_solutions", "student_notebook", "build_student_edition"]

_CODE = re.compile(r"^([ \t]*)# BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*# END SOLUTION[^\n]*(\n|$)", re.M | re.S)
_MARKDOWN = re.compile(r"<!--\s*BEGIN SOLUTION\s*-->.*?<!--\s*END SOLUTION\s*-->", re.S)
MARKERS = ("BEGIN SOLUTION", "END SOLUTION")


def _assigned_names(code: str) -> list[str]:
    """Top-level names a solution assigns, in order: the stub gives each a ``...``."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names: list[str] = []

    def add(target: ast.AST) -> None:
        if isinstance(target, ast.Name) and target.id not in names:
            names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                add(element)

    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                add(target)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            add(node.target)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            if node.name not in names:
                names.append(node.name)
    return names


def strip_solutions(source: str, cell_type: str = "code") -> str:
    """Replace each solution block in one cell's source by a stub a student fills in."""
    if cell_type == "markdown":
        return _MARKDOWN.sub("*Write your answer here.*", source)

    def stub(match: re.Match[str]) -> str:
        indent, body, end = match.group(1), match.group(2), match.group(3)
        names = _assigned_names(_dedent(body, indent))
        lines = [f"{indent}# YOUR CODE HERE: replace the ... below."]
        lines += [f"{indent}{name} = ..." for name in names] or [f"{indent}pass"]
        return "\n".join(lines) + end

    return _CODE.sub(stub, source)


def _dedent(body: str, indent: str) -> str:
    return "\n".join(line[len(indent):] if line.startswith(indent) else line for line in body.splitlines())


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without solutions or outputs."""
    out = nbformat.from_dict(nb)
    for cell in out.cells:
        cell.source = strip_solutions(cell.source, cell.cell_type)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            tags = [t for t in cell.metadata.get("tags", []) if t not in {"hide-input", "remove-input"}]
            if tags:
                cell.metadata["tags"] = tags
            else:
                cell.metadata.pop("tags", None)
    out.metadata.pop("widgets", None)
    return out


def build_student_edition(notebooks: Path, out_dir: Path) -> list[Path]:
    """Write the student edition of every lesson in ``notebooks`` to ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(notebooks.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        target = out_dir / path.name
        nbformat.write(student_notebook(nb), target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(__file__).resolve().parents[2]
    out_dir = Path(args[0]) if args else root / "_build" / "student"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    written = build_student_edition(root / "notebooks", out_dir / "notebooks")
    for extra in ("README.md",):
        if (root / extra).exists():
            shutil.copy(root / extra, out_dir / extra)
    print(f"Student edition: {len(written)} notebook(s) in {out_dir / 'notebooks'}")
    print("Students open them with the course package installed (make lab), so load() finds the data.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
