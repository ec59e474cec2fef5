"""The Russian website, ``/ru/`` beside the English: its sources, its build and the links between the two.

The English is the one source (CONTRIBUTING.md, "Translations"). :func:`stage` writes the Russian
site's sources into a folder of their own (``_build/ru-site``), as tools/student_site.py does for
the student website: ``_config.yml`` with the Russian title, ``language: ru`` (Sphinx's and the
theme's own words in Russian, ``<html lang="ru">``) and the site's address plus ``ru/``,
and the branch its launch buttons open, the Russian student lessons' (:func:`student_branch`);
``_toc.yml`` with Russian captions; each book page translated paragraph by paragraph from its
catalog, citing the Russian originals of the sources the course has read in Russian
(:func:`.citations.in_edition`); ``book/references.bib`` written in Russian
(:func:`~csto_course.authoring.bibliography.sources_bibtex`), with the bibliography styles whose words
are Russian (:mod:`.bibstyles`); and the Russian lessons (``_build/ru/notebooks``, written from the
catalogs with their outputs). :func:`build` runs Jupyter Book 1's Sphinx build on them with the flags of ``make book``,
writing straight into ``_build/html/ru`` (the ``jupyter-book`` command would write under the
sources' own ``_build/html``, so it calls the same function, :func:`jupyter_book.sphinx.build_sphinx`,
with the output folder it is given). The same pages are then served at the same paths under
``/ru/``, which is what lets every page link to its counterpart (:func:`counterpart`), in the
header and in ``<link rel="alternate" hreflang>`` (:func:`alternate_links`).

The site's own words that no page holds (the title, the author line, the captions of the table of
contents) are messages of the package's catalog, ``locale/ru/LC_MESSAGES/src/csto_course.po``.

    python -m csto_course.website.russian_site stage OUT_DIR [--lessons DIR]
    python -m csto_course.website.russian_site build SOURCE_DIR HTML_DIR
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..authoring import translations
from ..authoring.bibliography import sources_bibtex
from ..authoring.lesson import lesson_paths
from ..data import load
from ..language import N_, translate
from .bibstyles import style_names
from .citations import in_edition

ROOT = Path(__file__).resolve().parents[3]
#: The Russian site's language, and the folder it is served from under the English site.
LANGUAGE = "ru"
FOLDER = "ru"
#: Where :func:`stage` writes the sources, where the Russian lessons are read from, where the site goes.
SITE = ROOT / "_build" / "ru-site"
LESSONS = ROOT / "_build" / "ru" / "notebooks"
HTML = ROOT / "_build" / "html" / FOLDER
#: Each language's name in itself, as the link to it reads.
ENDONYMS = {"en": "English", LANGUAGE: "Русский"}


class SiteError(Exception):
    """The Russian site cannot be staged as asked; the message says why in one sentence."""


def _english_words() -> tuple[str, ...]:
    """The site's words outside its pages, in English, marked for the package's catalog and translated
    at use (:func:`russian`)."""
    return (
        N_("A Fading Alliance? The CSTO in data"),
        N_("A Fading Alliance? course contributors"),
        N_("Start here"),
        N_("Lessons"),
        N_("After the lessons"),
        N_("Reference"),
        N_("Show code cell source"),
        N_("Hide code cell source"),
    )


def _theme_words() -> tuple[str, ...]:
    """The words the theme, MyST-NB and Jupyter Book write into every page, in English, that their
    own Russian catalogs lack (sphinx-book-theme 1.1 translates "Contents" but not "Color mode";
    MyST-NB and some of the theme's templates write their labels with no catalog at all). A folded
    cell's "Toggle hidden content" is not among them: ``book/_static/a11y.js`` finds it by that
    label and lets the cell's visible text name it instead (book/accessibility.md). Translated at
    use (:func:`in_site_language`)."""
    return (
        N_("Search this book..."),
        N_("Color mode"),
        N_("System Settings"),
        N_("Version warning"),
        N_("Main"),
        N_("Page"),
        N_("Toggle primary sidebar"),
        N_("Toggle secondary sidebar"),
        N_("Source repositories"),
        N_("Repository"),
        N_("Open issue"),
        N_("Back to top"),
        N_("Launch interactive content"),
        N_("Launch on Binder"),
        N_("Launch on Colab"),
        N_("Launch on JupyterHub"),
        N_("Binder logo"),
        N_("Colab logo"),
        N_("JupyterHub logo"),
    )


#: An attribute a reader hears or sees (a screen reader's label, a tooltip, a text alternative),
#: and a text between two tags, as the theme writes them.
_SPOKEN_ATTRIBUTE = re.compile(r'\b(aria-label|title|data-bs-title|alt|placeholder)="([^"<>]*)"')
_TAG_TEXT = re.compile(r">([ \t\n]*)([^<>]+?)([ \t\n]*)<")


def in_site_language(page: str, language: str) -> str:
    """A written page with the theme's own words (:func:`_theme_words`) in the site's ``language``:
    its labels, tooltips and the texts that are one of those words whole. Run on every page of the
    Russian site when its build finishes (:mod:`csto_course.website.sphinxext`); the English is left alone."""
    if language != LANGUAGE:
        return page
    words = {english: html.escape(translate(english, language)) for english in _theme_words()}
    page = _SPOKEN_ATTRIBUTE.sub(
        lambda m: f'{m[1]}="{words.get(html.unescape(m[2]), m[2])}"' if html.unescape(m[2]) in words else m[0], page
    )
    return _TAG_TEXT.sub(
        lambda m: f">{m[1]}{words[html.unescape(m[2])]}{m[3]}<" if html.unescape(m[2]) in words else m[0], page
    )


def russian(english: str) -> str:
    """The Russian of one of the site's own words (the title, the author line, a caption)."""
    if english not in _english_words():
        raise SiteError(
            f"{english!r} (from _config.yml or _toc.yml) has no Russian: add it to _english_words() in "
            "csto_course/website/russian_site.py and translate it in locale/ru/LC_MESSAGES/src/csto_course.po."
        )
    translated = translate(english, LANGUAGE)
    if translated == english:
        raise SiteError(f"{english!r} is not translated yet in locale/ru/LC_MESSAGES/src/csto_course.po.")
    return translated


def student_branch(english: str) -> str:
    """The branch of the Russian student lessons, named after the English student branch: ``student-ru``.

    tools/student_branch.py writes it (``--lang ru``) and the "Publish" workflow commits it: the
    Russian lessons at the English paths, with the same package and ``binder/``, and JupyterLab's
    interface in Russian. The Russian site's Binder, Colab and JupyterHub buttons open it.
    """
    return f"{english}-{LANGUAGE}"


def site_config(config: dict[str, Any]) -> dict[str, Any]:
    """The English ``_config.yml`` as the Russian site's: its title, author, language, address and
    the branch its launch buttons open (:func:`student_branch`)."""
    out = dict(config)
    out["title"] = russian(config["title"])
    out["author"] = russian(config["author"])
    repository = dict(config.get("repository") or {})
    if repository.get("branch"):
        repository["branch"] = student_branch(str(repository["branch"]))
        out["repository"] = repository
    html_options = dict(config.get("html") or {})
    html_options["baseurl"] = english_root(str(html_options.get("baseurl", "")), "en") + f"{FOLDER}/"
    out["html"] = html_options
    sphinx = dict(config.get("sphinx") or {})
    sphinx["config"] = {
        **(sphinx.get("config") or {}),
        "language": LANGUAGE,
        # MyST-NB's label on a folded code cell, which Sphinx's language does not reach
        "nb_code_prompt_show": russian("Show code cell source"),
        "nb_code_prompt_hide": russian("Hide code cell source"),
        # the citations' and the bibliography's words in Russian (registered by sphinxext)
        **style_names(LANGUAGE),
    }
    out["sphinx"] = sphinx
    return out


def russian_toc(toc: dict[str, Any]) -> dict[str, Any]:
    """``_toc.yml`` with each part's caption in Russian; the pages are the same."""
    return {**toc, "parts": [{**part, "caption": russian(part["caption"])} for part in toc.get("parts", [])]}


def translated_page(source: str, root: Path = ROOT) -> str:
    """A book page (``book/x.md``) in Russian, from its catalog; a page not published is refused."""
    if source not in translations.published(LANGUAGE, root):
        raise SiteError(f"{source} is not in locale/{LANGUAGE}/published.txt, so it may have gaps in Russian.")
    catalog = translations.usable_translations(translations.catalog_path(source, LANGUAGE, root))
    page = translations.translate_markdown((root / source).read_text(encoding="utf-8"), catalog)
    return in_edition(page, LANGUAGE, load("sources"))


def write_if_changed(path: Path, content: bytes, written: set[Path]) -> None:
    """Write only a changed file, so that Sphinx re-reads only the pages that changed (this site and
    the student website stage their sources this way); ``written`` collects every path kept."""
    written.add(path)
    if path.exists() and path.read_bytes() == content:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def remove_unwritten(out: Path, written: set[Path]) -> None:
    """Remove what an earlier staging left in ``out`` and this one did not write (a page since
    deleted), and the folders that leaves empty; Jupyter Book's own ``_build`` stays."""
    for stale in sorted(out.rglob("*"), reverse=True):
        if "_build" in stale.relative_to(out).parts:
            continue
        if stale.is_file() and stale not in written:
            stale.unlink()
        elif stale.is_dir() and not any(stale.iterdir()):
            stale.rmdir()


def russian_picture(path: Path) -> Path:
    """The picture the Russian site shows for ``path``: its Russian counterpart beside it where there
    is one (``projector-lesson1.ru.png`` for ``projector-lesson1.png``, a screenshot of the Russian
    page), else the same file. Pages name the English file, so no translation changes an address."""
    russian_copy = path.with_name(f"{path.stem}.{LANGUAGE}{path.suffix}")
    return russian_copy if russian_copy.is_file() else path


def is_russian_picture(path: Path) -> bool:
    """Whether ``path`` is a Russian counterpart (``name.ru.png``), staged under its English name."""
    stem = Path(path.stem)
    return stem.suffix == f".{LANGUAGE}" and (path.parent / f"{stem.stem}{path.suffix}").is_file()


def stage(root: Path = ROOT, out: Path = SITE, lessons: Path = LESSONS, log: Callable[[str], object] = print) -> None:
    """Write the Russian site's sources for the course at ``root`` into ``out`` (see the module's docstring)."""
    written: set[Path] = set()
    header = "# The Russian website's {}, written by csto_course.website.russian_site from the English.\n"
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    write_if_changed(out / "_config.yml", _yaml(header.format("settings"), site_config(config)), written)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    write_if_changed(out / "_toc.yml", _yaml(header.format("table of contents"), russian_toc(toc)), written)
    for source in sorted((root / "book").rglob("*")):
        rel = source.relative_to(root).as_posix()
        if source.is_file() and not is_russian_picture(source):
            page = source.suffix == ".md" and source.parent == root / "book"  # not a README under _static
            if page:
                text = translated_page(rel, root).encode("utf-8")
            elif rel == "book/references.bib":
                text = sources_bibtex(LANGUAGE).encode("utf-8")
            else:
                text = russian_picture(source).read_bytes()
            write_if_changed(out / rel, text, written)
    for path in lesson_paths(root):
        lesson = lessons / path.name
        if not lesson.exists():
            raise SiteError(f"{lesson} is missing: write the Russian lessons first (make ru-lessons).")
        write_if_changed(out / "notebooks" / path.name, lesson.read_bytes(), written)
    remove_unwritten(out, written)
    log(f"russian_site: {len(written)} source files in {out}")


def _yaml(header: str, data: dict[str, Any]) -> bytes:
    return (header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)).encode("utf-8")


