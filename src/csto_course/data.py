"""Load the course datasets as typed pandas DataFrames, and say where each fact came from.

The single description of every dataset is ``data/datapackage.json`` (Frictionless Data
Package v2). Everything here reads that file, so the types, the codebook page and the
citations cannot drift apart from the data itself.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import CourseError, CourseTypeError, CourseValueError, course_function, kind_of
from .language import _, current, display

__all__ = [
    "DataError",
    "UnknownDatasetError",
    "data_dir",
    "dataset_name",
    "datasets",
    "describe",
    "load",
    "as_of",
    "iso_date",
    "cite",
    "sources_for",
    "package",
]

ROOT = Path(__file__).resolve().parents[2]


class DataError(CourseError, ValueError):
    """A CSV file does not match its schema; the message names the file, row and column.

    A student who edits a CSV and breaks it sees that one sentence, not a traceback.
    """


class UnknownDatasetError(CourseError, KeyError):
    """A dataset name that is not in the data package; the message suggests the closest."""


def data_dir() -> Path:
    """The folder that holds ``datapackage.json``.

    ``CSTO_DATA_DIR`` overrides it, so tests (and curious students) can point the
    loader at a copy of the data without touching the course's own files.
    """
    if "CSTO_DATA_DIR" in os.environ:
        return Path(os.environ["CSTO_DATA_DIR"])
    if (ROOT / "data" / "datapackage.json").exists():  # a clone of the repository
        return ROOT / "data"
    return Path(__file__).resolve().parent / "_data"  # an installed wheel (Colab, a hub)


@lru_cache(maxsize=8)
def _read_package(folder: str) -> dict[str, Any]:
    path = Path(folder) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(_("No data package at {path}: is this a full copy of the course?").format(path=path)) from None
    except json.JSONDecodeError as err:
        raise DataError(
            _("{path} is not valid JSON (line {line}): {error}").format(path=path, line=err.lineno, error=err.msg)
        ) from None


def package(folder: Path | None = None) -> dict[str, Any]:
    """The parsed ``datapackage.json``."""
    return _read_package(str(folder or data_dir()))


@course_function
def datasets(folder: Path | None = None) -> list[str]:
    """Names of the datasets a student can ``load``: type ``datasets()`` with empty brackets.

    ``folder`` (a :class:`~pathlib.Path`) reads another copy of the data, for tests. A
    student who writes a name in the brackets, ``datasets("states")``, is told to use
    ``load`` instead: text is never taken as a folder, since no lesson passes one.
    """
    if isinstance(folder, str):
        wanted = folder.strip().casefold()
        names = [r["name"] for r in package()["resources"]]
        close = [wanted] if wanted in names else difflib.get_close_matches(wanted, names, n=1)
        todo = (
            _("to load '{name}', type load('{name}')").format(name=close[0])
            if close
            else _("type datasets() with empty brackets")
        )
        raise CourseTypeError(_("datasets() lists every dataset and takes no name: {todo}.").format(todo=todo))
    if folder is not None and not isinstance(folder, os.PathLike):
        raise CourseTypeError(
            _("datasets() takes nothing in its brackets: type datasets() to list the datasets (it got {kind}).").format(
                kind=kind_of(folder)
            )
        )
    return [r["name"] for r in package(folder)["resources"]]


def _resource(name: Any, folder: Path | None = None, caller: str = "load") -> dict[str, Any]:
    """The resource called ``name`` (spaces around it and capitals ignored), or one sentence why not."""
    if not isinstance(name, str):
        raise CourseTypeError(
            _("{caller}() takes a dataset name as text, in quotes, such as {caller}('states'); it got {kind}.").format(
                caller=caller, kind=kind_of(name)
            )
        )
    resources = {r["name"].casefold(): r for r in package(folder)["resources"]}
    wanted = name.strip().casefold()
    if wanted in resources:
        return resources[wanted]
    if not wanted:
        raise UnknownDatasetError(
            _(
                "{caller}() needs the name of a dataset, such as {caller}('states'): type datasets() to list them all."
            ).format(caller=caller)
        )
    close = difflib.get_close_matches(wanted, list(resources), n=1)
    if close:
        suggestion = resources[close[0]]["name"]
        raise UnknownDatasetError(
            _("There is no dataset called '{name}': did you mean {caller}('{suggestion}')?").format(
                name=name, caller=caller, suggestion=suggestion
            )
        )
    raise UnknownDatasetError(
        _(
            "There is no dataset called '{name}': type datasets() to list all {count}, or start with "
            "{caller}('states')."
        ).format(name=name, count=len(resources), caller=caller)
    )


def dataset_name(name: Any, caller: str = "load") -> str:
    """The dataset's name as the package spells it, or one sentence saying what to type instead.

    Other modules check a student's dataset name with this, so every function answers a
    typo the same way ``load`` does.
    """
    return str(_resource(name, caller=caller)["name"])


@dataclass(frozen=True)
class _Problem:
    line: int
    column: str
    value: str
    why: str


def _convert(series: pd.Series, field: dict[str, Any], path: Path) -> pd.Series:
    """Turn one CSV column of text into the type its schema names, or say where it breaks."""
    name, kind = field["name"], field.get("type", "string")
    constraints = field.get("constraints", {})
    text = series.astype("string").str.strip().replace("", pd.NA)
    problems: list[_Problem] = []

    def bad(mask: pd.Series, why: str) -> None:
        for idx in mask[mask].index[:3]:
            # +2: one for the header line, one because CSV lines count from 1.
            problems.append(_Problem(int(idx) + 2, name, str(series[idx]), why))

    if constraints.get("required"):
        bad(text.isna(), "a value is required")
    if kind == "date":
        out = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        bad(text.notna() & out.isna(), _("is not a date of the form YYYY-MM-DD"))
    elif kind == "integer":
        out = pd.to_numeric(text, errors="coerce")
        bad(text.notna() & (out.isna() | (out % 1 != 0)), _("is not a whole number"))
        out = out.astype("Int64") if not problems else out
    elif kind == "number":
        out = pd.to_numeric(text, errors="coerce").astype("Float64")
        bad(text.notna() & out.isna(), _("is not a number"))
    elif kind == "boolean":
        truthy = {v.lower() for v in field.get("trueValues", ["true"])}
        falsy = {v.lower() for v in field.get("falseValues", ["false"])}
        low = text.str.lower()
        bad(text.notna() & ~low.isin(truthy | falsy), _("is not true or false"))
        out = low.map(lambda v: True if v in truthy else (False if v in falsy else pd.NA)).astype("boolean")
    else:
        out = text
        enum = constraints.get("enum")
        if enum:
            bad(
                text.notna() & ~text.isin(enum),
                _("is not one of the allowed values ({values})").format(values=", ".join(enum)),
            )
            if not problems:
                out = pd.Categorical(text, categories=enum)
                out = pd.Series(out, index=series.index, name=name)
        pattern = constraints.get("pattern")
        if pattern:
            bad(
                text.notna() & ~text.str.fullmatch(pattern).fillna(False).astype(bool),
                _("does not match the pattern {pattern}").format(pattern=pattern),
            )
    if constraints.get("unique"):
        bad(text.notna() & text.duplicated(keep="first"), _("repeats a value that must be unique"))
    if problems:
        first = problems[0]
        where = {"file": path.name, "line": first.line, "column": first.column, "value": first.value, "why": first.why}
        if len(problems) > 1:
            raise DataError(
                _(
                    "{file}, line {line}, column '{column}': '{value}' {why}. ({more} more problem(s) in this column)"
                ).format(**where, more=len(problems) - 1)
            )
        raise DataError(_("{file}, line {line}, column '{column}': '{value}' {why}.").format(**where))
    return out


#: Checked tables already read, by file and by what the file and its schema say: a check cell
#: reads the data it grades against, and checking a CSV's every column costs tens of
#: milliseconds, while reading and hashing its bytes costs well under one.
_LOADED: dict[str, tuple[str, pd.DataFrame]] = {}


def _second_name(folder: object, name: object) -> None:
    """Refuse a second argument to ``load`` that is not a folder: a student passed two dataset names, or a stray value.

    ``folder`` is for tests, which pass a :class:`~pathlib.Path`; no lesson passes one.
    """
    if folder is None or isinstance(folder, os.PathLike):
        return
    if isinstance(folder, str) and isinstance(name, str) and folder.strip().casefold() in map(str.casefold, datasets()):
        raise CourseTypeError(
            _("load() reads one dataset at a time: write load('{name}') and load('{other}').").format(
                name=name, other=folder
            )
        )
    raise CourseTypeError(
        _("load() takes one dataset name, such as load('states'); it got a second value, {kind}.").format(
            kind=kind_of(folder)
        )
    )


@course_function
def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Return dataset ``name`` as a DataFrame with dates parsed and categories set.

    A CSV that breaks its schema raises :class:`DataError` naming the file, the line and
    the column, so a broken edit is found at once rather than as an odd chart later.
    Each call returns a fresh copy, so changing it changes no one else's; a file saved
    again with other contents is read and checked again.
    """
    _second_name(folder, name)
    resource = _resource(name, folder)
    path = (folder or data_dir()) / resource["path"]
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise DataError(
            _("The file {path} for dataset '{name}' is missing.").format(path=resource["path"], name=resource["name"])
        ) from None
    digest = hashlib.blake2b(content + json.dumps(resource, sort_keys=True).encode()).hexdigest()
    seen = _LOADED.get(str(path))
    if seen is None or seen[0] != digest:
        seen = _LOADED[str(path)] = (digest, _read_checked(resource, content, path))
    return _in_language(seen[1].copy(), resource, current())


