"""Start a new lesson in the house shape: ``python -m csto_course.authoring new-lesson 06 "Title"``.

Run from the repository's root, it writes

- ``notebooks/06_<slug>.ipynb``: a lesson with every section of the house shape (CONTRIBUTING.md; title and
  promise, At a glance, Overview, a section with a code cell, a chart and its caption, Exercise
  6.1 with its folded solution and its check, an Explorer, Check your understanding, Summary,
  Further reading) and the set-up cells copied from the first lesson;
- ``src/csto_course/exercises/<slug>.py``: the exercises' module, one :class:`~csto_course.exercises.specs.Spec`
  for ``<prefix>-1`` to fill in (the package finds the module; nothing lists it);

and adds the lesson to the "Lessons" part of ``_toc.yml``: the three files a lesson needs, and
the only ones (the book's tables of lessons are written from the notebook). Every place an author must fill in carries
the marker :data:`MARKER`; :func:`placeholders` finds those left in the lessons, the graders and
the table of contents, and the tests fail while there is one.

Nothing is written unless everything can be: a refusal (an existing lesson number or file, a
bad number, an empty title) is one sentence, :class:`ScaffoldError`.
"""

from __future__ import annotations

import json
import keyword
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .lesson import read_lessons

__all__ = [
    "MARKER",
    "ScaffoldError",
    "ScaffoldUsageError",
    "Lesson",
    "plan",
    "new_lesson",
    "placeholders",
    "slugify",
    "main",
    "USAGE",
]

#: What marks every placeholder the scaffold writes. The tests reject it (see :func:`placeholders`).
MARKER = "TODO(scaffold)"

#: The part of _toc.yml that lists the lessons.
LESSONS_CAPTION = "Lessons"

USAGE = """\
usage: python -m csto_course.authoring new-lesson NUMBER "TITLE" [--slug SLUG]

  Start lesson NUMBER (1 to 99; 6 and 06 are the same) in the house shape. Run it from the
  repository's root. It writes notebooks/NN_<slug>.ipynb and src/csto_course/exercises/<slug>.py,
  and adds the lesson to the Lessons part of _toc.yml: the three files a lesson needs.
  Every place to fill in is marked TODO(scaffold); the tests fail until none is left.

  --slug SLUG   the short name used for the files and the exercise ids, in lower case with
                underscores (default: from the title, e.g. "A legacy of inaction" gives
                legacy_of_inaction, files 06_legacy_of_inaction.ipynb and exercise ids
                legacy-of-inaction-1, ...)

See CONTRIBUTING.md, "Adding a lesson", for what to do next.
"""

#: Used when no lesson has a set-up cell to copy (the first lesson's, as of this writing).
_DEFAULT_INSTALL_CELL = """\
# Set-up for Colab or a JupyterHub that lacks the course package; on your own copy it does nothing.
import importlib.util

if importlib.util.find_spec("csto_course") is None:
    %pip install --quiet "csto-course @ git+https://github.com/a-fading-alliance/csto-course@student\""""

_GRADERS = Path("src") / "csto_course" / "exercises"
_SLUG = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_ARTICLES = {"a", "an", "the"}


class ScaffoldError(ValueError):
    """The lesson cannot be created; the message is one sentence saying why."""


class ScaffoldUsageError(ScaffoldError):
    """The command was given a bad number, title or slug (exit status 2, as for other usage errors)."""


@dataclass(frozen=True)
class Lesson:
    """Names for one new lesson, all derived from its number, title and slug."""

    number: int
    title: str
    slug: str

    @property
    def stem(self) -> str:
        return f"{self.number:02d}_{self.slug}"

    @property
    def module(self) -> str:
        """The graders module: the slug, unless that is not a usable Python name."""
        if self.slug.isidentifier() and not keyword.iskeyword(self.slug):
            return self.slug
        return f"lesson{self.number:02d}_{self.slug}"

    @property
    def prefix(self) -> str:
        """The exercise-id prefix: Exercise 6.1 is checked by ``<prefix>-1``."""
        return self.slug.replace("_", "-")

    @property
    def notebook(self) -> Path:
        return Path("notebooks") / f"{self.stem}.ipynb"

    @property
    def grader(self) -> Path:
        return _GRADERS / f"{self.module}.py"


# --------------------------------------------------------------------------- names


