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
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

__all__ = ["CITATION", "cited_keys", "labels", "labelled", "to_myst"]

#: One citation inside parentheses: ``(<cite>a; b</cite>)`` as an author writes it, or
#: ``(<cite data-keys="a; b">labels</cite>)`` as :func:`labelled` writes it.
CITATION = re.compile(r'\(<cite(?: data-keys=\\?"([^"<>\\]*)\\?")?>([^<>]*)</cite>\)')

#: A source id as data/sources.csv writes it.
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


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


def labels(sources: pd.DataFrame) -> dict[str, str]:
    """Each source id's "Author, year", as the book's author-year citations name it.

    The author is the people's surnames ("A", "A and B", "A et al.") or, for a source without a
    person as author, its publisher, as ``book/references.bib`` braces it; the year is the
    year of publication, or "n.d." for an undated source.
    """
    out: dict[str, str] = {}
    for row in sources.itertuples():
        if isinstance(row.author, str) and row.author.strip():
            people = [_surname(p) for p in row.author.split(" and ")]
            who = people[0] if len(people) == 1 else " and ".join(people) if len(people) == 2 else f"{people[0]} et al."
        else:
            who = str(row.publisher)
        year = str(row.published)[:4] if isinstance(row.published, str) and row.published else "n.d."
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
