"""The hub page's load-test report: ``make loadtest``'s bench/hub-load.json as a table and a chart.

book/hub.md asks for it with ``% csto:generate hub-load`` (:mod:`.bookpages`), so the page shows
the figures of the last run and cannot drift from them. The chart is an inline SVG drawn here:
it needs no script and no kernel, and prints as it shows. Its words are the course's messages
(``_()``), so the Russian site's hub page shows them in Russian.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from ..language import _


def _series() -> tuple[tuple[str, str, str, str], ...]:
    """The chart's lines: key, label (translated when drawn), colour (Okabe-Ito) and marker, by
    which they are told apart without colour."""
    return (
        ("cell_p95_s", _("a cell, 95th percentile"), "#d55e00", "circle"),
        ("cell_p50_s", _("a cell, median"), "#e69f00", "square"),
        ("reach_p95_s", _("login and server start, 95th percentile"), "#0072b2", "diamond"),
    )


def _fmt(value: Any, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def table(results: dict[str, Any]) -> str:
    """One row per class size: times, failures, memory and CPU."""
    out = [
        _(
            "| Students | Login and start, median / p95 (s) | A cell, median / p95 (s) | Failures "
            "| Each student's peak: server / kernel / group (MiB) | All students (GiB) "
            "| Each student's CPU, mean / peak (cores) | Machine's CPU (%) |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for step in results["steps"]:
        out.append(
            f"| {step['students']} | {_fmt(step['reach_p50_s'], 1)} / {_fmt(step['reach_p95_s'], 1)} "
            f"| {_fmt(step['cell_p50_s'])} / {_fmt(step['cell_p95_s'])} | {step['failures']} "
            f"| {_fmt(step['server_rss_mib_max'], 0)} / {_fmt(step['kernel_rss_mib_max'], 0)} "
            f"/ {_fmt(step['student_group_mib_max'], 0)} "
            f"| {_fmt(step['students_total_mib_peak'] / 1024, 1)} "
            f"| {_fmt(step['cpu_cores_per_student_mean'], 3)} / {_fmt(step['cpu_cores_per_student_peak'], 2)} "
            f"| {_fmt(step['cpu_percent_mean'], 0)} |"
        )
    return "\n".join(out)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "diamond":
        points = f"M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z"
        return f'<path d="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'


def chart(results: dict[str, Any], width: int = 640, height: int = 330) -> str:
    """Times against class size, with the 5 s rule as a dashed line: an inline SVG."""
    steps = results["steps"]
    limit = results["settings"]["cell_p95_limit_s"]
    left, right, top, bottom = 56, 20, 20, 92
    sizes = [s["students"] for s in steps]
    series = _series()
    values = [s[key] for s in steps for key, *_rest in series if s.get(key) is not None]
    y_max = max([limit * 1.2, *values]) * 1.05
    x_max = max(sizes) * 1.05

    def x(n: float) -> float:
        return left + (width - left - right) * n / x_max

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v / y_max)

    summary = "; ".join(
        _("{students} students: a cell's p95 {cell} s, login and start p95 {reach} s").format(
            students=s["students"], cell=_fmt(s["cell_p95_s"]), reach=_fmt(s["reach_p95_s"], 1)
        )
        for s in steps
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="hub-load-title hub-load-desc" style="max-width:100%;height:auto;font-family:inherit">',
        '<title id="hub-load-title">'
        + html.escape(_("Time to run a cell and to start a server, by class size"))
        + "</title>",
        f'<desc id="hub-load-desc">{html.escape(summary)}</desc>',
    ]
    step = next(n for n in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if n >= y_max / 6 or n == 500)
    for tick in range(0, int(y_max) + 1, step):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 8}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="12" fill="#1a1a1a">{tick}</text>'
        )
    for n in sizes:
        parts.append(
            f'<text x="{x(n):.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="12" '
            f'fill="#1a1a1a">{n}</text>'
        )
    limit_label = _("{limit} s: the limit for a cell").format(limit=f"{limit:g}")
    parts.append(
        f'<text x="{(left + width - right) / 2:.0f}" y="{height - bottom + 38}" text-anchor="middle" '
        f'font-size="13" fill="#1a1a1a">{html.escape(_("students in the class"))}</text>'
        f'<text transform="translate(16 {(top + height - bottom) / 2:.0f}) rotate(-90)" text-anchor="middle" '
        f'font-size="13" fill="#1a1a1a">{html.escape(_("seconds"))}</text>'
        f'<line x1="{left}" x2="{width - right}" y1="{y(limit):.1f}" y2="{y(limit):.1f}" stroke="#1a1a1a" '
        f'stroke-dasharray="6 4"/><text x="{width - right}" y="{y(limit) - 6:.1f}" text-anchor="end" '
        f'font-size="12" fill="#1a1a1a">{html.escape(limit_label)}</text>'
    )
    for index, (key, label, colour, shape) in enumerate(series):
        points = [(x(s["students"]), y(s[key])) for s in steps if s.get(key) is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [_marker(shape, px, py, colour) for px, py in points]
        ly = height - bottom + 56 + 16 * (index % 2)
        lx = left + (index // 2) * 300
        parts.append(
            _marker(shape, lx, ly - 4, colour) + f'<text x="{lx + 12}" y="{ly}" font-size="12" '
            f'fill="#1a1a1a">{html.escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def report_markdown(path: Path) -> str:
    """The load test's section of the hub page, or a sentence saying it has not been run."""
    if not path.exists():
        return _("The load test has not been run yet: `make loadtest` writes its results here.")
    results = json.loads(path.read_text(encoding="utf-8"))
    machine, settings = results["machine"], results["settings"]
    think = settings["think_s"]
    intro = _(
        "Measured on {date} by `make loadtest` on this course's machine: {cores} cores ({processor}), "
        "{memory} GiB of memory, {system}, shared with other programs (load average {load} when it started). "
        "Each class arrived over {arrival} s; each student ran a lesson (`{lesson}`) cell by cell, reading "
        "{think_min} to {think_max} s before each cell, and answered Exercise 1.1 wrong, then right. The load "
        "generator ran on the same machine."
    ).format(
        date=results["date"],
        cores=machine["cores"],
        processor=machine["processor"],
        memory=machine["memory_gib"],
        system=machine["system"],
        load=machine["load_average_1min_before"],
        arrival=f"{settings['arrival_s']:g}",
        lesson=settings["lesson"],
        think_min=f"{think[0]:g}",
        think_max=f"{think[1]:g}",
    )
    verdict = _(
        "**Largest class held: {supported} students** (the largest step whose cells ran in {limit} s or less "
        "at the 95th percentile, with no failed request). Why the stepping stopped: {stopped}."
    ).format(supported=results["supported"], limit=f"{settings['cell_p95_limit_s']:g}", stopped=results["stopped"])
    return "\n\n".join([intro, table(results), f'<figure class="csto-hub-load">{chart(results)}</figure>', verdict])
