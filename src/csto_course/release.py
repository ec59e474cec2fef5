"""Make the student edition: the lessons with every solution replaced by an unattempted stub.

Solutions sit between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` (nbgrader's markers) in
code cells, and between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` in
Markdown cells. A code stub assigns ``...`` to each name the solution assigned, so "Run
All" still reaches the end and every check says "not attempted yet". Outputs are cleared:
they would show the answers. Check cells (code cells that call ``check(``) are locked, so a
student cannot edit or delete the check by accident.

Before anything is written, every lesson is checked, and the release is refused
(:class:`ReleaseError`, naming the notebook and the cell) if a solution could leak or an
exercise could not be marked:

- a ``BEGIN SOLUTION`` with no ``END SOLUTION`` after it;
- a ``BEGIN SOLUTION`` inside another solution, or an ``END SOLUTION`` with no ``BEGIN``;
- a marker the stripping would miss (in code, one that does not start its own line);
- a code cell with a solution whose next code cell does not call ``check("...")``.

Run it as ``python -m csto_course.release [OUT_DIR [NOTEBOOK_DIR]]`` (``make student`` does).
A refusal prints one sentence and exits with status 1.
"""

from __future__ import annotations

import ast
import re
import shutil
import sys
from pathlib import Path

import nbformat

__all__ = [
    "ReleaseError",
    "strip_solutions",
    "validate_notebook",
    "is_check_cell",
    "student_notebook",
    "build_student_edition",
]

_CODE = re.compile(r"^([ \t]*)# BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*# END SOLUTION[^\n]*(\n|$)", re.M | re.S)
_MARKDOWN = re.compile(r"<!--\s*BEGIN SOLUTION\s*-->.*?<!--\s*END SOLUTION\s*-->", re.S)
MARKERS = ("BEGIN SOLUTION", "END SOLUTION")

#: A marker line in a code cell, and a marker comment in a Markdown cell.
_CODE_MARKER = re.compile(r"^[ \t]*# (BEGIN|END) SOLUTION", re.M)
_MARKDOWN_MARKER = re.compile(r"<!--\s*(BEGIN|END) SOLUTION\s*-->")
#: A call of the course's checker with an exercise id: ``check("origins-1", answer)``.
_CHECK_WITH_ID = re.compile(r"(?<![\w.])check\(\s*[\"']")
_CHECK_CALL = re.compile(r"(?<![\w.])check\(")


class ReleaseError(ValueError):
    """A lesson the student edition cannot be made from: a solution would leak, or an exercise has no check."""


def _marker_problem(source: str, cell_type: str) -> str | None:
    """What is wrong with the solution markers of one cell's source, or None."""
    if cell_type == "markdown":
        pattern, begin, end = _MARKDOWN_MARKER, "<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->"
    else:
        pattern, begin, end = _CODE_MARKER, "# BEGIN SOLUTION", "# END SOLUTION"
    open_line = None
    for match in pattern.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        if match.group(1) == "BEGIN":
            if open_line is not None:
                return (
                    f"has a '{begin}' on line {line} inside the solution begun on line {open_line}, "
                    "and solutions cannot be nested"
                )
            open_line = line
        else:
            if open_line is None:
                return f"has an '{end}' on line {line} with no '{begin}' before it"
            open_line = None
    if open_line is not None:
        return f"has a '{begin}' on line {open_line} with no '{end}' after it, so the solution would leak"
    return None


def _has_solution(source: str, cell_type: str) -> bool:
    pattern = _MARKDOWN_MARKER if cell_type == "markdown" else _CODE_MARKER
    return any(m.group(1) == "BEGIN" for m in pattern.finditer(source))


def is_check_cell(cell: nbformat.NotebookNode) -> bool:
    """A code cell that calls the course's ``check(``: locked in the student edition."""
    return cell.cell_type == "code" and bool(_CHECK_CALL.search(cell.source))


def _where(name: str, index: int, cell: nbformat.NotebookNode) -> str:
    cell_id = cell.get("id")
    return (
        f"{name}: cell {index} (counting from 0, id {cell_id!r})"
        if cell_id
        else f"{name}: cell {index} (counting from 0)"
    )


