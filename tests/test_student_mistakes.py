"""A student's mistake, typed in a real notebook, shows one plain sentence and no traceback.

Each case is run in a real kernel, as a student would run it, because what matters is what
IPython prints: an exception's message is only half of it, the traceback around it is the
other half. All cases share one kernel (one notebook, ``allow_errors=True``) to keep the
test fast.

To add a case, append ``(source, expected_substring)`` to :data:`CASES`; if it needs an
import, add it to :data:`SETUP`. To check other code the same way, call :func:`run_in_kernel`
and :func:`error_lines`.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat import NotebookNode

from .conftest import ROOT

# Run first, in the same kernel; its outputs are not checked. ``BROKEN_DATA`` (a copy of
# data/ with a bad date) is defined before it by the fixture.
SETUP = '''\
import contextlib as _contextlib
import os as _os

from csto_course import *
from csto_course.views.datasets import dataset_browser
from csto_course import views
from csto_course.views import maps


@_contextlib.contextmanager
def data_from(folder):
    """Read the course data from ``folder`` for the length of a ``with`` block."""
    before = _os.environ.get("CSTO_DATA_DIR")
    _os.environ["CSTO_DATA_DIR"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            del _os.environ["CSTO_DATA_DIR"]
        else:
            _os.environ["CSTO_DATA_DIR"] = before
'''

#: The datasets a student can load, in the order the error lists them (from the data package).
_DATASETS = sorted(r["name"] for r in json.loads((ROOT / "data" / "datapackage.json").read_text())["resources"])

# (what the student types, a phrase the one-line answer must contain)
CASES: list[tuple[str, str]] = [
    ('load("nonexistent")', f"type datasets() to list all {len(_DATASETS)}"),
    ("load(5)", "such as load('states'); it got a whole number"),
    ('load("state")', "did you mean load('states')?"),
    ('cite("x")', "There is no dataset called 'x'"),
    ('cite("states", style="apa")', "try cite('states', style='bibtex')"),
    ('describe("x")', "There is no dataset called 'x'"),
    ('datasets("x")', "datasets() lists every dataset and takes no name"),
    ('datasets("states")', "type load('states')"),
    (
        'with data_from(BROKEN_DATA):\n    load("membership")',
        "membership.csv, line 4, column 'start_date': '1993-13-45'",
    ),
    ("from csto_course.views.datasets import dataset_browser; dataset_browser(rows=-3)", "from 1 to 50 rows"),
    ('dataset_browser(rows="5")', "write rows=5 without quotes"),
    ('dataset_browser("nope")', "There is no dataset called 'nope'"),
    ('dataset_browser("membrship")', "did you mean dataset_browser('membership')?"),
    ('views.crises.crisis_timeline(load("crisis_events"))', 'pass load("crises")'),
    ('views.crises.crisis_timeline(load("membership"))', 'pass load("crises")'),
    ("views.crises.crisis_timeline([1, 2])", "reads the `crises` table, not a list"),
    ('maps.reference_day("x")', "must be a whole number such as 2012"),
    ("maps.reference_day(1980)", "must be between 1992"),
    ('maps.membership_map(load("crises"), load("states"), load("timeline"))', 'pass load("membership")'),
    ('maps.membership_map(load("membership"), load("states"), load("crises"))', 'pass load("timeline")'),
    ('maps.count_line(load("states"))', "with no column 'status'"),
    ('views.votes.vote_heatmap(load("unga_resolutions"), load("unga_resolutions"))', 'pass load("unga_votes")'),
    ('views.votes.vote_heatmap(load("unga_votes"), load("unga_votes"))', 'pass load("unga_resolutions")'),
    ('views.votes.vote_heatmap(load("unga_votes"), load("unga_resolutions"), states=["Kazakhstan"])', "ISO3 codes"),
    ('views.votes.vote_heatmap(load("recognition"), load("unga_resolutions"))', 'pass load("unga_votes")'),
    ('views.votes.recognition_matrix(load("alignment_acts"))', 'pass load("recognition")'),
    ('views.votes.alignment_chart(load("recognition"))', 'pass load("alignment_acts")'),
    ('views.decline.spending_chart(load("budget_shares"))', 'pass load("military_spending")'),
    ('views.decline.bases_table(load("ties"))', 'pass load("russian_bases")'),
    ('views.decline.ties_chart(load("russian_bases"))', 'pass load("ties")'),
    ('views.decline.index_builder(load("ties"))', "pass what dependence_components() returns"),
    # A call that does not fit the function: errors.course_function's sentence, not Python's TypeError.
    ("views.votes.focus_states(5)", "focus_states() takes nothing in its brackets"),
    ("maps.reference_day()", "reference_day() needs year"),
    ('load("states", "membership")', "load() reads one dataset at a time"),
    ("from csto_course.measures import agreement_index; agreement_index(-1, 2, 3)", "must be 0 or more; got -1"),
    (
        "from csto_course.exercises.answers import spending_shares; "
        'spending_shares(load("military_spending"), {"RUS"}, "2024")',
        "whole number such as 2024",
    ),
]

#: A check never raises: its feedback box is the sentence. (what is typed, a phrase it must say)
CHECK_CASES: list[tuple[str, str]] = [
    ('check("no-such-id", 1)', "There is no exercise with the id 'no-such-id'"),
    ('check("origins-1", "six")', "without quotes"),
    ('check("origins-1", None)', "Your answer is None"),
    ("check(3, 1)", "There is no exercise with the id 3"),
]

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MAX_LENGTH = 300  # characters in the one line: a sentence or two, not a page


def run_in_kernel(sources: Sequence[str], setup: str = SETUP, timeout: int = 120) -> list[NotebookNode]:
    """Run ``setup`` and then each source as its own cell in one fresh kernel; return the source cells.

    Errors do not stop the run (``allow_errors=True``), so each returned cell holds exactly
    what a student would see under that cell.
    """
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(setup)] + [nbformat.v4.new_code_cell(s) for s in sources]
    NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True).execute()
    return list(nb.cells[1:])


def error_lines(cell: NotebookNode) -> list[str]:
    """The non-blank lines of error and printed text under ``cell``, without colour codes."""
    text = ""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            text += "\n".join(out.get("traceback", [])) + "\n"
        text += str(out.get("text", ""))
    return [line for line in ANSI.sub("", text).splitlines() if line.strip()]


def break_a_date(folder: Path) -> None:
    """Write an impossible start date into line 4 of ``folder``/membership.csv."""
    path = folder / "membership.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("start_date")] = "1993-13-45"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def answered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, NotebookNode]:
    """Every case in :data:`CASES`, run once in one kernel, by source."""
    broken = tmp_path_factory.mktemp("broken") / "data"
    shutil.copytree(ROOT / "data", broken, ignore=shutil.ignore_patterns("staging"))
    break_a_date(broken)
    sources = [source for source, _ in CASES]
    cells = run_in_kernel(sources, setup=f"BROKEN_DATA = {str(broken)!r}\n" + SETUP)
    return dict(zip(sources, cells, strict=True))


@pytest.mark.parametrize(("source", "expected"), CASES, ids=[" ".join(s.split()) for s, _ in CASES])
def test_a_mistake_gets_one_plain_sentence(answered: dict[str, NotebookNode], source: str, expected: str) -> None:
    cell = answered[source]
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert len(errors) == 1, f"{source!r} should stop with one error; outputs: {cell.outputs}"
    lines = error_lines(cell)
    shown = "\n".join(lines)
    assert len(lines) == 1, f"{source!r} shows {len(lines)} lines, not one:\n{shown}"
    line = lines[0]
    assert "Traceback" not in line
    assert not re.search(r'File "?[^ ]+\.py', line) and not ("File " in line and ".py" in line), line
    assert line.startswith(f"{errors[0].ename}: "), line
    assert len(line) <= MAX_LENGTH, f"{len(line)} characters: {line}"
    assert expected in line, f"{source!r} answered {line!r}; expected it to mention {expected!r}"


def test_every_case_is_a_course_error() -> None:
    """The one-line display comes from CourseError; a bare built-in error would show a traceback."""
    from csto_course import data
    from csto_course.errors import CourseError

    for cls in (data.DataError, data.UnknownDatasetError):
        assert issubclass(cls, CourseError)
    assert issubclass(data.DataError, ValueError) and issubclass(data.UnknownDatasetError, KeyError)


def test_a_name_with_spaces_and_capitals_loads_the_dataset() -> None:
    from csto_course import load

    frame = load(" States")
    assert frame.attrs["name"] == "states"
    assert frame.equals(load("states"))


@pytest.fixture(scope="module")
def checked() -> dict[str, NotebookNode]:
    """Every case in :data:`CHECK_CASES`, run once in one kernel, by source."""
    sources = [source for source, _ in CHECK_CASES]
    return dict(zip(sources, run_in_kernel(sources, setup="from csto_course import *"), strict=True))


@pytest.mark.parametrize(("source", "expected"), CHECK_CASES, ids=[s for s, _ in CHECK_CASES])
def test_a_check_answers_in_its_box_without_an_error(
    checked: dict[str, NotebookNode], source: str, expected: str
) -> None:
    cell = checked[source]
    assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs
    shown = "".join(str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)
    assert expected in shown, shown
    assert "Check your answer's type" not in shown or "no-such-id" not in source
