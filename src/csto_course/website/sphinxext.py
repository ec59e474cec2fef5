"""A small Sphinx extension for the course website.

1. Keep Thebe's scripts off pages that do not use Thebe.

Jupyter Book always loads sphinx-thebe. Its page set-up script names Thebe's CDN address
and, when Sphinx reads the sources twice in one run, declares the same constant twice, which
the browser reports as an error. The course has no Thebe button (``launch_buttons.thebe`` is
false), so the scripts are dropped from every page.

2. Give bibliography entries the ARIA role their list needs. Docutils marks the list of
references ``role="list"`` but each entry ``role="doc-biblioentry"``, which ARIA 1.2 no
longer allows inside a list (axe-core: aria-required-children, critical).

3. Refresh the course's static files after every build. Sphinx 7.4 copies ``html_static_path``
in the builder's ``finish()`` step, which ``Builder.build`` skips when no page is out of date
("no targets are out of date."), so an edit to charts.js or a11y.js alone was never copied and
the old file was served. This is Sphinx issue #1810, "Files from _static are not copied
automatically" (https://github.com/sphinx-doc/sphinx/issues/1810), closed in January 2025 by
https://github.com/sphinx-doc/sphinx/pull/13236, which copies static files on every build; the
Sphinx that Jupyter Book 1 installs here (7.4) predates it. ``build-finished`` is emitted even
after that early return, so the copy is made there.

4. Write the parts of pages that come from the data (the codebook, the instructor guide's
answer key, the status page's figures) in this process, where a page asks for them with
``% csto:generate <name>`` (see :mod:`csto_course.website.bookpages`), and rebuild such a page whenever
the files its parts come from change: Sphinx otherwise re-reads only pages whose own source
changed, and would serve yesterday's row counts. No kernel is started for them.

5. Refuse a lesson whose saved outputs cannot be the current ones. The book shows the outputs
saved in each notebook and runs no kernel (``execute_notebooks: off`` in ``_config.yml``); the
tests re-run every lesson and compare (nbval). What the build itself checks is that each lesson
was run from top to bottom in one go (its code cells numbered 1, 2, 3, ...) and holds no error
output, so a half-run or failing lesson is never published.

6. Turn the lessons' portable citations, ``(<cite data-keys="id; id">Author, year</cite>)``, into MyST's
``{cite:p}`` role before MyST-NB parses a notebook, so the website shows author-year
citations linked to the bibliography (see ``citations``); and turn their links to the published
book's pages (by ``html.baseurl`` in ``_config.yml``, so they work in JupyterLab and the handout)
into links between this build's pages (:func:`book_links`).

7. Leave out of each written page what it does not use, and defer the scripts it keeps (see
:mod:`.lighterpages`): the theme's 1.5 MB ``fontawesome.js`` (``book/_static/icons.css`` draws
the icons as inline SVG), Sphinx's search index except on the search page, and the copy buttons'
and sphinx-design's files where nothing on the page uses them. On the Russian site, the theme's
own words its catalogs lack are put in Russian there too (:func:`.russian_site.in_site_language`).

8. Read every page again when the code that draws the lessons' outputs changes. Sphinx re-reads
only pages whose source changed, but a lesson's charts are drawn as SVG when its page is read
(render.py, staticcharts.py), so a change there would otherwise leave yesterday's drawings.

9. Draw each chart into SVG files (``_static/charts/<chart id>-<width>.svg``), which the page
shows as images, and write its spec to a file of its own (``<chart id>.json``), whose address
stays in the page: Vega needs it only when it takes a chart over (see render.write_charts).

10. Link each page to its counterpart in the other language (the English site at the root, the
Russian under ``ru/``, :mod:`.russian_site`): a link in the header (``language-switch.html`` in
``book/_templates``) and ``<link rel="alternate" hreflang>`` in the head. In the Russian build the
course's messages (``_()``, :mod:`csto_course.language`) are Russian, so the parts written from the
data (the tables of lessons, the status page) are too, and the tables of lessons are read from the
lessons of the build being made. The citations and the bibliography are written with styles whose
words are the site's language (:mod:`.bibstyles`, registered here for each of the course's languages
but English, chosen in the Russian site's ``_config.yml``).

11. Keep MyST-NB's copies of the notebooks (``jupyter_execute``) beside the build's doctrees:
MyST-NB puts them beside the HTML folder, which for the Russian site, built into ``ru/`` of the
English one, would publish the instructor's notebooks at the English site's root.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from .. import language as course_language
from . import bibstyles, bookpages, lighterpages, render, russian_site
from .citations import to_myst

logger = logging.getLogger(__name__)


def _is_thebe(script: Any) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in filename or "THEBE_JS_URL" in body


def _lighten_pages(app: Sphinx, exception: Exception | None) -> None:
    # See item 7 of the module docstring. The theme writes these tags from its own templates,
    # not all through Sphinx's script and stylesheet lists, so they are edited in the written pages.
    if exception is not None or app.builder is None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    language = _language(app)
    stylesheet = outdir / lighterpages.THEME_STYLESHEET
    if stylesheet.exists():
        css = stylesheet.read_text(encoding="utf-8")
        if lighterpages.without_glyph_rules(css) != css:
            stylesheet.write_text(lighterpages.without_glyph_rules(css), encoding="utf-8")
    for page in outdir.rglob("*.html"):
        if "_static" in page.parts or (language == "en" and page.relative_to(outdir).parts[0] == russian_site.FOLDER):
            continue  # the Russian site under the English one is its own build's to edit
        text = page.read_text(encoding="utf-8")
        if page == outdir / "index.html":
            title = str(app.config.html_title or app.config.project)
            lighter = lighterpages.full_redirect(text, title, language)
        else:
            lighter = lighterpages.lighten(text, search_page=page == outdir / "search.html")
            lighter = lighterpages.lazy_pictures(lighter, page.parent)
        lighter = russian_site.in_site_language(lighter, language)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")


def page_description(doctree: Any, limit: int = 160) -> str:
    """What a page is about, for search engines and link previews (``<meta name="description">``):
    its first paragraph, whole sentences up to ``limit`` characters where it is longer."""
    from docutils import nodes

    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if len(text) < 40:  # a label ("Learning objectives.") or a caption, not a summary
            continue
        if len(text) <= limit:
            return text
        sentences = re.findall(r"[^.!?]+[.!?]+(?:\s|$)", text)
        kept = ""
        for sentence in sentences:
            if len(kept) + len(sentence) > limit:
                break
            kept += sentence
        return kept.strip() or text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return ""


def _describe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    # Lighthouse's SEO audit (meta-description) and every link preview read this line.
    description = page_description(doctree) if doctree is not None else ""
    if not description:
        description = f"{app.config.html_title or app.config.project}: {context.get('title', pagename)}"
    context["metatags"] = (
        context.get("metatags", "") + f'\n<meta name="description" content="{html.escape(description)}" />'
    )


def _language(app: Sphinx) -> str:
    """The language of the site being built: ``en`` unless ``language`` says otherwise."""
    return str(app.config.language or "en")


def _counterpart(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    # Item 10: book/_templates/language-switch.html shows the link; the head lists both addresses.
    language = _language(app)
    context["csto_counterpart"] = russian_site.counterpart(pagename, language)
    alternates = russian_site.alternate_links(pagename, str(app.config.html_baseurl or ""), language)
    context["metatags"] = context.get("metatags", "") + alternates


def _executed_copies_beside_the_doctrees(app: Sphinx) -> None:
    # Item 11: MyST-NB sets its output folder to the one beside the HTML folder, which for the
    # Russian site (_build/html/ru) is the English site's folder, where it would be published.
    config = getattr(app.env, "mystnb_config", None)
    if config is not None:
        folder = Path(app.doctreedir).parent / "jupyter_execute"
        app.env.mystnb_config = config.copy(output_folder=str(folder.resolve()))  # type: ignore[attr-defined]


def _speak_the_site_language(app: Sphinx, config: Any) -> None:
    # Item 10: _() reads $CSTO_COURSE_LANGUAGE where no notebook is running, as in this process.
    if config.language in course_language.LANGUAGES:
        os.environ[course_language.ENVIRONMENT] = str(config.language)


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.config["html_theme_options"].get("launch_buttons", {}).get("thebe"):
        return
    context["script_files"] = [s for s in context.get("script_files", []) if not _is_thebe(s)]
    context["css_files"] = [c for c in context.get("css_files", []) if "thebe" not in str(getattr(c, "filename", c))]


def _chart_files(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    # Item 9: each chart drawn into SVG files, shown as images; its spec in a file of its own.
    body = context.get("body")
    if isinstance(body, str) and 'type="application/json"' in body:
        folder = Path(app.outdir) / render.CHARTS_FOLDER
        context["body"] = render.write_charts(body, folder, lambda path: context["pathto"](path, 1))


def _biblio_roles(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    body = context.get("body")
    if isinstance(body, str) and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _refresh_static(app: Sphinx, exception: Exception | None) -> None:
    # Work-around for https://github.com/sphinx-doc/sphinx/issues/1810 (see item 3 above).
    if exception is not None or app.builder is None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static"
    for folder in app.config.html_static_path:
        source = Path(app.confdir) / folder
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)


def _note_inputs(app: Sphinx, doctree: Any) -> None:
    env = app.env
    source = Path(env.doc2path(env.docname))
    if source.suffix != ".md":
        return
    names = bookpages.MARKER.findall(source.read_text(encoding="utf-8"))
    # The course's own files, and this build's lessons (the Russian site's are its own): of those
    # only the files there, since Sphinx reads a page again at every build if one it depends on is missing.
    here = (path for path in bookpages.inputs(names, Path(app.srcdir)) if path.exists())
    for path in {*bookpages.inputs(names), *here}:
        env.note_dependency(str(path))


def _generated_parts(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname.startswith("book/") and "% csto:generate" in source[0]:
        source[0], _ = bookpages.fill(source[0], Path(app.srcdir))


def lesson_problems(text: str) -> list[str]:
    """Why a saved lesson (its notebook JSON) cannot be published as it is; empty when it can."""
    cells = [
        c
        for c in json.loads(text).get("cells", [])
        if c.get("cell_type") == "code" and "".join(c.get("source", "")).strip()
    ]
    problems = []
    counts = [c.get("execution_count") for c in cells]
    if counts != list(range(1, len(cells) + 1)):
        problems.append("its code cells were not run from top to bottom in one go (run `make execute`)")
    for number, cell in enumerate(cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                name = output.get("ename", "an exception")
                problems.append(f"code cell {number} saved an error, {name} (fix it, then run `make execute`)")
    return problems


def _check_lesson(app: Sphinx, docname: str, source: list[str]) -> None:
    if not docname.startswith("notebooks/"):
        return
    for problem in lesson_problems(source[0]):
        logger.error("%s: %s", docname, problem, location=docname)


def book_links(text: str, baseurl: str) -> str:
    """Turn a lesson's links to the published book's pages (``<baseurl>book/glossary.html``) into
    links between the book's own sources (``../book/glossary.md``), which Sphinx checks and which
    lead to this build's pages, wherever it is served."""
    if not baseurl:
        return text
    site = re.escape(baseurl.rstrip("/") + "/")
    return re.sub(rf"\]\({site}book/([\w-]+)\.html(#[\w-]+)?\)", r"](../book/\1.md\2)", text)


