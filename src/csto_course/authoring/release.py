"""Make the student edition: the lessons with every solution replaced by an unattempted stub.

Solutions sit between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` (nbgrader's markers) in
code cells, and between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` in
Markdown cells. A code stub assigns ``...`` to each name the solution assigned, so "Run
All" still reaches the end and every check says "not attempted yet". The stubs' words are in the
lesson's language (its metadata ``csto_course.language``; messages of the package's catalog, so a
Russian lesson's stub reads in Russian). Outputs are cleared:
they would show the answers. Check cells (code cells that call ``check(``) are locked, so a
student cannot edit or delete the check by accident.

Before anything is written, every lesson is read with :mod:`csto_course.authoring.lesson`
(the one home of the markup), and the release is refused (:class:`ReleaseError`, naming the
notebook and the cell) if a solution could leak or an exercise could not be marked:

- a ``BEGIN SOLUTION`` with no ``END SOLUTION`` after it;
- a ``BEGIN SOLUTION`` inside another solution, or an ``END SOLUTION`` with no ``BEGIN``;
- a marker the stripping would miss (in code, one that does not start its own line);
- a code cell with a solution whose next code cell does not call ``check("...")``.

The website's student edition (:func:`website_notebook`, which ``make student-book`` builds into a
website) strips the same solutions but keeps the outputs a student may see (charts, tables, a
check's answer to a wrong answer); it leaves out only those that give an answer away.

Run it as ``python -m csto_course.authoring.release [OUT_DIR [COURSE_ROOT]] [--lang ru]``: it writes the
lessons to ``OUT_DIR/notebooks`` and nothing else; ``--lang ru`` makes the edition from the Russian
lessons (:mod:`csto_course.authoring.russian_edition`). (``make student`` writes them with the
student's README, through ``tools/student_branch.py --edition``.) A refusal prints one sentence
and exits with status 1.

The student package (:func:`student_package`) is the source tree of the wheel a student installs
(the handout's): the course package without the graders, the authoring tools, the website's
code or the answer-key datasets, and with the sealed checks (:mod:`csto_course.authoring.seal`)
that ``check()`` grades from there. A Russian student package's JupyterLab settings also choose
JupyterLab's Russian interface (:func:`lab_settings`; the ``lab`` group installs the language pack).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

import nbformat

from ..language import LANGUAGES, N_, metadata_language, translate
from .lesson import LEAK, MARKERS, UNCHECKED, is_check_cell, lesson_paths, read_lesson, solution_blocks

__all__ = [
    "MARKERS",
    "ReleaseError",
    "strip_solutions",
    "validate_notebook",
    "is_check_cell",
    "student_notebook",
    "website_notebook",
    "build_student_edition",
    "ANSWER_GOES_HERE",
    "answer_goes_here",
    "ANSWER_KEY_DATASETS",
    "STUDENT_MODULES",
    "LAB_LOCALES",
    "lab_settings",
    "student_package",
]


class ReleaseError(ValueError):
    """A lesson the student edition cannot be made from: a solution would leak, or an exercise has no check."""


def validate_notebook(nb: nbformat.NotebookNode, name: str = "notebook") -> None:
    """Raise :class:`ReleaseError` if the student edition of ``nb`` could leak a solution or lose a check.

    ``name`` (the notebook's file name) is used in the message.
    """
    problems = read_lesson(nb, name).problems_of(LEAK, UNCHECKED)
    if problems:
        raise ReleaseError(problems[0].message)


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


#: The stubs a student's answer replaces, in English; shown in the lesson's language (:func:`strip_solutions`).
MARKDOWN_STUB = N_("*Write your answer here.*")
CODE_STUB = N_("# YOUR CODE HERE: replace the ... below.")


def strip_solutions(source: str, cell_type: str = "code", language: str = "en") -> str:
    """Replace each solution block in one cell's source by a stub a student fills in, in ``language``.

    This does not check the markers: :func:`validate_notebook` (called by
    :func:`student_notebook`) refuses a lesson whose markers do not pair up.
    """
    for block in reversed(solution_blocks(source, cell_type)):
        if cell_type == "markdown":
            stub = translate(MARKDOWN_STUB, language)
        else:
            names = _assigned_names(_dedent(block.body, block.indent))
            lines = [block.indent + translate(CODE_STUB, language)]
            lines += [f"{block.indent}{name} = ..." for name in names] or [f"{block.indent}pass"]
            stub = "\n".join(lines) + ("\n" if source[: block.end].endswith("\n") else "")
        source = source[: block.start] + stub + source[block.end :]
    return source


def _dedent(body: str, indent: str) -> str:
    return "\n".join(line[len(indent) :] if line.startswith(indent) else line for line in body.splitlines())


def _stripped(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` with every solution replaced by its stub and its check cells locked (both editions)."""
    validate_notebook(nb, name)
    out = nbformat.from_dict(nb)
    language = metadata_language(out.metadata) or "en"
    for cell in out.cells:
        cell.source = strip_solutions(cell.source, cell.cell_type, language)
        if is_check_cell(cell):
            # nbformat's cell metadata: JupyterLab and Notebook 7 refuse edits and deletion.
            # https://nbformat.readthedocs.io/en/latest/format_description.html#cell-metadata
            cell.metadata["editable"] = False
            cell.metadata["deletable"] = False
    out.metadata.pop("widgets", None)
    return out


def _drop_tags(cell: nbformat.NotebookNode, drop: set[str]) -> None:
    tags = [t for t in cell.metadata.get("tags", []) if t not in drop]
    if tags:
        cell.metadata["tags"] = tags
    else:
        cell.metadata.pop("tags", None)


def student_notebook(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """A copy of ``nb`` without solutions or outputs, its check cells locked.

    Raises :class:`ReleaseError` (naming ``name`` and the cell) if a solution could leak.
    """
    out = _stripped(nb, name)
    for cell in out.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            _drop_tags(cell, {"hide-input", "remove-input"})
    return out


#: What the website's student edition says where a solution was (shown in the lesson's language).
ANSWER_GOES_HERE = N_("*Your answer goes here: write it in the notebook, then run the check below.*")


def answer_goes_here(language: str) -> str:
    """:data:`ANSWER_GOES_HERE` in ``language`` (a lesson's, from its metadata)."""
    return translate(ANSWER_GOES_HERE, language)


#: A check's verdict that the answer is right ("✔ origins-1: Correct. ...", "Верно" in a Russian lesson):
#: the reason why gives it away.
_CORRECT = re.compile(r"\b(?:" + "|".join(re.escape(translate("Correct", lang)) for lang in LANGUAGES) + r")\b")


def _gives_answer_away(output: nbformat.NotebookNode) -> bool:
    """A check's "Correct." (its HTML box is ``csto-correct``; its text says "Correct")."""
    data = output.get("data", {})
    text = str(data.get("text/plain", "")) + str(output.get("text", ""))
    return "csto-correct" in str(data.get("text/html", "")) or bool(_CORRECT.search(text))


def website_notebook(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """A copy of ``nb`` for the student website: the outputs a student may see, and no answer.

    As in :func:`student_notebook`, each solution becomes its stub and each model answer
    "*Write your answer here.*"; unlike it, the saved outputs stay (charts, tables, the lessons'
    demonstrations of a wrong answer, whose hints never give the answer), except those that
    give an answer away: a solution cell's, and every output of a check that says "Correct.": the
    reason why and the worked result it shows under a right answer. A note in Markdown marks
    where the answer goes. Execution counts stay, so the book's build still sees a lesson run
    from top to bottom.

    Raises :class:`ReleaseError` (naming ``name`` and the cell) if a solution could leak.
    """
    lesson = read_lesson(nb, name)
    solutions = {i for exercise in lesson.exercises for i in exercise.solution_cells}
    out = _stripped(nb, name)
    note = answer_goes_here(metadata_language(out.metadata) or "en")
    cells = []
    for index, cell in enumerate(out.cells):
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        if index in solutions:
            cell.outputs = []
            _drop_tags(cell, {"hide-input", "remove-input"})  # the stub is shown, not folded
            cells.append(_note(note, f"{cell.get('id', index)}-answer"))
            cells.append(cell)
            continue
        if is_check_cell(cell) and any(_gives_answer_away(o) for o in cell.outputs):
            cell.outputs = []
        cells.append(cell)
    out.cells = cells
    return out


def _note(text: str, cell_id: str) -> nbformat.NotebookNode:
    note = nbformat.v4.new_markdown_cell(text)
    note.id = str(cell_id)[:64]
    return note


def build_student_edition(root: Path, out_dir: Path, language: str = "en") -> list[Path]:
    """Write the student edition of every lesson of the course at ``root`` (its ``_toc.yml``) to ``out_dir``,
    made from the lessons in ``language`` (English, or their translation: :mod:`.russian_edition`).

    Every lesson is checked before any file is written, so a refusal leaves nothing half-made.
    """
    editions = []
    for path, nb in _lessons(root, language):
        editions.append((path.name, student_notebook(nb, name=_display(path))))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, edition in editions:
        target = out_dir / filename
        nbformat.write(edition, target)
        written.append(target)
    return written


def _lessons(root: Path, language: str) -> list[tuple[Path, nbformat.NotebookNode]]:
    if language == "en":
        return [(path, nbformat.read(path, as_version=4)) for path in lesson_paths(root)]
    from .russian_edition import lessons  # polib, which the translations need, is for the clone only

    return lessons(language, root)


def _display(path: Path) -> str:
    """The notebook's path relative to the working directory when it is inside it (notebooks/01_origins.ipynb)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- the student package

#: Datasets that hold an answer key: the student package leaves them out (and their entry in
#: datapackage.json), so ``datasets()`` and ``load()`` there do not know them.
ANSWER_KEY_DATASETS = frozenset({"reading_claims_key"})

#: What the student package carries of ``src/csto_course``: what a lesson imports at run time. Left
#: out: ``authoring/`` and ``website/`` (tools for the clone), and in ``exercises/`` the graders
#: (``specs``, the lessons' modules), ``answers`` (the rules only an answer uses) and ``worked`` (the
#: worked results a check shows under a right answer, which compute it).
STUDENT_MODULES = (
    "__init__.py",
    "data.py",
    "errors.py",
    "language.py",
    "locale/",
    "measures.py",
    "views/",
    "exercises/__init__.py",
    "exercises/check.py",
    "exercises/readers.py",
    "exercises/sealed.py",
)

#: JupyterLab's settings for the course (no news pop-up), installed with the wheel as shared data.
LAB_SETTINGS = "lab/settings/overrides.d/csto-course.json"
#: JupyterLab's interface language for each of the course's languages but English (its language
#: pack is in the ``lab`` dependency group). https://jupyterlab.readthedocs.io/en/latest/user/language.html
LAB_LOCALES = {"ru": "ru_RU"}
#: The JupyterLab plugin whose setting ``locale`` chooses the interface's language.
LAB_TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"

#: The project fields the student package copies from the course's pyproject.toml.
_PROJECT_FIELDS = ("name", "version", "description", "license", "requires-python", "authors", "dependencies")


def _toml(value: object) -> str:
    """A TOML value for the few kinds a pyproject holds (JSON's strings are TOML's basic strings)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML for {value!r}")


def _student_pyproject(root: Path) -> str:
    """The student package's pyproject.toml: the course's name, version and runtime dependencies, read from
    the course's own, so they never drift; no entry point (the website's renderer is not shipped)."""
    course = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project = course["project"]
    lines = ["# The student package, written by csto_course.authoring.release.student_package: do not edit.", ""]
    lines += ["[project]"] + [f"{k} = {_toml(project[k])}" for k in _PROJECT_FIELDS if k in project]
    build = course["build-system"]
    lines += [
        "",
        "[build-system]",
        f"requires = {_toml(build['requires'])}",
        f"build-backend = {_toml(build['build-backend'])}",
    ]
    lines += ["", "[tool.hatch.build.targets.wheel]", 'packages = ["src/csto_course"]']
    lines += ["", "[tool.hatch.build.targets.wheel.force-include]", '"data" = "csto_course/_data"']
    # Installed into <environment>/share/jupyter/lab/settings/overrides.d/, where JupyterLab reads them.
    # https://hatch.pypa.io/latest/plugins/builder/wheel/#options
    lines += [
        "",
        "[tool.hatch.build.targets.wheel.shared-data]",
        f'"{LAB_SETTINGS}" = "share/jupyter/{LAB_SETTINGS}"',
    ]
    return "\n".join(lines) + "\n"


def lab_settings(root: Path, language: str = "en") -> dict[str, object]:
    """The course's JupyterLab settings (``lab/settings``) for a student package in ``language``:
    the English ones, plus JupyterLab's interface in that language where it has one."""
    settings: dict[str, object] = json.loads((root / LAB_SETTINGS).read_text(encoding="utf-8"))
    if language in LAB_LOCALES:
        settings[LAB_TRANSLATION_PLUGIN] = {"locale": LAB_LOCALES[language]}
    return settings


def _copy_data(source: Path, target: Path) -> None:
    """The course data without the answer-key datasets, and datapackage.json without their entries."""
    package = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    left_out = {r["path"] for r in package["resources"] if r["name"] in ANSWER_KEY_DATASETS}
    shutil.copytree(source, target, ignore=lambda folder, names: [n for n in names if n in left_out])
    package["resources"] = [r for r in package["resources"] if r["name"] not in ANSWER_KEY_DATASETS]
    (target / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def student_package(root: Path, out_dir: Path, language: str = "en") -> Path:
    """Write the student package's source tree to ``out_dir`` (emptied first) and return it.

    It is pip-installable (``uv build --wheel`` in it builds the handout's wheel): a pyproject.toml,
    ``src/csto_course/`` with only :data:`STUDENT_MODULES` and the sealed checks
    (``exercises/sealed.json``), ``data/`` without :data:`ANSWER_KEY_DATASETS`, the course's
    JupyterLab settings (:func:`lab_settings`, in ``language``) and its licences. Raises
    :class:`csto_course.authoring.seal.SealError` if an exercise cannot be sealed.
    """
    from .seal import write_sealed

    if out_dir.exists():
        shutil.rmtree(out_dir)
    package, target = root / "src" / "csto_course", out_dir / "src" / "csto_course"
    for entry in STUDENT_MODULES:
        if entry.endswith("/"):
            shutil.copytree(package / entry, target / entry, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (target / entry).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(package / entry, target / entry)
    write_sealed(target / "exercises" / "sealed.json")
    _copy_data(root / "data", out_dir / "data")
    (out_dir / LAB_SETTINGS).parent.mkdir(parents=True)
    settings = json.dumps(lab_settings(root, language), indent=2, ensure_ascii=False) + "\n"
    (out_dir / LAB_SETTINGS).write_text(settings, encoding="utf-8")
    for name in ("LICENSE", "LICENSE-CONTENT"):
        shutil.copy(root / name, out_dir / name)
    (out_dir / "pyproject.toml").write_text(_student_pyproject(root), encoding="utf-8")
    return out_dir


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    language = "en"
    if "--lang" in args[:-1]:
        at = args.index("--lang")
        language, args = args[at + 1], args[:at] + args[at + 2 :]
    if len(args) > 2 or any(a in ("-h", "--help") for a in args) or "--lang" in args:
        print("usage: python -m csto_course.authoring.release [OUT_DIR [COURSE_ROOT]] [--lang ru]", file=sys.stderr)
        return 0 if args and args[0] in ("-h", "--help") else 2
    here = Path(__file__).resolve().parents[3]
    out_dir = Path(args[0]) if args else here / "_build" / "student"
    root = Path(args[1]) if len(args) > 1 else here
    if out_dir.exists():
        shutil.rmtree(out_dir)
    try:
        written = build_student_edition(root, out_dir / "notebooks", language)
    except ReleaseError as error:
        print(f"Student edition not written: {error}", file=sys.stderr)
        return 1
    print(f"Student edition: {len(written)} notebook(s) in {out_dir / 'notebooks'}")
    print("Students open them with the course package installed (make lab), so load() finds the data.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