def _in_language(frame: pd.DataFrame, resource: dict[str, Any], language: str) -> pd.DataFrame:
    """The words of ``frame`` a student reads in ``language``: each field the schema marks
    ``translated`` (a name, a title, the record's prose). A field with allowed values (a status, a
    vote) is a code the lessons' code compares with, so it stays as the data spell it; the views show
    it in the reader's language."""
    if language == "en":
        return frame
    for field in resource["schema"]["fields"]:
        if field.get("translated") and not field.get("constraints", {}).get("enum"):
            column = field["name"]
            words = frame[column]
            frame[column] = words.map(lambda v: display(v, language) if isinstance(v, str) else v).astype(words.dtype)
    frame.attrs["title"] = display(str(frame.attrs.get("title", "")), language)
    return frame


def _read_checked(resource: dict[str, Any], content: bytes, path: Path) -> pd.DataFrame:
    """Parse one CSV's bytes and check them against its schema (see :func:`load`)."""
    name = resource["name"]
    try:
        raw = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(
            _("{file} is not saved as UTF-8 text: save it again as 'CSV UTF-8'.").format(file=path.name)
        ) from None
    except (pd.errors.ParserError, csv.Error) as err:
        reason = " ".join(str(err).split())  # one line, whatever the parser wrote
        raise DataError(
            _("{file} could not be read as CSV ({reason}): look for a stray quote mark or comma.").format(
                file=path.name, reason=reason
            )
        ) from None
    fields = resource["schema"]["fields"]
    expected = [f["name"] for f in fields]
    if list(raw.columns) != expected:
        missing = [c for c in expected if c not in raw.columns]
        extra = [c for c in raw.columns if c not in expected]
        parts = [_("{file}: the header does not match the schema").format(file=path.name)]
        if missing:
            parts.append(_("missing column(s): {columns}").format(columns=", ".join(missing)))
        if extra:
            parts.append(_("unexpected column(s): {columns}").format(columns=", ".join(extra)))
        if not missing and not extra:
            parts.append(_("the columns are in a different order"))
        raise DataError("; ".join(parts) + ".")
    frame = pd.DataFrame({f["name"]: _convert(raw[f["name"]], f, path) for f in fields})
    key = resource["schema"].get("primaryKey")
    if key:
        keys = [key] if isinstance(key, str) else list(key)
        dup = frame.duplicated(subset=keys, keep="first")
        if dup.any():
            line = int(dup[dup].index[0]) + 2
            raise DataError(
                _("{file}, line {line}: the key {keys} repeats an earlier row.").format(
                    file=path.name, line=line, keys=keys
                )
            )
    frame.attrs["name"] = name
    frame.attrs["title"] = resource.get("title", name)
    return frame


