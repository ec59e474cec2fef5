"""The data package: valid by the Frictionless standard, every fact sourced, loads typed."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from csto_course import DataError, UnknownDatasetError, cite, datasets, load
from csto_course.authoring.bibliography import sources_bibtex
from csto_course.data import describe, package
from csto_course.website.bookpages import codebook_markdown

from .conftest import ROOT


def test_frictionless_validator_accepts_the_package() -> None:
    from frictionless import validate

    report = validate(str(ROOT / "data" / "datapackage.json"))
    problems = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
    problems += [e.message for e in report.errors]
    assert report.valid, "\n".join(problems[:20])


@pytest.mark.parametrize("name", datasets())
def test_every_dataset_loads_with_its_types(name: str) -> None:
    frame = load(name)
    assert len(frame) > 0
    resource = next(r for r in package()["resources"] if r["name"] == name)
    for field in resource["schema"]["fields"]:
        column = frame[field["name"]]
        kind = field.get("type", "string")
        if kind == "date":
            assert pd.api.types.is_datetime64_any_dtype(column), field["name"]
        elif kind == "boolean":
            assert column.dtype == "boolean", field["name"]
        elif kind == "integer":
            assert pd.api.types.is_integer_dtype(column), field["name"]
        elif field.get("constraints", {}).get("enum"):
            assert isinstance(column.dtype, pd.CategoricalDtype), field["name"]


def _cited_ids() -> dict[str, set[str]]:
    cited: dict[str, set[str]] = {}
    for name in datasets():
        if name in SOURCED_THROUGH:
            continue
        frame = load(name)
        for column in [c for c in frame.columns if c == "source_id" or c.endswith("_source")]:
            for value in frame[column].dropna():
                for part in str(value).split(";"):
                    cited.setdefault(part.strip(), set()).add(f"{name}.{column}")
    return cited


def test_every_cited_source_exists() -> None:
    known = set(load("sources")["id"])
    missing = {k: v for k, v in _cited_ids().items() if k not in known}
    assert not missing, f"Rows cite sources that are not in sources.csv: {missing}"


#: Tables whose rows need no source column of their own: the sources themselves, and the key to
#: the reading's claims, each of whose rows is a claim in `reading_claims`, which cites the sources.
SOURCED_THROUGH = {"sources": "itself", "reading_claims_key": "reading_claims"}


def test_every_row_of_every_dataset_cites_a_source() -> None:
    for name in datasets():
        if name in SOURCED_THROUGH:
            continue
        frame = load(name)
        columns = [c for c in frame.columns if c == "source_id" or c.endswith("_source")]
        assert columns, f"{name} has no source column"
        unsourced = frame[frame[columns].isna().all(axis=1)]
        assert unsourced.empty, f"{name}: rows without any source: {unsourced.index.tolist()}"


def test_every_source_has_url_title_publisher_and_access_date() -> None:
    sources = load("sources")
    for column in ["title", "publisher", "url", "accessed"]:
        assert sources[column].notna().all(), column
    assert sources["url"].str.match(r"https?://").all()


def test_no_source_from_a_known_disinformation_network() -> None:
    # The "Pravda" network republishes state propaganda under local-looking names.
    assert not load("sources")["url"].str.contains("news-pravda.com", regex=False).any()


def test_references_bib_is_generated_from_sources() -> None:
    committed = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    assert committed == sources_bibtex(), "book/references.bib is stale: run `make bib`"


def test_codebook_names_every_dataset_and_field() -> None:
    text = codebook_markdown()
    for resource in package()["resources"]:
        assert f"`{resource['name']}`" in text
        for field in resource["schema"]["fields"]:
            assert f"`{field['name']}`" in text
            assert field.get("description"), f"{resource['name']}.{field['name']} has no description"


def test_describe_lists_fields_in_order() -> None:
    fields = [f["name"] for f in package()["resources"][1]["schema"]["fields"]]
    assert describe(package()["resources"][1]["name"])["field"].tolist() == fields


def test_cite_names_licence_version_and_sources() -> None:
    text = cite("membership")
    assert "CC-BY-4.0" in text and package()["version"] in text
    first_source = load("membership")["source_id"].iloc[0].split(";")[0]
    url = load("sources").set_index("id").loc[first_source, "url"]
    assert url in text
    assert cite("membership", style="bibtex").startswith("@misc{csto_course_membership")


# --- Bad input: a clear message, never a bare traceback from deep inside pandas --------


def test_unknown_dataset_suggests_the_closest_or_lists_the_datasets() -> None:
    with pytest.raises(UnknownDatasetError) as err:
        load("state")
    message = str(err.value)
    assert "no dataset called 'state'" in message
    assert "did you mean load('states')?" in message
    with pytest.raises(UnknownDatasetError, match=rf"type datasets\(\) to list all {len(datasets())}"):
        load("xyzzy")


def test_wrong_type_for_a_dataset_name() -> None:
    with pytest.raises(TypeError, match="dataset name as text"):
        load(3)  # type: ignore[arg-type]


def test_a_student_mistake_is_a_course_error_of_the_expected_builtin_type() -> None:
    from csto_course.errors import CourseError, CourseTypeError, CourseValueError

    with pytest.raises(UnknownDatasetError) as unknown:
        load("nonexistent")
    assert isinstance(unknown.value, CourseError) and isinstance(unknown.value, KeyError)
    assert str(unknown.value).startswith("There is no dataset")  # no quotes added by KeyError
    with pytest.raises(CourseTypeError):
        load(5)  # type: ignore[arg-type]
    with pytest.raises(CourseValueError, match="style='bibtex'"):
        cite("states", style="apa")
    with pytest.raises(CourseTypeError, match="takes style as text"):
        cite("states", style=3)  # type: ignore[arg-type]
    with pytest.raises(UnknownDatasetError, match="did you mean describe\\('states'\\)"):
        describe("stats")
    assert issubclass(DataError, CourseError) and issubclass(DataError, ValueError)


def test_names_ignore_surrounding_spaces_and_capitals() -> None:
    assert load(" States").attrs["name"] == "states"
    assert describe("MEMBERSHIP ")["field"].tolist() == describe("membership")["field"].tolist()
    assert cite(" states", style=" BibTeX").startswith("@misc{csto_course_states")


def test_datasets_takes_no_name_but_still_takes_a_folder(data_copy: Path) -> None:
    from csto_course.errors import CourseTypeError

    with pytest.raises(CourseTypeError, match=r"takes no name: type datasets\(\) with empty brackets"):
        datasets("x")  # type: ignore[arg-type]
    with pytest.raises(CourseTypeError, match=r"to load 'states', type load\('states'\)"):
        datasets("States")  # type: ignore[arg-type]
    with pytest.raises(CourseTypeError, match="takes nothing in its brackets"):
        datasets(5)  # type: ignore[arg-type]
    assert datasets(folder=data_copy) == datasets(data_copy) == datasets()


def test_dataset_browser_checks_its_arguments() -> None:
    pytest.importorskip("ipywidgets")
    from csto_course.errors import CourseTypeError, CourseValueError
    from csto_course.views.datasets import dataset_browser

    for rows in (-3, 0, 51):
        with pytest.raises(CourseValueError, match="from 1 to 50 rows"):
            dataset_browser(rows=rows)
    for rows in ("5", True, 2.5, None):
        with pytest.raises(CourseTypeError, match="takes rows as a whole number"):
            dataset_browser(rows=rows)  # type: ignore[arg-type]
    with pytest.raises(UnknownDatasetError, match="did you mean dataset_browser\\('membership'\\)"):
        dataset_browser("membrship")
    with pytest.raises(CourseTypeError):
        dataset_browser(5)  # type: ignore[arg-type]
    picker, view = dataset_browser(" Membership", rows=3).children
    assert picker.value == "membership" and "The first 3:" in view.value
    picker, view = dataset_browser(None).children
    assert picker.value == "" and "Choose a dataset" in view.value
    picker.value = "states"
    assert "states: " in view.value
    picker.value = ""
    assert "Choose a dataset" in view.value


def test_dataset_browser_shows_a_broken_csv_as_a_sentence(data_copy: Path) -> None:
    pytest.importorskip("ipywidgets")
    from csto_course.views.datasets import dataset_browser

    (data_copy / "states.csv").write_bytes(b'iso3,iso2\n"ARM,AM\n')
    _, view = dataset_browser("states").children
    assert "states.csv could not be read as CSV" in view.value and "Traceback" not in view.value


def test_broken_date_names_file_line_and_column(data_copy: Path) -> None:
    path = data_copy / "membership.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("start_date")] = "1993-13-45"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load("membership")
    assert str(err.value).startswith("membership.csv, line 4, column 'start_date': '1993-13-45' is not a date")


def test_value_outside_the_allowed_list(data_copy: Path) -> None:
    path = data_copy / "membership.csv"
    text = path.read_text(encoding="utf-8").replace(",member,", ",observer,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"column 'status': 'observer' is not one of the allowed values"):
        load("membership")


def test_missing_column_is_named(data_copy: Path) -> None:
    path = data_copy / "states.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["iso2"])
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"states.csv: the header does not match the schema; missing column\(s\): iso2"):
        load("states")


def test_duplicate_key_is_found(data_copy: Path) -> None:
    path = data_copy / "states.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"states.csv, line \d+, column 'iso3': '\w+' repeats a value"):
        load("states")


def test_each_load_is_a_fresh_copy_and_a_saved_edit_is_read_again(data_copy: Path) -> None:
    first = load("states")
    first.loc[first.index[0], "iso3"] = "XXX"
    again = load("states")
    assert again is not first and again.loc[again.index[0], "iso3"] != "XXX"
    assert again.attrs["name"] == "states"
    path = data_copy / "states.csv"
    good = path.read_bytes()
    path.write_bytes(good.replace(b"\n", b"\n" + good.splitlines()[1] + b"\n", 1))  # a repeated row
    with pytest.raises(DataError, match="repeats"):
        load("states")
    path.write_bytes(good)
    pd.testing.assert_frame_equal(load("states"), again)


def test_unreadable_csv_is_reported(data_copy: Path) -> None:
    (data_copy / "states.csv").write_bytes(b'iso3,iso2\n"ARM,AM\n')
    with pytest.raises(DataError, match=r"states\.csv"):
        load("states")


def test_missing_package_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from csto_course import data

    monkeypatch.setenv("CSTO_DATA_DIR", str(tmp_path))
    data._read_package.cache_clear()
    try:
        with pytest.raises(DataError, match="No data package"):
            load("states")
    finally:
        data._read_package.cache_clear()


def test_datapackage_is_tidy_json() -> None:
    text = (ROOT / "data" / "datapackage.json").read_text(encoding="utf-8")
    meta = json.loads(text)
    assert {r["path"] for r in meta["resources"]} <= {p.name for p in (ROOT / "data").glob("*.csv")}
    assert Path(ROOT / "data").joinpath("datapackage.json").exists()


def _export(*flags: str) -> str:
    import shutil
    import subprocess

    uv = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    if not Path(uv).exists():
        pytest.skip("uv is not installed here")
    command = [uv, "export", *flags]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout


def _pins(requirements: str) -> set[str]:
    return {line.split(" ")[0] for line in requirements.splitlines() if "==" in line and not line.startswith("#")}


def test_binder_requirements_match_the_lock() -> None:
    """Binder (and a hub's image) gets the lessons' runtime set plus JupyterLab, from the lock, and no tools."""
    binder = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    flags = next(line for line in makefile.splitlines() if line.startswith("BINDER_EXPORT :=")).split(":=")[1].split()
    assert binder == _export(*flags), "run `make binder`"
    groups = {flags[i + 1] for i, flag in enumerate(flags) if flag == "--group"}
    runtime = _pins(_export(*[f for f in flags if f != "--group" and f not in groups]))
    assert runtime <= _pins(binder)
    names = {pin.split("==")[0] for pin in _pins(binder)}
    for tool in ("jupyter-book", "pytest", "nbval", "playwright", "nbgrader", "ruff"):
        assert tool not in names, f"{tool} is a development tool; binder/requirements.txt should not install it"
    assert "jupyterlab" in names
    # binder/postBuild builds the course package with no build isolation: the backend is pinned here.
    backend = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    assert {re.split(r"[<>=!~ ;\[]", requirement)[0] for requirement in backend} <= names
    assert (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"
