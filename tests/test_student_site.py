"""The student website (`make student-book`): the lessons' website edition keeps the outputs a
student may see and drops those that give an answer away, and the built site shows no solution,
model answer, check's "Correct." or page for instructors.

The tests of the built site read _build/student-site/_build/html and skip, saying why, when it
has not been built (`make test` builds it first).
"""

from __future__ import annotations

import importlib.util

import nbformat
import pytest

from csto_course.authoring.lesson import MARKERS
from csto_course.authoring.release import (
    ANSWER_GOES_HERE,
    ReleaseError,
    answer_goes_here,
    student_notebook,
    website_notebook,
)
from csto_course.website import russian_site

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("student_site", ROOT / "tools" / "student_site.py")
assert _spec and _spec.loader
student_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(student_site)

SITE = student_site.HTML
NAME = "notebooks/01_lesson.ipynb"
CHART = {"application/vnd.vegalite.v5+json": {"mark": "bar"}, "text/plain": ["alt.Chart(...)"]}


def _output(data: dict[str, object]) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("execute_result", data=data, execution_count=None)


def _feedback(status: str, text: str) -> nbformat.NotebookNode:
    box = f'<div class="csto-feedback csto-{status}" role="status"><strong>{text}</strong></div>'
    return _output({"text/html": box, "text/plain": text})


def _small_lesson() -> nbformat.NotebookNode:
    """Exercise 1.1 (solved, checked right with its worked result, then a wrong answer shown),
    a table, a chart, and Exercise 1.2, an open question with a model answer."""
    nb = nbformat.v4.new_notebook()
    cells = [
        nbformat.v4.new_markdown_cell("### Exercise 1.1\n\nHow many?"),
        nbformat.v4.new_code_cell("# BEGIN SOLUTION\nanswer = len(states)\n# END SOLUTION\n"),
        nbformat.v4.new_code_cell('check("lesson-1", answer)'),
        nbformat.v4.new_code_cell('check("lesson-1", "nine")'),
        nbformat.v4.new_code_cell("states.groupby('region').size()"),
        nbformat.v4.new_code_cell("members_over_time()"),
        nbformat.v4.new_markdown_cell(
            "### Exercise 1.2 (open question)\n\nWhy?\n\n<!-- BEGIN SOLUTION -->\n<details>\n"
            "<summary>Model answer (instructors)</summary>\n\nBecause the treaty says so.\n</details>\n"
            "<!-- END SOLUTION -->\n"
        ),
    ]
    cells[1].metadata["tags"] = ["hide-input"]
    cells[1].outputs = [nbformat.v4.new_output("stream", text="9\n")]
    cells[2].outputs = [
        _feedback("correct", "✔ lesson-1: Correct. One row per state: 9."),
        _output({"text/plain": "worked result: 9 states by region"}),
    ]
    cells[3].outputs = [_feedback("invalid", "? lesson-1: Check your answer's type. Write it as a number.")]
    cells[4].outputs = [_output({"text/plain": "Central Asia    5"})]
    cells[5].outputs = [_output(CHART)]
    for number, cell in enumerate(c for c in cells if c.cell_type == "code"):
        cell.execution_count = number + 1
    for index, cell in enumerate(cells):
        cell.id = f"c{index:03d}"
    nb.cells = cells
    return nb


@pytest.fixture(scope="module")
def edition() -> nbformat.NotebookNode:
    return website_notebook(_small_lesson(), NAME)


def _cell(nb: nbformat.NotebookNode, start: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.source.startswith(start))


def test_a_solution_becomes_its_stub_with_no_output_and_a_note(edition: nbformat.NotebookNode) -> None:
    stub = _cell(edition, "# YOUR CODE HERE")
    assert stub.source == student_notebook(_small_lesson(), NAME).cells[1].source
    assert "answer = ..." in stub.source and "len(states)" not in stub.source
    assert stub.outputs == [] and "tags" not in stub.metadata  # shown, not folded
    assert edition.cells[edition.cells.index(stub) - 1].source == ANSWER_GOES_HERE


def test_a_right_checks_verdict_goes_and_a_wrong_answers_demonstration_stays(edition: nbformat.NotebookNode) -> None:
    right = _cell(edition, 'check("lesson-1", answer)')
    assert right.outputs == []
    assert right.metadata["editable"] is False  # locked, as in the student notebooks
    wrong = _cell(edition, 'check("lesson-1", "nine")')
    assert [o["data"]["text/plain"] for o in wrong.outputs] == [
        "? lesson-1: Check your answer's type. Write it as a number."
    ]


