"""Every route a student takes from the website opens the student edition, never a solution.

The routes are the launch buttons of each lesson page (Binder, Colab and, when a hub is set in
``launch_buttons.jupyterhub_url``, JupyterHub through nbgitpuller) and the notebook download
button. ``make book`` builds the site and then runs tools/student_routes.py, which points the
launch buttons at the student branch and swaps each downloadable lesson for its student edition;
these tests read the built site in _build/html, the Russian site under ru/ included (its
lessons' launch buttons open the Russian student lessons of the ``student-ru`` branch, never the
English ones of ``student``, and its downloads are the Russian student edition), and skip, saying
why, when it has not been built. The link builders themselves are tested without a build.
"""

from __future__ import annotations

import copy
import html
import importlib.util
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest

from csto_course.authoring.lesson import solution_blocks
from csto_course.authoring.release import CODE_STUB, MARKDOWN_STUB, strip_solutions
from csto_course.language import translate
from csto_course.website import russian_site
from csto_course.website.server import HTML, page_language, site_pages

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("student_routes", ROOT / "tools" / "student_routes.py")
assert _spec and _spec.loader
student_routes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(student_routes)

CONFIG = student_routes.load_config(ROOT)
REPO_URL = CONFIG["repository"]["url"]
STUDENT_BRANCH = "student"
#: The Russian site's settings, and the branch of the Russian student lessons its buttons open.
RU_CONFIG = student_routes.language_config(russian_site.LANGUAGE, ROOT)
RU_STUDENT_BRANCH = "student-ru"
FAKE_HUB = "https://hub.example.org"
LESSON_PAGES = [p for p in site_pages() if p.removeprefix(f"{russian_site.FOLDER}/").startswith("notebooks/")]
BUILT = (HTML / "book" / "index.html").exists()
needs_build = pytest.mark.skipif(
    not BUILT, reason="The book has not been built (no _build/html/book/index.html): run `make book` first."
)


#: What the student edition puts in place of a solution (csto_course.authoring.release), in a
#: page's language: the Russian edition's stubs are in Russian.
def stub_for(cell_type: str, page: str) -> str:
    return translate(MARKDOWN_STUB if cell_type == "markdown" else CODE_STUB, page_language(page))


def in_site(page: str) -> tuple[Path, str]:
    """The root of the site (English, or Russian under ru/) that ``page`` belongs to, and its path there."""
    if page_language(page) == russian_site.LANGUAGE:
        return HTML / russian_site.FOLDER, page.removeprefix(f"{russian_site.FOLDER}/")
    return HTML, page


def config_of(page: str) -> dict:
    """The settings the site of ``page`` was built with: the English, or the Russian site's."""
    return RU_CONFIG if page_language(page) == russian_site.LANGUAGE else CONFIG


def instructor_lesson(page: str) -> Path:
    """The instructor's notebook behind a lesson page: the repository's, or the Russian site's sources'."""
    _, rel = in_site(page)
    sources = russian_site.SITE if page_language(page) == russian_site.LANGUAGE else ROOT
    return sources / rel.replace(".html", ".ipynb")


