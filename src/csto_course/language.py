"""The language a student reads the course's messages in: the notebook's, never the machine's.

A Russian lesson records ``"language": "ru"`` in its metadata (``csto_course.language``, written
when the Russian edition is generated from the catalogs in ``locale/ru``). A kernel that
JupyterLab or Jupyter Server starts for a notebook knows that notebook's path from the
environment variable ``JPY_SESSION_NAME``; :func:`current` reads the language from the file's
metadata there. A student whose computer runs in English reads a Russian lesson's feedback in
Russian, and the other way round. Where no notebook is known (a script, a test, nbval),
``CSTO_COURSE_LANGUAGE`` chooses, and English is the default.

Messages are looked up with the standard library's :mod:`gettext` in the compiled catalog the
package carries (``csto_course/locale/<lang>/LC_MESSAGES/csto_course.mo``), so a student's copy
needs nothing else; the catalog is written from ``locale/<lang>/LC_MESSAGES/csto_course.po`` by
``make translations``. A message with no translation is shown in English.

The data's words (a state's name, a crisis's name and record, a resolution's title, a field's
description) are in the same compiled catalog under the context ``data`` (their own catalog,
``locale/<lang>/LC_MESSAGES/data.po``, holds the fields ``data/datapackage.json`` marks
``translated``), so a value is never confused with a message that happens to read the same;
:func:`display` shows one, and :func:`csto_course.data.load` reads those fields in the reader's
language.

The graders' own messages (the lessons' hints and right answers' messages, marked in the modules the
student package leaves out) are compiled apart, into ``csto_course/exercises/locale``, which the
student package does not carry: a right answer's message may name the answer, so its text and
translation reach a student only enciphered in the sealed checks, which hold both languages.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "ENVIRONMENT",
    "DATA_CONTEXT",
    "current",
    "metadata_language",
    "notebook_language",
    "speaking",
    "translate",
    "display",
    "number",
    "_",
    "N_",
]

#: The course's languages, the source first.
LANGUAGES = ("en", "ru")
#: Chooses the language where no notebook is known (scripts, tests, nbval).
ENVIRONMENT = "CSTO_COURSE_LANGUAGE"
_DOMAIN = "csto_course"
#: The gettext context of the data's display names in the compiled catalog.
DATA_CONTEXT = "data"
_LOCALE = Path(__file__).with_name("locale")
#: The graders' messages, compiled apart (absent from the student package).
GRADERS_DOMAIN = "csto_course_graders"
GRADERS_LOCALE = Path(__file__).parent / "exercises" / "locale"
_CHOSEN: ContextVar[str | None] = ContextVar("csto_course_language", default=None)


def metadata_language(metadata: object) -> str | None:
    """The language a notebook's metadata records (``csto_course.language``), or None."""
    course = metadata.get("csto_course", {}) if isinstance(metadata, dict) else None
    language = course.get("language") if isinstance(course, dict) else None
    return language if language in LANGUAGES else None


@functools.lru_cache(maxsize=32)
def _language_of(path: str, mtime: float) -> str | None:
    try:
        return metadata_language(json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {}))
    except (OSError, ValueError, AttributeError):
        return None


def notebook_language(path: str | os.PathLike[str] | None) -> str | None:
    """The language a notebook's metadata records, or None (no such file, not a lesson, unreadable)."""
    if not path:
        return None
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    return _language_of(os.fspath(path), mtime)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Show messages in ``language`` inside the block, whatever the notebook's: the build seals each
    message in every language this way."""
    token = _CHOSEN.set(language if language in LANGUAGES else "en")
    try:
        yield
    finally:
        _CHOSEN.reset(token)


def current() -> str:
    """The language chosen by :func:`speaking`, else the running notebook's, else
    ``$CSTO_COURSE_LANGUAGE``, else English."""
    chosen = _CHOSEN.get()
    if chosen:
        return chosen
    language = notebook_language(os.environ.get("JPY_SESSION_NAME"))
    if language:
        return language
    chosen = os.environ.get(ENVIRONMENT, "")
    return chosen if chosen in LANGUAGES else "en"


@functools.cache
def _catalog(language: str) -> _gettext.NullTranslations:
    shipped = _gettext.translation(_DOMAIN, localedir=_LOCALE, languages=[language], fallback=True)
    graders = _gettext.translation(GRADERS_DOMAIN, localedir=GRADERS_LOCALE, languages=[language], fallback=True)
    if type(graders) is _gettext.NullTranslations:  # the student package: no graders, no their messages
        return shipped
    graders.add_fallback(shipped)
    return graders


def translate(message: str, language: str | None = None) -> str:
    """``message`` (English, as written in the code) in ``language`` (default: :func:`current`)."""
    language = language or current()
    if language == "en" or not message:  # gettext's "" is the catalog's header
        return message
    return _catalog(language).gettext(message)


def display(value: str, language: str | None = None) -> str:
    """A value of the data (a name, a title, a status) as the reader's language shows it.

    The value is the English of the data's tables; one the catalog lacks is shown as it is.
    """
    language = language or current()
    if language == "en":
        return value
    return _catalog(language).pgettext(DATA_CONTEXT, value)


#: How each language groups a whole number's thousands: "2,030" in English, "2 030" in Russian,
#: where a space groups them (a no-break one, so a number never breaks across two lines) and a
#: comma would read as a decimal point.
_THOUSANDS = {"en": ",", "ru": "\u00a0"}


def number(value: int, language: str | None = None) -> str:
    """A whole number with its thousands grouped as the reader's language writes them."""
    return f"{int(value):,}".replace(",", _THOUSANDS.get(language or current(), ","))


def _(message: str) -> str:
    """Mark ``message`` for the catalogs and show it in the reader's language.

    A message with values in it is written with named fields and filled after translation, so the
    translator can move them: ``_("You gave {count}.").format(count=n)``.
    """
    return translate(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it: for an English constant (a label in
    a module-level table, a spec's hint) that is translated where it is shown, with ``_(constant)``
    or :func:`translate`."""
    return message
