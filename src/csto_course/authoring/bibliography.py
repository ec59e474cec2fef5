"""``book/references.bib``, written from ``data/sources.csv`` (``make bib``), so the two cannot disagree.

The Russian website's copy is written the same way in Russian (its notes' words, "Опубликовано", "Без
даты"), when :mod:`csto_course.website.russian_site` stages the site.
"""

from __future__ import annotations

import pandas as pd

from ..data import bibtex_entry, load
from ..website.citations import words

__all__ = ["sources_bibtex"]


def sources_bibtex(language: str = "en") -> str:
    """``book/references.bib``, written from ``sources.csv`` so the two cannot disagree; the words it
    adds to the data (a note saying when the source was published) are ``language``'s."""
    said = words(language)
    entries = []
    for row in load("sources").itertuples():
        # A person's name is parsed by BibTeX ("Last, First and ..."); an organisation is
        # braced so it is printed as written.
        who = row.author if isinstance(row.author, str) else f"{{{row.publisher}}}"
        fields = {
            "title": f"{{{row.title}}}",
            "author": who,
            "organization": row.publisher if isinstance(row.publisher, str) else "",
            "year": str(row.published)[:4] if isinstance(row.published, str) else "",
            "url": row.url,
            "urldate": str(row.accessed.date()) if not pd.isna(row.accessed) else "",
            "note": said["published"].format(date=row.published) if isinstance(row.published, str) else said["undated"],
        }
        entries.append(bibtex_entry(row.id, fields))
    header = "% Generated from data/sources.csv by `make bib`; edit that file, not this one.\n"
    return header + "\n\n".join(entries) + "\n"
