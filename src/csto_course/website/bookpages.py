"""Parts of book pages written from the data at build time, without a Jupyter kernel.

A page asks for a part with a MyST comment line of its own, ``% csto:generate <name>``;
:mod:`csto_course.website.sphinxext` swaps that line for the Markdown below when Sphinx reads the page
and tells Sphinx which files the part was made from, so the page is rebuilt when they change
and only then. Writing these parts in the Sphinx process, rather than in code cells run by a
kernel, is what lets a no-change ``make book`` finish in seconds (see ``bench/run.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[3]

#: The line a page uses to ask for a part: ``% csto:generate codebook``.
MARKER = re.compile(r"^% csto:generate ([a-z-]+)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Part:
    """A generated part of a page: how to write it, and the files it is written from."""

    write: Callable[[], str]
    inputs: tuple[str, ...]


def html_table(frame: pd.DataFrame) -> str:
    """A table as one raw HTML block (escaped, no index): MyST passes it to the page unchanged."""
    table = frame.to_html(index=False, border=0, classes="csto-table", escape=True, justify="left")
    return "\n".join(line for line in table.splitlines() if line.strip())


def codebook_markdown() -> str:
    """The codebook as Markdown, written from ``datapackage.json`` at every book build."""
    from ..data import describe, load, package, sources_for

    meta = package()
    licence = meta.get("licenses", [{}])[0]
    out = [
        f"Version {meta.get('version', '')} of the course data, licensed "
        f"[{licence.get('title', licence.get('name', ''))}]({licence.get('path', '')}). "
        f'Load any dataset with `load("name")`; cite it with `cite("name")`.',
        "",
    ]
    for resource in meta["resources"]:
        name = resource["name"]
        frame = load(name)
        schema = resource["schema"]
        out += [f"## `{name}`: {resource.get('title', name)}", "", resource.get("description", ""), ""]
        out.append(f"- **File:** `data/{resource['path']}` ({len(frame)} rows)")
        key = schema.get("primaryKey")
        if key:
            out.append(f"- **Key:** {', '.join([key] if isinstance(key, str) else key)}")
        for fk in schema.get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], str) else ", ".join(fk["fields"])
            out.append(f"- **Links to:** `{fk['reference']['resource']}` through {fields}")
        if resource.get("sources"):
            out.append("- **Compiled from:** " + "; ".join(s.get("title", "") for s in resource["sources"]))
        if name != "sources":
            out.append(f"- **Sources cited by its rows:** {len(sources_for(name))}")
        out += ["", "| Field | Type | Required | Allowed values | Meaning |", "|---|---|---|---|---|"]
        for row in describe(name).itertuples(index=False):
            values = str(row[3]).replace("|", "\\|")
            meaning = str(row[4]).replace("|", "\\|")
            out.append(f"| `{row[0]}` | {row[1]} | {'yes' if row[2] else ''} | {values} | {meaning} |")
        out.append("")
    return "\n".join(out)


def _codebook() -> str:
    return codebook_markdown()


def _answer_key() -> str:
    from ..authoring.answer_key import answer_key

    return html_table(answer_key())


def _open_questions() -> str:
    from ..authoring.answer_key import open_questions_markdown

    return open_questions_markdown()


def _claims() -> pd.DataFrame:
    from ..data import load

    claims = load("reading_claims").merge(load("reading_claims_key"), on="claim_id")
    claims["verdict"] = claims["verdict"].astype(str).str.replace("_", " ")
    return claims


def _claims_tally() -> str:
    claims = _claims()
    tally = claims["verdict"].value_counts()
    counts = "; ".join(f"{verdict} {count}" for verdict, count in tally.items())
    return f"Verdicts: {counts} (of {len(claims)} claims)."


def _claims_key() -> str:
    columns = [
        "claim_id",
        "paragraph",
        "claim",
        "lesson",
        "section",
        "verdict",
        "explanation",
        "counter_reading",
        "evidence",
    ]
    return html_table(_claims()[columns])


def _short_title(title: str) -> str:
    """ "Lesson 1: Origins, from ..." -> "Origins, from ..."; a title without "Lesson N:" stays."""
    head, _, rest = title.partition(": ")
    return rest if rest and head.startswith("Lesson ") else title


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _lessons_table() -> str:
    """The landing page's table of lessons, from each lesson's title and "At a glance"."""
    from ..authoring.lesson import read_lessons

    rows = ["| | Lesson | Main question | Time |", "|---|---|---|---|"]
    for lesson in read_lessons(ROOT):
        link = f"[{_cell(_short_title(lesson.title))}](../notebooks/{lesson.name})"
        glance = lesson.glance
        rows.append(
            f"| {lesson.number} | {link} | {_cell(glance.get('Main question', ''))} | {_cell(glance.get('Time', ''))} |"
        )
    return "\n".join(rows)


def _lessons_plan() -> str:
    """The instructor guide's plan of the term: each lesson's time, question and datasets."""
    from ..authoring.lesson import read_lessons

    rows = ["| Lesson | Time | Main question | Datasets |", "|---|---|---|---|"]
    for lesson in read_lessons(ROOT):
        glance = lesson.glance
        cells = (
            f"{lesson.number} {_short_title(lesson.title)}",
            glance.get("Time", ""),
            glance.get("Main question", ""),
            glance.get("Datasets", ""),
        )
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows)


def _bench() -> str:
    from .benchreport import report_markdown

    return report_markdown(ROOT / "bench" / "results.json")


def _hub_load() -> str:
    from .hubreport import report_markdown

    return report_markdown(ROOT / "bench" / "hub-load.json")


_DATA = ("data/*.csv", "data/datapackage.json", "src/csto_course/data.py", "src/csto_course/website/bookpages.py")
_LESSONS = (
    "_toc.yml",
    "notebooks/*.ipynb",
    "src/csto_course/authoring/answer_key.py",
    "src/csto_course/authoring/lesson.py",
    "src/csto_course/exercises/check.py",
    "src/csto_course/exercises/specs.py",
    "src/csto_course/exercises/*.py",
)

#: The tables of lessons are written from the lessons _toc.yml lists, read by the lesson model.
_TABLES = (
    "_toc.yml",
    "notebooks/*.ipynb",
    "src/csto_course/authoring/lesson.py",
    "src/csto_course/website/bookpages.py",
)

PARTS: dict[str, Part] = {
    "codebook": Part(_codebook, _DATA),
    "answer-key": Part(_answer_key, _DATA + _LESSONS),
    "open-questions": Part(_open_questions, _LESSONS),
    "claims-tally": Part(_claims_tally, _DATA),
    "claims-key": Part(_claims_key, _DATA),
    "lessons": Part(_lessons_table, _TABLES),
    "lessons-plan": Part(_lessons_plan, _TABLES),
    "bench": Part(_bench, ("bench/results.json", "src/csto_course/website/benchreport.py")),
    "hub-load": Part(_hub_load, ("bench/hub-load.json", "src/csto_course/website/hubreport.py")),
}


def fill(text: str) -> tuple[str, list[str]]:
    """The page with every marker replaced by its part, and the names of the parts used.

    An unknown name raises ``KeyError`` naming it, which Sphinx reports as a build error.
    """
    used: list[str] = []

    def part(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PARTS:
            raise KeyError(f"unknown generated part {name!r}; known parts: {', '.join(sorted(PARTS))}")
        used.append(name)
        return PARTS[name].write()

    return MARKER.sub(part, text), used


def inputs(names: list[str], root: Path = ROOT) -> list[Path]:
    """The files the named parts are written from, for Sphinx's dependency tracking."""
    found: set[Path] = set()
    for name in names:
        for pattern in PARTS[name].inputs:
            if any(c in pattern for c in "*?["):
                found.update(root.glob(pattern))
            else:  # a single file counts even before it exists (bench/results.json), so that
                found.add(root / pattern)  # its first appearance rebuilds the page
    return sorted(found)
