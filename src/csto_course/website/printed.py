"""The printed book's own words (tools/pdf.py): its title page, contents and PDF metadata.

They are the course's messages (``_()``, :mod:`csto_course.language`), so the Russian PDF, printed
from the Russian website, reads in Russian; :func:`speaking` chooses the language they are given in.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from ..language import ENVIRONMENT, _


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Within the block, the course's messages are given in ``language`` (where no notebook runs)."""
    before = os.environ.get(ENVIRONMENT)
    os.environ[ENVIRONMENT] = language
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENVIRONMENT, None)
        else:
            os.environ[ENVIRONMENT] = before


def front_words(student: bool) -> dict[str, str]:
    """The title page's and the contents' words, for the book or its student edition."""
    return {
        "kicker": _("Course book · student edition") if student else _("Course book"),
        "edition": _(
            "Student edition: the exercises without their solutions or the checks' verdicts. "
            "Do them in the notebooks, where each check tells you how you did."
        )
        if student
        else _(
            "The book as it is on the website. Solutions and model answers are folded away: a note "
            "marks where each one is; open them on the website or in the notebooks."
        ),
        "licence": _("Text and data CC BY 4.0; code MIT."),
        "source": _("Source and lessons:"),
        "contents": _("Contents"),
        "note": _("The bookmarks of this PDF list every section; page numbers are those of the PDF."),
        "introduction": _("Introduction"),
    }


def printed_on(date: str) -> str:
    """The title page's line saying when the book was printed (``date`` in ISO 8601)."""
    return _("Printed from the website on {date}.").format(date=date)


def metadata_words(student: bool) -> tuple[str, str]:
    """What the PDF's title gains, and its subject, for the book or its student edition."""
    if student:
        return _(" (student edition)"), _("Course book, student edition: no solutions")
    return "", _("Course book")