def build(source: Path, outdir: Path, doctrees: Path | None = None) -> int:
    """Jupyter Book 1's build of ``source`` into ``outdir``, as ``jupyter-book build -W -n --keep-going``.

    Returns the build's exit status (0: no warning).
    """
    from jupyter_book.sphinx import build_sphinx

    result = build_sphinx(
        source,
        outdir,
        use_external_toc=True,
        noconfig=True,
        path_config=str(source / "_config.yml"),
        confoverrides={
            "external_toc_path": (source / "_toc.yml").as_posix(),
            "latex_individualpages": False,
            "nitpicky": True,
        },
        doctreedir=doctrees or source / "_build" / ".doctrees",
        builder="html",
        warningiserror=True,
        keep_going=True,
    )
    return result if isinstance(result, int) else 1


# --------------------------------------------------------------------------- the two languages


def english_root(baseurl: str, language: str) -> str:
    """The English site's address, from a site's ``html_baseurl`` in ``language``."""
    if language == LANGUAGE:
        return baseurl.removesuffix("/").removesuffix(FOLDER)
    return baseurl if baseurl.endswith("/") or not baseurl else baseurl + "/"


@dataclass(frozen=True)
class Counterpart:
    """The same page in the other language: its address relative to this page, its language, its link's text."""

    href: str
    language: str
    label: str


