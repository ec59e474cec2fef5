"""The instructors' answer key: every exercise in course order with its expected answer, and
the open questions' model answers, read from the lessons through the lesson model.

The expected answers are those the graders compare with (each exercise's ``expected``
function, computed from the data), so the key can never disagree with a check.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exercises.specs import registry
from .lesson import Lesson, read_lessons, rubric_text, source_of

__all__ = ["exercise_table", "readable", "answer_key", "open_questions", "open_questions_markdown"]

#: The repository's root, whose _toc.yml lists the lessons.
ROOT = Path(__file__).resolve().parents[3]


def exercise_table(root: Path = ROOT) -> pd.DataFrame:
    """Every checked exercise with its lesson and question (in the reader's language), in course order."""
    questions = registry()
    rows = [
        {
            "exercise": e.id,
            "lesson": Path(lesson.name).stem,
            "question": questions[e.id].asked() if e.id in questions else "",
        }
        for lesson in read_lessons(root)
        for e in lesson.exercises
        if e.check_cells
    ]
    return pd.DataFrame(rows, columns=["exercise", "lesson", "question"])


def readable(value: Any) -> str:
    """An expected answer as a line of text: lists joined with ', ', dicts as 'k: v' pairs, floats to 3 decimals."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.3f}"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, dict):
        return ", ".join(f"{readable(k)}: {readable(v)}" for k, v in value.items())
    if isinstance(value, tuple):
        return "(" + ", ".join(readable(v) for v in value) + ")"
    if isinstance(value, (list, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return ", ".join(readable(v) for v in items) if items else "(none)"
    return str(value)


def answer_key(root: Path = ROOT) -> pd.DataFrame:
    """The answer key: every exercise, in lesson order, with the expected answer computed from the data.

    Lists are joined with ', ', dicts shown as 'k: v' pairs and floats to 3 decimals.
    """
    table = exercise_table(root)
    known = registry()
    table["expected answer"] = [
        readable(known[e].expected()) if e in known else "" for e in table["exercise"].astype(str)
    ]
    return table


_SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.S)
_DETAILS = re.compile(r"</?details[^>]*>")


def _model_answer(block: str) -> str:
    """A model answer as plain Markdown: the folding <details> removed, its <summary> kept as a label."""
    block = _SUMMARY.sub(lambda m: f"*{m.group(1).strip()}*", block)
    return _DETAILS.sub("", block).strip()


def _open(lessons: list[Lesson]) -> list[dict[str, str]]:
    return [
        {
            "exercise": f"Exercise {e.label} {e.title}".strip(),
            "lesson": Path(lesson.name).stem,
            "model_answer": _model_answer(e.model_answer),
            "rubric": rubric_text(source_of(lesson.cells[e.model_answer_cell])) or "",
        }
        for lesson in lessons
        for e in lesson.exercises
        if e.model_answer is not None and e.model_answer_cell is not None
    ]


def open_questions(root: Path = ROOT) -> list[dict[str, str]]:
    """The model answer (and rubric) of each open question, in course order."""
    return _open(read_lessons(root))


def open_questions_markdown(root: Path = ROOT) -> str:
    """The open questions' model answers and rubrics as Markdown, for the instructor guide."""
    return "\n\n".join(
        f"**{q['exercise']}** ({q['lesson']})\n\n{q['rubric']}\n\n{q['model_answer']}".replace("\n\n\n\n", "\n\n")
        for q in open_questions(root)
    )
