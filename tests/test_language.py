"""check() speaks the notebook's language, never the machine's, from a catalog the package carries."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import polib
import pytest

from csto_course import check
from csto_course import language as lang
from csto_course.authoring import translations as tr

ROOT = Path(__file__).resolve().parents[1]


def _notebook(folder: Path, language: str | None) -> Path:
    notebook = nbformat.v4.new_notebook()
    if language:
        notebook.metadata["csto_course"] = {"language": language}
    path = folder / f"lesson-{language}.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def machine_in(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No language chosen by the course's variable; the tests set the machine's locale themselves."""
    monkeypatch.delenv(lang.ENVIRONMENT, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    return monkeypatch


def test_a_russian_notebook_gets_russian_feedback_on_an_english_machine(tmp_path: Path, machine_in) -> None:
    machine_in.setenv("LANG", "en_US.UTF-8")
    machine_in.setenv("LANGUAGE", "en")
    machine_in.setenv("JPY_SESSION_NAME", str(_notebook(tmp_path, "ru")))
    assert lang.current() == "ru"
    assert repr(check("getting-started-1", None)).startswith("? getting-started-1: Проверьте тип ответа. Ваш ответ")
    assert "Замените ..." in repr(check("getting-started-1"))


def test_an_english_notebook_gets_english_feedback_on_a_russian_machine(tmp_path: Path, machine_in) -> None:
    machine_in.setenv("LANG", "ru_RU.UTF-8")
    machine_in.setenv("LANGUAGE", "ru")
    machine_in.setenv("JPY_SESSION_NAME", str(_notebook(tmp_path, None)))
    assert lang.current() == "en"
    assert repr(check("getting-started-1", None)).startswith("? getting-started-1: Check your answer's type.")


def test_without_a_notebook_the_course_variable_chooses(tmp_path: Path, machine_in) -> None:
    assert lang.current() == "en"
    machine_in.setenv(lang.ENVIRONMENT, "ru")
    assert lang.current() == "ru"
    machine_in.setenv(lang.ENVIRONMENT, "fr")  # not a language of the course
    assert lang.current() == "en"
    machine_in.setenv("JPY_SESSION_NAME", str(tmp_path / "gone.ipynb"))  # a notebook since deleted
    assert lang.current() == "en"
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ not json", encoding="utf-8")
    machine_in.setenv("JPY_SESSION_NAME", str(broken))
    assert lang.current() == "en"


def test_a_message_keeps_its_values_in_russian(machine_in) -> None:
    machine_in.setenv(lang.ENVIRONMENT, "ru")
    feedback = repr(check("getting-started-9", 3))
    assert feedback == (
        "? getting-started-9: Неизвестное упражнение. Упражнения с идентификатором 'getting-started-9' нет: "
        "может быть, имелось в виду 'getting-started-3'?"
    )


def test_the_compiled_catalog_is_the_catalog(tmp_path: Path) -> None:
    """The .mo in the package is what `make translations` writes from the .po (nothing stale)."""
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    catalog = polib.pofile(str(tr.catalog_path(tr.PACKAGE)))
    written = tr.compile_package(catalog, root=tmp_path)
    assert written.read_bytes() == tr.compiled_path().read_bytes(), "run `make translations`"
    graders = tr.compiled_graders_path(root=tmp_path)
    assert graders.read_bytes() == tr.compiled_graders_path().read_bytes(), "run `make translations`"


def test_every_message_shown_by_the_package_is_in_the_catalog() -> None:
    assert tr.PACKAGE in tr.published(), "the package's messages are published in Russian"
    assert [str(p) for p in tr.problems(tr.PACKAGE)] == []


def test_numbers_group_their_thousands_as_the_language_writes_them() -> None:
    assert lang.number(2030, "en") == "2,030"
    assert lang.number(2030, "ru") == "2\u00a0030"  # a no-break space: the number stays on one line
    assert lang.number(999, "ru") == "999"
    with lang.speaking("ru"):
        assert lang.number(50_000) == "50\u00a0000"


def test_a_russian_reader_reads_the_datas_words_in_russian_and_its_codes_as_written(machine_in) -> None:
    """load() in Russian: the fields the datapackage marks ``translated`` come from data.po, codes stay."""
    from csto_course.data import _resource, describe, load

    english = load("crises").set_index("crisis_id")
    with lang.speaking("ru"):
        russian = load("crises").set_index("crisis_id")
        codebook = describe("crises")
    fields = {f["name"]: f for f in _resource("crises")["schema"]["fields"]}
    for column, field in fields.items():
        if column == "crisis_id":
            continue
        if field.get("translated") and not field.get("constraints", {}).get("enum"):
            for crisis, value in english[column].dropna().items():
                assert russian.loc[crisis, column] == lang.display(value, "ru") != value, (crisis, column)
        else:
            assert russian[column].equals(english[column]), column
    assert all(lang.display(d, "ru") == d for d in codebook["description"] if d), "shown in Russian already"
    assert any(ch in "абвгдеж" for ch in "".join(codebook["description"]))
