"""The lesson scaffold (``python -m csto_course.authoring new-lesson``) and the rule that no placeholder is left.

A scaffolded lesson must fail the tests until it is filled in, and once filled in with real
content it must pass the house rules, run, and go into the student edition. That is checked
on a copy of the repository, never on the repository itself.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from csto_course.authoring import scaffold
from csto_course.authoring.release import MARKERS, build_student_edition
from csto_course.authoring.scaffold import MARKER, placeholders

from .conftest import ROOT

TITLE = "Late signers"
PREFIX = "late-signers"
NOTEBOOK = Path("notebooks") / "08_late_signers.ipynb"
GRADER = Path("src") / "csto_course" / "exercises" / "late_signers.py"


def test_no_scaffold_placeholder_is_left() -> None:
    """A lesson started with `new-lesson` fails here until every TODO(scaffold) is filled in."""
    left = placeholders(ROOT)
    assert not left, (
        f"{len(left)} placeholder(s) marked {MARKER} are left; fill them in (CONTRIBUTING.md, "
        "'Adding a lesson'):\n" + "\n".join(left)
    )


# --------------------------------------------------------------------------- copies of the course


def _copy_course(target: Path) -> Path:
    """The repository's files (as git sees them, uncommitted ones included) copied to ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.split("\0")):
            source = ROOT / name
            if source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    else:  # not a git checkout (an unpacked archive)
        shutil.copytree(
            ROOT,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(
                "_build", ".venv", ".tools", ".git", ".pytest_cache", "__pycache__", "node_modules"
            ),
        )
    return target