def validate_notebook(nb: nbformat.NotebookNode, name: str = "notebook") -> None:
    """Raise :class:`ReleaseError` if the student edition of ``nb`` could leak a solution or lose a check.

    ``name`` (the notebook's file name) is used in the message.
    """
    cells = nb.cells
    for index, cell in enumerate(cells):
        if cell.cell_type not in ("code", "markdown"):
            if any(marker in cell.source for marker in MARKERS):
                raise ReleaseError(
                    f"{_where(name, index, cell)} is a {cell.cell_type} cell with a solution marker, which the "
                    "student edition cannot strip."
                )
            continue
        problem = _marker_problem(cell.source, cell.cell_type)
        if problem:
            raise ReleaseError(f"{_where(name, index, cell)} {problem}.")
        if any(marker in strip_solutions(cell.source, cell.cell_type) for marker in MARKERS):
            form = (
                "an HTML comment such as '<!-- BEGIN SOLUTION -->'"
                if cell.cell_type == "markdown"
                else "a comment starting its own line"
            )
            raise ReleaseError(
                f"{_where(name, index, cell)} has a solution marker that is not {form}, so the solution would leak."
            )
        if cell.cell_type == "code" and _has_solution(cell.source, "code"):
            following = next((c for c in cells[index + 1 :] if c.cell_type == "code"), None)
            if following is None:
                raise ReleaseError(
                    f"{_where(name, index, cell)} holds a solution but no code cell follows it, "
                    f'so its exercise has no check cell calling check("...").'
                )
            if not _CHECK_WITH_ID.search(following.source):
                raise ReleaseError(
                    f"{_where(name, index, cell)} holds a solution but the next code cell "
                    f'(cell {cells.index(following)}) does not call check("..."), so its exercise has no check cell.'
                )


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
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name not in names:
            names.append(node.name)
    return names


def strip_solutions(source: str, cell_type: str = "code") -> str:
    """Replace each solution block in one cell's source by a stub a student fills in.

    This does not check the markers: :func:`validate_notebook` (called by
    :func:`student_notebook`) refuses a lesson whose markers do not pair up.
    """
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
    return "\n".join(line[len(indent) :] if line.startswith(indent) else line for line in body.splitlines())


def student_notebook(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """A copy of ``nb`` without solutions or outputs, its check cells locked.

    Raises :class:`ReleaseError` (naming ``name`` and the cell) if a solution could leak.
    """
    validate_notebook(nb, name)
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
            if is_check_cell(cell):
                # nbformat's cell metadata: JupyterLab and Notebook 7 refuse edits and deletion.
                # https://nbformat.readthedocs.io/en/latest/format_description.html#cell-metadata
                cell.metadata["editable"] = False
                cell.metadata["deletable"] = False
    out.metadata.pop("widgets", None)
    return out


def build_student_edition(notebooks: Path, out_dir: Path) -> list[Path]:
    """Write the student edition of every lesson in ``notebooks`` to ``out_dir``.

    Every lesson is checked before any file is written, so a refusal leaves nothing half-made.
    """
    editions = []
    for path in sorted(notebooks.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        editions.append((path.name, student_notebook(nb, name=_display(path))))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, edition in editions:
        target = out_dir / filename
        nbformat.write(edition, target)
        written.append(target)
    return written


def _display(path: Path) -> str:
    """The notebook's path relative to the working directory when it is inside it (notebooks/01_origins.ipynb)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 2 or any(a in ("-h", "--help") for a in args):
        print("usage: python -m csto_course.release [OUT_DIR [NOTEBOOK_DIR]]", file=sys.stderr)
        return 0 if args and args[0] in ("-h", "--help") else 2
    root = Path(__file__).resolve().parents[2]
    out_dir = Path(args[0]) if args else root / "_build" / "student"
    notebooks = Path(args[1]) if len(args) > 1 else root / "notebooks"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    try:
        written = build_student_edition(notebooks, out_dir / "notebooks")
    except ReleaseError as error:
        print(f"Student edition not written: {error}", file=sys.stderr)
        return 1
    for extra in ("README.md",):
        if (root / extra).exists():
            shutil.copy(root / extra, out_dir / extra)
    print(f"Student edition: {len(written)} notebook(s) in {out_dir / 'notebooks'}")
    print("Students open them with the course package installed (make lab), so load() finds the data.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
