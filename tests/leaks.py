"""What a student's copy must not show: the lessons' distinctive solution lines, for the tests
of the student PDF (tests/browser/test_pdf.py) and of the student website (test_student_site.py)."""

from __future__ import annotations

import re
from pathlib import Path

from csto_course.authoring.lesson import read_lesson, solution_blocks, source_of

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def squash(text: str) -> str:
    """Text without whitespace and with plain quotes: a PDF's text breaks lines wherever the page
    did, and the website prints typographic quotes where the notebook has straight ones."""
    return re.sub(r"\s+", "", text.translate(_QUOTES))


def solution_lines(lessons: list[Path]) -> list[str]:
    """Distinctive lines of the lessons' worked solutions and model answers: long ones, and none
    that the lesson also shows outside a solution (an example the solution reuses)."""
    found, elsewhere = [], []
    for notebook in lessons:
        for cell in read_lesson(notebook).cells:
            source, kind = source_of(cell), cell["cell_type"]
            blocks = solution_blocks(source, kind) if kind in ("code", "markdown") else []
            for block in blocks:
                if kind == "code":
                    found += [line.strip() for line in block.body.splitlines() if len(line.strip()) > 25]
                    continue
                prose = re.sub(r"<[^>]+>|[*_`]", "", block.body)
                found += [s.strip() for s in re.split(r"(?<=\.)\s", prose) if len(s.strip()) > 40 and "Model" not in s]
            for block in reversed(blocks):
                source = source[: block.start] + source[block.end :]
            elsewhere.append(squash(source))
    shown = "\n".join(elsewhere)
    return [line for line in found if squash(line) not in shown]
