"""The performance targets, and the status page's report of the last ``make bench`` run.

``bench/run.py`` measures and writes ``bench/results.json``; the status page shows that file
through :func:`report_markdown`, and both read the targets from :data:`TARGETS`, so the page and
the script can never disagree about what was promised. The page's words are the course's messages
(``_()``), so the Russian site's status page is in Russian; each is translated when it is shown.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..language import _


@dataclass(frozen=True)
class Target:
    """One promise: a measure's key in the summary, its limit (None: reported, not promised), its
    unit, and whether the figure must reach the limit from above or stay under it. Its label is
    :func:`_labels`'s, in the reader's language."""

    key: str
    limit: float | None
    unit: str  # "ratio", "s", "ms", "MB", "KB", "score" or "count"
    at_least: bool = False

    @property
    def label(self) -> str:
        """What the target measures, as the status page and `make bench` name it."""
        return _labels()[self.key]

    def met(self, value: float | None) -> bool | None:
        """Whether ``value`` keeps the promise (None when nothing was promised or measured)."""
        if value is None or self.limit is None:
            return None
        return value >= self.limit if self.at_least else value <= self.limit


#: The targets of issue 13 ("Performance") and issue 27 ("Pages that paint at once"), in the
#: order the status page lists them.
TARGETS: tuple[Target, ...] = (
    Target("mobile_performance_min", 90, "score", True),
    Target("mobile_lcp_max_ms", 2500, "ms"),
    Target("mobile_tbt_max_ms", 200, "ms"),
    Target("first_chart_max_s", 0.5, "s"),
    Target("accessibility_min", 100, "score", True),
    Target("best_practices_min", 100, "score", True),
    Target("seo_min", 100, "score", True),
    Target("html_course_errors", 0, "count"),
    Target("text_page_max_kb", 200, "KB"),
    Target("check_s", 60.0, "s"),
    Target("test_s", None, "s"),
    Target("book_ratio", 1.0, "ratio"),
    Target("book_nochange_s", 2.0, "s"),
    Target("import_s", 1.5, "s"),
    Target("lesson_max_s", 3.0, "s"),
    Target("page_max_transferred_mb", 1.5, "MB"),
    Target("page_max_uncompressed_mb", 3.0, "MB"),
)


def _labels() -> dict[str, str]:
    """Each target's label by its key, translated when asked for (never at import)."""
    return {
        "mobile_performance_min": _("Lighthouse mobile performance, every page (lowest)"),
        "mobile_lcp_max_ms": _("Lighthouse mobile largest contentful paint, every page (slowest)"),
        "mobile_tbt_max_ms": _("Lighthouse mobile total blocking time, every page (longest)"),
        "first_chart_max_s": _("first chart on the screen, lesson pages, empty cache, desktop (slowest)"),
        "accessibility_min": _("Lighthouse accessibility, every page, both devices (lowest)"),
        "best_practices_min": _("Lighthouse best practices, every page, both devices (lowest)"),
        "seo_min": _("Lighthouse SEO, every page, both devices (lowest)"),
        "html_course_errors": _("Nu HTML Checker errors in the course's own markup, every page"),
        "text_page_max_kb": _("text page (no chart, no picture) transferred, heaviest"),
        "check_s": _("`make check` (lint, quick tests, lessons changed since main)"),
        "test_s": _("`make test`, every check (reported, not a limit)"),
        "book_ratio": _("clean `make book` ÷ serial sum of bare lesson runs"),
        "book_nochange_s": _("`make book` with nothing changed"),
        "import_s": _("`import csto_course` (median of 5 fresh processes)"),
        "lesson_max_s": _("slowest lesson's Run All, beyond kernel start"),
        "page_max_transferred_mb": _("heaviest page, transferred with gzip"),
        "page_max_uncompressed_mb": _("heaviest page, uncompressed"),
    }


def _runs(results: dict[str, Any], key: str = "lighthouse") -> list[dict[str, Any]]:
    """Every Lighthouse run (each page on each device) of ``results[key]``."""
    return [row[device] for row in results.get(key, []) for device in ("mobile", "desktop") if device in row]


