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

4. Rebuild the pages written from the data (the codebook, the instructor guide's exercise
table) whenever the data, the lessons or the package change: Sphinx otherwise re-reads only
pages whose own source changed, and would serve yesterday's row counts.

5. Turn the lessons' portable citations, ``(<cite>id; id</cite>)``, into MyST's
``{cite:p}`` role before MyST-NB parses a notebook, so the website shows author-year
citations linked to the bibliography (see ``citations``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .citations import to_myst


def _is_thebe(script: Any) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in filename or "THEBE_JS_URL" in body


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.config["html_theme_options"].get("launch_buttons", {}).get("thebe"):
        return
    context["script_files"] = [s for s in context.get("script_files", []) if not _is_thebe(s)]
    context["css_files"] = [c for c in context.get("css_files", []) if "thebe" not in str(getattr(c, "filename", c))]


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


#: Pages generated from other files, and the files they are generated from.
GENERATED_PAGES = {
    "book/codebook": ["data/*.csv", "data/datapackage.json", "src/csto_course/data.py"],
    "book/instructors": ["notebooks/*.ipynb", "src/csto_course/checks.py", "src/csto_course/graders/*.py"],
}


def _note_inputs(app: Sphinx, doctree: Any) -> None:
    env = app.env
    patterns = GENERATED_PAGES.get(env.docname, [])
    for pattern in patterns:
        for path in sorted(Path(app.confdir).glob(pattern)):
            env.note_dependency(str(path))


def _portable_citations(app: Sphinx, docname: str, source: list[str]) -> None:
    # Sphinx emits source-read with the raw text of every document, notebooks included.
    if docname.startswith("notebooks/"):
        source[0] = to_myst(source[0])


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("source-read", _portable_citations)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("html-page-context", _biblio_roles, priority=900)
    app.connect("build-finished", _refresh_static)
    app.connect("doctree-read", _note_inputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
