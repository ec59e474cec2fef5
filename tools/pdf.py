"""Print the built book to PDF (run: make pdf, after make book).

Writes three files into _build/pdf/:

- ``a-fading-alliance.pdf``, the book as it is on the website (_build/html, `make book`):
  solutions and model answers folded away (only a one-line note shows where each one is), check
  feedback shown;
- ``a-fading-alliance-student.pdf``, printed from the student website
  (_build/student-site/_build/html, `make student-book`): each solution is the stub the student
  notebooks have, each model answer "Write your answer here", and the outputs that would give an
  answer away (a check's "Correct." and why, "compare your answer" outputs) are left out, as are
  the instructor guide and the "For instructors" section of "How to use this course" (see
  tools/student_site.py and ``csto_course.authoring.release.website_notebook``). The lessons'
  demonstrations of a wrong answer and its hint stay;
- ``a-fading-alliance-student-ru.pdf``, the same from the Russian student website
  (_build/student-site/_build/html/ru, `make student-book`), its title page and contents in
  Russian too (csto_course.website.printed).

Each page of the site's _toc.yml is opened, in order, in the Chromium the browser tests use
(Debian's, never a downloaded one), from a server on 127.0.0.1, and printed with its charts as
drawn when the book was built (SVG, csto_course.website.staticcharts; Vega is not loaded) and
the book's print stylesheet (book/_static/print.css). pypdf then puts a title page and a table
of contents in front, joins the pages, numbers them through, adds a bookmark for every page
(under its _toc.yml part) and section, turns links between pages of the book into links inside
the PDF, and sets the title and author.

    python tools/pdf.py [--html _build/html] [--student-html _build/student-site/_build/html]
                        [--out _build/pdf] [--edition all|book|student|student-ru]

Each page of the student edition is checked before it is printed: if it still shows a solution
marker, "Model answer" or a check's verdict ("origins-1: Correct."), the script stops with an
error. tests/browser/test_pdf.py checks the text of the finished PDF.
"""

from __future__ import annotations

import argparse
import datetime
import html
import io
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import yaml
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, Fit, FloatObject, NameObject, NullObject

# The local server and Chromium's flags, shared with the browser tests and the benchmarks.
from csto_course.authoring.lesson import LABELS
from csto_course.language import translate
from csto_course.website import printed as words
from csto_course.website.layout import LOAD_DRAWINGS
from csto_course.website.russian_site import FOLDER as RUSSIAN
from csto_course.website.russian_site import SITE as RUSSIAN_SITE
from csto_course.website.server import CHROMIUM_ARGS, ROOT, WAIT_FOR_CHARTS, chromium_path, serve

HTML = ROOT / "_build" / "html"
#: The student website, built by `make student-book` (tools/student_site.py) from its own sources.
STUDENT_HTML = ROOT / "_build" / "student-site" / "_build" / "html"
#: The Russian student website's sources (the Makefile's STUDENT_RU_SITE); the site is STUDENT_HTML/ru.
STUDENT_RU_SITE = ROOT / "_build" / "student-ru-site"
OUT = ROOT / "_build" / "pdf"
BOOK_NAME = "a-fading-alliance.pdf"
STUDENT_NAME = "a-fading-alliance-student.pdf"
STUDENT_RU_NAME = "a-fading-alliance-student-ru.pdf"
EDITIONS = ("book", "student", "student-ru")
#: Each edition's file, and whether it is a student's (no solutions).
FILES = {"book": BOOK_NAME, "student": STUDENT_NAME, "student-ru": STUDENT_RU_NAME}

#: Milliseconds a page may take to load and draw its charts.
CHART_TIMEOUT_MS = 20_000


@dataclass
class Page:
    """One page of _toc.yml."""

    path: str  # relative to the site root, e.g. "notebooks/01_origins.html"
    part: str | None  # the _toc.yml caption it sits under (None for the root page)
    title: str = ""


@dataclass
class Printed:
    """One page of the book printed to PDF for one edition."""

    page: Page
    pdf: bytes
    count: int
    headings: list[dict[str, Any]] = field(default_factory=list)


# --- Reading the book's configuration ------------------------------------------------------