def summary(results: dict[str, Any]) -> dict[str, float | None]:
    """The figure for each target, computed from the raw measurements in ``results``."""
    book = results.get("book", {})
    lessons = results.get("lessons", [])
    pages = results.get("pages", [])
    mobile = [row["mobile"] for row in results.get("lighthouse", []) if "mobile" in row]
    runs = _runs(results)
    lowest = lambda name: min((run[name] for run in runs), default=None)  # noqa: E731
    html_check = results.get("html_check")
    return {
        "mobile_performance_min": min((run["performance"] for run in mobile), default=None),
        "mobile_lcp_max_ms": max((run["lcp_ms"] for run in mobile), default=None),
        "mobile_tbt_max_ms": max((run["tbt_ms"] for run in mobile), default=None),
        "first_chart_max_s": max(
            (p["first_chart_s"] for p in pages if p.get("first_chart_s") is not None), default=None
        ),
        "accessibility_min": lowest("accessibility"),
        "best_practices_min": lowest("best-practices"),
        "seo_min": lowest("seo"),
        "html_course_errors": html_check["course_errors"] if html_check else None,
        "text_page_max_kb": max(
            (p["transferred"] / 1e3 for p in pages if not p.get("charts") and not p.get("pictures")), default=None
        ),
        "check_s": results.get("check", {}).get("wall_s"),
        "test_s": results.get("test", {}).get("wall_s"),
        "book_ratio": book.get("ratio"),
        "book_nochange_s": book.get("nochange_s"),
        "import_s": results.get("import", {}).get("median_s"),
        "lesson_max_s": max((row["run_all_s"] for row in lessons), default=None),
        "page_max_transferred_mb": max((p["transferred"] / 1e6 for p in pages), default=None),
        "page_max_uncompressed_mb": max((p["uncompressed"] / 1e6 for p in pages), default=None),
    }


def misses(results: dict[str, Any]) -> list[str]:
    """The targets a run missed (or did not measure), as sentences."""
    figures = summary(results)
    out = []
    for target in TARGETS:
        value = figures[target.key]
        if value is None:
            out.append(_("{label}: not measured").format(label=target.label))
        elif target.met(value) is False:
            sign = "≥" if target.at_least else "≤"
            out.append(
                _("{label}: {value}, target {sign} {limit}").format(
                    label=target.label, value=fmt(value, target.unit), sign=sign, limit=fmt(target.limit, target.unit)
                )
            )
    return out


def fmt(value: float | None, unit: str) -> str:
    """A figure as the status page and `make bench` print it: '0.86', '2.15 s', '1.33 MB', '120 ms'."""
    if value is None:
        return _("not measured") if unit else "—"
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "MB":
        return f"{value:.2f} MB"
    if unit == "KB":
        return f"{value:.0f} KB"
    if unit == "ms":
        return f"{value:,.0f} ms"
    if unit in ("score", "count"):
        return f"{value:.0f}"
    return f"{value:.1f} s" if value >= 10 else f"{value:.2f} s"


def limit_text(target: Target) -> str:
    """The promise as the status page writes it: '≤ 2,500 ms', '≥ 90', 'reported'."""
    if target.limit is None:
        return _("reported")
    return f"{'≥' if target.at_least else '≤'} {fmt(target.limit, target.unit)}"


def _lighthouse_table(rows: list[dict[str, Any]]) -> list[str]:
    """One line per page: its scores and times on a phone and on a desktop, and its bytes."""
    out = [
        _(
            "| Page | Mobile: performance · LCP · TBT | Desktop: performance · LCP "
            "| Accessibility · best practices · SEO | Sent |"
        ),
        "|---|---|---|---|---|",
    ]
    for row in rows:
        m, d = row["mobile"], row["desktop"]
        quality = " · ".join(str(min(m[k], d[k])) for k in ("accessibility", "best-practices", "seo"))
        out.append(
            f"| `{PurePosixPath(row['page']).stem}` | {m['performance']} · {fmt(m['lcp_ms'], 'ms')} · "
            f"{fmt(m['tbt_ms'], 'ms')} | {d['performance']} · {fmt(d['lcp_ms'], 'ms')} | {quality} | "
            f"{fmt(m['bytes'] / 1e3, 'KB')} |"
        )
    return out


def _text(words: str) -> str:
    """``words`` shown as they are on the page: Markdown would pass ``<style scoped>`` on as an element."""
    return html.escape(words, quote=False)