class _Anchors(HTMLParser):
    """Every <a>: its href and title."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.anchors.append((str(values["href"]), str(values.get("title") or "")))


def anchors(page: Path) -> list[tuple[str, str]]:
    parser = _Anchors()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.anchors


def launch_links(page: Path) -> dict[str, str]:
    """A page's launch buttons, by provider: each button's text names it ("Binder"), in every language."""
    block = student_routes._LAUNCH_BLOCK.search(page.read_text(encoding="utf-8"))
    links = {}
    for item in student_routes._ITEM.findall(block.group(0) if block else ""):
        provider, href = student_routes._ITEM_SERVICE.search(item), re.search(r'href="([^"]*)"', item)
        if provider and href:
            links[provider.group(1)] = html.unescape(href.group(1))
    return links


def looks_like_launch(href: str) -> bool:
    return any(key in href for key in ("mybinder.org", "/v2/gh/", "colab.research.google.com", "git-pull"))


def solutions(nb: nbformat.NotebookNode) -> list[tuple[str, str, str]]:
    """(cell id, cell type, solution text) for every solution of an instructor notebook."""
    found = []
    for cell in nb.cells:
        if cell.cell_type in ("code", "markdown"):
            found += [(cell.id, cell.cell_type, b.body.strip()) for b in solution_blocks(cell.source, cell.cell_type)]
    return found


# --- The link builders (no build needed) ------------------------------------------------------


def test_the_configuration_sends_launch_buttons_to_the_student_branch() -> None:
    assert CONFIG["repository"]["branch"] == STUDENT_BRANCH
    assert student_routes.student_branch(CONFIG) == STUDENT_BRANCH
    instructor = copy.deepcopy(CONFIG)
    instructor["repository"]["branch"] = instructor["repository"].get("instructor_branch", "main")
    with pytest.raises(ValueError, match="instructor edition"):
        student_routes.student_branch(instructor)


def test_the_russian_sites_buttons_open_the_russian_student_branch() -> None:
    assert RU_CONFIG["repository"]["branch"] == RU_STUDENT_BRANCH == russian_site.student_branch(STUDENT_BRANCH)
    assert student_routes.student_branch(RU_CONFIG) == RU_STUDENT_BRANCH
    assert student_routes.site_language(RU_CONFIG) == "ru" and student_routes.site_language(CONFIG) == "en"
    notebook = "notebooks/01_origins.ipynb"
    urls = student_routes.launch_urls(RU_CONFIG, notebook, jupyterhub_url=FAKE_HUB)
    owner_name = REPO_URL.removeprefix("https://github.com/")
    binder, colab = (CONFIG["launch_buttons"][key].rstrip("/") for key in ("binderhub_url", "colab_url"))
    assert urls["Binder"] == f"{binder}/v2/gh/{owner_name}/{RU_STUDENT_BRANCH}?urlpath=lab/tree/{notebook}"
    assert urls["Colab"] == f"{colab}/github/{owner_name}/blob/{RU_STUDENT_BRANCH}/{notebook}"
    query = parse_qs(urlparse(urls["JupyterHub"]).query)
    folder = REPO_URL.rstrip("/").rsplit("/", 1)[-1] + "-ru"
    assert query == {
        "repo": [REPO_URL],
        "branch": [RU_STUDENT_BRANCH],
        "targetpath": [folder],
        "urlpath": [f"lab/tree/{folder}/{notebook}"],
    }, "the Russian lessons go to a folder of their own on the hub, beside the English ones"
    english = student_routes.launch_urls(CONFIG, notebook, jupyterhub_url=FAKE_HUB)
    assert not set(english.values()) & set(urls.values())


def test_no_hub_is_configured_by_default() -> None:
    """No institution's hub ships with the course: the button appears once an instructor sets one."""
    assert not (CONFIG["launch_buttons"].get("jupyterhub_url") or "").strip()