def counterpart(pagename: str, language: str) -> Counterpart:
    """The page ``pagename`` (``book/syllabus``) of the site in ``language``, in the other language."""
    up = "../" * pagename.count("/")
    if language == LANGUAGE:
        return Counterpart(f"../{up}{pagename}.html", "en", ENDONYMS["en"])
    return Counterpart(f"{up}{FOLDER}/{pagename}.html", LANGUAGE, ENDONYMS[LANGUAGE])


def alternate_links(pagename: str, baseurl: str, language: str) -> str:
    """``<link rel="alternate" hreflang>`` to the page in each language (itself included), by full address."""
    english = english_root(baseurl, language)
    if not english:
        return ""
    roots = {"en": english, LANGUAGE: f"{english}{FOLDER}/"}
    return "".join(
        f'\n<link rel="alternate" hreflang="{lang}" href="{html.escape(root)}{html.escape(pagename)}.html" />'
        for lang, root in roots.items()
    )


def main(argv: list[str]) -> int:
    """``stage OUT [--lessons DIR]`` or ``build SOURCE HTML``."""
    try:
        if argv[:1] == ["stage"] and len(argv) in (2, 4) and (len(argv) == 2 or argv[2] == "--lessons"):
            stage(ROOT, Path(argv[1]).resolve(), Path(argv[3]).resolve() if len(argv) == 4 else LESSONS)
            return 0
        if argv[:1] == ["build"] and len(argv) == 3:
            return build(Path(argv[1]).resolve(), Path(argv[2]).resolve())
    except SiteError as error:
        print(f"russian_site: {error}", file=sys.stderr)
        return 1
    print(__doc__.rsplit("\n\n", 1)[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
