"""The built website, checked offline: links and anchors resolve, launch and download buttons
point at real files, and the download gives the executed notebook."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
import yaml

from csto_course.website import russian_site
from csto_course.website.server import HTML, page_language, site_pages, toc_pages

from .conftest import ROOT

pytestmark = pytest.mark.book

if not (HTML / "book" / "index.html").exists():
    pytest.skip("The book has not been built: run `make book` first.", allow_module_level=True)

PAGES = sorted(HTML.rglob("*.html"))
REPO_URL = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.ids.add(str(values["name"]))
        for key in ("href", "src"):
            if values.get(key) and tag in ("a", "link", "script", "img"):
                self.hrefs.append(str(values[key]))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


_PARSED: dict[Path, _Links] = {}


def parsed(path: Path) -> _Links:
    if path not in _PARSED:
        _PARSED[path] = _parse(path)
    return _PARSED[path]


def test_every_toc_page_was_built() -> None:
    for page in toc_pages():
        assert (HTML / page).exists(), page


@pytest.mark.parametrize("page", [p.relative_to(HTML).as_posix() for p in PAGES if "_static" not in p.parts])
def test_internal_links_and_anchors_resolve(page: str) -> None:
    path = HTML / page
    broken = []
    for href in parsed(path).hrefs:
        url = urlparse(href)
        if url.scheme or href.startswith(("mailto:", "//", "data:", "javascript:")):
            continue
        target = (path.parent / unquote(url.path)).resolve() if url.path else path
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(href)
            continue
        if url.fragment and target.suffix == ".html" and url.fragment not in parsed(target).ids:
            broken.append(href)
    assert not broken, f"{page}: broken links {broken}"


LESSON_PAGES = [p for p in toc_pages() if p.startswith("notebooks/")]


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_launch_buttons_point_at_files_in_the_repository(page: str) -> None:
    hrefs = parsed(HTML / page).hrefs
    launch = [h for h in hrefs if any(k in h for k in ("mybinder.org", "colab.research.google.com", "git-pull"))]
    # Binder and Colab; JupyterHub only once a hub is set in _config.yml (tests/test_student_routes.py).
    assert len(launch) >= 2, f"{page}: expected Binder and Colab buttons, found {launch}"
    notebook = page.replace(".html", ".ipynb")
    for href in launch:
        url = urlparse(href)
        query = parse_qs(url.query)
        if "colab" in url.netloc:
            assert url.path.endswith(f"/blob/student/{notebook}"), href
            assert urlparse(REPO_URL).path in url.path, href
        else:
            path = query["urlpath"][0]
            assert path.endswith(notebook), href
        assert (ROOT / notebook).exists(), f"{href} points at {notebook}, which is not in the repository"


def test_no_page_references_a_cdn_script_or_stylesheet() -> None:
    cdn = re.compile(r"https?://(unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com)")
    for path in PAGES:
        for href in parsed(path).hrefs:
            assert not cdn.match(href), f"{path.relative_to(HTML)} loads {href}"


def test_no_page_loads_the_icon_script_and_every_icon_it_uses_is_drawn_by_icons_css() -> None:
    """The theme's 1.5 MB fontawesome.js is left out (csto_course.website.sphinxext); icons.css
    draws the icons as inline SVG (tools/vendor/icons.py), so no icon font is needed either."""
    css = (ROOT / "book" / "_static" / "icons.css").read_text()
    drawn = set(re.findall(r"^\.fa-([a-z0-9-]+) \{ --csto-icon: url\(\"data:image/svg\+xml,", css, re.MULTILINE))
    assert "Font Awesome 6" not in css.split("*/", 1)[1], "icons.css names an icon font"
    styles = {"solid", "brands", "lg"}
    scripts = [
        HTML / "_static" / "scripts" / "pydata-sphinx-theme.js",
        HTML / "_static" / "scripts" / "sphinx-book-theme.js",
    ]
    for path in [*(HTML / page for page in toc_pages()), *scripts]:
        text = path.read_text(encoding="utf-8")
        assert "fontawesome.js" not in text or path in scripts, f"{path.relative_to(HTML)} loads fontawesome.js"
        used = set(re.findall(r"\bfa-([a-z0-9-]+)", text)) - styles
        assert used <= drawn, f"{path.relative_to(HTML)} uses icons icons.css does not draw: {sorted(used - drawn)}"


def test_every_mention_of_the_repository_matches_the_configured_address() -> None:
    """The address is set in _config.yml; every other file that names it must agree."""
    pattern = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+")
    files = [ROOT / "README.md", ROOT / "CITATION.cff", ROOT / "data" / "datapackage.json"]
    files += sorted((ROOT / "book").glob("*.md")) + sorted((ROOT / "notebooks").glob("*.ipynb"))
    wrong = {}
    for path in files:
        for url in pattern.findall(path.read_text(encoding="utf-8")):
            url = url.removesuffix(".git")
            if url != REPO_URL and "github.com/dequelabs" not in url:
                wrong.setdefault(path.relative_to(ROOT).as_posix(), set()).add(url)
    assert not wrong, f"these files name another repository than {REPO_URL}: {wrong}"


def test_codebook_page_matches_the_current_data() -> None:
    """The codebook is executed at every build; a stale cache would show old row counts."""
    from csto_course import datasets, load

    page = (HTML / "book" / "codebook.html").read_text(encoding="utf-8")
    for name in datasets():
        shown = re.search(rf"data/{name}\.csv</span></code>\s*\((\d+) rows\)", page)
        assert shown, f"the codebook does not list data/{name}.csv"
        assert int(shown.group(1)) == len(load(name)), f"the codebook shows a stale row count for {name}"
    assert "<table" in page, "the codebook's tables were not rendered"


# --- The Russian site, ru/ (csto_course.website.russian_site) ------------------------------------

_SWITCH = re.compile(
    r'<a class="btn btn-sm csto-language" href="([^"]+)" hreflang="(\w+)" lang="(\w+)" rel="alternate">'
)
_ALTERNATE = re.compile(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)" />')
_HTML_LANG = re.compile(r'<html[^>]*\blang="([\w-]+)"')


def test_the_russian_site_was_built_beside_the_english() -> None:
    for page in site_pages():
        assert (HTML / page).exists(), f"{page} was not built"


@pytest.mark.parametrize("page", site_pages())
def test_each_page_says_its_language_and_links_to_its_counterpart_and_back(page: str) -> None:
    text = (HTML / page).read_text(encoding="utf-8")
    language = page_language(page)
    assert _HTML_LANG.search(text)[1] == language, f"{page}: <html lang> is not {language!r}"  # type: ignore[index]
    switches = _SWITCH.findall(text)
    assert len(switches) == 1, f"{page}: {len(switches)} links to the other language"
    href, hreflang, lang = switches[0]
    other = "en" if language == russian_site.LANGUAGE else russian_site.LANGUAGE
    assert hreflang == lang == other, f"{page}: the link to the other language says {hreflang!r}/{lang!r}"
    target = ((HTML / page).parent / href).resolve()
    expected = page.removeprefix(f"{russian_site.FOLDER}/") if other == "en" else f"{russian_site.FOLDER}/{page}"
    assert target == (HTML / expected).resolve(), f"{page} links to {href}, not to {expected}"
    back_href = _SWITCH.findall(target.read_text(encoding="utf-8"))[0][0]
    assert (target.parent / back_href).resolve() == (HTML / page).resolve(), f"{expected} does not link back to {page}"
    alternates = dict(_ALTERNATE.findall(text))
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"]
    english = page.removeprefix(f"{russian_site.FOLDER}/")
    assert alternates == {"en": f"{base}{english}", russian_site.LANGUAGE: f"{base}{russian_site.FOLDER}/{english}"}


def test_every_russian_page_is_titled_in_russian_and_sphinx_speaks_russian_on_it() -> None:
    import gettext

    import sphinx

    title = russian_site.russian(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"])
    sphinx_ru = gettext.translation("sphinx", Path(sphinx.__file__).parent / "locale", languages=["ru"])
    search = sphinx_ru.gettext("Search")
    assert search != "Search", "Sphinx has no Russian catalog"
    russian_pages = [page for page in site_pages() if page_language(page) == russian_site.LANGUAGE]
    assert russian_pages
    for page in russian_pages:
        text = (HTML / page).read_text(encoding="utf-8")
        assert f"{title}</title>" in text.replace("\n", ""), f"{page}: the site's title is not the Russian one"
        assert search in text, f"{page}: Sphinx's words are not in Russian (no {search!r})"
        assert "Show code cell" not in text, f"{page}: a folded code cell is labelled in English"
