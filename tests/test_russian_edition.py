"""The Russian edition as files: its lessons (make ru-lessons), its student edition, its README, its JupyterLab.

The lessons are written from the English and the catalogs (csto_course.authoring.russian_edition) and
run in Russian by `make ru-lessons` into _build/ru/notebooks; nbval re-runs them in `make test`
(conftest.py gives their kernels the lessons' language). The tests here hold the built folder to the
current English and catalogs, show its outputs were made in Russian, and check the student copies'
Russian: the stubs, the handout's README (its own catalog, tools/student_readme.py) and JupyterLab's
Russian interface, installed wherever JupyterLab is (the ``lab`` group).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import nbformat
import polib
import pytest

from csto_course.authoring import russian_edition
from csto_course.authoring import translations as tr
from csto_course.authoring.lesson import check_calls, is_check_cell, lesson_paths, read_lesson, source_of
from csto_course.authoring.release import LAB_LOCALES, student_notebook
from csto_course.authoring.russian_edition import EditionError, lessons, write_lessons
from csto_course.language import translate

from .conftest import ROOT

LESSONS = lesson_paths(ROOT)
BUILT = ROOT / "_build" / "ru" / "notebooks"
CYRILLIC = re.compile("[а-яё]", re.I)
#: The verdicts check() shows (csto_course.exercises.check), English as the code writes them.
VERDICTS = ("Correct", "Not yet", "Not attempted yet", "Check your answer's type", "Unknown exercise")


def _tool(name: str) -> Any:
    """A module of tools/, loaded as the scripts load each other (tools/ on the path)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "tools"))


# --------------------------------------------------------------------------- the lessons' route


def test_every_lesson_is_written_in_russian_with_its_code_unchanged(tmp_path: Path) -> None:
    (tmp_path / "notebooks").mkdir()
    stale = tmp_path / "notebooks" / "99_dropped.ipynb"
    stale.write_text("{}", encoding="utf-8")
    written = write_lessons(tmp_path)
    assert [p.name for p in written] == [p.name for p in LESSONS]
    assert not stale.exists(), "a notebook that is no lesson any more is removed"
    for english, russian in zip(LESSONS, written, strict=True):
        source, edition = nbformat.read(english, as_version=4), nbformat.read(russian, as_version=4)
        assert edition.metadata["csto_course"] == {"language": "ru"}
        table = tr.usable_translations(tr.catalog_path(f"notebooks/{english.name}"))
        assert [c.source for c in edition.cells if c.cell_type == "code"] == [
            tr.translate_printed_words(c.source, table) for c in source.cells if c.cell_type == "code"
        ], "the code is the English code, with only the words it prints translated"
        markdown = [c.source for c in edition.cells if c.cell_type == "markdown"]
        assert all(CYRILLIC.search(text) for text in markdown[:3]), f"{russian.name} opens in English"


def test_a_lesson_not_published_stops_the_edition_with_one_sentence(tmp_path: Path) -> None:
    root = tmp_path / "course"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "locale", root / "locale")
    shutil.copy(ROOT / "_toc.yml", root / "_toc.yml")
    listing = root / "locale" / "ru" / "published.txt"
    listing.write_text(listing.read_text(encoding="utf-8").replace("notebooks/05_futures.ipynb\n", ""), "utf-8")
    with pytest.raises(
        EditionError, match=r"^notebooks/05_futures\.ipynb is not published in 'ru': .*published\.txt\.$"
    ):
        lessons("ru", root)


def test_the_command_says_so_in_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    everything = tr.published("ru")
    monkeypatch.setattr(russian_edition, "published", lambda lang, root: [p for p in everything if "05_" not in p])
    assert russian_edition.main([str(tmp_path)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("The 'ru' lessons were not written: notebooks/05_futures.ipynb is not published")
    assert len(error.splitlines()) == 1 and not (tmp_path / "notebooks").exists()


# --------------------------------------------------------------------------- the built, run lessons

needs_built = pytest.mark.skipif(
    not (BUILT / ".executed").exists() and not os.environ.get("CI"),
    reason="the Russian lessons are not built in _build/ru/notebooks: run `make ru-lessons`",
)


@needs_built
def test_the_built_russian_lessons_are_the_current_translation(tmp_path: Path) -> None:
    """What `make ru-lessons` ran is what the English and the catalogs give now (the stamp is not stale)."""
    assert sorted(p.name for p in BUILT.glob("*.ipynb")) == sorted(p.name for p in LESSONS)
    for current in write_lessons(tmp_path):
        built = nbformat.read(BUILT / current.name, as_version=4)
        wanted = nbformat.read(current, as_version=4)
        assert [c.source for c in built.cells] == [c.source for c in wanted.cells], f"{current.name}: make ru-lessons"


@needs_built
@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_the_built_russian_lessons_ran_in_russian_and_were_saved_as_make_execute_saves(lesson: str) -> None:
    normalize = _tool("normalize_notebooks")
    path = BUILT / lesson
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), f"{lesson}: not run from the top"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"], f"{lesson}: an error was saved"
    assert not normalize.normalize_file(path, write=False), f"{lesson} is not saved as make execute saves"
    assert normalize.problems(nb, lesson) == []
    english = [translate(v, "en") for v in VERDICTS]
    russian = [translate(v, "ru") for v in VERDICTS]
    checked = 0
    for cell in code:
        if not (is_check_cell(cell) and check_calls(cell.source)):
            continue
        text = "".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in cell.outputs)
        if not text:
            continue
        checked += 1
        assert any(f": {word}" in text for word in russian), f"{lesson}: {cell.source!r} answered {text!r}"
        assert not any(f": {word}" in text for word in english), f"{lesson}: {cell.source!r} answered in English"
    assert checked, f"{lesson}: no check's answer was saved"


