"""How long a lesson takes: its reading estimate, computed the same way for every lesson.

A lesson's stated time is the sum of its reading and its exercises' estimates ("At a glance"
says both). Exercise estimates are written under each exercise's heading; the reading estimate
is computed here, so that a lesson that grows says so: the words a student reads at
:data:`WORDS_PER_MINUTE`, plus :data:`MINUTES_PER_CELL` for each code cell they run and read
(solutions and checks belong to the exercises' time), plus :data:`EXPLORER_MINUTES` for a lesson
with an explorer, rounded to the nearest five minutes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .lesson import MARKDOWN_BEGIN, MARKDOWN_END, Lesson, has_solution, is_check_cell, source_of

__all__ = [
    "WORDS_PER_MINUTE",
    "MINUTES_PER_CELL",
    "EXPLORER_MINUTES",
    "reading_minutes",
    "StatedTime",
    "stated_time",
    "time_text",
    "stamp_time",
]

#: Reading to learn, with tables and charts to look at: slower than reading for pleasure (about 200
#: words a minute for adults) and close to what studies of reading to study find.
WORDS_PER_MINUTE = 120
MINUTES_PER_CELL = 1
EXPLORER_MINUTES = 5

_HIDDEN = re.compile(re.escape(MARKDOWN_BEGIN) + ".*?" + re.escape(MARKDOWN_END), re.S)
_CITE = re.compile(r"<cite[^>]*>.*?</cite>", re.S)
_TAG = re.compile(r"<[^>]+>")
_EXPLORER = re.compile(r"^## (?:\d+\. )?Explorer\b", re.M)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TIME = re.compile(
    r"about (\d+) minutes: reading (\d+), exercises (\d+)"
    r"(?:, and about (\d+) more for the optional (?:challenge|exercise))?"
)


def _words(markdown: str) -> int:
    visible = _TAG.sub(" ", _CITE.sub(" ", _HIDDEN.sub(" ", markdown)))
    return len(_WORD.findall(visible))


def reading_minutes(lesson: Lesson) -> int:
    """The lesson's reading estimate in minutes, to the nearest five (at least five)."""
    markdown = [source_of(c) for c in lesson.cells if c.get("cell_type") == "markdown"]
    words = sum(_words(text) for text in markdown)
    shown = [
        index
        for index, cell in enumerate(lesson.cells)
        if cell.get("cell_type") == "code"
        and index != lesson.setup_cell
        and not has_solution(source_of(cell))
        and not is_check_cell(cell)
    ]
    explorer = any(_EXPLORER.search(text) for text in markdown)
    minutes = words / WORDS_PER_MINUTE + MINUTES_PER_CELL * len(shown) + (EXPLORER_MINUTES if explorer else 0)
    return max(5, 5 * round(minutes / 5))


@dataclass(frozen=True)
class StatedTime:
    """What "At a glance" says: ``about 95 minutes: reading 40, exercises 55``."""

    total: int
    reading: int
    exercises: int
    optional: int = 0


def stated_time(lesson: Lesson) -> StatedTime | None:
    match = _TIME.fullmatch(lesson.glance.get("Time", ""))
    if not match:
        return None
    total, reading, exercises, optional = match.groups()
    return StatedTime(int(total), int(reading), int(exercises), int(optional or 0))


def time_text(lesson: Lesson) -> str:
    """The "At a glance" time this lesson should state, from its reading and exercise estimates."""
    reading = reading_minutes(lesson)
    required = sum(e.minutes or 0 for e in lesson.exercises if not e.optional)
    optional = sum(e.minutes or 0 for e in lesson.exercises if e.optional)
    text = f"about {reading + required} minutes: reading {reading}, exercises {required}"
    return text + (f", and about {optional} more for the optional challenge" if optional else "")


def _replacer(text: str) -> Callable[[re.Match[str]], str]:
    return lambda match: match.group(1) + text + match.group(3)


_TIME_FIELD = re.compile(r"(\*\*Time:\*\*\s*)(.+?)(\.\s*(?=\*\*[A-Z])|\.?\s*\Z)", re.S)


def stamp_time(cells: list[Any]) -> bool:
    """Write :func:`time_text` into the lesson's "At a glance" cell (``cells`` as nbformat keeps them);
    True if it changed. The estimate counts the time line's own words, so a second pass changes nothing."""
    from .lesson import read_lesson

    for cell in cells:
        source = source_of(cell)
        if cell.get("cell_type") == "markdown" and source.startswith("## At a glance") and "**Time:**" in source:
            wanted = time_text(read_lesson({"cells": cells, "metadata": {}}))
            updated = _TIME_FIELD.sub(_replacer(wanted), source, count=1)
            if updated != source:
                cell["source"] = updated
                return True
            return False
    return False
