"""No answer reaches a student by any route: one finder (tests/leaks.py) walks them all.

Routes: the student website (every page, search index and download), the handout zip (its
notebooks, README and the wheel inside it, so the student wheel too), the ``student`` branch's
folder (``make student-branch``: what Binder builds, a hub pulls and Colab's set-up cell installs)
and the Russian ``student-ru`` branch's (``make student-branch-ru``, what the Russian website's
buttons open), and the student edition that ``make student`` writes. The handout, the student
branch and the student edition are looked at in each language (the Russian ones, made from the
Russian lessons, with a finder that knows the Russian solutions and model answers). The student
PDF is printed from the student website and read by tests/browser/test_pdf.py with the same finder.
Each route is also shown to fail when an answer is put back into a temporary copy of it: a finder
that found nothing because it looked nowhere would pass every route.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from csto_course.authoring.lesson import LABELS, lesson_paths
from csto_course.authoring.russian_edition import write_lessons
from csto_course.language import translate
from csto_course.website.russian_site import FOLDER

from .conftest import ROOT
from .leaks import Finder, files_in

#: Minutes, not seconds: every student copy (branch, handout, wheel) is built
#: (`make test` runs it, `make check` does not).
pytestmark = pytest.mark.slow

LESSONS = lesson_paths(ROOT)
SITE = ROOT / "_build" / "student-site" / "_build" / "html"
needs_site = pytest.mark.skipif(
    not (SITE / "index.html").exists() and not os.environ.get("CSTO_REQUIRE_BROWSER"),
    reason="the student website is not built in _build/student-site/_build/html: run `make student-book`",
)


#: The languages of the student copies (the handout, the student branch and the student edition).
LANGUAGES = ("en", "ru")


def _finder(lessons: list[Path]) -> Finder:
    found = Finder.for_course(ROOT, lessons)
    assert len(found.solutions) > 10 and len(found.key) > 20, "the finder has too little to look for"
    return found


@pytest.fixture(scope="module")
def finder() -> Finder:
    return _finder(LESSONS)


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def finder_in(language: str, tmp_path_factory: pytest.TempPathFactory) -> Finder:
    """The finder for the copies in ``language``: it looks for the solutions as that language's lessons write them."""
    if language == "en":
        return _finder(LESSONS)
    return _finder(write_lessons(tmp_path_factory.mktemp(f"lessons-{language}"), language))


@pytest.fixture(scope="module")
def handout(language: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"handout-{language}") / "handout.zip"
    command = [sys.executable, str(ROOT / "tools" / "handout.py"), str(out), "--lang", language]
    subprocess.run(command, cwd=ROOT, check=True)
    return out


@pytest.fixture(scope="module")
def both_finder(tmp_path_factory: pytest.TempPathFactory) -> Finder:
    """The finder for the English and the Russian lessons (whose model answers are in Russian)."""
    russian = write_lessons(tmp_path_factory.mktemp("ru"), "ru")
    found = Finder.for_course(ROOT, LESSONS + russian)
    assert len(found.solutions) > len(_finder(LESSONS).solutions), "the Russian lessons add no model answer to look for"
    return found


@pytest.fixture(scope="module")
def edition(language: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"edition-{language}")
    command = [sys.executable, "-m", "csto_course.authoring.release", str(out), str(ROOT), "--lang", language]
    subprocess.run(command, cwd=ROOT, check=True)
    return out