def slugify(title: str) -> str:
    """A short file name from a title: "A legacy of inaction" -> "legacy_of_inaction" (at most four words)."""
    spaced = re.sub(r"[\W_]+", " ", re.sub(r"['\u2019]", "", title))  # dashes and punctuation separate words
    ascii_title = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_title.casefold())
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return "_".join(words[:4])


def _lesson_number(path: Path) -> int | None:
    head = path.stem.split("_", 1)[0]
    return int(head) if head.isdigit() else None


def _parse_number(text: str) -> int:
    if not re.fullmatch(r"\d{1,2}", text.strip()):
        raise ScaffoldUsageError(f"The lesson number must be a whole number from 1 to 99, such as 06; got {text!r}.")
    number = int(text)
    if number < 1:
        raise ScaffoldUsageError(
            f"The lesson number must be from 1 to 99 (lesson 0 is the getting-started lesson); got {text!r}."
        )
    return number


# --------------------------------------------------------------------------- the notebook


def _md(source: str) -> dict[str, object]:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def _code(source: str, tags: list[str] | None = None) -> dict[str, object]:
    metadata: dict[str, object] = {"tags": list(tags)} if tags else {}
    return {"cell_type": "code", "execution_count": None, "metadata": metadata, "outputs": [], "source": source}


def _reference(root: Path) -> tuple[dict[str, object], str, list[str]]:
    """The notebook metadata and the Colab set-up cell (source, tags) of the first lesson that has one."""
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        for cell in nb.get("cells", []):
            source = "".join(cell.get("source", ""))
            if cell.get("cell_type") == "code" and "%pip install" in source and "find_spec" in source:
                metadata = {k: v for k, v in nb.get("metadata", {}).items() if k in ("kernelspec", "language_info")}
                return metadata, source, list(cell.get("metadata", {}).get("tags", ["hide-input"]))
    metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}}
    return metadata, _DEFAULT_INSTALL_CELL, ["hide-input"]


def _before_you_start(root: Path, lesson: Lesson) -> str:
    earlier = [p for p in (root / "notebooks").glob("*.ipynb") if (_lesson_number(p) or 0) < lesson.number]
    if not earlier:
        return "nothing"
    previous = max(earlier, key=lambda p: (_lesson_number(p) or 0, p.name))
    return f"[Lesson {_lesson_number(previous)}]({previous.name})"


