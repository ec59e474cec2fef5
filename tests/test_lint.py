"""`make lint` and the optional pre-commit hooks: the same checks, none of them needing the network."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("lint_prose", ROOT / "tools" / "lint_prose.py")
assert _spec and _spec.loader
lint_prose = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lint_prose)

#: What `make lint` runs, as the start of each command (after .venv/bin/).
CHECKS = (
    "ruff check",
    "ruff format --check",
    "mypy",
    "python tools/lint_prose.py",
    "python tools/normalize_notebooks.py",
)
#: A misspelling codespell knows, written in two halves so that this file passes the check.
TYPO = "recie" + "ved"


def _hooks() -> list[dict]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def test_pre_commit_hooks_are_local_and_run_the_courses_own_tools() -> None:
    """A hook from a remote repository is cloned from GitHub at install time, which fails offline."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert not re.search(
        r"https?://|git@", (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8").split("repos:")[1]
    )
    for hook in _hooks():
        assert hook["language"] in {"system", "unsupported"}, f"{hook['id']} would build an environment of its own"
        assert hook["entry"].startswith(".venv/bin/"), f"{hook['id']} does not run the course's own copy of its tool"


def test_the_hooks_and_make_lint_run_the_same_checks() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("LINT_CHECKS =")[1].split("\n\n")[0]
    entries = [hook["entry"].removeprefix(".venv/bin/") for hook in _hooks()]
    for check in CHECKS:
        assert f'"{check}' in lint, f"make lint does not run {check}"
        assert any(entry.startswith(check) for entry in entries), f"no pre-commit hook runs {check}"


def _lesson(tmp_path: Path, markdown: str, output: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A lesson"), nbformat.v4.new_markdown_cell(markdown)]
    nb.cells.append(nbformat.v4.new_code_cell("print(text)", execution_count=1))
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    for index, cell in enumerate(nb.cells):
        cell.id = f"c{index:03d}"
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, path)
    return path


def test_prose_check_reads_a_lessons_cells_but_not_its_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = _lesson(tmp_path, "The treaty was signed in Tashkent.", f"An output is data, not prose: {TYPO}\n")
    assert lint_prose.run_codespell([clean]) == 0

    typo = _lesson(tmp_path, f"The appeal was {TYPO} in Moscow.", "fine\n")
    capsys.readouterr()
    assert lint_prose.run_codespell([typo]) != 0
    assert f"lesson.ipynb, cell 1 (c001, markdown), line 1: {TYPO} ==> received" in capsys.readouterr().out


def test_prose_check_knows_the_courses_own_words(tmp_path: Path) -> None:
    """Words in .codespell-words.txt, such as a Romanian title's "grup", are not misspellings."""
    words = (ROOT / ".codespell-words.txt").read_text(encoding="utf-8").split()
    assert words == sorted(words) and all(w == w.lower() for w in words)
    page = tmp_path / "page.md"
    page.write_text(f"The Russian-led Bloc sent a {words[-1]} operativ.\n", encoding="utf-8")
    assert lint_prose.run_codespell([page]) == 0


def test_prose_check_covers_the_prose_and_leaves_out_generated_and_vendored_files() -> None:
    files = {str(path) for path in lint_prose.default_files()}
    assert {"README.md", "book/index.md", "data/sources.csv", "notebooks/01_origins.ipynb"} <= files
    assert "src/csto_course/measures.py" in files
    assert not any(f.startswith(("book/_static", "tools/vendor", "_build")) or f.endswith(".bib") for f in files)