def test_a_table_and_a_chart_stay(edition: nbformat.NotebookNode) -> None:
    table = _cell(edition, "states.groupby")
    assert [o["data"]["text/plain"] for o in table.outputs] == ["Central Asia    5"]
    chart = _cell(edition, "members_over_time")
    assert chart.outputs[0]["data"] == CHART


def test_the_model_answer_goes_and_the_run_order_stays(edition: nbformat.NotebookNode) -> None:
    question = _cell(edition, "### Exercise 1.2")
    assert "*Write your answer here.*" in question.source and "Because" not in question.source
    text = nbformat.writes(edition)
    assert not any(marker in text for marker in MARKERS) and "Model answer" not in text
    counts = [c.execution_count for c in edition.cells if c.cell_type == "code"]
    assert counts == [1, 2, 3, 4, 5], "the book refuses a lesson whose cells were not run in order"
    assert len(_small_lesson().cells[1].outputs) == 1, "the lesson itself is not changed"


def test_a_model_answer_outside_the_markers_is_refused() -> None:
    nb = _small_lesson()
    nb.cells.append(nbformat.v4.new_markdown_cell("<details>\n<summary>Model answer</summary>\nYes.\n</details>"))
    nb.cells[-1].id = "c999"
    with pytest.raises(ReleaseError, match=r"c999.*model answer"):
        website_notebook(nb, NAME)


def test_staging_drops_the_pages_sections_and_links_for_instructors() -> None:
    toc = student_site.student_toc({"parts": [{"chapters": [{"file": "book/hub"}]}, {"chapters": [{"file": "a"}]}]})
    assert toc == {"parts": [{"chapters": [{"file": "a"}]}]}
    page = "# Use\n\n## For students\n\nRead.\n\n## For instructors\n\nSee [the hub](hub.md).\n\n### Data\n\n## Help\n"
    assert student_site.drop_section(page, "For instructors") == "# Use\n\n## For students\n\nRead.\n\n## Help\n"
    text, count = student_site.unlink("The [guide](instructors.md#plan) and [codebook](codebook.md).", "book/a.md")
    assert (text, count) == ("The guide and [codebook](codebook.md).", 1)
    assert student_site.unlink("[guide](../book/instructors.md)", "notebooks/01.ipynb") == ("guide", 1)


# --- The built student website ----------------------------------------------------------------

needs_site = pytest.mark.skipif(
    not (SITE / "book" / "index.html").exists(),
    reason=f"the student website is not built in {SITE.relative_to(ROOT)}: run `make student-book`",
)


@needs_site
def test_the_student_website_has_no_page_for_instructors_and_marks_the_answers() -> None:
    for page in student_site.INSTRUCTOR_PAGES:
        assert not (SITE / f"{page}.html").exists(), f"{page} is on the student website"
    how_to = (SITE / "book" / "how-to-use.html").read_text(encoding="utf-8")
    assert 'id="for-students"' in how_to and 'id="for-instructors"' not in how_to
    lesson = (SITE / "notebooks" / "01_origins.html").read_text(encoding="utf-8")
    assert "Your answer goes here" in lesson and "csto-chart" in lesson, "the stubs or the charts are missing"


RUSSIAN = SITE / russian_site.FOLDER
needs_russian_site = pytest.mark.skipif(
    not (RUSSIAN / "book" / "index.html").exists(),
    reason=f"the Russian student website is not built in {RUSSIAN.relative_to(ROOT)}: run `make student-book`",
)


@needs_russian_site
def test_the_russian_student_website_has_no_page_for_instructors_and_marks_the_answers_in_russian() -> None:
    for page in student_site.INSTRUCTOR_PAGES:
        assert not (RUSSIAN / f"{page}.html").exists(), f"{page} is on the Russian student website"
    how_to = (RUSSIAN / "book" / "how-to-use.html").read_text(encoding="utf-8")
    for page, heading in student_site.INSTRUCTOR_SECTIONS.items():
        russian = student_site.headings(page, heading)[-1]
        assert russian != heading, f"{page}: the heading {heading!r} has no Russian"
        assert f"{russian}<" not in how_to, f"the Russian {page} keeps its section {russian!r}"
    lesson = (RUSSIAN / "notebooks" / "01_origins.html").read_text(encoding="utf-8")
    note = answer_goes_here(russian_site.LANGUAGE).strip("*")
    assert note in lesson and "csto-chart" in lesson, "the Russian stubs' note or the charts are missing"
    assert answer_goes_here("en").strip("*") not in lesson, "the Russian lesson says where the answer goes in English"
