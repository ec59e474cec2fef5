"""The website's citations and bibliography in the site's language.

sphinxcontrib-bibtex writes the author-year citations and the references page with pybtex, whose
styles put English words between the data's: "n.d." for an undated source and "and" between two
authors in a citation, "and" and "(visited on …)" in an entry (``bibtex_reference_style:
author_year`` and ``bibtex_default_style: plain`` in ``_config.yml``). Both kinds of style are
plugins, registered by name
(https://sphinxcontrib-bibtex.readthedocs.io/en/latest/usage.html#custom-formatting-sorting-and-labelling
and #custom-inline-citation-references); :func:`register` registers, for a language, the same two
styles with those words in that language (:func:`.citations.words`, from the package's catalog), and
:func:`style_names` names them for the Russian site's ``_config.yml`` (:mod:`.russian_site`). The
English site keeps the styles as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pybtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import field as bib_field
from pybtex.style.template import first_of, join, names, optional, sentence
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference

from .citations import words

__all__ = ["register", "style_names"]


def style_names(language: str) -> dict[str, str]:
    """The ``_config.yml`` settings that choose ``language``'s styles (registered by :func:`register`)."""
    return {
        "bibtex_default_style": f"csto_plain_{language}",
        "bibtex_reference_style": f"csto_author_year_{language}",
    }


def _separators(language: str) -> tuple[str, str]:
    """Between two people, and before the last of several: " and " and ", and " in English."""
    said = words(language)
    return said["two_people"].format(first="", second=""), said["last_of_many"].format(names="", last="")


def _formatting_style(language: str) -> type[PlainStyle]:
    said = words(language)
    two, last = _separators(language)
    visited_before, visited_after = said["visited"].split("{date}")

    class Style(PlainStyle):
        """pybtex's ``plain`` with its words in the language."""

        def format_names(self, role: str, as_sentence: bool = True) -> Any:
            formatted = names(role, sep=", ", sep2=two, last_sep=last)
            return sentence[formatted] if as_sentence else formatted

        def format_web_refs(self, e: Any) -> Any:
            visited = optional[" (", visited_before, bib_field("urldate"), visited_after, ")"]
            return sentence[optional[self.format_url(e), visited]]

    return Style


def _reference_style(language: str) -> type[AuthorYearReferenceStyle]:
    said = words(language)
    two, last = _separators(language)
    et_al = said["et_al"].format(first="")
    year = first_of[optional[bib_field("year")], said["no_date"]]

    class Parenthetical(BasicAuthorYearParentheticalReferenceStyle):
        def inner(self, role_name: str) -> Any:
            author = self.person.author_or_editor_or_title(full="s" in role_name)
            return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                pre_text, reference[join(sep=self.author_year_sep)[author, year]], post_text
            ]

    class Textual(BasicAuthorYearTextualReferenceStyle):
        def inner(self, role_name: str) -> Any:
            return join(sep=self.text_reference_sep)[
                self.person.author_or_editor_or_title(full="s" in role_name),
                join[
                    self.bracket.left,
                    join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, reference[year], post_text],
                    self.bracket.right,
                ],
            ]

    @dataclass
    class ReferenceStyle(AuthorYearReferenceStyle):
        """sphinxcontrib-bibtex's ``author_year`` with its words in the language."""

        person: PersonStyle = field(default_factory=lambda: PersonStyle(sep2=two, last_sep=last, other=Text(et_al)))

        def __post_init__(self) -> None:
            super().__post_init__()
            for i, style in enumerate(self.styles):
                kind = {
                    BasicAuthorYearParentheticalReferenceStyle: Parenthetical,
                    BasicAuthorYearTextualReferenceStyle: Textual,
                }.get(type(style))
                if kind is not None:
                    self.styles[i] = kind(**{k: getattr(style, k) for k in style.__dataclass_fields__})
            self.role_style.update((role_name, style) for style in self.styles for role_name in style.role_names())

    return ReferenceStyle


def register(language: str) -> None:
    """Register ``language``'s two styles under :func:`style_names`, for this process's builds."""
    chosen = style_names(language)
    pybtex.plugin.register_plugin(
        "pybtex.style.formatting", chosen["bibtex_default_style"], _formatting_style(language), force=True
    )
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing",
        chosen["bibtex_reference_style"],
        _reference_style(language),
        force=True,
    )
