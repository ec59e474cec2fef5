"""The book as PDF (`make pdf`, tools/pdf.py): the three editions are printed (the book, the
student edition and the Russian student edition), every lesson has a bookmark, the charts are
drawn, links stay inside the book, the student editions hold no solution, model answer or check
verdict, and the Russian one reads in Russian.

The PDFs are printed here, into a temporary folder, with the session's Chromium (about a
minute); `_build/pdf/` is used instead when both files there are newer than the built sites,
the print stylesheet and tools/pdf.py. Needs what the other browser tests need (Debian's
Chromium and `make book`), the student website (`make student-book`; the student PDF is printed
from it), pypdf (bookmarks, links) and poppler's pdftotext (the text).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from csto_course.authoring.release import answer_goes_here
from csto_course.language import translate
from csto_course.website import russian_site
from csto_course.website.server import HTML, ROOT, toc_pages

from ..leaks import Finder, solution_lines, squash
from .conftest import _unavailable

pytestmark = pytest.mark.browser

LESSONS = [ROOT / (page.removesuffix(".html") + ".ipynb") for page in toc_pages() if page.startswith("notebooks/")]


@functools.cache
def _tool() -> Any:
    """tools/pdf.py, which is a script, not a module of a package."""
    if importlib.util.find_spec("pypdf") is None:
        _unavailable("pypdf is not installed (it is in uv.lock: run `make env`), so the PDF tests were skipped")
    spec = importlib.util.spec_from_file_location("csto_pdf_tool", ROOT / "tools" / "pdf.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _fresh(folder: Path, pdf_tool: Any) -> dict[str, Path] | None:
    paths = {edition: folder / name for edition, name in pdf_tool.FILES.items()}
    if not all(p.exists() for p in paths.values()):
        return None
    inputs = [HTML / page for page in toc_pages()]
    for site in (pdf_tool.STUDENT_HTML, pdf_tool.STUDENT_HTML / russian_site.FOLDER):
        inputs += [site / page.path for page in pdf_tool.read_toc(site)]
    inputs += [ROOT / "tools" / "pdf.py", ROOT / "book" / "_static" / "print.css", ROOT / "_toc.yml"]
    newest_input = max(p.stat().st_mtime for p in inputs if p.exists())
    return paths if min(p.stat().st_mtime for p in paths.values()) > newest_input else None


@pytest.fixture(scope="module")
def pdfs(site: str, browser: object, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every edition's PDF: from _build/pdf if up to date, else printed now. (``site`` skips the
    test if the book is not built.)"""
    pdf_tool = _tool()
    for student_site in (pdf_tool.STUDENT_HTML, pdf_tool.STUDENT_HTML / russian_site.FOLDER):
        if not (student_site / "book" / "index.html").exists():
            _unavailable(f"{student_site} has not been built (run `make student-book`), so no student PDF")
    fresh = _fresh(ROOT / "_build" / "pdf", pdf_tool)
    if fresh:
        return fresh
    return pdf_tool.build(HTML, tmp_path_factory.mktemp("pdf"), log=lambda *_: None, browser=browser)


@pytest.fixture(scope="module")
def readers(pdfs: dict[str, Path]) -> dict[str, Any]:
    from pypdf import PdfReader

    return {edition: PdfReader(path) for edition, path in pdfs.items()}


def _flat(reader: Any, outline: list[Any] | None = None, depth: int = 0) -> Iterator[tuple[int, str, int]]:
    """Every bookmark as (depth, title, page index)."""
    for item in reader.outline if outline is None else outline:
        if isinstance(item, list):
            yield from _flat(reader, item, depth + 1)
        else:
            yield depth, item.title, reader.get_destination_page_number(item)


def _page_ranges(reader: Any) -> dict[str, range]:
    """The PDF pages (0-based) that each page of _toc.yml was printed on, found by its bookmark."""
    titles = {page.title for page in _tool().read_toc(HTML)}
    starts: dict[str, int] = {}
    for _, title, page in _flat(reader):
        if title in titles:
            starts.setdefault(title, page)
    ordered = sorted(starts.items(), key=lambda item: item[1])
    ends = [start for _, start in ordered[1:]] + [len(reader.pages)]
    return {title: range(start, end) for (title, start), end in zip(ordered, ends, strict=True)}


def _text(pages_text: list[str], pages: range) -> str:
    return " ".join(pages_text[i] for i in pages)


def _squash(text: str) -> str:
    return squash(text)


