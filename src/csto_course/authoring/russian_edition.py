"""The Russian edition's lessons: every lesson of the course, in Russian, as files to open and run.

The translation itself is :mod:`.translations` (catalogs, one per lesson, and
:func:`~.translations.translate_notebook`, which replaces the Markdown paragraph by paragraph and
leaves the code). This module makes the edition from it: every lesson of the course
(``_toc.yml``'s, :func:`~.lesson.lesson_paths`), in its order, each of which must be declared
published in ``locale/<lang>/published.txt`` (so complete: tests/test_translations.py holds a
published file to that). A lesson not published stops the edition with one sentence; an edition
that silently skipped it, or showed its English, would not be the Russian course. Each lesson
cites a source's original in the edition's language where the course has read one
(:func:`csto_course.website.citations.in_edition`).

Its routes:

- ``make ru-lessons`` writes the lessons to ``_build/ru/notebooks/NN_*.ipynb`` (:func:`write_lessons`),
  then runs them with the Russian language active (``CSTO_COURSE_LANGUAGE=ru`` for the kernel) and
  saves their outputs as ``make execute`` saves the English ones; nbval re-runs them in ``make test``.
  The Russian site is built from that folder.
- the Russian student edition and handout (``make student``, ``make handout``) take the lessons from
  :func:`lessons` (:func:`csto_course.authoring.release.build_student_edition` with ``language="ru"``).

    python -m csto_course.authoring.russian_edition OUT_DIR [--lang ru]   # OUT_DIR/notebooks/*.ipynb
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import polib

from ..data import load
from ..website.citations import in_edition
from .lesson import lesson_paths
from .release import ReleaseError
from .translations import ROOT, catalog_path, published, translate_notebook

__all__ = ["EditionError", "lessons", "write_lessons"]


class EditionError(ReleaseError):
    """A lesson the edition cannot hold: it is not published in the edition's language."""


def lessons(lang: str = "ru", root: Path = ROOT) -> list[tuple[Path, nbformat.NotebookNode]]:
    """Every lesson of the course in ``lang``, in the course's order: (English path, translated notebook).

    Raises :class:`EditionError` if a lesson is not declared published in ``lang``.
    """
    done = set(published(lang, root))
    paths = lesson_paths(root)
    missing = [path.relative_to(root).as_posix() for path in paths if path.relative_to(root).as_posix() not in done]
    if missing:
        raise EditionError(
            f"{missing[0]} is not published in {lang!r}: translate it (make translations) and list it in "
            f"locale/{lang}/published.txt."
        )
    sources = load("sources")
    edition = []
    for path in paths:
        source = path.relative_to(root).as_posix()
        catalog = catalog_path(source, lang, root)
        translations = polib.pofile(str(catalog), wrapwidth=100) if catalog.exists() else None
        notebook = translate_notebook(nbformat.read(path, as_version=4), translations, lang)
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                cell.source = in_edition(cell.source, lang, sources)
        edition.append((path, notebook))
    return edition


def write_lessons(out: Path, lang: str = "ru", root: Path = ROOT) -> list[Path]:
    """Write every lesson in ``lang`` to ``out/notebooks`` (with the English outputs, to be re-run), and
    remove any other notebook there (a lesson renamed or dropped since); returns the paths written.

    Every lesson is translated before any file is written, so a refusal leaves the folder as it was.
    """
    edition = lessons(lang, root)
    folder = out / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for path, notebook in edition:
        target = folder / path.name
        nbformat.write(notebook, target)
        written.append(target)
    for stale in set(folder.glob("*.ipynb")) - set(written):
        stale.unlink()
    return written


def main(argv: list[str]) -> int:
    lang = "ru"
    if "--lang" in argv[:-1]:
        at = argv.index("--lang")
        lang, argv = argv[at + 1], argv[:at] + argv[at + 2 :]
    if len(argv) != 1 or argv[0].startswith("-"):
        print("usage: python -m csto_course.authoring.russian_edition OUT_DIR [--lang ru]", file=sys.stderr)
        return 2
    try:
        written = write_lessons(Path(argv[0]), lang)
    except EditionError as error:
        print(f"The {lang!r} lessons were not written: {error}", file=sys.stderr)
        return 1
    print(f"{len(written)} lessons in {lang!r} written to {Path(argv[0]) / 'notebooks'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
