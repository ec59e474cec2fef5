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

from ..language import _, display

ROOT = Path(__file__).resolve().parents[3]

#: The line a page uses to ask for a part: ``% csto:generate codebook``.
MARKER = re.compile(r"^% csto:generate ([a-z-]+)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Part:
    """A generated part of a page: how to write it, and the files it is written from."""

    write: Callable[[Path], str]  # given the root of the build's sources (its _toc.yml and lessons)
    inputs: tuple[str, ...]


def html_table(frame: pd.DataFrame) -> str:
    """A table as one raw HTML block (escaped, no index): MyST passes it to the page unchanged."""
    table = frame.to_html(index=False, border=0, classes="csto-table", escape=True, justify="left")
    return "\n".join(line for line in table.splitlines() if line.strip())


def codebook_markdown() -> str:
    """The codebook as Markdown, written from ``datapackage.json`` at every book build (its frame in
    the reader's language, the data's titles and descriptions too: :mod:`csto_course.language`)."""
    from ..data import describe, load, package, sources_for

    meta = package()
    licence = meta.get("licenses", [{}])[0]
    out = [
        _(
            "Version {version} of the course data, licensed [{licence}]({path}). "
            'Load any dataset with `load("name")`; cite it with `cite("name")`.'
        ).format(
            version=meta.get("version", ""),
            licence=licence.get("title", licence.get("name", "")),
            path=licence.get("path", ""),
        ),
        "",
    ]
    for resource in meta["resources"]:
        name = resource["name"]
        frame = load(name)
        schema = resource["schema"]
        title, description = resource.get("title", name), resource.get("description", "")
        out += [f"## `{name}`: {display(title)}", "", display(description) if description else "", ""]
        out.append(_("- **File:** `data/{path}` ({rows} rows)").format(path=resource["path"], rows=len(frame)))
        key = schema.get("primaryKey")
        if key:
            out.append(_("- **Key:** {fields}").format(fields=", ".join([key] if isinstance(key, str) else key)))
        for fk in schema.get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], str) else ", ".join(fk["fields"])
            out.append(
                _("- **Links to:** `{resource}` through {fields}").format(
                    resource=fk["reference"]["resource"], fields=fields
                )
            )
        if resource.get("sources"):
            titles = "; ".join(s.get("title", "") for s in resource["sources"])
            out.append(_("- **Compiled from:** {titles}").format(titles=titles))
        if name != "sources":
            out.append(_("- **Sources cited by its rows:** {count}").format(count=len(sources_for(name))))
        out += ["", _("| Field | Type | Required | Allowed values | Meaning |"), "|---|---|---|---|---|"]
        for row in describe(name).itertuples(index=False):
            values = str(row[3]).replace("|", "\\|")
            meaning = str(row[4]).replace("|", "\\|")
            out.append(f"| `{row[0]}` | {row[1]} | {_('yes') if row[2] else ''} | {values} | {meaning} |")
        out.append("")
    return "\n".join(out)


def _codebook(root: Path = ROOT) -> str:
    return codebook_markdown()


def _answer_key(root: Path = ROOT) -> str:
    from ..authoring.answer_key import answer_key

    headings = {
        "exercise": _("exercise"),
        "lesson": _("lesson"),
        "question": _("question"),
        "expected answer": _("expected answer"),
    }
    return html_table(answer_key(root).rename(columns=headings))


def _open_questions(root: Path = ROOT) -> str:
    from ..authoring.answer_key import open_questions_markdown

    return open_questions_markdown(root)  # from the lessons of this build: the Russian ones on the Russian site


def _claims() -> pd.DataFrame:
    from ..data import load

    claims = load("reading_claims").merge(load("reading_claims_key"), on="claim_id")
    claims["verdict"] = claims["verdict"].astype(str).str.replace("_", " ")
    return claims


def _claims_tally(root: Path = ROOT) -> str:
    claims = _claims()
    tally = claims["verdict"].value_counts()
    counts = "; ".join(f"{verdict} {count}" for verdict, count in tally.items())
    return _("Verdicts: {counts} (of {total} claims).").format(counts=counts, total=len(claims))


def _claims_key(root: Path = ROOT) -> str:
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
    """ "Lesson 1: Origins, from ..." or "Урок 1. Истоки: ..." -> "Origins, from ..."; one without a number stays."""
    return re.sub(r"^\w+ \d+[:.] (?=\S)", "", title)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _lessons_table(root: Path = ROOT) -> str:
    """The landing page's table of lessons, from each lesson's title and "At a glance"."""
    from ..authoring.lesson import read_lessons

    rows = [f"| | {_('Lesson')} | {_('Main question')} | {_('Time')} |", "|---|---|---|---|"]
    for lesson in read_lessons(root):
        link = f"[{_cell(_short_title(lesson.title))}](../notebooks/{lesson.name})"
        glance = lesson.glance
        rows.append(
            f"| {lesson.number} | {link} | {_cell(glance.get('Main question', ''))} | {_cell(glance.get('Time', ''))} |"
        )
    return "\n".join(rows)


def _lessons_plan(root: Path = ROOT) -> str:
    """The instructor guide's plan of the term: each lesson's time, question and datasets."""
    from ..authoring.lesson import read_lessons

    rows = [f"| {_('Lesson')} | {_('Time')} | {_('Main question')} | {_('Datasets')} |", "|---|---|---|---|"]
    for lesson in read_lessons(root):
        glance = lesson.glance
        cells = (
            f"{lesson.number} {_short_title(lesson.title)}",
            glance.get("Time", ""),
            glance.get("Main question", ""),
            glance.get("Datasets", ""),
        )
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows)


def _bench(root: Path = ROOT) -> str:
    from .benchreport import report_markdown

    return report_markdown(ROOT / "bench" / "results.json")


def _hub_load(root: Path = ROOT) -> str:
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


def fill(text: str, root: Path = ROOT) -> tuple[str, list[str]]:
    """The page with every marker replaced by its part, and the names of the parts used.

    ``root`` holds the build's sources: the tables of lessons read its ``_toc.yml`` and lessons
    (the Russian site's are Russian); the other parts come from the course's data.

    An unknown name raises ``KeyError`` naming it, which Sphinx reports as a build error.
    """
    used: list[str] = []

    def part(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PARTS:
            raise KeyError(f"unknown generated part {name!r}; known parts: {', '.join(sorted(PARTS))}")
        used.append(name)
        return PARTS[name].write(root)

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