@pytest.fixture(scope="module")
def texts(pdfs: dict[str, Path], readers: dict[str, Any]) -> dict[str, list[str]]:
    """Each edition's text, page by page, from poppler's pdftotext: a second for both PDFs,
    where pypdf takes about a fifth of a second a page."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        _unavailable("pdftotext is not installed, so the PDF's text cannot be read: sudo apt-get install poppler-utils")
    found = {}
    for edition, path in pdfs.items():
        out = subprocess.run([pdftotext, "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
        pages = out.stdout.decode("utf-8").split("\f")[: len(readers[edition].pages)]
        assert len(pages) == len(readers[edition].pages), f"pdftotext read {len(pages)} pages of the {edition} PDF"
        found[edition] = pages
    return found


@pytest.fixture(scope="module")
def student_text(texts: dict[str, list[str]]) -> str:
    return "\n".join(texts["student"])


def _lesson_title(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    first = "".join(next(c for c in cells if c["cell_type"] == "markdown")["source"])
    return first.splitlines()[0].lstrip("#").strip()


def test_every_edition_is_written_with_its_title(readers: dict[str, Any]) -> None:
    for edition in ("book", "student"):
        reader = readers[edition]
        assert len(reader.pages) > 20, f"the {edition} PDF has only {len(reader.pages)} pages"
        assert reader.metadata.title.startswith("A Fading Alliance?"), reader.metadata.title
        assert reader.metadata.author
    assert "student" in readers["student"].metadata.title


@pytest.mark.parametrize("edition", ["book", "student"])
def test_every_lesson_has_a_bookmark(readers: dict[str, Any], edition: str) -> None:
    bookmarks = [title for _, title, _ in _flat(readers[edition])]
    assert LESSONS, "no lesson in _toc.yml"
    for notebook in LESSONS:
        title = _lesson_title(notebook)
        assert title in bookmarks, f"no bookmark {title!r} in the {edition} PDF: {bookmarks}"
    # The pages come in _toc.yml's order, and their sections are bookmarked under them.
    lesson_pages = [page for depth, title, page in _flat(readers[edition]) if title.startswith("Lesson ")]
    assert lesson_pages == sorted(lesson_pages)
    assert max(depth for depth, _, _ in _flat(readers[edition])) >= 2, "no section has a bookmark"


def test_the_contents_page_gives_each_lessons_page_number(readers: dict[str, Any], texts: dict[str, list[str]]) -> None:
    reader = readers["book"]
    contents = _squash(texts["book"][1])
    for _, title, page in _flat(reader):
        if title.startswith("Lesson "):
            assert f"{_squash(title)}{page + 1}" in contents, f"{title} (page {page + 1}) is not in the contents"


def test_no_link_points_at_the_local_server(readers: dict[str, Any]) -> None:
    """Links between pages of the book become links inside the PDF, not to 127.0.0.1."""
    for edition, reader in readers.items():
        inside = 0
        for number, page in enumerate(reader.pages, 1):
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                uri = str(annot["/A"].get("/URI", "")) if "/A" in annot else ""
                assert "127.0.0.1" not in uri and "localhost" not in uri, f"{edition} PDF, page {number}: {uri}"
                inside += "/Dest" in annot
        assert inside > 50, f"the {edition} PDF has only {inside} links inside the book (citations, contents)"


class _Charts(HTMLParser):
    """The Vega-Lite specs of a page's charts that are not folded away (each in its file,
    render.move_specs), and the page's other text (not the text of the charts' drawings)."""

    def __init__(self, page: Path) -> None:
        super().__init__()
        self.page = page
        self.specs: list[dict[str, Any]] = []
        self.text: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, inside a folded output)
        self._in_svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        folded = (bool(self._stack) and self._stack[-1][1]) or "tag_hide-output" in (values.get("class") or "")
        if tag == "div" and values.get("data-spec") and not folded:
            self.specs.append(json.loads((self.page.parent / str(values["data-spec"])).read_text(encoding="utf-8")))
        self._in_svg += tag == "svg"
        if tag not in ("br", "img", "meta", "link", "input", "hr", "wbr", "source"):
            self._stack.append((tag, folded))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # an empty element (<path .../> in a drawing) opens nothing

    def handle_endtag(self, tag: str) -> None:
        self._in_svg -= tag == "svg"
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._in_svg:
            self.text.append(data)


def _titles(spec: Any) -> Iterator[str]:
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "tooltip":  # a tooltip's titles show only on hover, never on paper
                continue
            if key == "title" and isinstance(value, str):
                yield value
            yield from _titles(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _titles(value)


def test_charts_are_drawn_in_the_pdf(readers: dict[str, Any], texts: dict[str, list[str]]) -> None:
    """A chart's axis and legend titles exist only in its drawing (the SVG drawn when the book
    was built), so when one that the page's other text never says is in the PDF's text, the
    chart was printed (as vectors and text, not as a picture). Folded outputs are not printed,
    so their charts are skipped."""
    reader = readers["book"]
    ranges = _page_ranges(reader)
    checked = 0
    for notebook in LESSONS:
        page = HTML / notebook.relative_to(ROOT).with_suffix(".html")
        parser = _Charts(page)
        parser.feed(page.read_text(encoding="utf-8"))
        page_text = _squash(" ".join(parser.text))
        only_drawn = {t for spec in parser.specs for t in _titles(spec) if len(t) > 3 and _squash(t) not in page_text}
        if not only_drawn:
            continue
        printed = _squash(_text(texts["book"], ranges[_lesson_title(notebook)]))
        found = {t for t in only_drawn if _squash(t) in printed}
        assert found, f"{notebook.name}: none of its charts' titles {sorted(only_drawn)} is in the PDF"
        checked += 1
    assert checked, "no lesson has a chart whose titles only the drawing shows"


def _solution_lines() -> list[str]:
    return solution_lines(LESSONS)


def test_the_student_edition_has_no_solution(student_text: str) -> None:
    """The finder every student route is walked with (tests/test_no_answers_reach_students.py)."""
    assert Finder.for_course(ROOT, LESSONS).in_text(student_text, "the student PDF") == []
    assert "Youranswergoeshere" in _squash(student_text), "the student PDF does not mark where the answers go"


def test_the_book_folds_its_solutions_away(readers: dict[str, Any], texts: dict[str, list[str]]) -> None:
    """The book (not the student edition) keeps the checks' feedback but prints no worked solution."""
    reader = readers["book"]
    ranges = _page_ranges(reader)
    text = _squash(" ".join(_text(texts["book"], ranges[_lesson_title(notebook)]) for notebook in LESSONS))
    assert "Solutionfolded" in text
    assert ":Correct." in text, "the book's lessons should show the checks' feedback"
    leaked = [line for line in _solution_lines() if _squash(line) in text]
    assert not leaked, f"the book prints solutions that should be folded: {leaked}"