def _skeleton(target: Path) -> Path:
    """Only what the scaffold reads: _toc.yml, the lessons and the exercises' folder."""
    (target / "src" / "csto_course" / "exercises").mkdir(parents=True)
    shutil.copy2(ROOT / "_toc.yml", target / "_toc.yml")
    shutil.copytree(ROOT / "notebooks", target / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _env(copy: Path) -> dict[str, str]:
    """Run Python (and kernels) with the copy's course package, not the installed one."""
    env = {k: v for k, v in os.environ.items() if k != "CSTO_DATA_DIR"}
    env["PYTHONPATH"] = os.pathsep.join([str(copy / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


# --------------------------------------------------------------------------- the command


def test_help_names_both_commands_and_bib_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    from csto_course.authoring.__main__ import main
    from csto_course.authoring.bibliography import sources_bibtex

    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "python -m csto_course.authoring bib" in out and "new-lesson NUMBER" in out
    assert main(["new-lesson", "--help"]) == 0
    assert "--slug SLUG" in capsys.readouterr().out
    assert main(["bib"]) == 0
    assert capsys.readouterr().out == sources_bibtex()


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("A legacy of inaction", "legacy_of_inaction"),
        ("Kyrgyz–Tajik border wars, 2021–2022", "kyrgyz_tajik_border_wars"),
        ("The CSTO’s budget", "cstos_budget"),
        ("Getting started", "getting_started"),
    ],
)
def test_the_slug_comes_from_the_title(title: str, slug: str) -> None:
    assert scaffold.slugify(title) == slug


def test_the_scaffold_writes_a_lesson_its_exercises_and_its_toc_entry_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _skeleton(tmp_path)
    assert scaffold.main(["8", TITLE], root=root) == 0
    assert capsys.readouterr().out.splitlines()[0] == (f"Wrote {NOTEBOOK.as_posix()}, {GRADER.as_posix()}, _toc.yml.")
    nb = nbformat.read(root / NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    sources = ["".join(c.source) for c in nb.cells]
    assert sources[0].startswith(f"# Lesson 8: {TITLE}\n")
    assert f'check("{PREFIX}-1", answer)' in sources and "### Exercise 8.1" in "\n".join(sources)
    assert "**Before you start:** [Lesson 6](06_capstone.ipynb)." in sources[1]
    assert "from csto_course import *" in sources
    assert all(MARKER in s for s in sources[:3])  # every prose placeholder is marked
    grader = (root / GRADER).read_text(encoding="utf-8")  # one Spec, in the form every lesson's graders take
    assert f'Spec(\n    "{PREFIX}-1",\n' in grader and "expected=expected_1," in grader and ").register()" in grader
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    assert (
        "      - file: notebooks/06_capstone\n      - file: notebooks/08_late_signers\n  - caption: After the lessons"
        in toc
    )
    assert len(placeholders(root)) > 10


def test_a_lesson_between_two_others_goes_in_number_order(tmp_path: Path) -> None:
    root = _skeleton(tmp_path)
    scaffold.new_lesson(root, "8", TITLE)
    scaffold.new_lesson(root, "7", "Armenia's freeze")
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    assert (
        toc.index("notebooks/06_") < toc.index("notebooks/07_armenias_freeze") < toc.index("notebooks/08_late_signers")
    )
    nb = json.loads((root / "notebooks" / "08_late_signers.ipynb").read_text(encoding="utf-8"))
    assert "**Before you start:** [Lesson 6]" in "".join(nb["cells"][1]["source"])  # made before lesson 7


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        pytest.param(
            ["01", "Another origins"], 1, "Lesson 01 exists already (notebooks/01_origins.ipynb)", id="existing-number"
        ),
        pytest.param(["2", "Again"], 1, "Lesson 02 exists already", id="existing-number-one-digit"),
        pytest.param(
            ["7", "Origins"],
            1,
            "prefix 'origins' is taken by notebooks/01_origins.ipynb",
            id="existing-exercise-prefix",
        ),
        pytest.param(["7", "Inaction", "--slug", "inaction_again"], 0, "", id="a-new-slug-is-fine"),
        pytest.param(["six", TITLE], 2, "whole number from 1 to 99, such as 06; got 'six'", id="number-in-words"),
        pytest.param(["100", TITLE], 2, "from 1 to 99", id="number-too-big"),
        pytest.param(["-1", TITLE], 2, "from 1 to 99", id="negative"),
        pytest.param(["8.5", TITLE], 2, "from 1 to 99", id="decimal"),
        pytest.param(["0", TITLE], 2, "lesson 0 is the getting-started lesson", id="zero"),
        pytest.param(["8", "  "], 2, "needs a title", id="empty-title"),
        pytest.param(["8", "Армения"], 2, "add --slug", id="title-without-latin-letters"),
        pytest.param(["8", TITLE, "--slug", "Late-Signers"], 2, "lower-case letters", id="bad-slug"),
        pytest.param(["8", TITLE, "--slug"], 2, "--slug needs a name", id="slug-without-name"),
        pytest.param(["8"], 2, "give a lesson number and a title", id="no-title"),
        pytest.param(["8", TITLE, "extra"], 2, "give a lesson number and a title", id="extra-argument"),
        pytest.param(["8", TITLE, "--force"], 2, "there is no option --force", id="unknown-option"),
    ],
)
def test_a_bad_or_existing_lesson_is_refused_in_one_sentence_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], status: int, words: str
) -> None:
    root = _skeleton(tmp_path)
    before = _tree(root)
    assert scaffold.main(args, root=root) == status
    if status == 0:
        return
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("new-lesson: ") and err.rstrip().endswith("."), err
    assert words in err, err
    assert _tree(root) == before


def test_an_existing_file_of_the_same_name_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _skeleton(tmp_path)
    (root / GRADER).write_text("# someone's work in progress\n", encoding="utf-8")
    before = _tree(root)
    assert scaffold.main(["8", TITLE], root=root) == 1
    assert "src/csto_course/exercises/late_signers.py exists already" in capsys.readouterr().err
    assert _tree(root) == before


@pytest.mark.slow  # it starts the command in a fresh process outside the repository (not in `make check`)
def test_outside_the_repository_the_command_says_where_to_run_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "csto_course.authoring", "new-lesson", "8", TITLE],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"new-lesson: There is no _toc.yml in {tmp_path}: run the command from the course repository's root folder."
    ]
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- a lesson, filled in

GRADER_SOURCE = '''"""Lesson 8, Late signers: the states that joined the treaty after Tashkent."""

from __future__ import annotations

from ..data import load
from .answers import later_signature_years
from .specs import Mistake, Read, Spec, as_int


def expected_late() -> int:
    return len(later_signature_years(load("states")))


Spec(
    "late-signers-1",
    "How many states signed the 1992 treaty later than in Tashkent on 1992-05-15?",
    read=Read(as_int, "a number of states"),
    expected=expected_late,
    right="They all signed in 1993; lesson 1 shows how long each stayed.",
    mistakes=[
        Mistake(
            "That counts the states that signed in Tashkent; count the others.",
            value=lambda: int(load("states")["signed_1992_tashkent"].sum()),
        ),
        Mistake(
            "That counts every state in the table; keep only those that did not sign in Tashkent.",
            value=lambda: len(load("states")),
        ),
    ],
    otherwise="Count the rows of `states` where signed_1992_tashkent is False.",
).register()
'''