@pytest.mark.parametrize("notebook", ["notebooks/01_origins.ipynb", "notebooks/06_capstone.ipynb"])
def test_a_configured_hub_gets_an_nbgitpuller_link_to_the_student_branch(notebook: str) -> None:
    url = student_routes.launch_urls(CONFIG, notebook, jupyterhub_url=FAKE_HUB + "/")["JupyterHub"]
    parts = urlparse(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.org", "/hub/user-redirect/git-pull")
    query = parse_qs(parts.query)
    folder = REPO_URL.rstrip("/").rsplit("/", 1)[-1]
    assert query == {"repo": [REPO_URL], "branch": [STUDENT_BRANCH], "urlpath": [f"lab/tree/{folder}/{notebook}"]}
    assert url == student_routes.jupyterhub_link(FAKE_HUB, REPO_URL, STUDENT_BRANCH, notebook)


def test_an_empty_hub_address_gives_no_jupyterhub_link() -> None:
    assert "JupyterHub" not in student_routes.launch_urls(CONFIG, "notebooks/01_origins.ipynb", jupyterhub_url="")
    assert "JupyterHub" not in student_routes.launch_urls(CONFIG, "notebooks/01_origins.ipynb", jupyterhub_url="  ")


def test_rewriting_drops_a_button_the_configuration_no_longer_has() -> None:
    item = (
        '<li><a href="{}" target="_blank"\n   title="Launch on {}"\n>'
        '<span class="btn__text-container">{}</span></a>\n</li>\n'
    )
    page = (
        '<p>before</p><div class="dropdown dropdown-launch-buttons">\n  <ul class="dropdown-menu">\n'
        + item.format("https://old/binder", "Binder", "Binder")
        + item.format("https://old/hub?a=1&b=2", "JupyterHub", "JupyterHub")
        + "  </ul>\n</div>\n<p>after</p>"
    )
    new = student_routes.rewrite_launch_buttons(page, {"Binder": "https://new/binder?x=1&y=2"})
    assert 'href="https://new/binder?x=1&amp;y=2"' in new and "JupyterHub" not in new
    assert new.startswith("<p>before</p>") and new.endswith("<p>after</p>")
    assert student_routes.rewrite_launch_buttons(page, None) == "<p>before</p><p>after</p>"


def test_edit_and_source_links_stay_on_the_instructor_branch() -> None:
    """The theme builds them from the same branch as the launch links; the script points them back."""
    page = (
        f'<a href="{REPO_URL}/edit/student/notebooks/01_origins.ipynb">edit</a>'
        f'<a href="{REPO_URL}/blob/student/notebooks/01_origins.ipynb?plain=1">source</a>'
        f'<a href="https://colab.research.google.com/github/x/y/blob/student/notebooks/01_origins.ipynb">Colab</a>'
    )
    new = student_routes.rewrite_source_links(page, REPO_URL, STUDENT_BRANCH, "main")
    assert f"{REPO_URL}/edit/main/notebooks/01_origins.ipynb" in new
    assert f"{REPO_URL}/blob/main/notebooks/01_origins.ipynb?plain=1" in new
    assert "colab.research.google.com/github/x/y/blob/student/" in new


# --- The built site ---------------------------------------------------------------------------


@needs_build
@pytest.mark.book
@pytest.mark.parametrize("page", LESSON_PAGES)
def test_every_launch_url_of_a_lesson_opens_the_student_branch(page: str) -> None:
    """English pages open the lessons of ``student``; Russian pages those of ``student-ru``, at the same path."""
    notebook = in_site(page)[1].replace(".html", ".ipynb")
    russian = page_language(page) == russian_site.LANGUAGE
    branch = RU_STUDENT_BRANCH if russian else STUDENT_BRANCH
    links = launch_links(HTML / page)
    assert {"Binder", "Colab"} <= set(links), f"{page}: launch buttons {sorted(links)}"
    every = [href for href, _ in anchors(HTML / page) if looks_like_launch(href)]
    assert sorted(every) == sorted(links.values()), f"{page}: a launch link outside the launch buttons: {every}"
    for provider, href in links.items():
        url = urlparse(href)
        query = parse_qs(url.query)
        if provider == "Binder":
            assert url.path.endswith(f"/{branch}"), href
            assert query["urlpath"] == [f"lab/tree/{notebook}"], href
        elif provider == "Colab":
            assert url.path.endswith(f"/blob/{branch}/{notebook}"), href
        elif provider == "JupyterHub":
            assert url.path.endswith("/hub/user-redirect/git-pull"), href
            assert query["branch"] == [branch] and query["repo"] == [REPO_URL], href
            assert query["urlpath"][0].endswith(f"/{notebook}"), href
        else:
            pytest.fail(f"{page}: unexpected launch button {provider}: {href}")
        assert "/main/" not in href and "branch=main" not in href, href
        if russian:  # never the English lessons
            assert f"/{STUDENT_BRANCH}/" not in href and not url.path.endswith(f"/{STUDENT_BRANCH}"), href
            assert f"branch={STUDENT_BRANCH}&" not in href, href
    assert links == student_routes.launch_urls(config_of(page), notebook), page


@needs_build
@pytest.mark.book
def test_the_jupyterhub_button_follows_the_setting() -> None:
    """No hub set: no JupyterHub button anywhere. A hub set: every lesson has its nbgitpuller link."""
    hub = (CONFIG["launch_buttons"].get("jupyterhub_url") or "").strip()
    for page in sorted(HTML.rglob("*.html")):
        buttons = launch_links(page)
        hub_links = {href for href, _ in anchors(page) if "git-pull" in href}
        found = sorted(hub_links | ({buttons["JupyterHub"]} if "JupyterHub" in buttons else set()))
        rel = page.relative_to(HTML).as_posix()
        if hub and rel in LESSON_PAGES:
            notebook = in_site(rel)[1].replace(".html", ".ipynb")
            expected = student_routes.launch_urls(config_of(rel), notebook)["JupyterHub"]
            assert found == [expected], rel
        else:
            assert not found, f"{rel} has a JupyterHub button although none should be there: {found}"


@needs_build
@pytest.mark.book
def test_pages_that_are_not_lessons_have_no_launch_buttons() -> None:
    """The codebook and the instructor guide are not on the student branch; the guide computes the key."""
    for page in sorted(HTML.rglob("*.html")):
        rel = page.relative_to(HTML).as_posix()
        if rel not in LESSON_PAGES:
            assert not [h for h, _ in anchors(page) if looks_like_launch(h)], rel


@needs_build
@pytest.mark.book
def test_the_repository_and_source_links_stay_on_the_instructor_branch() -> None:
    instructor = CONFIG["repository"].get("instructor_branch", "main")
    for page in sorted(HTML.rglob("*.html")):
        for href, title in anchors(page):
            if title == "Source repository":
                assert href == REPO_URL, page
            if href.startswith(f"{REPO_URL}/") and re.search(r"/(edit|blob|tree)/", href):
                assert f"/{instructor}/" in href, f"{page}: {href}"
                assert f"/{STUDENT_BRANCH}/" not in href and f"/{RU_STUDENT_BRANCH}/" not in href, f"{page}: {href}"


@needs_build
@pytest.mark.book
def test_no_downloadable_notebook_holds_a_solution_marker() -> None:
    notebooks = sorted(HTML.rglob("*.ipynb"))
    assert notebooks, "the site serves no notebook at all"
    for path in notebooks:
        text = path.read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "END SOLUTION"):
            assert marker not in text, f"{path.relative_to(HTML)} holds '{marker}'"


