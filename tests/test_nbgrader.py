"""nbgrader works on the lessons: its metadata, check() as a test, and a real round trip.

The round trip runs nbgrader's own commands in a throw-away course directory: every lesson in
one assignment, ``generate_assignment`` (the release holds no solution), then ``autograde`` of
the instructor edition (full marks on every check) and of the unanswered release (zero), and
``validate`` of one lesson. nbgrader runs each lesson once per submission; the two submissions
(each in its own copy of the course) and the validation run at once, in about a minute on two cores.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest

from csto_course import check, load
from csto_course.authoring import nbgrader as nbgrader_metadata
from csto_course.authoring.lesson import lesson_paths, solution_blocks

from .conftest import ROOT

#: Minutes, not seconds: nbgrader's course is generated, released and autograded
#: (`make test` runs it, `make check` does not).
pytestmark = pytest.mark.slow

LESSONS = lesson_paths(ROOT)
ASSIGNMENT = "lessons"
INSTRUCTOR, BLANK = "instructor", "blank"

try:
    from nbgrader.api import Gradebook
    from nbgrader.nbgraderformat import MetadataValidator
except ImportError:  # pragma: no cover - nbgrader is in the test dependency group
    Gradebook = MetadataValidator = None

needs_nbgrader = pytest.mark.skipif(
    Gradebook is None, reason="nbgrader is not importable: install the test dependency group (make env)"
)


# --- check() under nbgrader ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["autograde", "validate"])
@pytest.mark.parametrize(
    ("answer", "label"),
    [(0, "Not yet"), ("nine", "Check your answer's type"), (None, "Check your answer's type"), (..., "Not attempted")],
)
def test_check_raises_under_nbgrader_unless_correct(
    monkeypatch: pytest.MonkeyPatch, mode: str, answer: object, label: str
) -> None:
    monkeypatch.setenv("NBGRADER_EXECUTION", mode)
    with pytest.raises(AssertionError) as raised:
        check("getting-started-1", answer)
    assert str(raised.value).startswith("getting-started-1", 2) and label in str(raised.value)
    with pytest.raises(AssertionError, match="There is no exercise"):
        check("getting-started-99", 1)


def test_a_correct_answer_under_nbgrader_is_shown_not_returned(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """nbgrader would read a returned value as a partial score; a displayed one is full marks."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert check("getting-started-1", len(load("states"))) is None
    assert "getting-started-1: Correct." in capsys.readouterr().out


