"""Command line: ``python -m csto_course.authoring bib`` (what ``make bib`` runs) and ``new-lesson``."""

from __future__ import annotations

import sys

USAGE = """\
usage: python -m csto_course.authoring bib
       python -m csto_course.authoring new-lesson NUMBER "TITLE" [--slug SLUG]

  bib           print book/references.bib, generated from data/sources.csv
                (make bib writes it: python -m csto_course.authoring bib > book/references.bib)
  new-lesson    start lesson NUMBER in the house shape, from the repository's root
                (python -m csto_course.authoring new-lesson --help; CONTRIBUTING.md, "Adding a lesson")

The student edition is made by a module of its own:
  python -m csto_course.authoring.release [OUT_DIR [COURSE_ROOT]]    (make student)
"""


def main(argv: list[str]) -> int:
    if argv in (["-h"], ["--help"], ["help"]):
        print(USAGE, end="")
        return 0
    if argv[:1] == ["new-lesson"]:
        from .scaffold import main as new_lesson

        return new_lesson(argv[1:])
    if argv != ["bib"]:
        print(USAGE, end="", file=sys.stderr)
        return 2
    from .bibliography import sources_bibtex

    print(sources_bibtex(), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
