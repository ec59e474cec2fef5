"""Stage the sources of the student website in _build/student-site (run by `make student-book`).

The student website is the book as a student may read it: the same pages and lessons, built
by Jupyter Book in the same way (`make student-book` then builds this folder with the flags of
`make book`), but with no solution, model answer or check's "Correct." in it. The folder holds:

- ``_config.yml``, copied as it is (its paths, ``book/_static`` and ``book/references.bib``,
  resolve in the copy of ``book/``; the Sphinx extension is the installed course package);
- ``_toc.yml`` without the pages for instructors (:data:`INSTRUCTOR_PAGES`: the guide, which
  prints the answer key, and running a class on a hub);
- ``book/`` without those pages, without the sections for instructors of other pages
  (:data:`INSTRUCTOR_SECTIONS`), and with each link to a page left out turned into its text;
- ``notebooks/``: each lesson's edition for the website (``csto_course.authoring.release.
  website_notebook``), which keeps the outputs a student may see.

A file is written only when its content changed, so Sphinx re-reads only the pages that did.
``--from`` stages from other sources than the repository's: the Russian site's
(``csto_course.website.russian_site``), whose sections for instructors have Russian headings,
read from the page's catalog.

    python tools/student_site.py [OUT_DIR] [--from SOURCES]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import nbformat
import yaml

from csto_course.authoring.lesson import lesson_paths
from csto_course.authoring.release import ReleaseError, website_notebook
from csto_course.authoring.translations import catalog_path, translate_markdown, usable_translations
from csto_course.website.russian_site import remove_unwritten, write_if_changed

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "student-site"
#: Where Jupyter Book writes the student website (its default output folder under the sources).
HTML = SITE / "_build" / "html"

#: Pages written for instructors only (their _toc.yml entries), left out of the student website.
INSTRUCTOR_PAGES = ("book/instructors", "book/hub")
#: Sections of other pages written for instructors: page -> the heading of the section left out.
INSTRUCTOR_SECTIONS = {"book/how-to-use.md": "For instructors"}

_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")


def student_toc(toc: dict) -> dict:
    """``_toc.yml`` without the instructor pages (and without a part that would be left empty)."""
    out = dict(toc)
    parts = []
    for part in toc.get("parts", []):
        chapters = [c for c in part.get("chapters", []) if c.get("file") not in INSTRUCTOR_PAGES]
        if chapters:
            parts.append({**part, "chapters": chapters})
    out["parts"] = parts
    return out


def headings(page: str, heading: str) -> list[str]:
    """``heading`` and its translations (the Russian page's), from the page's catalog."""
    found = [heading]
    translated = translate_markdown(f"## {heading}", usable_translations(catalog_path(page)))
    if translated.startswith("## ") and translated[3:] != heading:
        found.append(translated[3:])
    return found


def drop_section(text: str, heading: str, *others: str) -> str:
    """``text`` without the Markdown section under ``heading`` (or the first of ``others`` it has),
    up to the next heading of its level or above."""
    match = None
    for name in (heading, *others):
        match = match or re.search(rf"^(#+)[ \t]+{re.escape(name)}[ \t]*\n", text, re.M)
    if match is None:
        raise SystemExit(f"student_site: no section {heading!r} to leave out; update INSTRUCTOR_SECTIONS")
    level = len(match.group(1))
    following = re.compile(rf"^#{{1,{level}}}[ \t]", re.M).search(text, match.end())
    return text[: match.start()] + (text[following.start() :] if following else "")


def unlink(text: str, page: str, removed: tuple[str, ...] = INSTRUCTOR_PAGES) -> tuple[str, int]:
    """Links in ``page`` (a path such as ``book/syllabus.md``) to a removed page become their text."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        target = match.group(2).split("#", 1)[0]
        if not target or "://" in target or target.startswith("mailto:"):
            return match.group(0)
        parts: list[str] = []
        for piece in (PurePosixPath(page).parent / target).parts:
            if piece == "..":
                parts = parts[:-1]
            elif piece != ".":
                parts.append(piece)
        resolved = "/".join(parts)
        if re.sub(r"\.(md|ipynb|html)$", "", resolved) not in removed:
            return match.group(0)
        count += 1
        return match.group(1)

    return _LINK.sub(replace, text), count


def stage(root: Path = ROOT, out: Path = SITE, log: Callable[[str], object] = print) -> None:
    """Write the student website's sources for the course at ``root`` into ``out``."""
    written: set[Path] = set()
    write_if_changed(out / "_config.yml", (root / "_config.yml").read_bytes(), written)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    header = "# The student website's table of contents, written by tools/student_site.py from _toc.yml.\n"
    write_if_changed(out / "_toc.yml", (header + yaml.safe_dump(student_toc(toc), sort_keys=False)).encode(), written)
    skipped = {f"{page}.md" for page in INSTRUCTOR_PAGES}
    for source in sorted((root / "book").rglob("*")):
        rel = source.relative_to(root).as_posix()
        if not source.is_file() or rel in skipped:
            continue
        if source.suffix != ".md":
            write_if_changed(out / rel, source.read_bytes(), written)
            continue
        text = source.read_text(encoding="utf-8")
        if rel in INSTRUCTOR_SECTIONS:
            text = drop_section(text, *headings(rel, INSTRUCTOR_SECTIONS[rel]))
            log(f"  {rel}: left out the section {INSTRUCTOR_SECTIONS[rel]!r}")
        text, count = unlink(text, rel)
        if count:
            log(f"  {rel}: {count} link(s) to a page for instructors turned into text")
        write_if_changed(out / rel, text.encode("utf-8"), written)
    for path in lesson_paths(root):
        edition = website_notebook(nbformat.read(path, as_version=4), name=f"notebooks/{path.name}")
        write_if_changed(out / "notebooks" / path.name, nbformat.writes(edition).encode("utf-8") + b"\n", written)
    remove_unwritten(out, written)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = ROOT
    if len(args) >= 2 and args[-2] == "--from":
        root, args = Path(args[-1]).resolve(), args[:-2]
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print("usage: python tools/student_site.py [OUT_DIR] [--from SOURCES]", file=sys.stderr)
        return 2
    out = Path(args[0]).resolve() if args else SITE
    print(f"student_site: staging the student website's sources in {out}")
    try:
        stage(root, out)
    except ReleaseError as error:
        print(f"student_site: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