def iso_date(value: Any, precision: Any = "day") -> str:
    """An ISO 8601 date no more precise than the data know it: '1992', '2021-05' or '2021-05-12'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    stamp = pd.Timestamp(value)
    precision = precision if isinstance(precision, str) and precision else "day"
    return {"year": f"{stamp:%Y}", "month": f"{stamp:%Y-%m}"}.get(precision, f"{stamp:%Y-%m-%d}")


@course_function
def as_of() -> pd.Timestamp:
    """The date the data were last checked: an open spell is known to run at least to here."""
    return pd.Timestamp(package()["created"][:10])


@course_function
def describe(name: str) -> pd.DataFrame:
    """The codebook of one dataset: each field's name, type, allowed values and meaning."""
    resource = _resource(name, caller="describe")
    rows = []
    for f in resource["schema"]["fields"]:
        enum = f.get("constraints", {}).get("enum")
        rows.append(
            {
                "field": f["name"],
                "type": f.get("type", "string"),
                "required": bool(f.get("constraints", {}).get("required", False)),
                "allowed values": ", ".join(enum) if enum else "",
                "description": display(f.get("description", "")) if f.get("description") else "",
            }
        )
    return pd.DataFrame(rows)


@course_function
def sources_for(name: str) -> pd.DataFrame:
    """The sources that rows of dataset ``name`` cite, from the shared sources table."""
    frame = load(name)
    cited: set[str] = set()
    for column in [c for c in frame.columns if c == "source_id" or c.endswith("_source")]:
        for value in frame[column].dropna():
            cited.update(part.strip() for part in str(value).split(";") if part.strip())
    sources = load("sources")
    return sources[sources["id"].isin(cited)].reset_index(drop=True)