def _portable_markup(app: Sphinx, docname: str, source: list[str]) -> None:
    # Sphinx emits source-read with the raw text of every document, notebooks included.
    if docname.startswith("notebooks/"):
        english = russian_site.english_root(str(app.config.html_baseurl or ""), _language(app))
        source[0] = book_links(to_myst(source[0]), english)


def _remember_pybtex_plugins() -> None:
    """pybtex looks a citation's style plugins up among every installed package's entry points,
    again for each citation (some 250 times a build, seconds on a slow machine); the installed
    entry points do not change during a build, so each lookup is made once. Plugins registered
    at run time are still looked up first, by pybtex itself.
    https://codeberg.org/pybtex/pybtex (pybtex/plugin/__init__.py: _load_entry_point)
    """
    from pybtex import plugin

    if getattr(plugin.entry_points, "csto_remembered", False):
        return
    lookup = plugin.entry_points

    @functools.cache
    def remembered(group: str, name: str | None) -> tuple[Any, ...]:
        return tuple(lookup(group=group) if name is None else lookup(group=group, name=name))

    def entry_points(*, group: str, name: str | None = None) -> tuple[Any, ...]:
        return remembered(group, name)

    entry_points.csto_remembered = True  # type: ignore[attr-defined]
    entry_points.cache_info = remembered.cache_info  # type: ignore[attr-defined]
    plugin.entry_points = entry_points