def read_config(html_dir: Path = HTML) -> dict[str, Any]:
    """The settings a built site was made with (the Russian site's: its title in Russian)."""
    return yaml.safe_load((_sources(html_dir) / "_config.yml").read_text(encoding="utf-8"))


def language_of(config: dict[str, Any]) -> str:
    """A site's language, as its settings give it to Sphinx (English unless they say otherwise)."""
    return str(((config.get("sphinx") or {}).get("config") or {}).get("language") or "en")


def _sources(html_dir: Path) -> Path:
    """The folder a built site was made from (its _config.yml and _toc.yml): ``<sources>/_build/html``,
    or, for a Russian site (``…/html/ru``), the Russian sources staged for it."""
    if html_dir.name == RUSSIAN:
        return STUDENT_RU_SITE if html_dir.parent == STUDENT_HTML else RUSSIAN_SITE
    sources = html_dir.parent.parent
    return sources if (sources / "_toc.yml").exists() else ROOT


def read_toc(html_dir: Path) -> list[Page]:
    """The pages of the site's _toc.yml in reading order, each with its part and its title."""
    config = read_config(html_dir)
    config_title = config["title"]
    with words.speaking(language_of(config)):
        introduction = words.front_words(student=False)["introduction"]
    toc = yaml.safe_load((_sources(html_dir) / "_toc.yml").read_text(encoding="utf-8"))
    entries: list[tuple[str, str | None]] = [(toc["root"], None)]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            entries.append((chapter["file"], part.get("caption")))
    pages = []
    for name, part in entries:
        page = Page(path=f"{name}.html", part=part)
        built = html_dir / page.path
        if not built.exists():
            command = "make student-book" if STUDENT_HTML in (html_dir, html_dir.parent) else "make book"
            raise SystemExit(f"{built} is missing: run `{command}` first.")
        found = re.search(r"<title>(.*?)</title>", built.read_text(encoding="utf-8"), re.S)
        page.title = html.unescape(found.group(1)).split(" \u2014 ")[0].strip() if found else name
        if page.title == config_title:  # the home page is titled as the book is
            page.title = introduction
        pages.append(page)
    return pages


def link_targets(html_dir: Path, pages: list[Page]) -> dict[str, set[str]]:
    """For each page, the ids that links on any page of the book point at (citations, sections)."""
    paths = {p.path for p in pages}
    targets: dict[str, set[str]] = {p.path: set() for p in pages}
    for page in pages:
        text = (html_dir / page.path).read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]*)"', text):
            url = urlparse(urljoin("http://book/" + page.path, html.unescape(href)))
            target = url.path.lstrip("/")
            if url.netloc == "book" and target in paths and url.fragment:
                targets[target].add(url.fragment)
    return targets


# --- Scripts run in each page before it is printed -----------------------------------------

#: Make the page ready for paper (both editions): charts checked, folded solutions labelled,
#: links that print their own address marked, and an anchor for every link target so that
#: Chromium writes a named destination for it (it writes them only for ids a link points at).
PREPARE = """([targets, stylesheet]) => {
  const failed = document.querySelectorAll('figure.csto-chart-failed').length;
  if (!Array.from(document.styleSheets).some(s => (s.href || '').includes('print.css'))) {
    const style = document.createElement('style');
    style.textContent = stylesheet;
    document.head.appendChild(style);
  }
  for (const details of document.querySelectorAll('details')) details.open = false;
  for (const cell of document.querySelectorAll('div.cell')) {
    const summary = cell.querySelector('details.hide.above-input > summary');
    const pre = cell.querySelector('.cell_input pre');
    if (summary && pre && pre.textContent.includes('BEGIN SOLUTION')) {
      summary.dataset.printNote = '(Solution folded; see it on the website or in the instructor notebook.)';
    }
  }
  const plain = s => s.replace(/^https?:\\/\\//, '').replace(/^mailto:/, '').replace(/\\/$/, '');
  for (const a of document.querySelectorAll('a[href^="http"], a[href^="mailto:"]')) {
    if (plain(a.textContent.trim()) === plain(a.getAttribute('href'))) a.classList.add('csto-url-is-text');
  }
  // A table's long names_like_this may wrap after an underscore, so wide tables fit the page.
  for (const cell of document.querySelectorAll('article th, article td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) if (walker.currentNode.data.includes('_')) texts.push(walker.currentNode);
    for (const text of texts) {
      const parts = text.data.split('_');
      const pieces = parts.flatMap((part, i) => i < parts.length - 1
        ? [document.createTextNode(part + '_'), document.createElement('wbr')] : [document.createTextNode(part)]);
      text.replaceWith(...pieces);
    }
  }
  const box = document.createElement('div');
  box.id = 'csto-print-anchors';
  box.setAttribute('aria-hidden', 'true');
  const sectionIds = Array.from(document.querySelectorAll('article section[id]')).map(s => s.id);
  for (const id of new Set([...targets, ...sectionIds])) {
    if (!document.getElementById(id)) continue;
    const a = document.createElement('a');
    a.href = '#' + id;
    a.style.cssText = 'position:absolute;top:0;left:0;width:1px;height:1px;display:block';
    box.appendChild(a);
  }
  document.body.prepend(box);
  return failed;
}"""