def bibtex_entry(key: str, fields: dict[str, str], *, keep_empty: bool = False) -> str:
    """One ``@misc`` BibTeX entry, the course's one writer of them (``cite`` and ``make bib``).

    Each value is braced as given; a field with no value is left out unless ``keep_empty``.
    """
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v or keep_empty)
    return f"@misc{{{key},\n{body}\n}}"


@course_function
def cite(name: str, style: str = "text") -> str:
    """How to cite dataset ``name``: the course data, its version and licence, and its sources.

    ``style`` is ``"text"`` for a sentence to paste into an essay, ``"bibtex"`` for a
    reference manager.
    """
    meta = package()
    resource = _resource(name, caller="cite")
    name = resource["name"]
    if not isinstance(style, str):
        raise CourseTypeError(
            _("cite() takes style as text, 'text' or 'bibtex'; it got {kind}.").format(kind=kind_of(style))
        )
    style = style.strip().casefold()
    if style not in ("text", "bibtex"):
        raise CourseValueError(
            _("cite() has two styles, 'text' and 'bibtex', not '{style}': try cite('{name}', style='bibtex').").format(
                style=style, name=name
            )
        )
    version = meta.get("version", "")
    licence = (resource.get("licenses") or meta.get("licenses") or [{}])[0].get("name", "")
    title = resource.get("title", name)
    home = meta.get("homepage", "")
    if style == "bibtex":
        fields = {
            "title": title,
            "author": "{A Fading Alliance? course contributors}",
            "year": meta.get("created", "")[:4],
            "version": version,
            "note": f"Dataset '{name}', licence {licence}",
            "url": home,
        }
        return bibtex_entry(f"csto_course_{name}", fields, keep_empty=True)
    srcs = sources_for(name) if name != "sources" else load("sources").iloc[0:0]
    lines = [
        _(
            "A Fading Alliance? course contributors. \"{title}\" (dataset '{name}'), version {version}, "
            "licence {licence}. {home}"
        ).format(title=display(title), name=name, version=version, licence=licence, home=home)
    ]
    if len(srcs):  # each source as published, in its own language
        lines.append(_("Compiled from:"))
        for row in srcs.itertuples():
            who = row.author if isinstance(row.author, str) else row.publisher
            when = row.published if isinstance(row.published, str) else _("undated")
            lines.append(f'  - {who}, "{row.title}" ({when}). {row.url}')
    return "\n".join(lines)
