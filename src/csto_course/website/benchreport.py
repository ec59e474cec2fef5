"""The performance targets, and the status page's report of the last ``make bench`` run.

``bench/run.py`` measures and writes ``bench/results.json``; the status page shows that file
through :func:`report_markdown`, and both read the targets from :data:`TARGETS`, so the page and
the script can never disagree about what was promised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any


@dataclass(frozen=True)
class Target:
    """One promise: a measure's key in results.json, its label, its limit and its unit."""

    key: str
    label: str
    limit: float
    unit: str  # "ratio", "s" or "MB"


#: The targets of issue 13 ("Performance"), in the order the status page lists them.
TARGETS: tuple[Target, ...] = (
    Target("book_ratio", "clean `make book` ÷ serial sum of bare lesson runs", 1.0, "ratio"),
    Target("book_nochange_s", "`make book` with nothing changed", 2.0, "s"),
    Target("import_s", "`import csto_course` (median of 5 fresh processes)", 1.5, "s"),
    Target("lesson_max_s", "slowest lesson's Run All, beyond kernel start", 3.0, "s"),
    Target("page_max_transferred_mb", "heaviest page, transferred with gzip", 1.5, "MB"),
    Target("page_max_uncompressed_mb", "heaviest page, uncompressed", 3.0, "MB"),
    Target("last_chart_max_s", "last chart drawn, slowest page", 0.8, "s"),
    Target("test_s", "`make test`, browser tests included", 150.0, "s"),
)


def summary(results: dict[str, Any]) -> dict[str, float | None]:
    """The figure for each target, computed from the raw measurements in ``results``."""
    book = results.get("book", {})
    lessons = results.get("lessons", [])
    pages = results.get("pages", [])
    charted = [p["last_chart_s"] for p in pages if p.get("last_chart_s") is not None]
    return {
        "book_ratio": book.get("ratio"),
        "book_nochange_s": book.get("nochange_s"),
        "import_s": results.get("import", {}).get("median_s"),
        "lesson_max_s": max((row["run_all_s"] for row in lessons), default=None),
        "page_max_transferred_mb": max((p["transferred"] / 1e6 for p in pages), default=None),
        "page_max_uncompressed_mb": max((p["uncompressed"] / 1e6 for p in pages), default=None),
        "last_chart_max_s": max(charted, default=None),
        "test_s": results.get("test", {}).get("wall_s"),
    }


def misses(results: dict[str, Any]) -> list[str]:
    """The targets a run missed (or did not measure), as sentences."""
    figures = summary(results)
    out = []
    for target in TARGETS:
        value = figures[target.key]
        if value is None:
            out.append(f"{target.label}: not measured")
        elif value > target.limit:
            out.append(f"{target.label}: {fmt(value, target.unit)}, target ≤ {fmt(target.limit, target.unit)}")
    return out


def fmt(value: float | None, unit: str) -> str:
    """A figure as the status page and `make bench` print it: '0.86', '2.15 s', '1.33 MB'."""
    if value is None:
        return "not measured"
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "MB":
        return f"{value:.2f} MB"
    return f"{value:.1f} s" if value >= 10 else f"{value:.2f} s"


def report_markdown(path: Path) -> str:
    """The status page's tables: the targets, each lesson's run time and each page's weight."""
    if not path.exists():
        return "No benchmark has been recorded yet: run `make bench` to write `bench/results.json`."
    results = json.loads(path.read_text(encoding="utf-8"))
    figures = summary(results)
    machine = results.get("machine", {})
    out = [
        f"Measured on {results.get('when', 'an unrecorded date')} by `make bench`, on "
        f"{machine.get('cores', '?')} cores ({machine.get('cpu', 'unknown CPU')}), Python "
        f"{machine.get('python', '?')}.",
        "",
        "| Measure | Figure | Target | Met |",
        "|---|---|---|---|",
    ]
    for target in TARGETS:
        value = figures[target.key]
        met = "—" if value is None else ("yes" if value <= target.limit else "**no**")
        out.append(f"| {target.label} | {fmt(value, target.unit)} | ≤ {fmt(target.limit, target.unit)} | {met} |")
    book = results.get("book", {})
    if book:
        out += [
            "",
            f"The clean build took {fmt(book.get('clean_s'), 's')} and running the lessons bare, one after "
            f"another, {fmt(book.get('bare_serial_s'), 's')}; a one-line prose edit in one lesson "
            f"rebuilt in {fmt(book.get('prose_edit_s'), 's')}.",
        ]
    lessons = results.get("lessons", [])
    if lessons:
        out += ["", "## Lessons", "", "| Lesson | Kernel start | Run All, beyond kernel start |", "|---|---|---|"]
        out += [
            f"| {row['lesson']} | {fmt(row['kernel_start_s'], 's')} | {fmt(row['run_all_s'], 's')} |" for row in lessons
        ]
    pages = results.get("pages", [])
    if pages:
        out += [
            "",
            "## Pages",
            "",
            "| Page | Transferred | Uncompressed | Last chart drawn |",
            "|---|---|---|---|",
        ]
        # Four columns and each page by its file name alone (as the lessons above), so that the
        # table fits the text column on a laptop without scrolling.
        for p in pages:
            charts = int(p.get("charts", 0))
            drawn = f"{fmt(p.get('last_chart_s'), 's')} ({charts} chart{'s' * (charts > 1)})" if charts else "no chart"
            sizes = f"{fmt(p['transferred'] / 1e6, 'MB')} | {fmt(p['uncompressed'] / 1e6, 'MB')}"
            out.append(f"| `{PurePosixPath(p['page']).stem}` | {sizes} | {drawn} |")
    return "\n".join(out)