def notebook_json(root: Path, lesson: Lesson) -> str:
    """The new lesson's notebook, as the text of an .ipynb file (nbformat 4.5, cell ids c000, c001, ...)."""
    n, todo = lesson.number, MARKER
    metadata, install, install_tags = _reference(root)
    quiz = "\n\n".join(
        f'<details class="csto-quiz">\n<summary>{i}. {todo}: a question this lesson answers?</summary>\n\n'
        f"{todo}: the answer, in one or two sentences.\n</details>"
        for i in (1, 2, 3)
    )
    cells = [
        _md(
            f"# Lesson {n}: {lesson.title}\n\n"
            f"*By the end of this lesson you can {todo}: finish this sentence with what a student will be able to\n"
            "say or do that they could not before.*"
        ),
        _md(
            "## At a glance\n\n"
            "**Learning objectives.** After this lesson you will be able to:\n\n"
            f"1. **explain** {todo}: three to five objectives, each a verb a teacher can assess (explain,\n"
            "   compute, compare, judge);\n"
            f"2. **compute** {todo}: something from the data;\n"
            f"3. **judge** {todo}: a claim against the record.\n\n"
            f"**Main question:** {todo}: the question the lesson answers?\n"
            f"**Time:** {todo}: written by `make execute` from the reading and the exercises' estimates. "
            f"**Datasets:** {todo}: the datasets used, such as `states`.\n"
            f"**Before you start:** {_before_you_start(root, lesson)}."
        ),
        _md(
            "## Overview\n\n"
            f"{todo}: a short story from the history that raises the lesson's question, in your own words. Cite\n"
            "every fact by the ids of its rows in `data/sources.csv`, as the other lessons do (CONTRIBUTING.md,\n"
            '"Citing sources"). No code yet.'
        ),
        _code(install, install_tags),
        _code("from csto_course import *"),
        _md(
            f"## 1. {todo}: the section's title\n\n"
            f"{todo}: a paragraph of context in your own words, every fact cited. Then a short code cell that\n"
            "calls the package, a chart or table with a caption, and an exercise."
        ),
        _code(f'# {todo}: load the dataset this section needs.\ntable = load("states")\ntable.head()'),
        _code(
            "from csto_course.views.charts import frame_for_chart, with_alt_text\n\n"
            f"# {todo}: draw the chart this section needs, and say what it shows in its text alternative.\n"
            'chart = alt.Chart(frame_for_chart(table)).mark_bar().encode(x="count()", y="signed_1992_tashkent:N")\n'
            f'with_alt_text(chart, "{todo}: a sentence or two on what the chart shows, for readers who cannot see it.")'
        ),
        _md(f'*Figure {n}.1. {todo}: what the chart shows. Source: course dataset `states` (see `cite("states")`).*'),
        _md(
            f"### Exercise {n}.1\n\n"
            "*Objective 2 · about 10 minutes*\n\n"
            f"{todo}: set the objectives the exercise serves and its time above; then the task in one or\n"
            "two sentences. Name the variable the answer goes in (`answer` here) and\n"
            "the kind of value the check expects (a whole number, a list of ISO3 codes, a dict)."
        ),
        _code(
            "# BEGIN SOLUTION\n"
            f"answer = len(table)  # {todo}: the worked solution, computed from the data.\n"
            "# END SOLUTION",
            ["hide-input"],
        ),
        _code(f'check("{lesson.prefix}-1", answer)'),
        _md(
            f"## 2. Explorer: {todo}: what the reader explores\n\n"
            f"{todo}: one interactive view per lesson that invites play. An Altair chart with a control works on\n"
            "the website too; an ipywidgets view needs a running kernel, so keep the note below for it.\n\n"
            "> **Needs a running kernel.** This explorer runs in Python. The website cannot run it and shows\n"
            "> a note in its place; to use it, open the lesson in JupyterLab, or in Binder or Colab (the rocket icon)."
        ),
        _code(
            "from csto_course.views.datasets import dataset_browser\n\n"
            f"# {todo}: this lesson's explorer.\n"
            'dataset_browser("states")'
        ),
        _md(f"## Check your understanding\n\n{quiz}"),
        _md(
            "## Summary\n\n"
            f"- {todo}: three to five bullets, one for each thing a student can now say or do.\n\n"
            "## Further reading\n\n"
            f"- {todo}: the sources worth a student's time, each cited by its id in `data/sources.csv`."
        ),
    ]
    for index, cell in enumerate(cells):
        cell["id"] = f"c{index:03d}"
        cell["source"] = _lines(str(cell["source"]))
    nb = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"  # as nbformat.write does


def _lines(text: str) -> list[str]:
    """A cell's source as nbformat stores it: a list of lines, each but the last ending in a newline."""
    return text.splitlines(keepends=True)


# --------------------------------------------------------------------------- the grader


def grader_source(lesson: Lesson) -> str:
    """The lesson's grader module: one :class:`~csto_course.exercises.specs.Spec` for its first exercise, to fill in."""
    title = lesson.title.replace("\\", "\\\\").replace('"', '\\"')
    exercise_id = f"{lesson.prefix}-1"
    return f'''"""Lesson {lesson.number}, {title}: {MARKER}: say in a line what this lesson's exercises check.

The ids follow the lesson's labels: Exercise {lesson.number}.1 is ``{exercise_id}``. Each exercise is a
Spec (csto_course.exercises.specs): how to read the answer, its expected value, how to compare, and the
likely mistakes with their hints. How to write one: CONTRIBUTING.md, "Writing an exercise".
"""

from __future__ import annotations

from typing import Any

from .specs import Mistake, Read, Spec, as_int


def expected_1() -> Any:
    """The answer to Exercise {lesson.number}.1, computed from the data: the grader and the answer key use it."""
    # {MARKER}: compute the expected answer with a function of csto_course.measures, or of
    # csto_course.exercises.answers for a rule only an answer uses (add a small one there if none gives
    # it: a grader never selects rows itself), in the form the question asks for.
    return None


Spec(
    "{exercise_id}",
    "{MARKER}: the question of Exercise {lesson.number}.1, in one sentence.",
    # {MARKER}: read the answer with a reader of csto_course.exercises.readers, named with Read (as_int,
    # as_number, as_states, ...; they raise WrongType for a wrong kind of value), compare it with
    # expected_1() (equal unless matches= says otherwise: within(0.005), same_labels, close()), give a
    # Mistake for each likely wrong answer (value= the answer it gives, or when= a test from specs such
    # as HasAny or KeysDiffer); the tests give the grader each value= and expect its hint
    # (tests/test_graders.py), and check that the student package grades it alike (tests/test_sealed.py).
    read=Read(as_int, "{MARKER}: what the answer is, such as a number of states"),
    expected=expected_1,
    right="{MARKER}: what a right answer is told.",
    mistakes=[Mistake("{MARKER}: the hint for a likely mistake.", value=lambda: None)],
    otherwise="{MARKER}: the grader for {exercise_id} is not written yet.",
).register()
'''