@needs_build
@pytest.mark.book
@pytest.mark.parametrize("page", LESSON_PAGES)
def test_the_download_button_gives_the_student_edition(page: str) -> None:
    hrefs = [h for h, _ in anchors(HTML / page) if h.endswith(".ipynb") and not urlparse(h).scheme]
    assert hrefs, f"{page} has no notebook download"
    instructor = nbformat.read(instructor_lesson(page), as_version=4)
    site = in_site(page)[0]
    for href in set(hrefs):
        download = ((HTML / page).parent / href).resolve()
        assert download.is_relative_to(site.resolve() / "_sources"), href
        nb = nbformat.reads(download.read_text(encoding="utf-8"), as_version=4)
        cells = {cell.id: cell for cell in nb.cells}
        everything = "\n".join(cell.source for cell in nb.cells)
        stripped = "\n".join(strip_solutions(c.source, c.cell_type) for c in instructor.cells)
        answers = solutions(instructor)
        assert answers, f"{page}: the instructor edition has no solution to compare with"
        for cell_id, cell_type, answer in answers:
            stub = stub_for(cell_type, page)
            assert cell_id in cells and stub in cells[cell_id].source, f"{href}: cell {cell_id} has no student stub"
            if answer and answer not in stripped:
                assert answer not in everything, f"{href}: the model answer of cell {cell_id} is in the download"
        outputs = [cell.outputs for cell in nb.cells if cell.cell_type == "code"]
        assert not any(outputs), f"{href} has outputs, which would show the answers"


@needs_build
@pytest.mark.book
def test_every_lesson_download_is_a_valid_notebook() -> None:
    for page in LESSON_PAGES:
        site, rel = in_site(page)
        path = site / "_sources" / rel.replace(".html", ".ipynb")
        nbformat.validate(nbformat.from_dict(json.loads(path.read_text(encoding="utf-8"))))
