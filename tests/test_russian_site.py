"""The Russian website's sources and its links to the English (csto_course.website.russian_site),
without a build: the built site is checked by tests/test_book.py and tests/browser/."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import polib
import pytest
import yaml

from csto_course.authoring import translations
from csto_course.authoring.lesson import lesson_paths, read_lessons
from csto_course.authoring.russian_edition import write_lessons
from csto_course.language import ENVIRONMENT
from csto_course.website import benchreport, bibstyles, bookpages, hubreport, russian_site
from csto_course.website.server import site_pages, toc_pages

from .conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Russian site's sources, staged from the real catalogs and Russian lessons written here."""
    base = tmp_path_factory.mktemp("ru")
    write_lessons(base / "lessons")
    russian_site.stage(ROOT, base / "site", base / "lessons" / "notebooks", log=lambda _: None)
    return base / "site"


@pytest.mark.parametrize("page", site_pages())
def test_each_page_links_to_its_counterpart_which_links_back(page: str) -> None:
    language = "ru" if page.startswith("ru/") else "en"
    there = russian_site.counterpart(page.removeprefix("ru/").removesuffix(".html"), language)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), there.href))
    assert target == (page.removeprefix("ru/") if language == "ru" else f"ru/{page}")
    assert there.language != language and there.label == russian_site.ENDONYMS[there.language]
    back = russian_site.counterpart(target.removeprefix("ru/").removesuffix(".html"), there.language)
    assert posixpath.normpath(posixpath.join(posixpath.dirname(target), back.href)) == page


def test_the_head_names_both_addresses_from_either_site() -> None:
    base = CONFIG["html"]["baseurl"]
    ru_base = russian_site.site_config(CONFIG)["html"]["baseurl"]
    assert ru_base == f"{base}ru/"
    expected = (
        f'\n<link rel="alternate" hreflang="en" href="{base}book/glossary.html" />'
        f'\n<link rel="alternate" hreflang="ru" href="{base}ru/book/glossary.html" />'
    )
    assert russian_site.alternate_links("book/glossary", base, "en") == expected
    assert russian_site.alternate_links("book/glossary", ru_base, "ru") == expected


def test_the_russian_settings_keep_the_english_and_change_title_language_and_address() -> None:
    ru = russian_site.site_config(CONFIG)
    assert ru["sphinx"]["config"]["language"] == "ru"
    assert ru["title"] == russian_site.russian(CONFIG["title"]) != CONFIG["title"]
    assert ru["launch_buttons"] == CONFIG["launch_buttons"]
    english_branch = CONFIG["repository"]["branch"]
    assert ru["repository"] == {**CONFIG["repository"], "branch": russian_site.student_branch(english_branch)}
    assert CONFIG["repository"]["branch"] == english_branch, "the English settings were changed in place"
    styles = bibstyles.style_names("ru")
    own = ("language", "nb_code_prompt_show", "nb_code_prompt_hide", *styles)
    sphinx = {k: v for k, v in ru["sphinx"]["config"].items() if k not in own}
    assert sphinx == {k: v for k, v in CONFIG["sphinx"]["config"].items() if k not in own}
    assert {k: ru["sphinx"]["config"][k] for k in styles} == styles  # the citations' words in Russian
    for key in own[1:3]:  # a folded code cell's label, in Russian
        assert re.search("[а-яё]", ru["sphinx"]["config"][key]), key
    assert "language" not in CONFIG["sphinx"]["config"], "the English settings were changed in place"


def test_the_russian_sites_launch_buttons_open_the_russian_student_branch(staged: Path) -> None:
    """Binder, Colab and the hub's nbgitpuller link are built from ``repository.branch``: on the Russian
    site it is ``student-ru``, never the English lessons' ``student`` nor the instructor's branch."""
    english = CONFIG["repository"]
    assert russian_site.student_branch(english["branch"]) == "student-ru"
    built_from = yaml.safe_load((staged / "_config.yml").read_text(encoding="utf-8"))["repository"]
    assert built_from["branch"] == "student-ru" != english["branch"]
    assert built_from["branch"] != english.get("instructor_branch", "main")
    assert {k: v for k, v in built_from.items() if k != "branch"} == {
        k: v for k, v in english.items() if k != "branch"
    }, "the Russian site's edit and source links go back to the same repository and instructor branch"