#: The sections a bookmark is made for, after the page is ready.
HEADINGS = """() => Array.from(document.querySelectorAll('article section[id] > h2, article section[id] > h3'))
  .filter(h => h.getClientRects().length > 0)
  .map(h => {
    const copy = h.cloneNode(true);
    copy.querySelectorAll('.headerlink').forEach(e => e.remove());
    return {id: h.parentElement.id, level: Number(h.tagName[1]), text: copy.textContent.replace(/\\s+/g, ' ').trim()};
  })"""

#: Numbering and the running title, set for each page just before it is printed.
FOOTER = """([start, title]) => {
  let style = document.getElementById('csto-print-footer');
  if (!style) {
    style = document.createElement('style');
    style.id = 'csto-print-footer';
    document.head.appendChild(style);
  }
  style.textContent = `@media print {
    html { counter-reset: page ${start - 1}; }
    @page { @bottom-left { content: ${title}; font: 9pt system-ui, sans-serif; color: #555555; } }
  }`;
}"""

#: What a page of the student edition must not show, in either language: a solution marker, a
#: model answer, a check's verdict ("origins-1: Correct").
_MODEL = "|".join(labels["model answer"] for labels in LABELS.values())
_CORRECT = "|".join({translate("Correct", language) for language in LABELS})
LEAK = f"""() => {{
  const left = document.body.innerText.match(/BEGIN SOLUTION|END SOLUTION|{_MODEL}|[a-z]+-\\d+: (?:{_CORRECT})/i);
  return left ? left[0] : null;
}}"""


# --- Printing --------------------------------------------------------------------------------


def _count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


#: Set before a page's scripts run: charts.js then leaves every chart as drawn when the book was
#: built, so the PDF prints the same SVG drawings a reader sees first, and waits for no Vega.
STATIC_CHARTS = "window.cstoStaticCharts = true;"


def _open(browser: Any) -> Any:
    """A page at a laptop's width; a browser launched with ``CHROMIUM_ARGS`` reaches only our server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(STATIC_CHARTS)
    return context.new_page()


def _print(page: Any) -> bytes:
    return page.pdf(prefer_css_page_size=True, print_background=True)


def print_pages(
    browser: Any,
    base: str,
    pages: list[Page],
    edition: str,
    front_pages: int,
    targets: dict[str, set[str]],
    log: Any = print,
) -> list[Printed]:
    """Print every page of one edition's site, numbered on from its front matter."""
    stylesheet = (ROOT / "book" / "_static" / "print.css").read_text(encoding="utf-8")
    printed: list[Printed] = []
    next_page = front_pages + 1
    tab = _open(browser)  # one tab for every page, so that the shared scripts are cached
    for entry in pages:
        started = time.monotonic()
        tab.emulate_media(media="screen")
        tab.goto(base + entry.path, wait_until="domcontentloaded")
        tab.wait_for_function(WAIT_FOR_CHARTS, timeout=CHART_TIMEOUT_MS)
        tab.evaluate(LOAD_DRAWINGS)  # each drawing loads as it nears the screen; on paper, all at once
        tab.evaluate("document.fonts.ready.then(() => true)")
        tab.emulate_media(media="print")
        failed = tab.evaluate(PREPARE, [sorted(targets.get(entry.path, ())), stylesheet])
        if failed:
            raise SystemExit(f"{entry.path}: {failed} chart(s) could not be drawn; open the page in a browser.")
        if edition != "book":
            left = tab.evaluate(LEAK)
            if left:
                raise SystemExit(
                    f"{entry.path}: the student website still shows {left!r}; rebuild it (make student-book)"
                )
        tab.evaluate(FOOTER, [next_page, json.dumps(entry.title, ensure_ascii=False)])
        pdf = _print(tab)
        done = Printed(entry, pdf, _count(pdf), tab.evaluate(HEADINGS))
        printed.append(done)
        next_page += done.count
        log(f"  printed {entry.path}, {edition} edition ({time.monotonic() - started:.1f} s)")
    tab.context.close()
    return printed