# --------------------------------------------------------------------------- the student copies


def test_the_russian_student_edition_has_russian_stubs_and_locked_checks() -> None:
    path, russian = lessons("ru")[1]
    edition = student_notebook(russian, path.name)
    sources = "\n".join(source_of(c) for c in edition.cells)
    assert translate("# YOUR CODE HERE: replace the ... below.", "ru") in sources
    assert "YOUR CODE HERE" not in sources and "Write your answer here" not in sources
    checks = [c for c in edition.cells if is_check_cell(c)]
    assert checks and all(not c.metadata["editable"] and not c.metadata["deletable"] for c in checks)
    english = read_lesson(student_notebook(nbformat.read(path, as_version=4), path.name))
    assert [e.id for e in read_lesson(edition).exercises] == [e.id for e in english.exercises]


def test_the_handout_readme_is_translated_from_its_catalog() -> None:
    readme = _tool("student_readme")
    assert [str(p) for p in readme.readme_problems("ru")] == []
    russian = readme.handout_readme("csto_course-0.1.0-py3-none-any.whl", ROOT, "ru")
    english = readme.handout_readme("csto_course-0.1.0-py3-none-any.whl", ROOT, "en")
    assert "csto_course-0.1.0-py3-none-any.whl" in russian and "{" not in russian, "its fields are filled"
    shown = {text for text, is_paragraph in tr.paragraphs(english) if is_paragraph and tr.is_translatable(text)}
    left = [text for text, is_paragraph in tr.paragraphs(russian) if is_paragraph and text in shown]
    assert left == ["    csto_course-0.1.0-py3-none-any.whl"], "only the wheel's name is the same in both"


def test_a_gap_in_the_readmes_catalog_is_named(tmp_path: Path) -> None:
    readme = _tool("student_readme")
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    path = tr.catalog_path(readme.README_SOURCE, "ru", tmp_path)
    catalog = polib.pofile(str(path))
    entry = next(e for e in catalog if e.msgid.startswith("## Working through"))
    entry.msgstr = ""
    catalog.save(str(path))
    assert [str(p) for p in readme.readme_problems("ru", tmp_path)] == [
        "tools/student_readme.py: untranslated: '## Working through a lesson'"
    ]


def test_jupyterlabs_russian_interface_is_installed_wherever_jupyterlab_is() -> None:
    """The ``lab`` group has the language pack; so this environment (`make lab`, and the class hub's
    single-user servers, which run in it: hub/jupyterhub_config.py) lists ru_RU, and Binder's and a
    hub's image (binder/requirements.txt, from uv.lock) installs it."""
    pack = "jupyterlab-language-pack-" + LAB_LOCALES["ru"].replace("_", "-").lower()
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["dependency-groups"]
    assert any(r.lower().startswith(pack) for r in groups["lab"])
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    locked = next(p["version"] for p in lock["package"] if p["name"] == pack)
    assert f"{pack}=={locked}" in (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    listed = subprocess.run(
        [sys.executable, "-c", "import json; from jupyterlab_server.translation_utils import get_language_packs as g;"
         " print(json.dumps(g()[0]))"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    assert LAB_LOCALES["ru"] in json.loads(listed.stdout), f"JupyterLab here offers {listed.stdout}"


def test_the_words_a_lessons_code_prints_are_printed_in_russian(tmp_path: Path) -> None:
    """Lesson 0 prints counts with words beside them; the Russian lesson prints the Russian words,
    and its code still runs (Python parses it), with every value as the English computes it."""
    english = nbformat.read(LESSONS[0], as_version=4)
    printed = [w for c in english.cells if c.cell_type == "code" for w in tr.printed_words(c.source)]
    assert "days apart" in printed
    russian = nbformat.read(write_lessons(tmp_path)[0], as_version=4)
    code = [c.source for c in russian.cells if c.cell_type == "code"]
    assert not [w for w in printed if any(f'"{w}"' in c for c in code)], "an English printed word is left"
    assert any('"дней между ними"' in c for c in code)
    for cell in code:
        ast.parse(re.sub(r"(?m)^([ \t]*)[%!].*$", r"\1pass", cell))
