"""Send every student route of the built website to the student edition (`make book` runs it after the build).

A student reaches a lesson from the website in two ways: a launch button (Binder, Colab, the
institution's JupyterHub) or the download button. Both must give the student edition, in which
every solution is replaced by a stub (``csto_course.authoring.release``), never the instructor's notebook.

Why the built HTML is post-processed. sphinx-book-theme 1.3 (the theme of Jupyter Book 1.x)
builds the launch links and the "edit"/"show source" links from ONE setting,
``repository_branch`` (``repository.branch`` in _config.yml), and its download button serves
the copy of each lesson that Sphinx puts in ``_build/html/_sources``. So:

- ``repository.branch`` is the student branch: the theme's own launch links already open the
  student edition, even on a build this script never touched;
- this script then rewrites every lesson's launch links to the form built by
  :func:`launch_urls` (the one definition the tests check), so the JupyterHub link is the
  nbgitpuller link of :func:`jupyterhub_link` and the button is absent when
  ``launch_buttons.jupyterhub_url`` is empty;
- it removes the launch buttons of notebook pages that are not lessons (the codebook and the
  instructor guide): the student branch does not hold them, and the instructor guide computes
  the answer key;
- it points any "edit" or "show source" link (off today) back at
  ``repository.instructor_branch``, where the instructor's sources are;
- it replaces each lesson's downloadable notebook with its student edition (from
  ``_build/student``, written with ``csto_course.authoring.release`` if absent or older than the lesson),
  and removes any other downloadable notebook that holds solution markers (the instructor
  guide's, which also prints the capstone's key) with its download button;
- finally it checks every page and notebook again and exits 1, naming each problem, if any
  route still leads to a solution.

Usage, from the repository root, after ``jupyter-book build .``::

    python tools/student_routes.py           # rewrite _build/html, then check it
    python tools/student_routes.py --check   # only check
    python tools/student_routes.py --html _build/student-site/_build/html   # the student website

The Russian site under ``ru/`` is a build of its own, from its own lessons: the English run leaves
it alone, and a run of its own gives it the Russian student edition, from the Russian site's
sources (``--root``) into a folder of its own (``--student``). The settings are those of the
sources the site was built from (``--root``'s ``_config.yml``), so the Russian site's launch
buttons open the Russian student lessons, on the branch its settings name (``student-ru``:
``csto_course.website.russian_site.student_branch``), and its "edit" and "show source" links go
back to the instructor branch as the English ones do::

    python tools/student_routes.py --html _build/html/ru --root _build/ru-site --student _build/ru/student
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlencode

import yaml

from csto_course.authoring.lesson import MARKERS
from csto_course.website import russian_site
from csto_course.website.russian_site import FOLDER as RUSSIAN_FOLDER

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
STUDENT = ROOT / "_build" / "student"

#: JupyterLab or the classic interface: the URL prefix that opens a file in it (as the theme has it).
_UI_PREFIX = {"jupyterlab": "lab/tree", "classic": "tree"}
_LAUNCH_BLOCK = re.compile(r'<div class="dropdown dropdown-launch-buttons">.*?</ul>\s*</div>\n?', re.S)
_ITEM = re.compile(r"<li>(?:(?!</li>).)*</li>\n?", re.S)
#: A launch item's service, by the button's text ("Binder"), which stays the same in every language
#: (its tooltip, "Launch on Binder", is put in the site's language: csto_course.website.russian_site).
_ITEM_SERVICE = re.compile(r'<span class="btn__text-container">([^<]+)</span>')
_HREF = re.compile(r'href="[^"]*"')
_NOTEBOOK_DOWNLOAD_ITEM = re.compile(r"<li>(?:(?!</li>).)*?btn-download-notebook-button(?:(?!</li>).)*</li>\n?", re.S)


# --- Configuration and links ------------------------------------------------------------------


def load_config(root: Path = ROOT) -> dict:
    """_config.yml as a dictionary."""
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def _github(repo_url: str) -> tuple[str, str]:
    """(owner, name) of a GitHub repository address; the launch links are built for GitHub only."""
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", repo_url.strip())
    if not match:
        raise ValueError(f"repository.url {repo_url!r} is not a GitHub repository (https://github.com/OWNER/NAME)")
    return match.group(1), match.group(2)


def _ui_prefix(interface: str) -> str:
    if interface not in _UI_PREFIX:
        raise ValueError(f"launch_buttons.notebook_interface must be one of {sorted(_UI_PREFIX)}, not {interface!r}")
    return _UI_PREFIX[interface]


def binder_link(binderhub_url: str, repo_url: str, branch: str, notebook: str, interface: str = "jupyterlab") -> str:
    """The BinderHub link that builds ``branch`` and opens ``notebook`` (a path from the repository's root)."""
    owner, name = _github(repo_url)
    binder = binderhub_url.strip().rstrip("/")
    return f"{binder}/v2/gh/{owner}/{name}/{branch}?urlpath={_ui_prefix(interface)}/{notebook}"


def colab_link(colab_url: str, repo_url: str, branch: str, notebook: str) -> str:
    """The Colab link that opens ``notebook`` from ``branch`` of the GitHub repository."""
    owner, name = _github(repo_url)
    return f"{colab_url.strip().rstrip('/')}/github/{owner}/{name}/blob/{branch}/{notebook}"


def jupyterhub_link(
    hub_url: str, repo_url: str, branch: str, notebook: str, interface: str = "jupyterlab", language: str = "en"
) -> str:
    """The nbgitpuller link: the hub clones (or updates) ``branch`` into the student's home, then opens ``notebook``.

    nbgitpuller clones into a folder named after the repository, so ``urlpath`` names that
    folder before the notebook's path. The lessons in another ``language`` go to a folder of their
    own (``targetpath``, :func:`hub_folder`): nbgitpuller cannot switch the branch of a folder it
    cloned, so a student who opens both editions keeps both.
    https://nbgitpuller.readthedocs.io/en/latest/topic/url-options.html
    """
    hub = hub_url.strip().rstrip("/")
    if not re.match(r"https?://[^/\s]+", hub):
        raise ValueError(f"launch_buttons.jupyterhub_url {hub_url!r} is not a web address (https://...)")
    _, name = _github(repo_url)
    folder = hub_folder(name, language)
    query = {"repo": repo_url, "branch": branch}
    if folder != name:
        query["targetpath"] = folder
    query["urlpath"] = f"{_ui_prefix(interface)}/{folder}/{notebook}"
    return f"{hub}/hub/user-redirect/git-pull?{urlencode(query)}"


def hub_folder(name: str, language: str = "en") -> str:
    """The folder of a student's home on a hub that holds the lessons in ``language``: the
    repository's ``name`` for English, ``name-ru`` for the Russian."""
    return name if language == "en" else f"{name}-{language}"


def site_language(config: dict) -> str:
    """The language of the site ``config`` describes: Sphinx's ``language`` (the Russian site's), else English."""
    return str(((config.get("sphinx") or {}).get("config") or {}).get("language") or "en")


def language_config(language: str = "en", root: Path = ROOT) -> dict:
    """The settings of the site in ``language``: _config.yml, or the Russian site's as
    ``csto_course.website.russian_site`` stages them (its buttons open the Russian student branch)."""
    config = load_config(root)
    return russian_site.site_config(config) if language == russian_site.LANGUAGE else config


def student_branch(config: dict) -> str:
    """The branch the launch buttons open (``repository.branch``); refuses the instructor's branch."""
    repository = config.get("repository") or {}
    branch = str(repository.get("branch") or "").strip()
    instructor = str(repository.get("instructor_branch") or "main").strip()
    if not branch or branch == instructor:
        raise ValueError(
            f"repository.branch is {branch!r}: launch buttons would open the instructor edition "
            f"(branch {instructor!r}); set it to the student edition's branch"
        )
    return branch


def launch_urls(config: dict, notebook: str, jupyterhub_url: str | None = None) -> dict[str, str]:
    """The launch links of one lesson, by button text (Binder, JupyterHub, Colab), as the site must show them.

    ``notebook`` is the lesson's path from the book's root (``notebooks/01_origins.ipynb``).
    ``jupyterhub_url`` overrides ``launch_buttons.jupyterhub_url`` (the tests pass a fake hub).
    A provider whose address is empty gets no button.
    """
    repository = config.get("repository") or {}
    buttons = config.get("launch_buttons") or {}
    repo_url = str(repository["url"])
    branch = student_branch(config)
    book = str(repository.get("path_to_book") or "").strip("/")
    path = f"{book}/{notebook}" if book else notebook
    interface = str(buttons.get("notebook_interface") or "classic")
    hub = buttons.get("jupyterhub_url") if jupyterhub_url is None else jupyterhub_url
    urls = {}
    if (buttons.get("binderhub_url") or "").strip():
        urls["Binder"] = binder_link(buttons["binderhub_url"], repo_url, branch, path, interface)
    if (hub or "").strip():
        urls["JupyterHub"] = jupyterhub_link(str(hub), repo_url, branch, path, interface, site_language(config))
    if (buttons.get("colab_url") or "").strip():
        urls["Colab"] = colab_link(buttons["colab_url"], repo_url, branch, path)
    return urls


# --- The student edition ----------------------------------------------------------------------


def lessons(root: Path = ROOT) -> list[Path]:
    """The instructor edition's lessons, in _toc.yml's order."""
    from csto_course.authoring.lesson import lesson_paths

    return lesson_paths(root)


def student_edition(root: Path = ROOT, out_dir: Path = STUDENT) -> Path:
    """The folder of student notebooks; written with csto_course.authoring.release if absent, incomplete or stale."""
    from csto_course.authoring import release

    folder = out_dir / "notebooks"
    stale = [
        lesson
        for lesson in lessons(root)
        if not (folder / lesson.name).exists() or (folder / lesson.name).stat().st_mtime < lesson.stat().st_mtime
    ]
    if stale:
        print(f"student_routes: writing the student edition to {out_dir} ({len(stale)} lesson(s) missing or stale)")
        status = release.main([str(out_dir), str(root)])
        if status != 0:
            raise SystemExit(status)
    return folder


# --- Rewriting the built site -----------------------------------------------------------------


def rewrite_launch_buttons(page: str, urls: dict[str, str] | None) -> str:
    """``page`` with its launch buttons set to ``urls`` (by button text), or removed when ``urls`` is None.

    A button the configuration no longer has (e.g. JupyterHub once its address is emptied) is removed.
    """
    block = _LAUNCH_BLOCK.search(page)
    if block is None:
        return page
    if urls is None:
        return page[: block.start()] + page[block.end() :]

    def item(match: re.Match[str]) -> str:
        service = _ITEM_SERVICE.search(match.group(0))
        if service is None:
            return match.group(0)
        url = urls.get(service.group(1))
        if url is None:
            return ""
        return _HREF.sub(lambda _: f'href="{html.escape(url, quote=True)}"', match.group(0), count=1)

    new_block = _ITEM.sub(item, block.group(0))
    if not _ITEM_SERVICE.search(new_block):
        new_block = ""
    return page[: block.start()] + new_block + page[block.end() :]


def rewrite_source_links(page: str, repo_url: str, branch: str, instructor_branch: str) -> str:
    """Point "edit" and "show source" links (``/edit/<branch>/``, ``/blob/<branch>/``) at the instructor branch."""
    base = re.escape(repo_url.rstrip("/"))
    pattern = re.compile(rf'(href="{base}/(?:edit|blob)/){re.escape(branch)}/')
    return pattern.sub(lambda m: f"{m.group(1)}{instructor_branch}/", page)


def remove_notebook_download(page: str) -> str:
    """``page`` without its ".ipynb" download button (the one the theme adds for a MyST notebook page)."""
    return _NOTEBOOK_DOWNLOAD_ITEM.sub("", page)


def has_marker(text: str) -> bool:
    return any(marker in text for marker in MARKERS)


def pages(site: Path, pattern: str) -> list[Path]:
    """The files of ``site`` matching ``pattern``, without the Russian site built inside the English one."""
    return sorted(p for p in site.rglob(pattern) if p.relative_to(site).parts[0] != RUSSIAN_FOLDER)


def apply(config: dict, site: Path = HTML, root: Path = ROOT, student: Path = STUDENT) -> list[str]:
    """Rewrite the built site in ``site``; return what was done, one line each."""
    done = []
    repository = config.get("repository") or {}
    repo_url = str(repository["url"])
    branch = student_branch(config)
    instructor = str(repository.get("instructor_branch") or "main")
    lesson_names = {lesson.stem for lesson in lessons(root)}
    students = student_edition(root, student)

    for path in pages(site, "*.html"):
        page = path.read_text(encoding="utf-8")
        rel = path.relative_to(site).with_suffix("").as_posix()
        is_lesson = rel.startswith("notebooks/") and Path(rel).name in lesson_names
        new = rewrite_source_links(page, repo_url, branch, instructor)
        if "dropdown-launch-buttons" in new:
            new = rewrite_launch_buttons(new, launch_urls(config, f"{rel}.ipynb") if is_lesson else None)
        download = site / "_sources" / f"{rel}.ipynb"
        if not is_lesson and download.exists() and has_marker(download.read_text(encoding="utf-8")):
            download.unlink()
            done.append(f"removed {download.relative_to(site)}: not a lesson, and it holds solution markers")
        if not download.exists():
            new = remove_notebook_download(new)
        if new != page:
            path.write_text(new, encoding="utf-8")
            done.append(f"rewrote the launch and source links of {path.relative_to(site)}")

    for name in sorted(lesson_names):
        target = site / "_sources" / "notebooks" / f"{name}.ipynb"
        edition = (students / f"{name}.ipynb").read_bytes()
        if target.exists() and target.read_bytes() != edition:
            target.write_bytes(edition)
            done.append(f"{target.relative_to(site)} is now the student edition")
    return done


# --- Checking ---------------------------------------------------------------------------------

_LAUNCH_HOSTS = re.compile(r'href="([^"]*(?:/v2/gh/|colab\.research\.google\.com|/git-pull\?)[^"]*)"')


def problems(config: dict, site: Path = HTML, root: Path = ROOT) -> list[str]:
    """Every route in the built site that does not lead to the student edition (empty when all is well)."""
    found = []
    lesson_names = {lesson.stem for lesson in lessons(root)}
    for path in pages(site, "*.html"):
        page = path.read_text(encoding="utf-8")
        rel = path.relative_to(site).with_suffix("").as_posix()
        hrefs = [html.unescape(h) for h in _LAUNCH_HOSTS.findall(page)]
        is_lesson = rel.startswith("notebooks/") and Path(rel).name in lesson_names
        expected = sorted(launch_urls(config, f"{rel}.ipynb").values()) if is_lesson else []
        if sorted(hrefs) != expected:
            found.append(f"{path.relative_to(site)}: launch links {hrefs}, expected {expected}")
    for notebook in pages(site, "*.ipynb"):
        text = notebook.read_text(encoding="utf-8")
        if has_marker(text):
            found.append(f"{notebook.relative_to(site)} holds a solution marker")
        rel = notebook.relative_to(site).as_posix()
        if rel.startswith("_sources/notebooks/") and notebook.stem in lesson_names:
            outputs = [c.get("outputs") for c in json.loads(text)["cells"] if c["cell_type"] == "code"]
            if any(outputs):
                found.append(f"{rel} has outputs, which would show the answers: it is not the student edition")
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folders = {"--html": HTML, "--root": ROOT, "--student": STUDENT}
    while len(args) >= 2 and args[0] in folders:
        folders[args[0]], args = Path(args[1]).resolve(), args[2:]
    site, root, student = folders["--html"], folders["--root"], folders["--student"]
    if any(a != "--check" for a in args):
        print(
            "usage: python tools/student_routes.py [--html SITE] [--root SOURCES] [--student DIR] [--check]",
            file=sys.stderr,
        )
        return 2
    if not any(site.rglob("*.html")):
        print(f"student_routes: no built site in {site}: run `make book` first.", file=sys.stderr)
        return 1
    config = load_config(root)
    shown = site.relative_to(ROOT) if site.is_relative_to(ROOT) else site
    try:
        if "--check" not in args:
            done = apply(config, site, root, student)
            print(f"student_routes: {len(done)} change(s) to {shown}")
        found = problems(config, site, root)
    except ValueError as error:
        print(f"student_routes: {error}", file=sys.stderr)
        return 1
    if found:
        print("student_routes: these routes do not lead to the student edition they should:", file=sys.stderr)
        for line in found:
            print(f"  - {line}", file=sys.stderr)
        return 1
    print("student_routes: every launch button and notebook download gives the student edition.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