# --- Title page and table of contents ------------------------------------------------------

FRONT_CSS = """
@page { size: A4; margin: 25mm 22mm 22mm 22mm; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
       color: #1a1a1a; margin: 0; line-height: 1.45; }
.title-page { height: 245mm; display: flex; flex-direction: column; justify-content: space-between;
              break-after: page; }
.kicker { text-transform: uppercase; letter-spacing: 0.12em; color: #0072B2; font-size: 10pt; margin: 30mm 0 4mm; }
h1 { font-size: 30pt; line-height: 1.15; margin: 0 0 8mm; font-weight: 650; }
.edition { font-size: 13pt; border-left: 4px solid #0072B2; padding-left: 0.6em; max-width: 130mm; }
.meta p { margin: 0.3em 0; font-size: 10.5pt; }
.meta a { color: #0b4f8a; }
.toc h2 { font-size: 20pt; margin: 0 0 6mm; font-weight: 600; }
.toc ol { list-style: none; margin: 0; padding: 0; }
.toc .part { margin: 5mm 0 1mm; font-weight: 650; font-size: 11pt; color: #0072B2; break-after: avoid; }
.toc li.page a { display: flex; align-items: baseline; color: inherit; text-decoration: none;
                 padding: 1.2mm 0; font-size: 11.5pt; }
.toc li.page .dots { flex: 1; border-bottom: 1px dotted #8a8a8a; margin: 0 2mm; }
.toc li.page .number { font-variant-numeric: tabular-nums; min-width: 8mm; text-align: right; }
.toc .note { margin-top: 8mm; font-size: 9.5pt; color: #444444; }
"""


def front_matter(
    config: dict[str, Any], pages: list[Page], numbers: dict[str, int] | None, base: str, edition: str
) -> str:
    """The title page and the table of contents, as HTML (page numbers '00' until they are known),
    in the site's language (csto_course.website.printed)."""
    esc = html.escape
    language = language_of(config)
    with words.speaking(language):
        text = words.front_words(student=edition != "book")
        printed_on = words.printed_on(datetime.date.today().isoformat())
    url = config.get("repository", {}).get("url", "")
    rows: list[str] = []
    part = None
    for page in pages:
        if page.part != part and page.part:
            rows.append(f'<li class="part">{esc(page.part)}</li>')
        part = page.part
        number = str(numbers[page.path]) if numbers else "00"
        rows.append(
            f'<li class="page"><a href="{esc(base + page.path)}"><span class="name">{esc(page.title)}</span>'
            f'<span class="dots"></span><span class="number">{number}</span></a></li>'
        )
    return f"""<!doctype html><html lang="{esc(language)}"><head><meta charset="utf-8">
<title>{esc(config["title"])}</title><style>{FRONT_CSS}</style></head><body>
<section class="title-page">
  <div>
    <p class="kicker">{esc(text["kicker"])}</p>
    <h1>{esc(config["title"])}</h1>
    <p class="edition">{esc(text["edition"])}</p>
  </div>
  <div class="meta">
    <p>{esc(config.get("author", ""))}</p>
    <p>{esc(printed_on)}</p>
    <p>{esc(text["licence"])}</p>
    <p>{esc(text["source"])} <a href="{esc(url)}">{esc(url)}</a></p>
  </div>
</section>
<section class="toc">
  <h2>{esc(text["contents"])}</h2>
  <ol>{"".join(rows)}</ol>
  <p class="note">{esc(text["note"])}</p>
</section>
</body></html>"""


