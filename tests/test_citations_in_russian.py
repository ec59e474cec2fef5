"""The Russian edition cites a source's Russian original where the course has read one, and its
citations and bibliography are written with Russian words (csto_course.website.citations,
csto_course.website.bibstyles, csto_course.authoring.bibliography); the English edition is unchanged."""

from __future__ import annotations

import re

import pandas as pd
import pybtex.plugin
import pytest
from pybtex.database import parse_string

from csto_course import load
from csto_course.authoring import russian_edition
from csto_course.authoring.bibliography import sources_bibtex
from csto_course.authoring.lesson import lesson_paths
from csto_course.website import bibstyles
from csto_course.website.citations import (
    CITATION,
    cited_keys,
    edition_key,
    in_edition,
    labels,
    originals,
    to_myst,
    words,
)

from .conftest import ROOT

CYRILLIC = re.compile("[А-Яа-яЁё]")


def _with_an_original(sources: pd.DataFrame, english: str) -> tuple[pd.DataFrame, str]:
    """``sources`` plus a Russian row standing as ``english``'s original (the real table may name none yet)."""
    russian = "test-russian-original"
    row: dict[str, object] = dict.fromkeys(sources.columns)
    row.update(id=russian, title="Устав (русский текст)", publisher="Тестовая база", published="2002-10-07")
    out = pd.concat([sources, pd.DataFrame([row])], ignore_index=True)
    out["russian_original"] = out["russian_original"].astype(object)
    out.loc[out["id"] == english, "russian_original"] = russian
    return out, russian


def test_every_russian_original_is_a_row_whose_title_is_in_cyrillic() -> None:
    sources = load("sources").set_index("id")
    for english, russian in originals(load("sources"), "ru").items():
        assert russian in sources.index, f"{english}: its russian_original {russian!r} is not a row of sources.csv"
        assert CYRILLIC.search(str(sources.loc[russian, "title"])), f"{russian}: the title is not in Russian"
        assert russian != english and not originals(load("sources"), "ru").get(russian)


def test_a_citation_names_the_original_and_keeps_the_other_labels() -> None:
    sources, russian = _with_an_original(load("sources"), "csto-charter-en-2012")
    text = '(<cite data-keys="dkb-treaty-en-1992; csto-charter-en-2012">Перевод метки, 1992; ОДКБ, б. г.</cite>)'
    out = in_edition(text, "ru", sources)
    assert cited_keys(out) == ["dkb-treaty-en-1992", russian]
    assert out.endswith(f">Перевод метки, 1992; {labels(sources, 'ru')[russian]}</cite>)")
    assert labels(sources, "ru")[russian] == "Тестовая база, 2002"
    assert edition_key("csto-charter-en-2012", "ru", sources) == russian
    assert edition_key("csto-charter-en-2012", "en", sources) == "csto-charter-en-2012"
    assert in_edition(text, "en", sources) == text
    untouched = '(<cite data-keys="dkb-treaty-en-1992">Перевод метки, 1992</cite>)'
    assert in_edition(untouched, "ru", sources) == untouched


def test_a_russian_lesson_cites_the_original_and_its_page_links_to_it(monkeypatch: pytest.MonkeyPatch) -> None:
    sources, russian = _with_an_original(load("sources"), "csto-charter-en-2012")
    monkeypatch.setattr(russian_edition, "load", lambda name: sources)
    edition = {path.name: notebook for path, notebook in russian_edition.lessons("ru")}
    text = "\n".join(c.source for c in edition["01_origins.ipynb"].cells if c.cell_type == "markdown")
    assert russian in cited_keys(text) and "csto-charter-en-2012" not in cited_keys(text)
    assert f"{{cite:p}}`{russian}`" in to_myst(text)  # the website's citation, linked to its entry
    english = (ROOT / "notebooks" / "01_origins.ipynb").read_text(encoding="utf-8")
    assert "csto-charter-en-2012" in cited_keys(english)


def test_the_english_lessons_and_bibliography_are_unchanged() -> None:
    sources, _ = _with_an_original(load("sources"), "csto-charter-en-2012")
    for path in lesson_paths(ROOT):
        text = path.read_text(encoding="utf-8")
        assert in_edition(text, "en", sources) == text
    assert sources_bibtex("en") == (ROOT / "book" / "references.bib").read_text(encoding="utf-8")


def test_the_russian_labels_and_bibliography_use_russian_words() -> None:
    sources = load("sources")
    said = words("ru")
    ru, en = labels(sources, "ru"), labels(sources, "en")
    undated = sources.loc[sources["published"].isna(), "id"].iloc[0]
    assert en[undated].endswith(", n.d.") and ru[undated].endswith(", б. г.")
    two = sources.loc[sources["author"].fillna("").str.count(" and ") == 1, "id"].iloc[0]
    assert " and " in en[two] and " и " in ru[two] and " and " not in ru[two]
    bib = sources_bibtex("ru")
    assert "note = {Опубликовано " in bib and "note = {Без даты}" in bib
    assert "note = {Published" not in bib and "Undated" not in bib
    assert CITATION.pattern  # the same citations, only the words differ
    assert said["no_date"] == "б. г."


def test_the_russian_bibliography_style_writes_its_words_in_russian() -> None:
    bibstyles.register("ru")
    names = bibstyles.style_names("ru")
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", names["bibtex_default_style"])()
    bib = parse_string(
        "@misc{k, author = {Leeds, Brett and Long, Andrew}, title = {T}, year = {2000},"
        " url = {https://example.org}, urldate = {2026-11-27}}",
        "bibtex",
    )
    text = next(iter(style.format_entries(bib.entries.values()))).text.render_as("text")
    assert "Brett Leeds и Andrew Long" in text and "(дата обращения: 2026-11-27)" in text
    assert "visited" not in text and " and " not in text
    from sphinxcontrib.bibtex.plugin import find_plugin

    reference = find_plugin("sphinxcontrib.bibtex.style.referencing", names["bibtex_reference_style"])()
    assert reference.person.sep2 == " и " and str(reference.person.other).strip() == "и др."
    assert {type(s).__name__ for s in reference.styles} >= {"Parenthetical", "Textual"}