@pytest.mark.parametrize("value", [None, ""])
def test_check_never_raises_outside_nbgrader(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    else:
        monkeypatch.setenv("NBGRADER_EXECUTION", value)
    for answer, status in [(0, "incorrect"), ("nine", "invalid"), (None, "invalid"), (..., "not attempted")]:
        feedback = check("getting-started-1", answer)
        assert feedback is not None and feedback.status == status
    feedback = check("getting-started-99", 1)
    assert feedback is not None and feedback.status == "unknown"


# --- the metadata --------------------------------------------------------------------------------


def _lesson(*cells: tuple[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(s) if kind == "code" else nbformat.v4.new_markdown_cell(s) for kind, s in cells
    ]
    return nb


def test_metadata_for_a_solution_its_check_and_a_model_answer() -> None:
    nb = _lesson(
        ("code", "x = 1"),
        ("markdown", "### Exercise 9.1\n\nHow many?"),
        ("code", "# BEGIN SOLUTION\nanswer = 9\n# END SOLUTION"),
        ("markdown", "Now check it."),
        ("code", 'check("demo-1", answer)'),
        ("code", 'check("demo-1", "nine")'),  # a demonstration, not the exercise's check
        (
            "markdown",
            "### Exercise 9.2\n\nWhy?\n\n<!-- BEGIN SOLUTION -->\nBecause.\n\n**Rubric (3 points).**\n"
            "<!-- END SOLUTION -->",
        ),
    )
    assert nbgrader_metadata.apply(nb) == []
    meta = [cell.metadata.get("nbgrader") for cell in nb.cells]
    base = {"schema_version": 3, "task": False}
    assert meta[2] == {**base, "solution": True, "grade": False, "locked": False, "grade_id": "demo-1-solution"}
    assert meta[4] == {**base, "solution": False, "grade": True, "locked": True, "points": 1, "grade_id": "demo-1"}
    assert meta[6] == {**base, "solution": True, "grade": True, "locked": False, "points": 3, "grade_id": "demo-2"}
    assert meta[0] is meta[1] is meta[3] is meta[5] is None
    if MetadataValidator is not None:
        MetadataValidator().validate_nb(nb)  # what generate_assignment checks first


def test_what_nbgrader_could_not_grade_is_reported_and_left_unmarked() -> None:
    nb = _lesson(("code", "# BEGIN SOLUTION\nanswer = 9\n# END SOLUTION"), ("code", "print(answer)"))
    nb.cells[1].metadata["nbgrader"] = {"grade": True, "grade_id": "stale", "locked": True, "points": 1}
    assert nbgrader_metadata.apply(nb) == [
        f"notebook: cell 0 (counting from 0, id {nb.cells[0].id!r}) holds a solution but the next code cell "
        '(cell 1) does not call check("..."), so its exercise has no check cell calling check("...") and nbgrader '
        "cannot grade it."
    ]
    assert all("nbgrader" not in cell.metadata for cell in nb.cells)
    twice = _lesson(*[("code", "# BEGIN SOLUTION\na = 1\n# END SOLUTION"), ("code", 'check("demo-1", a)')] * 2)
    assert nbgrader_metadata.problems(twice) == [
        f"notebook: cell 2 (counting from 0, id {twice.cells[2].id!r}) uses the id 'demo-1', which cell 0 already "
        "uses; each exercise needs its own."
    ]
    assert set(nbgrader_metadata.grading_metadata(twice.cells)[0]) == {0, 1}, "the second use is left unmarked"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_each_lesson_carries_the_metadata_its_sources_give(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    saved = [cell.metadata.get("nbgrader") for cell in nb.cells]
    assert nbgrader_metadata.apply(nb) == []
    assert saved == [cell.metadata.get("nbgrader") for cell in nb.cells], (
        f"{path.name}: run `python tools/normalize_notebooks.py {path.relative_to(ROOT)}`"
    )
    for cell, meta in zip(nb.cells, saved, strict=True):
        has_solution = bool(solution_blocks(cell.source, cell.cell_type))
        assert bool(meta and meta["solution"]) == has_solution, cell.source[:80]
    assert any(meta and meta["grade"] and not meta["solution"] for meta in saved), f"{path.name}: no autograded check"
    if MetadataValidator is not None:
        MetadataValidator().validate_nb(nb)


# --- the round trip ------------------------------------------------------------------------------


@dataclass
class Course:
    root: Path
    #: Each submission's gradebook: the two autogrades run at once, each in its own copy of the course.
    gradebooks: dict[str, Path]
    log: str


@dataclass
class _Running:
    args: tuple[str, ...]
    process: subprocess.Popen[bytes]
    log: Path


def _start(course: Path, *args: str) -> _Running:
    """Start ``nbgrader <args>`` in ``course``; its output goes to a file, read by :func:`_finish`."""
    env = {k: v for k, v in os.environ.items() if k not in ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING")}
    # nbgrader runs `alembic` (the gradebook's migrations) from PATH: the one beside this Python.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["JUPYTER_CONFIG_DIR"] = str(course / ".jupyter")  # no user-wide nbgrader_config.py
    log = course / f"nbgrader-{args[0]}-{len(list(course.glob('nbgrader-*.log')))}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return _Running(args, process, log)


def _finish(running: _Running) -> str:
    """Wait for a command :func:`_start` began; its output, once it is known to have succeeded."""
    code = running.process.wait(timeout=600)
    log = running.log.read_text(encoding="utf-8", errors="replace")
    assert code == 0, f"nbgrader {' '.join(running.args)} failed:\n{log[-6000:]}"
    assert "| ERROR]" not in log, f"nbgrader {' '.join(running.args)} logged errors:\n{log[-6000:]}"
    return log


def _nbgrader(course: Path, *args: str) -> str:
    return _finish(_start(course, *args))


def _configure(root: Path) -> None:
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        'c.CourseDirectory.course_id = "csto-course"\n'
        f"c.Exchange.root = {str(root / 'exchange')!r}\n"
        "c.Execute.timeout = 300  # seconds per cell; nbgrader's default (30) is tight on a slow machine\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Course]:
    if Gradebook is None:
        pytest.skip("nbgrader is not importable: install the test dependency group (make env)")
    root = tmp_path_factory.mktemp("nbgrader-course")
    _configure(root)
    (root / "exchange").mkdir()
    source = root / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    for path in LESSONS:
        shutil.copy(path, source / path.name)
    log = _nbgrader(root, "generate_assignment", ASSIGNMENT)
    # nbgrader runs a submission's lessons one after another; the two submissions are graded at
    # once, each in its own copy of the course (and of its gradebook), as two graders would.
    roots = {INSTRUCTOR: root, BLANK: tmp_path_factory.mktemp("nbgrader-course-blank")}
    shutil.copytree(root, roots[BLANK], dirs_exist_ok=True)
    _configure(roots[BLANK])
    running = []
    for student, edition in ((INSTRUCTOR, ROOT / "notebooks"), (BLANK, root / "release" / ASSIGNMENT)):
        submitted = roots[student] / "submitted" / student / ASSIGNMENT
        submitted.mkdir(parents=True)
        for path in LESSONS:
            shutil.copy(edition / path.name, submitted / path.name)
        running.append(_start(roots[student], "autograde", ASSIGNMENT, "--student", student))
    # What a student's "Validate" button runs, on the shortest lesson (it writes no grade).
    validating = _start(root, "validate", str(root / "submitted" / INSTRUCTOR / ASSIGNMENT / LESSONS[0].name))
    log += "".join(_finish(r) for r in running)
    validated = _finish(validating)
    assert "Success! Your notebook passes all the tests." in validated, validated[-3000:]
    yield Course(root, {student: folder / "gradebook.db" for student, folder in roots.items()}, log)


def _grade_ids(kind: str) -> dict[str, list[str]]:
    """The lessons' autograded ("check") or manually graded ("answer") cells, by lesson."""
    found: dict[str, list[str]] = {}
    for path in LESSONS:
        cells = nbformat.read(path, as_version=4).cells
        metadata = nbgrader_metadata.grading_metadata(cells)[0]
        found[path.stem] = [
            m["grade_id"]
            for i, m in sorted(metadata.items())
            if m["grade"] and (cells[i].cell_type == "code") == (kind == "check")
        ]
    return found


def _body_lines(source: str, cell_type: str) -> list[str]:
    """The non-blank lines inside a cell's solution regions."""
    blocks = solution_blocks(source, cell_type)
    return [line.strip() for block in blocks for line in block.body.splitlines() if line.strip()]


@needs_nbgrader
def test_generate_assignment_releases_every_lesson_without_its_solutions(course: Course) -> None:
    for path in LESSONS:
        instructor = nbformat.read(path, as_version=4)
        release = json.loads((course.root / "release" / ASSIGNMENT / path.name).read_text(encoding="utf-8"))
        released = {c["metadata"]["nbgrader"]["grade_id"]: c for c in release["cells"] if "nbgrader" in c["metadata"]}
        text = json.dumps(release)
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text, path.name
        for cell in release["cells"]:
            assert not cell.get("outputs"), f"{path.name}: an output would show an answer"
        for cell in instructor.cells:
            meta = cell.metadata.get("nbgrader")
            if not meta:
                continue
            out = "".join(released[meta["grade_id"]]["source"])
            if meta["solution"]:
                for line in _body_lines(cell.source, cell.cell_type):
                    assert line not in out, f"{path.name}: {meta['grade_id']} still holds {line!r}"
            else:  # a check: kept as written, and locked
                assert out == cell.source
                assert released[meta["grade_id"]]["metadata"]["editable"] is False


def _submission(course: Course, student: str) -> dict[str, Any]:
    assert Gradebook is not None
    with Gradebook(f"sqlite:///{course.gradebooks[student]}") as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        grades = {
            (nb.name, grade.name): (grade.cell_type, grade.auto_score, grade.max_score, grade.needs_manual_grade)
            for nb in submission.notebooks
            for grade in nb.grades
        }
        return {"code": (submission.code_score, submission.max_code_score), "grades": grades}


@needs_nbgrader
def test_autograde_gives_the_instructor_edition_full_marks_on_every_check(course: Course) -> None:
    result = _submission(course, INSTRUCTOR)
    checks = _grade_ids("check")
    count = sum(len(ids) for ids in checks.values())
    assert count >= len(LESSONS) and result["code"] == (count, count)
    for lesson, ids in checks.items():
        for grade_id in ids:
            assert result["grades"][lesson, grade_id][1:3] == (1, 1), f"{lesson}: {grade_id} failed"
    # Model answers wait for an instructor: nbgrader cannot score text.
    for lesson, ids in _grade_ids("answer").items():
        for grade_id in ids:
            cell_type, auto, _, manual = result["grades"][lesson, grade_id]
            assert (cell_type, auto, manual) == ("markdown", None, True)
    assert "cannot be converted to" not in course.log  # check() gave no value for nbgrader to misread


@needs_nbgrader
def test_autograde_gives_the_unanswered_release_zero(course: Course) -> None:
    result = _submission(course, BLANK)
    assert result["code"][0] == 0 and result["code"][1] > 0
    assert all(auto == 0 and not manual for _, auto, _, manual in result["grades"].values()), result["grades"]


# --- flagging a submission that reads the answers ------------------------------------------------

#: Ways a submission could take the answers from the course's own code where autograde runs it.
CHEATS = [
    'from csto_course.exercises.specs import registry\nanswer = registry()["origins-1"].expected()',
    'import csto_course.exercises as ex\nanswer = ex.registry()["origins-1"].grade',
    "from csto_course.exercises import origins\nanswer = origins.expected_tashkent_signatories()",
    'import importlib\nanswer = importlib.import_module("csto_course.exercises.origins").expected_1()',
    'answer = load("reading_claims_key")',
    "from csto_course.authoring.answer_key import answer_key\nkey = answer_key()",
    'import csto_course as c, pathlib as p\nraw = open(p.Path(c.__file__).parent / "exercises/sealed.json").read()',
    'answer = getattr(__import__("csto_course.exercises.specs").exercises.specs, "_REGISTRY")',
    "%time answer = csto_course.exercises.answers.current_members(load('membership'))",
    "from csto_course.exercises.answers import troops_asked_and_sent",
    "from csto_course.exercises.worked import base_terms",
]


@pytest.mark.parametrize("source", CHEATS)
def test_a_cell_that_reaches_the_graders_the_key_or_the_sealed_checks_is_flagged(source: str) -> None:
    assert nbgrader_metadata.flag_source(source), source


@pytest.mark.parametrize(
    "source",
    [
        'expected = len(load("states"))\ncheck("getting-started-1", expected)',
        'claims = load("reading_claims")\nverdicts = {"R07": "supported"}',
        "import importlib.util\nimportlib.util.find_spec('csto_course')",
        "from csto_course.views import charts\nfrom csto_course.measures import statuses_by_year",
    ],
)
def test_a_cell_doing_the_exercise_is_not_flagged(source: str) -> None:
    assert nbgrader_metadata.flag_source(source) == []


def _run_flag(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "csto_course.authoring.nbgrader", "flag", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_flag_command_passes_the_lessons_and_names_a_cheating_cell(tmp_path: Path) -> None:
    clean = tmp_path / "submitted" / "alice" / ASSIGNMENT
    clean.mkdir(parents=True)
    for path in LESSONS:
        shutil.copy(path, clean / path.name)  # the instructor's edition: every exercise done honestly
    result = _run_flag(tmp_path / "submitted")
    assert result.returncode == 0, result.stdout + result.stderr
    cheat = tmp_path / "submitted" / "mallory" / ASSIGNMENT
    cheat.mkdir(parents=True)
    nb = nbformat.read(LESSONS[1], as_version=4)
    solution = next(i for i, cell in enumerate(nb.cells) if solution_blocks(cell.source, cell.cell_type))
    nb.cells[solution].source = "# BEGIN SOLUTION\nfrom csto_course.exercises.specs import registry\n" + (
        'answer = registry()["origins-1"].expected()\n# END SOLUTION'
    )
    nbformat.write(nb, cheat / LESSONS[1].name)
    result = _run_flag(tmp_path / "submitted")
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mallory/{ASSIGNMENT}/{LESSONS[1].name}: cell {solution} "), lines
    assert "csto_course.exercises.specs" in lines[0] and "expected answer" in lines[0]


@needs_nbgrader
def test_autograde_runs_where_the_graders_are_so_the_flag_command_reads_its_output(course: Course) -> None:
    """Both round-trip submissions were graded honestly: the flag command finds nothing in them."""
    for folder in ("submitted", "autograded"):
        for root in {course.gradebooks[s].parent for s in course.gradebooks}:
            result = _run_flag(root / folder)
            assert result.returncode == 0, result.stdout