#: What each placeholder cell becomes, chosen by its first line.
FILLED_MARKDOWN = {
    "# Lesson 8": (
        "# Lesson 8: Late signers\n\n"
        "*By the end of this lesson you can say which states joined the treaty after Tashkent, and when.*"
    ),
    "## At a glance": (
        "## At a glance\n\n"
        "**Learning objectives.** After this lesson you will be able to:\n\n"
        "1. **explain** who signed the treaty in Tashkent and who signed later;\n"
        "2. **compute** how many states signed later, from the `states` table;\n"
        "3. **judge** how firmly the sources date the late signatures.\n\n"
        "**Main question:** Which states joined the treaty after Tashkent, and when?\n"
        "**Time:** about 20 minutes. **Datasets:** `states`.\n"
        "**Before you start:** [Lesson 6](06_capstone.ipynb)."
    ),
    "## Overview": (
        "## Overview\n\n"
        "On 1992-05-15, in Tashkent, the leaders of six former Soviet republics signed a treaty on\n"
        "collective security (<cite>dkb-treaty-en-1992; belarus-mfa-csto-2023</cite>). Three more states\n"
        "signed in 1993 (<cite>gibler-alliances; ria-cst-history-2025</cite>). Who were they?"
    ),
    "## 1.": (
        "## 1. Who signed later\n\n"
        "The `states` table records each state's first signature and whether it signed in Tashkent; the\n"
        "exact days of the 1993 signatures rest on one reference work, so they carry `medium`\n"
        "confidence (<cite>gibler-alliances</cite>)."
    ),
    "*Figure": (
        "*Figure 8.1. States by the year they first signed the treaty. "
        'Source: course dataset `states` (see `cite("states")`).*'
    ),
    "### Exercise 8.1": (
        "### Exercise 8.1\n\nHow many states signed the treaty later than in Tashkent? Assign the number to `answer`."
    ),
    "## 2. Explorer": (
        "## 2. Explorer: the datasets\n\n"
        "Pick a dataset to see its first rows and its codebook.\n\n"
        "> **Needs a running kernel.** This explorer runs in Python. The website cannot run it and shows\n"
        "> a note in its place; to use it, open the lesson in JupyterLab, or in Binder or Colab (the rocket icon)."
    ),
    "## Check your understanding": (
        "## Check your understanding\n\n"
        '<details class="csto-quiz">\n<summary>1. In which year did the late signers sign?</summary>\n\n'
        "In 1993.\n</details>"
    ),
    "## Summary": (
        "## Summary\n\n"
        "- Six states signed in Tashkent; three more signed in 1993.\n\n"
        "## Further reading\n\n"
        "- The text of the treaty (<cite>dkb-treaty-en-1992</cite>)."
    ),
}

FILLED_CODE = {
    "# BEGIN SOLUTION": (
        '# BEGIN SOLUTION\nanswer = int((~table["signed_1992_tashkent"].astype(bool)).sum())\n# END SOLUTION'
    ),
    "with_alt_text": (
        "from csto_course.views.charts import frame_for_chart, with_alt_text\n\n"
        'by_year = frame_for_chart(table.assign(year=table["first_signed"].dt.year))\n'
        "chart = alt.Chart(by_year).mark_bar().encode(\n"
        '    x=alt.X("year:O", title="first signed"), y=alt.Y("count()", title="states")\n'
        ")\n"
        'with_alt_text(chart, "Bar chart of the states that signed the treaty, by the year each first signed it.")'
    ),
}