def _toc(text: str, lesson: Lesson) -> str:
    """_toc.yml with the lesson added to the Lessons part, in the order of the file names."""
    import yaml

    entry_file = f"notebooks/{lesson.stem}"
    try:
        toc = yaml.safe_load(text)
    except yaml.YAMLError:
        raise ScaffoldError("_toc.yml is not valid YAML, so the lesson cannot be added to it; fix it first.") from None
    parts = [p for p in (toc or {}).get("parts", []) if isinstance(p, dict) and p.get("caption") == LESSONS_CAPTION]
    if len(parts) != 1:
        raise ScaffoldError(
            f"_toc.yml has no part with the caption '{LESSONS_CAPTION}' to add the lesson to; add it there by hand."
        )

    lines = text.splitlines(keepends=True)
    caption = next(
        (i for i, line in enumerate(lines) if re.match(rf"^\s*-\s*caption:\s*['\"]?{LESSONS_CAPTION}['\"]?\s*$", line)),
        None,
    )
    entries: list[tuple[int, str, str]] = []  # (line index, indentation, file)
    if caption is not None:
        part_indent = len(lines[caption]) - len(lines[caption].lstrip())
        for i in range(caption + 1, len(lines)):
            line = lines[i]
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if len(line) - len(line.lstrip()) <= part_indent:
                break
            match = re.match(r"^(\s*)-\s*file:\s*(\S+)\s*$", line)
            if match:
                entries.append((i, match.group(1), match.group(2)))
    if not entries:
        raise ScaffoldError(
            f"The '{LESSONS_CAPTION}' part of _toc.yml lists no chapter in a form the scaffold can copy; add the "
            "lesson there by hand."
        )
    later = [e for e in entries if e[2] > entry_file]
    insert_at = later[0][0] if later else entries[-1][0] + 1
    if not lines[insert_at - 1].endswith("\n"):
        lines[insert_at - 1] += "\n"
    lines.insert(insert_at, f"{entries[0][1]}- file: {entry_file}\n")
    result = "".join(lines)
    chapters = next(p for p in yaml.safe_load(result)["parts"] if p.get("caption") == LESSONS_CAPTION)["chapters"]
    if {"file": entry_file} not in chapters:  # pragma: no cover - a layout the line scan misread
        raise ScaffoldError(
            f"The lesson could not be added to the '{LESSONS_CAPTION}' part of _toc.yml; add it there by hand."
        )
    return result


# --------------------------------------------------------------------------- the command


def plan(root: Path, number: str, title: str, slug: str | None = None) -> dict[Path, str]:
    """Every file the scaffold writes, relative to ``root``, with its new text; refuses with :class:`ScaffoldError`."""
    n = _parse_number(number)
    title = " ".join(title.split())
    if not title:
        raise ScaffoldUsageError('The lesson needs a title, in quotes, such as "Border wars".')
    if slug is not None and not _SLUG.match(slug):
        raise ScaffoldUsageError(
            "The slug must be lower-case letters, digits and single underscores, starting with a letter, such as "
            f"border_wars; got {slug!r}."
        )
    slug = slug or slugify(title)
    if not slug:
        raise ScaffoldUsageError(
            f"The title {title!r} has no Latin letters or digits to name the files by; "
            "add --slug and a name such as border_wars."
        )
    lesson = Lesson(n, title, slug)

    toc_path = Path("_toc.yml")
    for needed in (toc_path, Path("notebooks"), _GRADERS):
        if not (root / needed).exists():
            raise ScaffoldError(
                f"There is no {needed} in {root}: run the command from the course repository's root folder."
            )
    same_number = sorted(p.name for p in (root / "notebooks").glob("*.ipynb") if _lesson_number(p) == n)
    if same_number:
        raise ScaffoldError(f"Lesson {n:02d} exists already (notebooks/{same_number[0]}); choose another number.")
    for path in (lesson.notebook, lesson.grader):
        if (root / path).exists():
            raise ScaffoldError(f"{path.as_posix()} exists already; choose another title or --slug.")
    toc_text = (root / toc_path).read_text(encoding="utf-8")
    if re.search(rf"notebooks/{n:02d}_", toc_text):
        raise ScaffoldError(f"_toc.yml already lists a lesson {n:02d}; choose another number.")
    taken = {other.prefix: other.name for other in read_lessons(root) if other.prefix}
    if lesson.prefix in taken:
        raise ScaffoldError(
            f"The exercise-id prefix {lesson.prefix!r} is taken by notebooks/{taken[lesson.prefix]}; "
            "choose another --slug."
        )

    return {
        lesson.notebook: notebook_json(root, lesson),
        lesson.grader: grader_source(lesson),
        toc_path: _toc(toc_text, lesson),
    }


