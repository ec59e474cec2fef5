"""What a student's copy must not show, and one finder that looks for it in every student route.

The routes (tests/test_no_answers_reach_students.py): the student website's pages and downloads,
the handout zip with the wheel inside it, the student branch's folder, the student PDF
(tests/browser/test_pdf.py) and the student wheel. What none may hold:

- the lessons' distinctive solution lines and model-answer sentences (:func:`solution_lines`),
  and the solution markers themselves;
- a check's verdict that an answer is right ("inaction-2: Correct"), which comes with the
  reason and the worked result;
- the capstone's answer key: the file, or a sentence of its explanations that no lesson shows;
- the graders: the lessons' exercise modules, which compute every expected answer, and the
  authoring and website packages.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from csto_course.authoring.lesson import LABELS, MARKERS, read_lesson, solution_blocks, source_of
from csto_course.exercises import lesson_modules
from csto_course.language import LANGUAGES, translate

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})

#: Text a route may never show, whatever else it holds: the markers, and a model answer's label in
#: each of the course's languages ("Model answer", "Образец ответа").
MARKER_TEXT = (*MARKERS, *(LABELS[lang]["model answer"].capitalize() for lang in LANGUAGES))
#: A check's "Correct." verdict, as its box or its text prints it, in each of the course's languages.
VERDICT = re.compile(
    r"[a-z]+(?:-[a-z]+)*-\d+: (?:" + "|".join(re.escape(translate("Correct", lang)) for lang in LANGUAGES) + ")"
)
#: Answer-key datasets: a student route may not carry their files.
KEY_DATASETS = ("reading_claims_key",)
#: Files a route reads as text (others, such as images and fonts, cannot show a solution line).
TEXT_SUFFIXES = {".html", ".js", ".ipynb", ".md", ".txt", ".py", ".json", ".csv", ".toml", ".cfg", ".yml", ".yaml"}


def squash(text: str) -> str:
    """Text without whitespace and with plain quotes: a PDF's text breaks lines wherever the page
    did, and the website prints typographic quotes where the notebook has straight ones."""
    return re.sub(r"\s+", "", text.translate(_QUOTES))


def _shown_and_hidden(lessons: list[Path]) -> tuple[list[str], str]:
    """The lessons' distinctive solution lines, and everything else they show (squashed)."""
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
    return found, "\n".join(elsewhere)


def solution_lines(lessons: list[Path]) -> list[str]:
    """Distinctive lines of the lessons' worked solutions and model answers: long ones, and none
    that the lesson also shows outside a solution (an example the solution reuses)."""
    found, shown = _shown_and_hidden(lessons)
    return [line for line in found if squash(line) not in shown]


def key_sentences(root: Path, lessons: list[Path]) -> list[str]:
    """Sentences of the answer key's explanations that no lesson shows outside a solution."""
    _, shown = _shown_and_hidden(lessons)
    key = pd.read_csv(root / "data" / "reading_claims_key.csv")
    sentences = (s.strip() for text in key["explanation"].astype(str) for s in re.split(r"(?<=\.)\s", text))
    return [s for s in sentences if len(s) > 60 and squash(s) not in shown]


def _text_of(name: str, data: bytes) -> str:
    """What a reader sees of a file: a page's text without tags, a notebook's sources and outputs."""
    text = data.decode("utf-8", errors="replace")
    if name.endswith(".html"):
        return html.unescape(re.sub(r"<[^>]+>", " ", text))
    if name.endswith(".ipynb"):
        try:
            nb = json.loads(text)
        except ValueError:
            return text
        parts = []
        for cell in nb.get("cells", []):
            parts.append("".join(cell.get("source", "")))
            for output in cell.get("outputs", []):
                parts.append("".join(output.get("text", "")))
                parts += ["".join(v) if isinstance(v, list) else str(v) for v in output.get("data", {}).values()]
        return "\n".join(parts)
    return text


def files_in(path: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of a folder, zip or wheel as (name, bytes); archives inside are opened too."""
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file() and ".git" not in p.parts):
            yield from _expand(file.relative_to(path).as_posix(), file.read_bytes())
    else:
        yield from _expand(path.name, path.read_bytes())


def _expand(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    if name.endswith((".zip", ".whl")):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in sorted(archive.namelist()):
                if not member.endswith("/"):
                    yield from _expand(f"{name}!{member}", archive.read(member))
        return
    yield name, data


@dataclass(frozen=True)
class Finder:
    """Looks for every kind of answer in a student route; each finding is one sentence."""

    solutions: tuple[str, ...]
    key: tuple[str, ...]
    grader_files: tuple[str, ...]

    @classmethod
    def for_course(cls, root: Path, lessons: list[Path]) -> Finder:
        graders = tuple(
            f"csto_course/exercises/{name}.py" for name in ("specs", "answers", "worked", *lesson_modules())
        )
        packages = ("csto_course/authoring/", "csto_course/website/")
        return cls(tuple(solution_lines(lessons)), tuple(key_sentences(root, lessons)), graders + packages)

    def in_text(self, text: str, where: str) -> list[str]:
        """Every answer ``text`` shows, named with ``where``."""
        found = [f"{where} shows {marker!r}" for marker in MARKER_TEXT if marker in text]
        found += [f"{where} shows a check's verdict {v!r}" for v in sorted(set(VERDICT.findall(text)))]
        squashed = squash(text)
        found += [f"{where} shows solution text {line!r}" for line in self.solutions if squash(line) in squashed]
        found += [f"{where} shows the answer key: {line[:60]!r}…" for line in self.key if squash(line) in squashed]
        return found

    def in_files(self, files: Mapping[str, bytes] | Iterator[tuple[str, bytes]]) -> list[str]:
        """Every answer in a route's files, and every grader or answer-key file it carries."""
        found = []
        for name, data in files.items() if isinstance(files, Mapping) else files:
            if any(name.endswith(grader) or f"/{grader}" in name for grader in self.grader_files):
                found.append(f"{name} is a grader or an authoring tool, which computes the answers")
            if any(Path(name).name.startswith(f"{key}.") for key in KEY_DATASETS):
                found.append(f"{name} is the answer key")
                continue
            if name.endswith("datapackage.json") and any(f'"{key}"' in data.decode("utf-8") for key in KEY_DATASETS):
                found.append(f"{name} describes the answer key")
            if Path(name.split("!")[-1]).suffix in TEXT_SUFFIXES:
                found += self.in_text(_text_of(name, data), name)
        return found