def test_the_table_of_contents_has_the_same_pages_under_russian_captions() -> None:
    ru = russian_site.russian_toc(TOC)
    assert [p["chapters"] for p in ru["parts"]] == [p["chapters"] for p in TOC["parts"]]
    for english, russian in zip(TOC["parts"], ru["parts"], strict=True):
        assert russian["caption"] == russian_site.russian(english["caption"]) != english["caption"]


def test_a_word_of_the_site_without_russian_is_refused_in_one_sentence() -> None:
    with pytest.raises(russian_site.SiteError, match="has no Russian: add it"):
        russian_site.russian_toc({"parts": [{"caption": "Appendices", "chapters": []}]})


def test_staging_without_the_russian_lessons_says_what_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = russian_site.main(["stage", str(tmp_path / "site"), "--lessons", str(tmp_path / "none")])
    err = capsys.readouterr().err
    assert status == 1 and err.startswith("russian_site: ") and "make ru-lessons" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_every_page_and_lesson_is_staged_in_russian(staged: Path) -> None:
    for page in toc_pages():
        source = page.removesuffix(".html") + (".ipynb" if page.startswith("notebooks/") else ".md")
        assert (staged / source).exists(), f"{source} was not staged"
    for path in sorted((ROOT / "book").glob("*.md")):
        rel = path.relative_to(ROOT).as_posix()
        text = (staged / rel).read_text(encoding="utf-8")
        catalog = polib.pofile(str(translations.catalog_path(rel)))
        left = [e.msgid for e in catalog if e.msgstr and not e.obsolete and e.msgid != e.msgstr and e.msgid in text]
        assert not left, f"{rel}: English paragraphs left in the Russian page: {left[:2]}"
    for lesson in read_lessons(staged):
        assert lesson.glance, f"{lesson.name}: the Russian lesson's 'At a glance' was not read"
    assert [p.name for p in lesson_paths(staged)] == [p.name for p in lesson_paths(ROOT)]


def test_a_picture_with_a_russian_counterpart_is_shown_as_it_on_the_russian_site(staged: Path) -> None:
    """The accessibility page's screenshot of lesson 1: the Russian site shows the Russian lesson's,
    under the English file's name, so the page's address needs no translation."""
    counterparts = sorted((ROOT / "book").rglob("*.ru.png"))
    assert counterparts, "the projector screenshot has its Russian counterpart"
    for russian_copy in counterparts:
        english = russian_copy.with_name(russian_copy.name.replace(".ru.png", ".png"))
        staged_as = staged / english.relative_to(ROOT)
        assert staged_as.read_bytes() == russian_copy.read_bytes() != english.read_bytes()
        assert not (staged / russian_copy.relative_to(ROOT)).exists()
        assert russian_site.is_russian_picture(russian_copy) and not russian_site.is_russian_picture(english)


def test_the_tables_of_lessons_are_written_from_the_russian_lessons(
    staged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENVIRONMENT, "ru")
    page, used = bookpages.fill("% csto:generate lessons\n\n% csto:generate lessons-plan\n", staged)
    assert used == ["lessons", "lessons-plan"]
    for lesson in read_lessons(staged):
        assert lesson.glance["Main question"] in page and lesson.glance["Time"] in page, lesson.name
    for english in ("Lesson", "Main question", "Time", "Datasets"):
        assert f" {english} |" not in page, f"the tables' heading {english!r} is in English"


def _messages_of(module: str) -> list[str]:
    """The package catalog's messages written in ``module`` (a file of csto_course/website)."""
    catalog = polib.pofile(str(translations.catalog_path(translations.PACKAGE)))
    return [e.msgid for e in catalog if any(f.endswith(f"website/{module}") for f, _ in e.occurrences)]


@pytest.mark.parametrize(
    ("module", "write"),
    [
        ("benchreport.py", lambda: benchreport.report_markdown(ROOT / "bench" / "results.json")),
        ("hubreport.py", lambda: hubreport.report_markdown(ROOT / "bench" / "hub-load.json")),
        ("bookpages.py", bookpages.codebook_markdown),
    ],
)
def test_the_pages_written_from_the_data_carry_no_english_sentence_on_the_russian_site(
    module: str, write: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = write()  # type: ignore[operator]
    monkeypatch.setenv(ENVIRONMENT, "ru")
    russian = write()  # type: ignore[operator]
    messages = _messages_of(module)
    assert messages, f"{module} has no message in the catalog"
    shown = [m for m in messages if "{" not in m and len(m) > 8 and m in english]
    assert shown, f"none of {module}'s messages appears in its English page"
    assert not [m for m in shown if m in russian], f"{module}: English left on the Russian page"
