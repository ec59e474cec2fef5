"""Citations that read well everywhere a lesson is opened.

An author cites sources in a lesson as ``(<cite>belarus-mfa-csto-2023; pavlodar-protocol-1999</cite>)``:
plain HTML, since a MyST role such as ``{cite:p}`` would show as raw markup everywhere but in
the book. ``make execute`` (``tools/normalize_notebooks.py``) then writes each citation's
author and year inside the element and keeps the ids in an attribute::

    (<cite data-keys="belarus-mfa-csto-2023; pavlodar-protocol-1999">Ministry of Foreign Affairs of
    the Republic of Belarus, 2023; …, 1999</cite>)

so JupyterLab, Colab, VS Code and GitHub show "(Author, year)" as the website does, and
``make lint`` fails when a label no longer matches ``data/sources.csv``. When the book is built,
:func:`to_myst` turns either form into the ``{cite:p}`` role, so the website keeps its
author-year citations linked to the references page (see ``sphinxext``).

An edition in another language cites a document in that language where the course has read its
original (``data/sources.csv``'s ``russian_original``, the Charter's Russian text in place of its
English translation): :func:`edition_key` decides which id an edition cites for an id the English
cites, and :func:`in_edition` rewrites a translated text's citations accordingly. The translations
keep the English ids (a test holds them to that); the Russian lessons and pages are rewritten when
they are generated, so their citations lead to the Russian original's entry in the bibliography.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from ..language import N_, translate

__all__ = [
    "CITATION",
    "ORIGINAL_COLUMN",
    "cited_keys",
    "edition_key",
    "in_edition",
    "labels",
    "labelled",
    "originals",
    "to_myst",
    "words",
]

#: One citation inside parentheses: ``(<cite>a; b</cite>)`` as an author writes it, or
#: ``(<cite data-keys="a; b">labels</cite>)`` as :func:`labelled` writes it.
CITATION = re.compile(r'\(<cite(?: data-keys=\\?"([^"<>\\]*)\\?")?>([^<>]*)</cite>\)')

#: A source id as data/sources.csv writes it.
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")

#: For each edition's language, the column of data/sources.csv naming a source's original in it.
ORIGINAL_COLUMN = {"ru": "russian_original"}

#: The words a citation and a bibliography entry are written with, in English; :func:`words` gives
#: them in an edition's language (the package's catalog), for the labels here and the website's
#: bibliography styles (``bibstyles``).
NO_DATE = N_("n.d.")
TWO_PEOPLE = N_("{first} and {second}")
LAST_OF_MANY = N_("{names}, and {last}")
ET_AL = N_("{first} et al.")
PUBLISHED = N_("Published {date}")
UNDATED = N_("Undated")
VISITED = N_("visited on {date}")


def words(language: str) -> dict[str, str]:
    """The citation words (the constants above, by name) in ``language``."""
    english = {
        "no_date": NO_DATE,
        "two_people": TWO_PEOPLE,
        "last_of_many": LAST_OF_MANY,
        "et_al": ET_AL,
        "published": PUBLISHED,
        "undated": UNDATED,
        "visited": VISITED,
    }
    return {name: translate(message, language) for name, message in english.items()}


def _split(inside: str) -> list[str]:
    return [k.strip() for k in re.split(r"[;,]", inside) if k.strip()]


def _keys(match: re.Match[str]) -> list[str]:
    return _split(match.group(1) if match.group(1) is not None else match.group(2))


def cited_keys(text: str) -> list[str]:
    """Every source id cited in ``text``, in order, with repeats."""
    return [key for match in CITATION.finditer(text) for key in _keys(match)]


def to_myst(text: str) -> str:
    """Turn each citation into MyST's ``{cite:p}`a,b```, for the book's bibliography.

    Works on Markdown and on a notebook's raw JSON alike: neither form holds a character that
    JSON would change, but the attribute's quotes, which :data:`CITATION` also matches as ``\\"``.
    """
    return CITATION.sub(lambda m: "{cite:p}`" + ",".join(_keys(m)) + "`", text)


def _surname(person: str) -> str:
    """A surname from either BibTeX name order: "Gibler, Douglas M." or "Douglas Gibler" gives "Gibler"."""
    person = person.strip()
    return person.split(",")[0].strip() if "," in person else person.split()[-1]


def labels(sources: pd.DataFrame, language: str = "en") -> dict[str, str]:
    """Each source id's "Author, year", as the book's author-year citations name it.

    The author is the people's surnames ("A", "A and B", "A et al.") or, for a source without a
    person as author, its publisher, as ``book/references.bib`` braces it; the year is the
    year of publication, or "n.d." for an undated source. The connecting words are ``language``'s.
    """
    said = words(language)
    out: dict[str, str] = {}
    for row in sources.itertuples():
        if isinstance(row.author, str) and row.author.strip():
            people = [_surname(p) for p in row.author.split(" and ")]
            if len(people) == 1:
                who = people[0]
            elif len(people) == 2:
                who = said["two_people"].format(first=people[0], second=people[1])
            else:
                who = said["et_al"].format(first=people[0])
        else:
            who = str(row.publisher)
        year = str(row.published)[:4] if isinstance(row.published, str) and row.published else said["no_date"]
        out[str(row.id)] = f"{who}, {year}"
    return out


def labelled(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every citation written as ``(<cite data-keys="ids">Author, year; …</cite>)``.

    ``names`` is :func:`labels`; an id it lacks keeps the id as its label, so the lint that
    checks cited ids against data/sources.csv still names it.
    """

    def write(match: re.Match[str]) -> str:
        keys = _keys(match)
        shown = "; ".join(names.get(k, k) for k in keys)
        return f'(<cite data-keys="{"; ".join(keys)}">{shown}</cite>)'

    return CITATION.sub(write, text)


def originals(sources: pd.DataFrame, language: str) -> dict[str, str]:
    """``{id: id of its original in language}`` for each source that has one; empty for English."""
    column = ORIGINAL_COLUMN.get(language)
    if column is None or column not in sources.columns:
        return {}
    named = sources[sources[column].notna() & (sources[column].astype(str).str.strip() != "")]
    return {str(row.id): str(getattr(row, column)).strip() for row in named.itertuples()}


def edition_key(key: str, language: str, sources: pd.DataFrame) -> str:
    """The source id the edition in ``language`` cites where the English cites ``key``: the
    document's original in that language when the course has read one, else ``key`` itself."""
    return originals(sources, language).get(key, key)


def in_edition(text: str, language: str, sources: pd.DataFrame) -> str:
    """``text`` (a translated lesson's Markdown) with each citation of a source that has an original in
    ``language`` citing that original (:func:`edition_key`) under its own label in that language.

    The other sources of a citation keep their translated labels; a citation whose label does not
    name one source per id is labelled afresh from the data.
    """
    names = labels(sources, language)

    def write(match: re.Match[str]) -> str:
        keys = _keys(match)
        cited = [edition_key(key, language, sources) for key in keys]
        if cited == keys:
            return match.group(0)
        shown = match.group(2).split("; ") if match.group(1) is not None else []
        if len(shown) != len(keys):
            shown = [names.get(key, key) for key in keys]
        shown = [
            names.get(new, new) if new != old else label for old, new, label in zip(keys, cited, shown, strict=True)
        ]
        return f'(<cite data-keys="{"; ".join(cited)}">{"; ".join(shown)}</cite>)'

    return CITATION.sub(write, text)
