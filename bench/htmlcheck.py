"""The Nu HTML Checker over every page of the built book (used by bench/run.py).

vnu-jar (pinned in bench/package.json, installed into bench/node_modules by `make bench`) runs on
Debian's Java (``apt-get install default-jre-headless``) and reads the written files; nothing is
fetched. Each error is put down to whoever wrote the markup: the course (its figures, notes,
citations, the pages it writes from the data, its edits to the theme's pages) or a package it
builds with, named, so that the course's own count can be held at 0 and the rest reported.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "bench" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

#: Markup the course does not write, recognised by the error's message and the markup around it
#: (vnu's "extract"), with the package that writes it. Any other error counts as the course's.
UPSTREAM: tuple[tuple[str, str, str], ...] = (
    # (package, pattern in the message, pattern in the extract)
    (
        "MyST-NB (a folded cell's <summary> holds <p> labels; myst_nb/sphinx_.py)",
        r"“p” not allowed as child of element “summary”",
        r"admonition-title",
    ),
    (
        "pandas (DataFrame.to_html writes <style scoped> inside each table's <div>)",
        r"“scoped”|“style” element in “body”",
        r"<style scoped|\.dataframe",
    ),
)


def available() -> str | None:
    """Why the checker cannot run here, or None when it can."""
    if not VNU.exists():
        return "vnu-jar is not installed in bench/node_modules (make bench installs it with npm)"
    if shutil.which("java") is None:
        return "Java is not installed (sudo apt-get install default-jre-headless)"
    return None


def owner(message: str, extract: str) -> str:
    """Who wrote the markup an error is about: a package of :data:`UPSTREAM`, or "course"."""
    for package, in_message, in_extract in UPSTREAM:
        if re.search(in_message, message) and re.search(in_extract, extract):
            return package
    return "course"


def check(html: Path, pages: list[str]) -> dict[str, object]:
    """Errors over ``pages`` (paths under ``html``): the course's own, listed, and upstream ones, counted."""
    files = [str(html / page) for page in pages]
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [m for m in messages if m.get("type") == "error"]
    course: list[dict[str, object]] = []
    upstream: Counter[tuple[str, str]] = Counter()
    for error in errors:
        who = owner(error.get("message", ""), error.get("extract", ""))
        url = str(error.get("url", "")).removeprefix("file:")
        page = Path(url).relative_to(html.resolve()).as_posix() if url else "?"
        if who == "course":
            course.append({"page": page, "line": error.get("lastLine"), "message": error["message"]})
        else:
            upstream[(who, error["message"])] += 1
    return {
        "pages": len(pages),
        "errors": len(errors),
        "course_errors": len(course),
        "course": course,
        "upstream": [{"package": p, "message": m, "count": n} for (p, m), n in upstream.most_common()],
    }
