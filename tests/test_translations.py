"""The Russian edition's catalogs: kept in step with the English, complete where published, on-glossary.

The machinery is tried on a small course in a temporary folder (a page and a lesson), so each
test can edit the English; the last tests hold the real catalogs to what is declared published.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import nbformat
import polib
import pytest

from csto_course.authoring import translations as tr
from csto_course.authoring.lesson import read_lesson, source_of

ROOT = Path(__file__).resolve().parents[1]

PAGE = """# The alliance

The CSTO grew out of a treaty signed in Tashkent in 1992.

```python
load("states")
```

Its Charter was signed in 2002; see `cite("membership")`.
"""

RUSSIAN = {
    "# The alliance": "# Альянс",
    "The CSTO grew out of a treaty signed in Tashkent in 1992.": "ОДКБ выросла из договора, подписанного в Ташкенте.",
    'Its Charter was signed in 2002; see `cite("membership")`.': 'Устав подписан в 2002-м; см. `cite("membership")`.',
}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course with one page, one lesson (a copy of Lesson 0), the real glossary, all translated."""
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "page.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "00_getting_started.ipynb", tmp_path / "notebooks")
    (tmp_path / "locale" / "ru").mkdir(parents=True)
    shutil.copy(ROOT / "locale" / "ru" / "glossary.csv", tmp_path / "locale" / "ru")
    (tmp_path / "locale" / "ru" / "published.txt").write_text("book/page.md\n", encoding="utf-8")
    catalog = tr.update(root=tmp_path, only=["book/page.md"])["book/page.md"]
    for entry in catalog:
        entry.msgstr = RUSSIAN[entry.msgid]
    catalog.save(str(tr.catalog_path("book/page.md", root=tmp_path)))
    return tmp_path


def _edit_page(course: Path, old: str, new: str) -> None:
    page = course / "book" / "page.md"
    page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_paragraphs_join_back_to_every_markdown_cell_and_page() -> None:
    for path in tr._sources(ROOT):
        if path.is_dir():  # the package: its messages are strings in code, not paragraphs
            continue
        if path.suffix == ".ipynb":
            texts = [source_of(c) for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]
        else:
            texts = [path.read_text(encoding="utf-8")]
        for text in texts:
            assert "".join(piece for piece, _ in tr.paragraphs(text)) == text, path


def test_code_blocks_are_not_messages(course: Path) -> None:
    msgids = [m.msgid for m in tr.extract(course / "book" / "page.md", course)]
    assert msgids == list(RUSSIAN)


def test_a_complete_translation_has_no_problems(course: Path) -> None:
    assert tr.problems("book/page.md", root=course) == []


def test_a_one_word_edit_marks_the_translation_out_of_date(course: Path) -> None:
    _edit_page(course, "signed in Tashkent", "signed at Tashkent")
    (problem,) = tr.problems("book/page.md", root=course)
    assert problem.kind.startswith("new English") and "signed at Tashkent" in problem.text
    catalog = tr.update(root=course, only=["book/page.md"])["book/page.md"]
    entry = catalog.find("The CSTO grew out of a treaty signed at Tashkent in 1992.")
    assert entry is not None and "fuzzy" in entry.flags
    assert entry.msgstr.startswith("ОДКБ выросла")  # the old Russian is kept for the translator
    assert entry.previous_msgid == "The CSTO grew out of a treaty signed in Tashkent in 1992."
    assert [str(p) for p in tr.problems("book/page.md", root=course)] == [
        "book/page.md: out of date (fuzzy): 'The CSTO grew out of a treaty signed at Tashkent in 1992.'"
    ]
    assert tr.coverage(catalog) == (2, 1, 3)


def test_a_rewritten_paragraph_gets_no_stale_translation(course: Path) -> None:
    _edit_page(course, "The CSTO grew out of a treaty signed in Tashkent in 1992.", "Six states met in May.")
    catalog = tr.update(root=course, only=["book/page.md"])["book/page.md"]
    entry = catalog.find("Six states met in May.")
    assert entry is not None and entry.msgstr == "" and "fuzzy" not in entry.flags
    assert [e.msgid for e in catalog if e.obsolete] == ["The CSTO grew out of a treaty signed in Tashkent in 1992."]
    assert [p.kind for p in tr.problems("book/page.md", root=course)] == ["untranslated"]


def test_an_untranslated_string_is_reported_with_file_and_string(course: Path) -> None:
    _edit_page(course, "# The alliance\n", "# The alliance\n\nA new paragraph on the Secretariat.\n")
    tr.update(root=course, only=["book/page.md"])
    assert [str(p) for p in tr.problems("book/page.md", root=course)] == [
        "book/page.md: untranslated: 'A new paragraph on the Secretariat.'"
    ]