@pytest.fixture(scope="module")
def branch(language: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The student branch in ``language``: ``student``, or the Russian lessons' ``student-ru``."""
    out = tmp_path_factory.mktemp(f"branch-{language}") / "student"
    command = [sys.executable, str(ROOT / "tools" / "student_branch.py"), str(out), "--lang", language]
    subprocess.run(command, cwd=ROOT, check=True)
    return out


def _solution_back(notebook: Path, finder: Finder) -> None:
    """Put one solution line back into a student notebook, as a careless edit would."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(finder.solutions[0]))
    nbformat.write(nb, notebook)


@needs_site
def test_the_student_website_shows_no_answer(both_finder: Finder) -> None:
    """The English student website and the Russian one under ru/ (`make student-book` builds both)."""
    pages = [name for name, _ in files_in(SITE) if name.endswith(".html")]
    assert len([p for p in pages if p.startswith("notebooks/")]) == len(LESSONS)
    assert len([p for p in pages if p.startswith(f"{FOLDER}/notebooks/")]) == len(LESSONS), "no Russian lessons"
    assert both_finder.in_files(files_in(SITE)) == []


@needs_site
def test_the_finder_sees_an_answer_put_back_into_the_student_website(finder: Finder, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(SITE / "notebooks", copy / "notebooks")
    page = copy / "notebooks" / "03_ukraine_and_division.html"
    page.write_text(page.read_text(encoding="utf-8") + f"<p>{finder.key[0]}</p>", encoding="utf-8")
    assert any("answer key" in f for f in finder.in_files(files_in(copy)))


def test_the_handout_and_its_wheel_hold_no_answer(finder_in: Finder, handout: Path) -> None:
    names = [name for name, _ in files_in(handout)]
    assert any(".whl!csto_course/" in name for name in names), "the finder did not look inside the wheel"
    assert len([n for n in names if n.endswith(".ipynb")]) == len(LESSONS)
    assert finder_in.in_files(files_in(handout)) == []


def test_the_finder_sees_a_grader_or_the_key_put_back_into_the_handout(
    finder_in: Finder, handout: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "handout.zip"
    shutil.copy(handout, copy)
    with zipfile.ZipFile(copy, "a") as archive:
        archive.writestr("csto-course-student/extra/csto_course/exercises/inaction.py", "# the graders")
        archive.writestr("csto-course-student/extra/reading_claims_key.csv", "claim_id,verdict\n")
    found = finder_in.in_files(files_in(copy))
    assert any("grader" in f for f in found) and any("is the answer key" in f for f in found), found


def test_the_student_edition_holds_no_answer(finder_in: Finder, edition: Path) -> None:
    assert len(list((edition / "notebooks").glob("*.ipynb"))) == len(LESSONS)
    assert finder_in.in_files(files_in(edition)) == []


def test_the_finder_sees_a_solution_put_back_into_the_student_edition(
    finder_in: Finder, edition: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "edition"
    shutil.copytree(edition, copy)
    _solution_back(copy / "notebooks" / LESSONS[1].name, finder_in)
    assert any("solution text" in f for f in finder_in.in_files(files_in(copy)))


def test_the_finder_reads_the_copies_language(finder_in: Finder, language: str) -> None:
    """Each language's copies are searched for that language's model answers, label and verdict."""
    model_answers = [line for line in finder_in.solutions if re.search("[а-яё]", line, re.I)]
    assert bool(model_answers) == (language != "en"), f"{language}: model answers the finder knows: {model_answers[:3]}"
    label, verdict = LABELS[language]["model answer"].capitalize(), translate("Correct", language)
    assert finder_in.in_text(f"<summary>{label}</summary>", "page") == [f"page shows {label!r}"]
    found = finder_in.in_text(f"✔ origins-1: {verdict}.", "page")
    assert found == [f"page shows a check's verdict 'origins-1: {verdict}'"]


def test_the_student_branch_holds_no_answer(finder_in: Finder, branch: Path) -> None:
    names = [name for name, _ in files_in(branch)]
    assert "src/csto_course/exercises/sealed.json" in names, "the branch should carry the student package"
    assert len([n for n in names if n.startswith("notebooks/")]) == len(LESSONS)
    assert finder_in.in_files(files_in(branch)) == []


def test_the_finder_sees_the_key_or_a_grader_put_back_into_the_student_branch(
    finder_in: Finder, branch: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "branch"
    shutil.copytree(branch, copy)
    shutil.copy(ROOT / "data" / "reading_claims_key.csv", copy / "data")
    shutil.copy(ROOT / "src" / "csto_course" / "exercises" / "answers.py", copy / "src" / "csto_course" / "exercises")
    _solution_back(copy / "notebooks" / LESSONS[1].name, finder_in)
    found = finder_in.in_files(files_in(copy))
    assert any("is the answer key" in f for f in found) and any("grader" in f for f in found), found
    assert any("solution text" in f for f in found), found
