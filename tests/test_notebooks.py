"""House rules every lesson follows, checked on the saved notebooks."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from csto_course.authoring.lesson import lesson_paths, read_lesson

from .conftest import ROOT

LESSONS = lesson_paths(ROOT)
SECTIONS = ["## At a glance", "## Overview", "## Check your understanding", "## Summary", "## Further reading"]


def _cells(path):  # type: ignore[no-untyped-def]
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_chart_has_a_real_text_alternative(path) -> None:  # type: ignore[no-untyped-def]
    charts = [
        output["data"]["application/vnd.vegalite.v5+json"]
        for cell in _cells(path)
        for output in cell.get("outputs", [])
        if "application/vnd.vegalite.v5+json" in output.get("data", {})
    ]
    for spec in charts:
        assert len(str(spec.get("description", ""))) >= 60, f"{path.name}: a chart without a useful description"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_has_the_house_sections_and_labelled_exercises(path) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")
    for heading in SECTIONS:
        assert heading in text, f"{path.name} lacks '{heading}'"
    assert read_lesson(path).exercises, f"{path.name} has no labelled exercise"
    assert "<details" in text, f"{path.name} has no quiz that works on a static page"
    missing = {"Main question", "Time", "Datasets"} - set(read_lesson(path).glance)
    assert not missing, f"{path.name}: 'At a glance' lacks {sorted(missing)} (the book's tables of lessons use them)"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_solution_cells_are_folded_on_the_website(path) -> None:  # type: ignore[no-untyped-def]
    lesson = read_lesson(path)
    for index in (i for exercise in lesson.exercises for i in exercise.solution_cells):
        tags = lesson.cells[index].get("metadata", {}).get("tags", [])
        assert "hide-input" in tags, f"{path.name}, cell {index}: an unfolded solution"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_dates_in_prose_are_iso(path) -> None:  # type: ignore[no-untyped-def]
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    text = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")
    day_month = re.findall(rf"\b\d{{1,2}} (?:{months}) \d{{4}}\b", text)
    assert not day_month, f"{path.name}: write dates as YYYY-MM-DD, not {day_month[:3]}"


def _lesson_number(path) -> int:  # type: ignore[no-untyped-def]
    return int(path.stem.split("_")[0])


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_exercise_is_checked_by_the_id_its_label_gives(path) -> None:  # type: ignore[no-untyped-def]
    """Exercise 2.3 is checked by `inaction-3`: the lesson model reads the rule (tests/test_lesson.py)."""
    lesson = read_lesson(path)
    assert not lesson.problems, "\n".join(map(str, lesson.problems))
    others = {read_lesson(other).prefix for other in LESSONS if other != path}
    assert lesson.prefix not in others, f"{path.name}: another lesson's checks use {lesson.prefix!r} too"
    checked = [e for e in lesson.exercises if e.check_cells]
    assert checked, f"{path.name} checks no exercise"
    for exercise in checked:
        assert (exercise.lesson, exercise.id) == (_lesson_number(path), f"{lesson.prefix}-{exercise.number}")


#: Package calls that print a worked answer: a lesson never calls them; its check shows the result once right.
WORKED_ANSWERS = (
    "members_per_year",
    "response_rates",
    "response_delay_table",
    "active_response_rate",
    "response_delays",
    "agreement_table",
    "cohesion_table",
    "agreement_with",
    "group_cohesion",
    "base_terms",
    "dependence_index",
)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_worked_answers_are_shown_by_the_check_after_a_right_answer(path) -> None:  # type: ignore[no-untyped-def]
    """A folded output is no protection: JupyterLab unfolds every output Run All regenerates. So no
    cell prints a worked answer, and none is folded with ``hide-output``; a worked result is the
    exercise's ``worked=`` (its Spec), which the check shows under a right answer only."""
    for i, cell in enumerate(_cells(path)):
        source = "".join(cell["source"])
        if cell["cell_type"] != "code":
            continue
        calls = [name for name in WORKED_ANSWERS if f"{name}(" in source]
        assert not calls, f"{path.name}, cell {i}: prints a worked answer ({calls}); show it with the check's worked="
        assert "hide-output" not in cell.get("metadata", {}).get("tags", []), (
            f"{path.name}, cell {i}: an output folded with hide-output unfolds after Run All in JupyterLab"
        )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_citations_read_well_outside_the_book_and_name_real_sources(path) -> None:  # type: ignore[no-untyped-def]
    """`(<cite data-keys="id">Author, year</cite>)` reads as text in JupyterLab, Colab, GitHub; MyST roles do not."""
    from csto_course import load
    from csto_course.website.citations import CITATION, cited_keys, labelled, labels

    text = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")
    roles = re.findall(r"\{[a-z:]+\}`", text)
    assert not roles, f"{path.name}: MyST roles show as raw markup in JupyterLab: {sorted(set(roles))}"
    assert text.count("<cite") == len(CITATION.findall(text)), f"{path.name}: write a citation as (<cite>id; id</cite>)"
    assert labelled(text, labels(load("sources"))) == text, (
        f"{path.name}: a citation lacks its author and year, or they no longer match data/sources.csv: "
        "run `make execute` (or tools/normalize_notebooks.py)"
    )
    known = set(load("sources")["id"].astype(str))
    unknown = sorted(set(cited_keys(text)) - known)
    assert not unknown, f"{path.name} cites ids that are not in data/sources.csv: {unknown}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_links_to_book_pages_work_outside_the_book(path) -> None:  # type: ignore[no-untyped-def]
    """A lesson links to a book page by the website's address (``html.baseurl``, the one place it is
    set): a relative ``../book/…`` link leads nowhere in JupyterLab, the handout, Binder or Colab.
    The book build turns each such link into a link between its own pages (``book_links``)."""
    import yaml

    from csto_course.website.sphinxext import book_links

    baseurl = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"]
    text = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")
    relative = re.findall(r"\]\((\.\./[^)]*)\)", text)
    assert not relative, f"{path.name}: links that lead nowhere outside the book: {relative}; link to {baseurl}book/…"
    pages = re.findall(r"\]\(" + re.escape(baseurl) + r"([^)#]*)", text)
    for page in pages:
        source = ROOT / re.sub(r"\.html$", ".md", page)
        assert source.is_file(), f"{path.name}: {baseurl}{page} is no page of the book (no {source.relative_to(ROOT)})"
        assert f"(../{source.relative_to(ROOT).as_posix()})" in book_links(f"]({baseurl}{page})", baseurl)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_students_see_each_open_questions_rubric_but_not_its_model_answer(path) -> None:  # type: ignore[no-untyped-def]
    """The rubric is the success criteria a student writes to; only the model answer is the instructors'."""
    from csto_course.authoring.release import student_notebook

    lesson = read_lesson(path)
    student = student_notebook(nbformat.read(path, as_version=4), path.name)
    for exercise in (e for e in lesson.exercises if e.model_answer is not None):
        assert exercise.rubric_points, f"{path.name}: Exercise {exercise.label} has no 'Rubric (N points)'"
        shown = student.cells[exercise.model_answer_cell].source
        assert re.search(r"Rubric \(\d+ points?\)", shown), f"{path.name}: Exercise {exercise.label}'s rubric is hidden"
        assert exercise.model_answer.strip()[:60] not in shown


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_set_up_cells_fallback_installs_the_student_package(path) -> None:  # type: ignore[no-untyped-def]
    """On Colab or a bare Python the set-up cell installs the course from the branch the launch buttons
    open (``repository.branch``: ``student``, whose package has the sealed checks), never from main,
    whose package has the graders."""
    import yaml

    repository = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]
    code = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "code")
    installs = re.findall(r"csto-course @ git\+(\S+?)\\?\"", code)
    assert installs == [f"{repository['url']}@{repository['branch']}"], f"{path.name}: installs from {installs}"