def _fill_in(root: Path) -> None:
    """Replace every placeholder with real content, as an author would."""
    path = root / NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if MARKER not in cell.source:
            continue
        table = FILLED_MARKDOWN if cell.cell_type == "markdown" else FILLED_CODE
        if cell.cell_type == "markdown":
            chosen = [text for start, text in table.items() if cell.source.startswith(start)]
        else:
            chosen = [text for key, text in table.items() if key in cell.source]
        if chosen:
            cell.source = chosen[0]
        elif cell.cell_type == "code":  # only a comment to delete
            cell.source = "\n".join(line for line in cell.source.splitlines() if MARKER not in line)
        else:
            pytest.fail(f"A placeholder cell the test does not know how to fill in: {cell.source[:60]!r}")
    nbformat.write(nb, path)
    (root / GRADER).write_text(GRADER_SOURCE, encoding="utf-8")


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the course with lesson 8 scaffolded, checked to be rejected, filled in and run.

    The lesson is run and saved as `make execute` saves it: the book shows saved outputs.
    """
    from nbclient import NotebookClient

    root = _copy_course(tmp_path_factory.mktemp("course"))
    assert scaffold.main(["08", TITLE], root=root) == 0
    left = placeholders(root)
    assert any(line.startswith(f"{NOTEBOOK.as_posix()}: cell 0 ") for line in left), left
    assert any(line.startswith(f"{GRADER.as_posix()}: line ") for line in left), left
    assert not any(line.startswith("notebooks/0" + n) for line in left for n in "012"), left
    # Not filled in yet, the lesson's module already imports with the package (which imports every
    # lesson's module), so the course keeps working while an author writes.
    imported = subprocess.run(
        [sys.executable, "-c", f"import csto_course.exercises.{GRADER.stem}, csto_course; print('ok')"],
        env=_env(root),
        capture_output=True,
        text=True,
    )
    assert imported.stdout.strip() == "ok", imported.stderr[-2000:]
    _fill_in(root)
    assert placeholders(root) == []

    path = root / NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=_env(root))
    spec = importlib.util.spec_from_file_location("normalize_notebooks", root / "tools" / "normalize_notebooks.py")
    assert spec and spec.loader
    normalize_notebooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(normalize_notebooks)
    nbformat.write(normalize_notebooks.normalize(nb), path)
    assert not normalize_notebooks.normalize_file(path, write=False)
    return root


@pytest.mark.slow  # it runs a whole new lesson and writes its student edition (`make check` leaves it out)
def test_a_filled_in_lesson_passes_the_house_rules_runs_and_goes_into_the_student_edition(
    filled: Path, tmp_path: Path
) -> None:
    # It ran (in the fixture), and its check says the worked solution is right.
    nb = nbformat.read(filled / NOTEBOOK, as_version=4)
    check_cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("check("))
    assert "Correct" in json.dumps(check_cell.outputs), check_cell.outputs

    # The student edition: the lesson is in it, without its solution.
    written = build_student_edition(filled, tmp_path / "student")
    student = nbformat.read(next(p for p in written if p.name == NOTEBOOK.name), as_version=4)
    sources = "\n".join(c.source for c in student.cells)
    assert "answer = ..." in sources and not any(marker in sources for marker in MARKERS)

    # Three files make the lesson, and no other file of the course was touched.
    changed = sorted(
        p.relative_to(filled).as_posix()
        for p in filled.rglob("*")
        if p.is_file()
        and not {"__pycache__", ".pytest_cache", ".ipynb_checkpoints"} & set(p.relative_to(filled).parts)
        and not (
            (ROOT / p.relative_to(filled)).is_file() and (ROOT / p.relative_to(filled)).read_bytes() == p.read_bytes()
        )
    )
    assert changed == sorted([NOTEBOOK.as_posix(), GRADER.as_posix(), "_toc.yml"]), changed

    # The repository's own tests, run in the copy: house rules for every lesson, the new exercise's
    # mistakes (read from its spec), its sealed check for the student package, and no placeholder left. (nbval is
    # left out to save a second run of the lesson: `make test` runs it on every lesson.)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_notebooks.py",
            "tests/test_graders.py",
            "tests/test_sealed.py",
            "tests/test_scaffold.py::test_no_scaffold_placeholder_is_left",
            "-k",
            f"not test_wrong_answer_gets_its_hint and not test_no_grader_raises or {PREFIX}",
        ],
        cwd=filled,
        env=_env(filled),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout.splitlines()[-1], result.stdout[-1000:]


@pytest.mark.book
def test_the_book_builds_with_the_new_lesson_without_warnings(filled: Path) -> None:
    """jupyter-book build of the copy: it shows the lessons' saved outputs, the new one's included."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", ".", "-W", "-n", "--keep-going"],
        cwd=filled,
        env=_env(filled),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    page = (filled / "_build" / "html" / "notebooks" / "08_late_signers.html").read_text(encoding="utf-8")
    assert "Exercise 8.1" in page and "Late signers" in page
