"""Measure the course's speed and page weight in one run, side by side (run: make bench).

In order, on an otherwise idle machine:
  1. each lesson run bare (a fresh kernel, every cell), and their serial sum;
  2. a clean `make book` (everything the build made is removed first), and its ratio to that sum;
  3. `make book` again with nothing changed (median of 3);
  4. `make book` after a one-line prose edit in one lesson (the edit is then undone and rebuilt);
  5. `import csto_course`, the median of 5 fresh processes;
  6. `make test`, wall time, and `make check` (the authors' quick loop), wall time;
  7. every page's bytes (transferred with gzip, and uncompressed) and time to its first chart;
  8. Lighthouse 12.2.3 over every page, on a phone and on a desktop (bench/lighthouse.py), and over
     Jupyter Book 1's own template, built here offline as the yardstick (bench/template.py);
  9. the Nu HTML Checker over every page (bench/htmlcheck.py).

Lighthouse and the checker come from npm (bench/package.json, installed by `make bench`); a step
whose tool is missing is reported and skipped. The figures go to bench/results.json, which the
status page (book/status.md) shows; the targets live in csto_course.website.benchreport. A missed
target is reported (here and on the status page), not an error: the script fails only when a
step it times fails.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import htmlcheck
import lighthouse
import template
from pages import measure_pages

from csto_course.website.benchreport import TARGETS, fmt, limit_text, misses, summary
from csto_course.website.server import HTML, toc_pages
from notebooks import measure_lessons

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
LOG = ROOT / "_build" / "bench.log"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
#: The lesson and the markdown line the prose-edit step changes (and then restores).
EDITED_LESSON = ROOT / "notebooks" / "01_origins.ipynb"
#: What `make book` creates; removing it makes the next build a clean one.
BOOK_OUTPUTS = ("html", ".doctrees", "jupyter_execute")


def timed(*command: str) -> float:
    """Run a command from the repository root, its output appended to the log; its wall time."""
    with LOG.open("a", encoding="utf-8") as log:
        log.write(f"\n$ {' '.join(command)}\n")
        log.flush()
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False)
        elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: `{' '.join(command)}` failed (exit {done.returncode}); see {LOG.relative_to(ROOT)}.")
    return round(elapsed, 3)


def step(label: str) -> None:
    print(f"bench: {label} ...", flush=True)


def prose_edit_rebuild() -> float:
    """`make book` after adding one sentence to the first markdown cell of one lesson, then undone."""
    original = EDITED_LESSON.read_bytes()
    notebook = json.loads(original)
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
    cell["source"] = [*cell["source"][:-1], cell["source"][-1] + " A one-line edit made by make bench."]
    try:
        EDITED_LESSON.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return timed("make", "book")
    finally:
        EDITED_LESSON.write_bytes(original)
        timed("make", "book")


def import_seconds(runs: int = 5) -> list[float]:
    """Wall time of `import csto_course` in fresh interpreters."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([PYTHON, "-c", "import csto_course"], cwd=ROOT, check=True)
        times.append(round(time.perf_counter() - start, 3))
    return times


def machine() -> dict[str, object]:
    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "system": platform.platform()}


def main() -> int:
    LOG.parent.mkdir(exist_ok=True)
    LOG.write_text("")
    results: dict[str, object] = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": machine()}

    step("environment (make env)")
    timed("make", "env")
    step("each lesson, bare")
    lessons = measure_lessons()
    results["lessons"] = lessons
    bare = round(sum(float(row["bare_s"]) for row in lessons), 3)  # type: ignore[arg-type]

    step("clean make book")
    for name in BOOK_OUTPUTS:
        shutil.rmtree(ROOT / "_build" / name, ignore_errors=True)
    clean = timed("make", "book")
    step("make book, nothing changed (3 runs)")
    nochange = statistics.median(timed("make", "book") for _ in range(3))
    step("make book after a one-line prose edit")
    edit = prose_edit_rebuild()
    results["book"] = {
        "bare_serial_s": bare,
        "clean_s": clean,
        "ratio": round(clean / bare, 3),
        "nochange_s": nochange,
        "prose_edit_s": edit,
    }

    step("import csto_course (5 fresh processes)")
    runs = import_seconds()
    results["import"] = {"runs_s": runs, "median_s": statistics.median(runs)}

    step("make test")
    results["test"] = {"wall_s": timed("make", "test")}
    step("make check")
    results["check"] = {"wall_s": timed("make", "check")}

    step("pages in headless Chromium")
    pages = measure_pages()
    if pages is None:
        print("bench: page figures need Chromium (/usr/bin/chromium) and a built book; skipped.")
    results["pages"] = pages or []

    missing = lighthouse.available()
    if missing:
        print(f"bench: Lighthouse skipped: {missing}.")
    else:
        step("Lighthouse, every page, mobile and desktop")
        results["lighthouse"] = lighthouse.measure_site(HTML, toc_pages())
        step("Jupyter Book 1's template, built offline, and Lighthouse on it")
        results["lighthouse_template"] = lighthouse.measure_site(template.HTML, template.build(LOG))
    missing = htmlcheck.available()
    if missing:
        print(f"bench: the HTML check skipped: {missing}.")
    else:
        step("Nu HTML Checker, every page")
        every_page = sorted(
            p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html") if not {"_static", "_sources"} & set(p.parts)
        )
        results["html_check"] = htmlcheck.check(HTML, every_page)

    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    step("make book (the status page shows the new figures)")
    timed("make", "book")

    figures = summary(results)
    print(f"\n{'measure':72} {'figure':>10} {'target':>12}")
    for target in TARGETS:
        label = target.label.replace("`", "")
        print(f"{label:72} {fmt(figures[target.key], target.unit):>10} {limit_text(target):>12}")
    missed = misses(results)
    print(f"\nFigures written to {RESULTS.relative_to(ROOT)}; the log is {LOG.relative_to(ROOT)}.")
    print("Missed: " + "; ".join(missed) if missed else "Every target is met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