def test_glossary_and_markup_are_enforced(course: Path) -> None:
    path = tr.catalog_path("book/page.md", root=course)
    catalog = polib.pofile(str(path))
    catalog.find("The CSTO grew out of a treaty signed in Tashkent in 1992.").msgstr = "ОКБ выросла из договора."
    catalog.find('Its Charter was signed in 2002; see `cite("membership")`.').msgstr = "Хартия подписана в 2002 г."
    catalog.save(str(path))
    kinds = sorted(p.kind for p in tr.problems("book/page.md", root=course))
    assert kinds == [
        "glossary: 'CSTO' should be 'ОДКБ' in the translation of",
        "glossary: 'Charter' should be 'Устав*' in the translation of",
        "markup '`cite(\"membership\")`' missing from the translation of",
    ]


def test_glossary_terms_accept_russian_endings() -> None:
    term = tr.Term("Collective Security Treaty", "Договор* о коллективной безопасности")
    assert term.russian_in("статья 4 Договора о коллективной безопасности")
    assert not term.russian_in("Договор о коллективной обороне")
    assert term.english_in("the 1992 Collective Security Treaty became") and not term.english_in("a treaty")


def test_a_russian_notebook_keeps_code_and_replaces_paragraphs(course: Path) -> None:
    source = "notebooks/00_getting_started.ipynb"
    catalog = tr.update(root=course, only=[source])[source]
    title = catalog.find("# Lesson 0: Getting started")
    assert title is not None
    title.msgstr = "# Урок 0. Начало работы"
    english = nbformat.read(course / source, as_version=4)
    russian = tr.translate_notebook(english, catalog)
    assert [c.cell_type for c in russian.cells] == [c.cell_type for c in english.cells]
    for ru, en in zip(russian.cells, english.cells, strict=True):
        if en.cell_type == "code":
            assert (ru.source, ru.outputs) == (en.source, en.outputs)
    assert russian.cells[0].source.startswith("# Урок 0. Начало работы\n\n*By the end")  # untranslated stays English
    assert russian.metadata["csto_course"]["language"] == "ru"
    title.flags.append("fuzzy")
    assert tr.translate_notebook(english, catalog).cells[0].source == english.cells[0].source


def test_what_is_published_in_russian_is_complete() -> None:
    """The real catalogs: every paragraph of each published file translated, current and on-glossary."""
    assert tr.published(), "locale/ru/published.txt lists no file"
    gaps = [str(p) for source in tr.published() for p in tr.problems(source)]
    assert gaps == [], "run `make translations`, then translate:\n" + "\n".join(gaps)


def test_the_published_russian_lessons_keep_every_code_cell() -> None:
    for source in tr.published():
        if source.endswith(".ipynb"):
            english = nbformat.read(ROOT / source, as_version=4)
            russian = tr.translate_notebook(english, polib.pofile(str(tr.catalog_path(source))))
            table = tr.usable_translations(tr.catalog_path(source))
            for r, e in zip(russian.cells, english.cells, strict=True):
                if e.cell_type == "code":  # the same code; only the words it prints are in Russian
                    assert r.source == tr.translate_printed_words(e.source, table), source
                    assert all(w in table for w in tr.printed_words(e.source)), source
            changed = sum(r.source != e.source for r, e in zip(russian.cells, english.cells, strict=True))
            printing = sum(bool(tr.printed_words(c.source)) for c in english.cells if c.cell_type == "code")
            assert changed == sum(c.cell_type == "markdown" for c in english.cells) + printing, source


def _shape(lesson: Any) -> tuple[Any, ...]:
    """What the tools read from a lesson, language aside: exercises, their plans, objectives, fields."""
    exercises = [(e.id, e.label, e.objectives, e.minutes, e.optional, e.points) for e in lesson.exercises]
    return (lesson.number, exercises, len(lesson.objectives), sorted(lesson.glance), lesson.problems)


def test_the_published_russian_lessons_read_as_their_english_sources() -> None:
    """The Russian lessons' labels (Упражнение 0.1, Цель 2 · около 5 минут, Коротко об уроке) are the
    lesson format's, so the student edition, nbgrader and the answer key find every exercise."""
    for source in tr.published():
        if source.endswith(".ipynb"):
            english = nbformat.read(ROOT / source, as_version=4)
            russian = tr.translate_notebook(english, polib.pofile(str(tr.catalog_path(source))))
            name = Path(source).name
            assert _shape(read_lesson(russian, name)) == _shape(read_lesson(english, name)), source


def test_the_answer_keys_words_reach_the_graders_catalog_not_the_students() -> None:
    """The reading key's verdicts and explanations, English or Russian, are not in the catalog the
    student package carries: the package leaves the key out, and its catalog must not bring it back."""
    data = polib.pofile(str(tr.catalog_path(tr.DATA, "ru")))
    key = {e.msgid: e.msgstr for e in data if tr.answer_key_words(e)}
    assert len(key) >= 100, "the key's explanations and counter-readings are in the data's catalog"
    student = polib.mofile(str(tr.compiled_path("ru")))
    graders = polib.mofile(str(tr.compiled_graders_path("ru")))
    shipped = {e.msgid for e in student} | {e.msgstr for e in student}
    assert not [m for m in key if m in shipped] and not [s for s in key.values() if s in shipped]
    assert {e.msgid for e in graders if e.msgctxt == "data"} >= set(key)
