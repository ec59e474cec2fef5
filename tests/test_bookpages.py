"""The book without a kernel: generated parts, the saved-lesson check, explorers' notes, the bench report."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from csto_course.authoring.lesson import lesson_paths
from csto_course.data import load
from csto_course.website import bookpages
from csto_course.website.benchreport import TARGETS, misses, report_markdown, summary
from csto_course.website.render import WIDGET_VIEW_MIME, CourseOutputs, widget_note
from csto_course.website.sphinxext import lesson_problems

ROOT = Path(__file__).resolve().parents[1]


def test_a_marker_is_replaced_by_its_part_and_the_rest_is_kept() -> None:
    text, used = bookpages.fill("# Title\n\n% csto:generate claims-tally\n\nAfter.\n")
    claims = load("reading_claims")
    assert used == ["claims-tally"]
    assert text.startswith("# Title\n\nVerdicts: ") and text.endswith("\n\nAfter.\n")
    assert f"(of {len(claims)} claims)." in text


def test_an_unknown_part_is_named_in_the_error() -> None:
    with pytest.raises(KeyError, match=r"'no-such-part'.*known parts: answer-key"):
        bookpages.fill("% csto:generate no-such-part\n")


def test_each_page_that_asks_for_a_part_depends_on_the_files_it_comes_from() -> None:
    pages = {path.name: bookpages.MARKER.findall(path.read_text()) for path in (ROOT / "book").glob("*.md")}
    assert pages["codebook.md"] == ["codebook"]
    assert pages["instructors.md"] == ["lessons-plan", "answer-key", "open-questions", "claims-tally", "claims-key"]
    assert pages["index.md"] == ["lessons"]
    assert pages["status.md"] == ["bench"]
    inputs = bookpages.inputs(pages["instructors.md"])
    assert ROOT / "data" / "reading_claims_key.csv" in inputs
    assert ROOT / "notebooks" / "06_capstone.ipynb" in inputs
    # A named file is a dependency even before it exists: its first appearance rebuilds the page.
    assert bookpages.inputs(["bench"], Path("/nowhere")) == [
        Path("/nowhere/bench/results.json"),
        Path("/nowhere/src/csto_course/website/benchreport.py"),
    ]


def test_the_tables_of_lessons_list_every_lesson_in_course_order_from_its_own_at_a_glance() -> None:
    """A new lesson appears in both tables with no page edited: each row comes from the notebook."""
    from csto_course.authoring.lesson import read_lessons

    lessons = read_lessons(ROOT)
    index, plan = bookpages.PARTS["lessons"].write(), bookpages.PARTS["lessons-plan"].write()
    for table in (index, plan):
        rows = [line for line in table.splitlines()[2:] if line.startswith("|")]
        assert len(rows) == len(lessons)
        for row, lesson in zip(rows, lessons, strict=True):
            assert lesson.glance["Time"] in row and lesson.glance["Main question"] in row, row
    assert all(f"](../notebooks/{lesson.name})" in index for lesson in lessons)


def test_the_answer_key_is_an_html_table_with_one_row_per_exercise() -> None:
    from csto_course.authoring.answer_key import answer_key

    table = bookpages.PARTS["answer-key"].write()
    assert table.startswith("<table") and table.endswith("</table>") and "\n\n" not in table
    assert table.count("<tr") == len(answer_key()) + 1  # the header row, then one per exercise


def _notebook(*cells: dict[str, object]) -> str:
    return json.dumps({"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _code(count: int | None, *outputs: dict[str, object], source: str = "x = 1") -> dict[str, object]:
    return {"cell_type": "code", "execution_count": count, "source": source, "outputs": list(outputs), "metadata": {}}


def test_every_saved_lesson_can_be_published() -> None:
    for path in lesson_paths(ROOT):
        assert lesson_problems(path.read_text(encoding="utf-8")) == [], path.name


def test_a_lesson_run_in_order_passes_and_empty_cells_do_not_count() -> None:
    text = _notebook(
        _code(1), {"cell_type": "markdown", "source": "Hi", "metadata": {}}, _code(None, source=""), _code(2)
    )
    assert lesson_problems(text) == []


@pytest.mark.parametrize("counts", [(1, 3), (2, 1), (None, 1), (1, 1)])
def test_a_lesson_not_run_top_to_bottom_in_one_go_is_refused(counts: tuple[int | None, int]) -> None:
    problems = lesson_problems(_notebook(*(_code(c) for c in counts)))
    assert problems == ["its code cells were not run from top to bottom in one go (run `make execute`)"]


def test_a_lesson_that_saved_an_error_is_refused_naming_the_cell() -> None:
    error = {"output_type": "error", "ename": "KeyError", "evalue": "'x'", "traceback": []}
    problems = lesson_problems(_notebook(_code(1), _code(2, error)))
    assert problems == ["code cell 2 saved an error, KeyError (fix it, then run `make execute`)"]


def test_an_explorer_becomes_a_note_and_other_outputs_are_left_to_myst_nb() -> None:
    widget = SimpleNamespace(mime_type=WIDGET_VIEW_MIME, content={"model_id": "x"})
    (node,) = CourseOutputs.handle_mime(None, widget, False)  # type: ignore[misc]
    assert node.astext() == widget_note() and 'role="note"' in widget_note()
    text = SimpleNamespace(mime_type="text/plain", content="1")
    assert CourseOutputs.handle_mime(None, text, False) is None


def _run(performance: int = 95, lcp_ms: int = 2000, **scores: int) -> dict[str, object]:
    """One Lighthouse run as bench/lighthouse.py records it."""
    quality = {"accessibility": 100, "best-practices": 100, "seo": 100, **scores}
    return {
        "performance": performance,
        **quality,
        "fcp_ms": 900,
        "lcp_ms": lcp_ms,
        "tbt_ms": 120,
        "cls": 0,
        "bytes": 150_000,
    }


def _results(**book: float) -> dict[str, object]:
    return {
        "book": {"ratio": 0.8, "nochange_s": 0.1, **book},
        "import": {"median_s": 1.0},
        "lessons": [{"lesson": "00", "kernel_start_s": 0.7, "run_all_s": 2.0}],
        "test": {"wall_s": 340.0},
        "check": {"wall_s": 45.0},
        "pages": [
            {"page": "a.html", "transferred": 400_000, "uncompressed": 1_200_000, "charts": 1, "first_chart_s": 0.3},
            {"page": "t.html", "transferred": 150_000, "uncompressed": 600_000, "charts": 0, "first_chart_s": None},
            {"page": "s.html", "transferred": 250_000, "uncompressed": 700_000, "charts": 0, "pictures": 1},
        ],
        "lighthouse": [{"page": "a.html", "mobile": _run(), "desktop": _run(99, 600)}],
        "lighthouse_template": [{"page": "notebooks.html", "mobile": _run(62, 6900), "desktop": _run(99, 900)}],
        "html_check": {
            "pages": 2,
            "errors": 3,
            "course_errors": 0,
            "course": [],
            "upstream": [
                {"package": "pandas", "message": "Attribute “scoped” not allowed", "count": 3},
                {"package": "pandas (<style scoped>)", "message": "Element “p” not allowed in <summary>", "count": 1},
            ],
        },
    }


def test_the_report_reads_each_target_from_the_measurements() -> None:
    figures = summary(_results())
    assert set(figures) == {t.key for t in TARGETS}
    assert figures["page_max_transferred_mb"] == 0.4 and figures["lesson_max_s"] == 2.0
    assert figures["mobile_performance_min"] == 95 and figures["mobile_lcp_max_ms"] == 2000
    assert figures["text_page_max_kb"] == 150 and figures["first_chart_max_s"] == 0.3
    assert misses(_results()) == []


def test_a_missed_or_unmeasured_target_is_reported() -> None:
    slow = _results(ratio=1.3)
    del slow["test"]
    slow["lighthouse"] = [{"page": "a.html", "mobile": _run(80, 3100), "desktop": _run(seo=92)}]
    assert misses(slow) == [
        "Lighthouse mobile performance, every page (lowest): 80, target ≥ 90",
        "Lighthouse mobile largest contentful paint, every page (slowest): 3,100 ms, target ≤ 2,500 ms",
        "Lighthouse SEO, every page, both devices (lowest): 92, target ≥ 100",
        "`make test`, every check (reported, not a limit): not measured",
        "clean `make book` ÷ serial sum of bare lesson runs: 1.30, target ≤ 1.00",
    ]


def test_the_status_page_says_when_nothing_was_measured_yet(tmp_path: Path) -> None:
    assert "run `make bench`" in report_markdown(tmp_path / "results.json")
    (tmp_path / "results.json").write_text(json.dumps(_results()))
    page = report_markdown(tmp_path / "results.json")
    assert "| `make test`, every check (reported, not a limit) | 340.0 s | reported | — |" in page
    assert "| Lighthouse mobile performance, every page (lowest) | 95 | ≥ 90 | yes |" in page
    assert "| `a` | 0.40 MB | 1.20 MB | 0.30 s (1 chart) |" in page and "| `t` | 0.15 MB | 0.60 MB | no chart |" in page
    assert "| `a` | 95 · 2,000 ms · 120 ms | 99 · 600 ms | 100 · 100 · 100 | 150 KB |" in page
    assert "| `notebooks` | 62 · 6,900 ms · 120 ms | 99 · 900 ms |" in page, "the template's row"
    assert "- pandas: 3 × “Attribute “scoped” not allowed”" in page
    # an element a message names is text, not markup: a raw <style scoped> would swallow the page after it
    assert "- pandas (&lt;style scoped&gt;): 1 × “Element “p” not allowed in &lt;summary&gt;”" in page


def test_pybtex_plugins_are_looked_up_once_and_runtime_plugins_still_win() -> None:
    from pybtex import plugin
    from pybtex.style.formatting.plain import Style as Plain

    from csto_course.website import sphinxext

    sphinxext._remember_pybtex_plugins()
    sphinxext._remember_pybtex_plugins()  # a second build in the same process changes nothing
    assert plugin.find_plugin("pybtex.style.formatting", "plain") is Plain
    hits = plugin.entry_points.cache_info().hits  # type: ignore[attr-defined]
    assert plugin.find_plugin("pybtex.style.formatting", "plain") is Plain
    assert plugin.entry_points.cache_info().hits == hits + 1  # type: ignore[attr-defined]
    assert "plain" in set(plugin.enumerate_plugin_names("pybtex.style.formatting"))

    class Mine(Plain):
        pass

    plugin.register_plugin("pybtex.style.formatting", "csto-test-style", Mine)
    try:
        assert plugin.find_plugin("pybtex.style.formatting", "csto-test-style") is Mine
    finally:
        plugin._RUNTIME_PLUGINS["pybtex.style.formatting"].pop("csto-test-style")