def new_lesson(root: Path, number: str, title: str, slug: str | None = None) -> list[Path]:
    """Write the new lesson's files into the repository at ``root``; return their paths (relative)."""
    files = plan(root, number, title, slug)
    before = {path: (root / path).read_bytes() for path in files if (root / path).exists()}
    try:
        for path, text in files.items():
            with open(root / path, "w" if path in before else "x", encoding="utf-8", newline="\n") as out:
                out.write(text)
    except OSError:
        # Leave the repository as it was: remove what was created, restore what was changed.
        for path in files:
            if path in before:
                (root / path).write_bytes(before[path])
            else:
                (root / path).unlink(missing_ok=True)
        raise
    return list(files)


def placeholders(root: Path) -> list[str]:
    """Where :data:`MARKER` is left in the lessons, the graders or _toc.yml, as "file: where" lines."""
    found: list[str] = []
    files = sorted((root / "notebooks").glob("*.ipynb")) + sorted((root / _GRADERS).glob("*.py"))
    files += [root / "_toc.yml"]
    for path in files:
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if MARKER not in text:
            continue
        if path.suffix == ".ipynb":
            try:
                cells = json.loads(text)["cells"]
            except (json.JSONDecodeError, KeyError, TypeError):
                found.append(f"{name}: {MARKER} (the file is not a readable notebook)")
                continue
            for index, cell in enumerate(cells):
                if MARKER in "".join(cell.get("source", "")):
                    found.append(f"{name}: cell {index} ({cell.get('cell_type')}, id {cell.get('id')!r})")
                elif MARKER in json.dumps(cell.get("outputs", [])):
                    found.append(f"{name}: cell {index} output (run `make execute` after filling the lesson in)")
        else:
            found += [f"{name}: line {i}" for i, line in enumerate(text.splitlines(), start=1) if MARKER in line]
    return found


def main(argv: list[str], root: Path | None = None) -> int:
    """``new-lesson NUMBER "TITLE" [--slug SLUG]``: exit 0 when written, 2 for a usage error, 1 for a refusal."""
    import sys

    if any(a in ("-h", "--help") for a in argv):
        print(USAGE, end="")
        return 0
    args, slug = list(argv), None
    if "--slug" in args:
        at = args.index("--slug")
        if at + 1 >= len(args):
            print("new-lesson: --slug needs a name after it, such as --slug border_wars.", file=sys.stderr)
            return 2
        slug = args[at + 1]
        del args[at : at + 2]
    options = [a for a in args if a.startswith("--")]
    if options:
        print(
            f"new-lesson: there is no option {options[0]} (see python -m csto_course.authoring new-lesson --help).",
            file=sys.stderr,
        )
        return 2
    if len(args) != 2:
        print(
            "new-lesson: give a lesson number and a title in quotes, such as: "
            'python -m csto_course.authoring new-lesson 06 "Border wars".',
            file=sys.stderr,
        )
        return 2
    root = root or Path.cwd()
    try:
        written = new_lesson(root, args[0], args[1], slug)
    except ScaffoldError as error:
        print(f"new-lesson: {error}", file=sys.stderr)
        return 2 if isinstance(error, ScaffoldUsageError) else 1
    except OSError as error:
        print(f"new-lesson: could not write the lesson ({error.strerror or error}).", file=sys.stderr)
        return 1
    print("Wrote " + ", ".join(p.as_posix() for p in written) + ".")
    print(f"Fill in every {MARKER} (the tests fail while one is left); CONTRIBUTING.md lists the next steps.")
    return 0