# --- The Russian student edition -----------------------------------------------------------------

RUSSIAN_LESSONS = [russian_site.SITE / lesson.relative_to(ROOT) for lesson in LESSONS]


def test_the_russian_student_edition_is_titled_and_bookmarked_in_russian(
    readers: dict[str, Any], texts: dict[str, list[str]]
) -> None:
    reader = readers["student-ru"]
    title = russian_site.russian(_tool().read_config(HTML)["title"])
    assert reader.metadata.title == title + translate(" (student edition)", "ru"), reader.metadata.title
    assert len(reader.pages) > 20, f"the Russian PDF has only {len(reader.pages)} pages"
    contents = texts["student-ru"][1]
    assert translate("Contents", "ru") in contents, "the contents page is not in Russian"
    bookmarks = [title for _, title, _ in _flat(reader)]
    for notebook in RUSSIAN_LESSONS:
        assert _lesson_title(notebook) in bookmarks, f"no bookmark {_lesson_title(notebook)!r} in the Russian PDF"


def test_the_russian_student_edition_reads_in_russian(texts: dict[str, list[str]]) -> None:
    """Each lesson's main question is printed in Russian, and not in English."""
    from csto_course.authoring.lesson import read_lesson

    text = _squash("".join(texts["student-ru"]))
    for english, russian in zip(LESSONS, RUSSIAN_LESSONS, strict=True):
        asked = {lang: read_lesson(path).glance["Main question"] for lang, path in (("en", english), ("ru", russian))}
        assert _squash(asked["ru"]) in text, f"{russian.name}: its main question is not in the Russian PDF"
        assert _squash(asked["en"]) not in text, f"{english.name}: the Russian PDF asks its question in English"


def test_the_russian_student_edition_has_no_solution(texts: dict[str, list[str]]) -> None:
    text = "\n".join(texts["student-ru"])
    finder = Finder.for_course(ROOT, LESSONS + RUSSIAN_LESSONS)
    assert finder.in_text(text, "the Russian student PDF") == []
    assert _squash(answer_goes_here("ru").strip("*")) in _squash(text), "the Russian PDF does not mark the answers"