def renderer_digest() -> str:
    """A digest of the code that turns the lessons' outputs into HTML (render.py, staticcharts.py)
    and of the converter that draws the charts: a page's HTML is made when Sphinx reads its
    source, so when this changes every page must be read again (see item 8)."""
    from importlib.metadata import version

    from . import render, staticcharts

    digest = hashlib.sha1(version("vl-convert-python").encode())
    for module in (render, staticcharts):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:12]


def setup(app: Sphinx) -> dict[str, Any]:
    _remember_pybtex_plugins()
    for language in course_language.LANGUAGES[1:]:
        bibstyles.register(language)
    # Item 8: a config value Sphinx compares with the last build's; a change re-reads every page.
    app.add_config_value("csto_renderer_digest", renderer_digest(), "env")
    app.connect("config-inited", _speak_the_site_language)
    app.connect("builder-inited", _executed_copies_beside_the_doctrees, priority=600)
    app.connect("source-read", _check_lesson)
    app.connect("source-read", _portable_markup)
    app.connect("source-read", _generated_parts)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("html-page-context", _biblio_roles, priority=900)
    app.connect("html-page-context", _chart_files)
    app.connect("build-finished", _refresh_static)
    app.connect("build-finished", _lighten_pages)
    app.connect("html-page-context", _describe)
    app.connect("html-page-context", _counterpart)
    app.connect("doctree-read", _note_inputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
