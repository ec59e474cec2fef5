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

The data's display names (a state's name, a crisis's, a resolution's title, a status such as
``member``) are in the same compiled catalog under the context ``data`` (their own catalog,
``locale/<lang>/LC_MESSAGES/data.po``, lists the columns in
:data:`csto_course.authoring.translations.DISPLAY_COLUMNS`), so a value is never confused with a
message that happens to read the same; :func:`display` shows one.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import json
import os
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "ENVIRONMENT",
    "DATA_CONTEXT",
    "current",
    "notebook_language",
    "translate",
    "display",
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


@functools.lru_cache(maxsize=32)
def _language_of(path: str, mtime: float) -> str | None:
    try:
        metadata = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return None
    language = metadata.get("csto_course", {}).get("language") if isinstance(metadata, dict) else None
    return language if language in LANGUAGES else None


def notebook_language(path: str | os.PathLike[str] | None) -> str | None:
    """The language a notebook's metadata records, or None (no such file, not a lesson, unreadable)."""
    if not path:
        return None
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    return _language_of(os.fspath(path), mtime)


def current() -> str:
    """The language of the running notebook, else ``$CSTO_COURSE_LANGUAGE``, else English."""
    language = notebook_language(os.environ.get("JPY_SESSION_NAME"))
    if language:
        return language
    chosen = os.environ.get(ENVIRONMENT, "")
    return chosen if chosen in LANGUAGES else "en"


@functools.cache
def _catalog(language: str) -> _gettext.NullTranslations:
    return _gettext.translation(_DOMAIN, localedir=_LOCALE, languages=[language], fallback=True)


def translate(message: str, language: str | None = None) -> str:
    """``message`` (English, as written in the code) in ``language`` (default: :func:`current`)."""
    language = language or current()
    if language == "en":
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


def _(message: str) -> str:
    """Mark ``message`` for the catalogs and show it in the reader's language.

    A message with values in it is written with named fields and filled after translation, so the
    translator can move them: ``_("You gave {count}.").format(count=n)``.
    """
    return translate(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it: for an English constant (a label in
    a module-level table) that is translated where it is shown, with ``_(constant)``."""
    return message