def print_front(browser: Any, html_text: str) -> bytes:
    tab = browser.new_page()
    tab.route("**/*", lambda r: r.abort())  # the front matter loads nothing
    tab.set_content(html_text, wait_until="load")
    pdf = tab.pdf(prefer_css_page_size=True, print_background=True)
    tab.close()
    return pdf


# --- Joining the pages -----------------------------------------------------------------------


def _dest_name(value: Any) -> str | None:
    if isinstance(value, str):  # NameObject and TextStringObject are both str
        return value[1:] if value.startswith("/") else value
    return None


def merge(front: bytes, printed: list[Printed], base: str, metadata: dict[str, str]) -> PdfWriter:
    """The front matter and the pages as one PDF with bookmarks and links inside the book."""
    writer = PdfWriter()
    owner: list[str | None] = []  # the page of the book each PDF page was printed from
    for sheet in PdfReader(io.BytesIO(front)).pages:
        writer.add_page(sheet)
        owner.append(None)
    front_count = len(writer.pages)
    starts: dict[str, int] = {}
    dests: dict[str, dict[str, tuple[int, float | None]]] = {}
    for item in printed:
        reader = PdfReader(io.BytesIO(item.pdf))
        offset = len(writer.pages)
        starts[item.page.path] = offset
        named: dict[str, tuple[int, float | None]] = {}
        for name, dest in reader.named_destinations.items():
            number = reader.get_destination_page_number(dest)
            if number >= 0:
                named[_dest_name(name) or ""] = (offset + number, dest.top)
        dests[item.page.path] = named
        for sheet in reader.pages:
            writer.add_page(sheet)
            owner.append(item.page.path)

    def explicit(target: tuple[int, float | None]) -> ArrayObject:
        number, top = target
        ref = writer.pages[number].indirect_reference
        if top is None:
            return ArrayObject([ref, NameObject("/Fit")])
        return ArrayObject([ref, NameObject("/XYZ"), NullObject(), FloatObject(top), NullObject()])

    for number, sheet in enumerate(writer.pages):
        if "/Annots" not in sheet:
            continue
        here = owner[number]
        kept = ArrayObject()
        for ref in sheet["/Annots"]:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                kept.append(ref)
                continue
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            if abs(x1 - x0) < 2 and abs(y1 - y0) < 2:
                continue  # an anchor PREPARE added so that Chromium would name a destination
            target: tuple[int, float | None] | None = None
            action = annot["/A"].get_object() if "/A" in annot else None
            if "/Dest" in annot or (action is not None and action.get("/S") == "/GoTo"):
                name = _dest_name(annot["/Dest"] if "/Dest" in annot else action["/D"])  # type: ignore[index]
                target = dests.get(here or "", {}).get(name or "")
            elif action is not None and action.get("/S") == "/URI" and str(action["/URI"]).startswith(base):
                url = urlparse(str(action["/URI"]))
                path = url.path.lstrip("/")
                if path not in starts:
                    continue  # a page of the site that is not in the book (search, index): no link
                target = dests[path].get(url.fragment) if url.fragment else None
                target = target or (starts[path], None)
            else:
                kept.append(ref)  # a link to the web stays as it is
                continue
            if target is None:
                continue
            annot.pop(NameObject("/A"), None)
            annot[NameObject("/Dest")] = explicit(target)
            kept.append(ref)
        sheet[NameObject("/Annots")] = kept

    writer.add_outline_item(title="Title page", page_number=0)
    writer.add_outline_item(title="Contents", page_number=min(1, front_count - 1))
    parts: dict[str, Any] = {}
    for item in printed:
        path = item.page.path
        parent = None
        if item.page.part:
            if item.page.part not in parts:
                parts[item.page.part] = writer.add_outline_item(
                    title=item.page.part, page_number=starts[path], is_open=True
                )
            parent = parts[item.page.part]
        top = writer.add_outline_item(title=item.page.title, page_number=starts[path], parent=parent, is_open=False)
        section = None
        for heading in item.headings:
            found = dests[path].get(heading["id"])
            if not found:
                continue
            fit = Fit.xyz(top=found[1]) if found[1] is not None else Fit.fit()
            under = top if heading["level"] == 2 or section is None else section
            added = writer.add_outline_item(
                title=heading["text"], page_number=found[0], parent=under, fit=fit, is_open=False
            )
            if heading["level"] == 2:
                section = added
    writer.add_metadata(metadata)
    writer.page_mode = "/UseOutlines"
    return writer