def report_markdown(path: Path) -> str:
    """The status page's tables: the targets, each lesson's run time, each page's Lighthouse
    figures (and the template's), the HTML check and each page's weight."""
    if not path.exists():
        return _("No benchmark has been recorded yet: run `make bench` to write `bench/results.json`.")
    results = json.loads(path.read_text(encoding="utf-8"))
    figures = summary(results)
    machine = results.get("machine", {})
    out = [
        _("Measured on {date} by `make bench`, on {cores} cores ({cpu}), Python {python}.").format(
            date=results.get("when", _("an unrecorded date")),
            cores=machine.get("cores", "?"),
            cpu=machine.get("cpu", _("unknown CPU")),
            python=machine.get("python", "?"),
        ),
        "",
        _("| Measure | Figure | Target | Met |"),
        "|---|---|---|---|",
    ]
    for target in TARGETS:
        value = figures[target.key]
        met = {None: "—", True: _("yes"), False: _("**no**")}[target.met(value)]
        out.append(f"| {target.label} | {fmt(value, target.unit)} | {limit_text(target)} | {met} |")
    book = results.get("book", {})
    if book:
        out += [
            "",
            _(
                "The clean build took {clean} and running the lessons bare, one after another, {bare}; "
                "a one-line prose edit in one lesson rebuilt in {edit}."
            ).format(
                clean=fmt(book.get("clean_s"), "s"),
                bare=fmt(book.get("bare_serial_s"), "s"),
                edit=fmt(book.get("prose_edit_s"), "s"),
            ),
        ]
    lessons = results.get("lessons", [])
    if lessons:
        out += ["", _("## Lessons"), "", _("| Lesson | Kernel start | Run All, beyond kernel start |"), "|---|---|---|"]
        out += [
            f"| {row['lesson']} | {fmt(row['kernel_start_s'], 's')} | {fmt(row['run_all_s'], 's')} |" for row in lessons
        ]
    if results.get("lighthouse"):
        out += [
            "",
            "## Lighthouse",
            "",
            _(
                "Lighthouse 12.2.3 in headless Chromium, each page served as GitHub Pages serves it (gzip, "
                "`max-age=600`) and loaded with an empty cache; mobile is Lighthouse's default phone (4× slower "
                "processor, slow 4G), desktop its desktop preset. Times are Lighthouse's estimates."
            ),
            "",
            *_lighthouse_table(results["lighthouse"]),
        ]
    if results.get("lighthouse_template"):
        out += [
            "",
            _(
                "The yardstick: Jupyter Book 1's own template (`jupyter-book create`), built and measured in "
                "the same run, on the same machine and server:"
            ),
            "",
            *_lighthouse_table(results["lighthouse_template"]),
        ]
    html_check = results.get("html_check")
    if html_check:
        out += [
            "",
            "## HTML",
            "",
            _(
                "The Nu HTML Checker read {pages} pages: {course} errors in the course's own markup, "
                "{others} in markup other packages write:"
            ).format(
                pages=html_check["pages"],
                course=html_check["course_errors"],
                others=html_check["errors"] - html_check["course_errors"],
            ),
            "",
        ]
        # The checker's messages name elements (<summary>, <style scoped>): as text, not as markup.
        out += [f"- {_text(u['package'])}: {u['count']} × “{_text(u['message'])}”" for u in html_check["upstream"]]
        out += [
            _("- the course, `{page}` line {line}: {message}").format(
                page=c["page"], line=c["line"], message=_text(c["message"])
            )
            for c in html_check["course"]
        ]
    pages = results.get("pages", [])
    if pages:
        out += [
            "",
            _("## Pages"),
            "",
            _("| Page | Transferred | Uncompressed | First chart on the screen |"),
            "|---|---|---|---|",
        ]
        # Four columns and each page by its file name alone (as the lessons above), so that the
        # table fits the text column on a laptop without scrolling.
        for p in pages:
            charts = int(p.get("charts", 0))
            count = _("1 chart") if charts == 1 else _("{count} charts").format(count=charts)
            first = f"{fmt(p.get('first_chart_s'), 's')} ({count})" if charts else _("no chart")
            sizes = f"{fmt(p['transferred'] / 1e6, 'MB')} | {fmt(p['uncompressed'] / 1e6, 'MB')}"
            out.append(f"| `{PurePosixPath(p['page']).stem}` | {sizes} | {first} |")
    return "\n".join(out)