# --- The whole book --------------------------------------------------------------------------


def build(
    html_dir: Path = HTML,
    out_dir: Path = OUT,
    editions: tuple[str, ...] = EDITIONS,
    log: Any = print,
    browser: Any = None,
    student_html: Path = STUDENT_HTML,
) -> dict[str, Path]:
    """Print the book in ``html_dir`` and the student website in ``student_html`` to PDFs in
    ``out_dir``; returns {edition: path}.

    ``browser`` is a running Playwright Chromium to print with (the tests pass theirs: Playwright's
    synchronous API cannot be started twice in one thread); without it Debian's is launched.
    """
    sites = {"book": html_dir, "student": student_html, "student-ru": student_html / RUSSIAN}
    chosen = {e: sites[e] for e in EDITIONS if e in editions}
    if browser is not None:
        return _build(browser, chosen, out_dir, log)
    from playwright.sync_api import sync_playwright

    chromium = chromium_path()
    if chromium is None:
        raise SystemExit("Chromium is not installed (sudo apt-get install chromium); the PDF is printed with it.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        try:
            return _build(launched, chosen, out_dir, log)
        finally:
            launched.close()


def _build(browser: Any, sites: dict[str, Path], out_dir: Path, log: Any) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for edition, html_dir in sites.items():
        config = read_config(html_dir)
        pages = read_toc(html_dir)
        targets = link_targets(html_dir, pages)
        with serve(html_dir) as base:  # cacheable, so the scripts every page shares are loaded once
            # The contents' length decides where the book's pages start; it is known only once they
            # are printed, so the pages are printed again in the rare case that it changes.
            front_pages = _count(print_front(browser, front_matter(config, pages, None, base, edition)))
            for _attempt in range(3):
                printed = print_pages(browser, base, pages, edition, front_pages, targets, log)
                numbers, number = {}, front_pages + 1
                for item in printed:
                    numbers[item.page.path] = number
                    number += item.count
                front = print_front(browser, front_matter(config, pages, numbers, base, edition))
                counted = _count(front)
                if counted == front_pages:
                    break
                log(f"  the contents took {counted} pages, not {front_pages}: printing again with the new numbers")
                front_pages = counted
            else:
                raise SystemExit("the table of contents does not settle on a number of pages")
            started = time.monotonic()
            student = edition != "book"
            with words.speaking(language_of(config)):
                title_suffix, subject = words.metadata_words(student)
            writer = merge(
                front,
                printed,
                base,
                {
                    "/Title": config["title"] + title_suffix,
                    "/Author": config.get("author", ""),
                    "/Subject": subject,
                    "/Creator": "tools/pdf.py (Chromium and pypdf) from the website built by Jupyter Book",
                },
            )
        path = out_dir / FILES[edition]
        partial = path.with_suffix(".pdf.part")
        with partial.open("wb") as handle:
            writer.write(handle)
        partial.replace(path)
        written[edition] = path
        log(f"  joined {path.name} ({time.monotonic() - started:.1f} s)")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=HTML, help="the built website (default: _build/html)")
    parser.add_argument(
        "--student-html",
        type=Path,
        default=STUDENT_HTML,
        help="the built student website (default: _build/student-site/_build/html)",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where the PDFs go (default: _build/pdf)")
    parser.add_argument(
        "--edition", choices=["all", *EDITIONS], default="all", help="which PDF to write (default: all)"
    )
    args = parser.parse_args(argv)
    editions = EDITIONS if args.edition == "all" else (args.edition,)
    started = time.monotonic()
    for path in build(
        args.html.resolve(), args.out.resolve(), editions, student_html=args.student_html.resolve()
    ).values():
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        megabytes = path.stat().st_size / 1e6
        print(f"wrote {shown} ({len(PdfReader(path).pages)} pages, {megabytes:.1f} MB)")
    print(f"took {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
