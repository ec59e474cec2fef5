"""The lessons' charts, tables and widgets in a Russian notebook: their words and the data's names in Russian.

The views are found through the lessons' code cells (every call of a view function), so a view a
lesson starts to use is tested here, or this test says it needs a way to build it. In Russian, a
chart's titles, axis, legend and tooltip titles, menus and sliders, label expressions and text
alternative must read as Russian: Cyrillic, and no Latin word of three letters or more (field
names, codes and ids are not text a student reads, and are left aside). The data's display names
(a state, a crisis, a resolution's title, a status) come out in Russian too. In English the same
calls draw no Cyrillic at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest

from csto_course import language, load
from csto_course.data import as_of
from csto_course.measures import dependence_components
from csto_course.views import charts, crises, datasets, decline, maps, scenarios, votes

ROOT = Path(__file__).resolve().parents[1]
_MODULES = (charts, maps, crises, votes, decline, scenarios, datasets)
_LATIN = re.compile(r"[A-Za-z]{3,}")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
#: A quoted string in a Vega expression.
_LITERAL = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
#: A code or id compared against the data in an expression (``'estimate'``, ``"kaz-january-2022"``, ``"KAZ"``).
_CODE = re.compile(r"^[a-z0-9_\-|/.]*$|^[A-Z0-9_\-|/.]*$")


def _views_in_lessons() -> set[str]:
    """The view functions the lessons' code cells call."""
    names = {
        name
        for module in _MODULES
        for name in getattr(module, "__all__", ())
        if callable(getattr(module, name)) and getattr(getattr(module, name), "__module__", "") == module.__name__
    }
    called = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                called |= {name for name in names if re.search(rf"\b{name}\(", cell.source)}
    return called


def _components() -> pd.DataFrame:
    return dependence_components(load("membership"), load("russian_bases"), load("unga_votes"), load("ties"))


#: How the test builds each view the lessons call, with the lesson's own arguments.
BUILD: dict[str, Callable[[], Any]] = {
    "membership_gantt": lambda: charts.membership_gantt(load("membership"), load("states"), until=as_of()),
    "membership_map": lambda: maps.membership_map(load("membership"), load("states"), load("timeline")),
    "crisis_timeline": lambda: crises.crisis_timeline(
        load("crises"), load("sources"), load("crisis_events"), default="kgz-osh-2010"
    ),
    "vote_heatmap": lambda: votes.vote_heatmap(load("unga_votes"), load("unga_resolutions"), default="KAZ"),
    "recognition_matrix": lambda: votes.recognition_matrix(load("recognition")),
    "alignment_chart": lambda: votes.alignment_chart(load("alignment_acts")),
    "spending_chart": lambda: decline.spending_chart(load("military_spending")),
    "bases_table": lambda: decline.bases_table(load("russian_bases")),
    "ties_chart": lambda: decline.ties_chart(load("ties")),
    "exercises_chart": lambda: decline.exercises_chart(load("csto_exercises")),
    "index_builder": lambda: decline.index_builder(_components()),
    "scenario_explorer": lambda: scenarios.scenario_explorer(),
    "dataset_browser": lambda: datasets.dataset_browser("membership"),
}

#: Fields of each chart's data that hold display names (the rest are codes, dates, numbers, ids).
NAME_FIELDS = {
    "membership_gantt": ("name", "status"),
    "membership_map": ("name", "status", "label"),
    "crisis_timeline": ("name", "kind_label", "asked_for", "asked_of", "response_label", "confidence"),
    "vote_heatmap": ("name", "title", "votes"),
    "alignment_chart": ("name", "direction", "kind"),
    "spending_chart": ("name", "status"),
    "ties_chart": ("name", "partner_kind"),
    "exercises_chart": ("name", "armenia"),
    "index_builder": ("name",),
    "scenario_explorer": ("name",),
}


def test_every_view_the_lessons_call_is_tested() -> None:
    called = _views_in_lessons()
    assert len(called) >= 10, called
    assert called <= set(BUILD), f"give the test a way to build {sorted(called - set(BUILD))}"


@pytest.fixture
def russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setenv(language.ENVIRONMENT, "ru")


def _texts(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(where, text) for each piece of text a student reads in a Vega-Lite spec (not its data)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("data", "datasets", "values"):
                continue
            if (k == "expr" and key in ("title", "text")) or k == "labelExpr":
                yield from ((k if k == "labelExpr" else f"{key}.expr", text) for text in _literals(v))
            elif k in ("title", "description", "text", "name", "labels") and key != "encoding":
                if k in ("name",) and not isinstance(node.get("input"), str):
                    continue  # a parameter's or a dataset's name is code; a binding's name is its label
                yield from ((k, t) for t in _strings(v)) if not isinstance(v, dict) else _texts(v, k)
            else:
                yield from _texts(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item, key)


def _literals(expression: str) -> Iterator[str]:
    """The quoted strings of a Vega expression, decoded (the views write some with json.dumps), codes left out."""
    for match in _LITERAL.finditer(expression):
        literal = match.group(1) if match.group(1) is not None else json.loads(f'"{match.group(2)}"')
        if not _CODE.match(literal):
            yield literal


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _records(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for rows in spec.get("datasets", {}).values():
        if isinstance(rows, list):
            yield from (r for r in rows if isinstance(r, dict))

    def walk(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if isinstance(node.get("values"), list):
                yield from (r for r in node["values"] if isinstance(r, dict))
            for v in node.values():
                yield from walk(v)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    yield from walk({k: v for k, v in spec.items() if k != "datasets"})


def _english_words(text: str) -> list[str]:
    return _LATIN.findall(text)


def _spec(view: Any) -> dict[str, Any]:
    return json.loads(view.to_json())


CHARTS = sorted(NAME_FIELDS)


@pytest.mark.parametrize("name", CHARTS)
def test_a_chart_reads_in_russian(name: str, russian: None) -> None:
    spec = _spec(BUILD[name]())
    texts = list(_texts(spec))
    if name == "crisis_timeline":
        # The crisis written out under the chart quotes the data's record and sources, which are
        # English; its own words are checked in the next test.
        account = " ".join(_literals(spec.pop("title")["text"]["expr"]))
        texts = list(_texts(spec))
        assert "Просьба:" in account and "Источники:" in account
    assert any(where == "description" for where, _ in texts), "no text alternative"
    english = [(where, text) for where, text in texts if _english_words(text)]
    assert english == [], f"{name}: English left in {english[:5]}"
    assert all(_CYRILLIC.search(text) for _, text in texts if re.search(r"[^\W\d_]{3,}", text)), name


@pytest.mark.parametrize("name", CHARTS)
def test_a_charts_data_names_are_russian(name: str, russian: None) -> None:
    spec = _spec(BUILD[name]())
    shown = [
        value
        for record in _records(spec)
        for field in NAME_FIELDS[name]
        for value in _strings(record.get(field))
        if re.search(r"[^\W\d_]{3,}", value)
    ]
    assert shown, f"{name} shows none of {NAME_FIELDS[name]}"
    english = [value for value in shown if _english_words(value) and not _CYRILLIC.search(value)]
    assert english == [], f"{name}: names left in English: {sorted(set(english))[:5]}"


def test_the_crisis_account_and_the_map_events_read_in_russian(russian: None) -> None:
    spec = _spec(BUILD["crisis_timeline"]())
    account = " ".join(_literals(spec["title"]["text"]["expr"]))
    for heading in ("Просьба:", "Реакция:", "Погибшие:", "Шаги по датам:", "Источники:"):
        assert heading in account
    assert "Январские беспорядки в Казахстане" in account and "Request:" not in account
    events = [r["label"] for r in _spec(BUILD["membership_map"]())["datasets"][maps.LINES_DATA]]
    assert "События 2022 года" in events
    assert any("Токаев обращается к ОДКБ" in label for label in events)


def test_the_tables_and_the_browser_read_in_russian(russian: None) -> None:
    bases = BUILD["bases_table"]()
    assert all(_CYRILLIC.search(str(c)) for c in bases.columns), list(bases.columns)
    assert set(bases[language._("state")]) <= {language.display(n) for n in load("states")["name"]}
    assert set(bases[language._("in use")]) <= {"да", "нет"}
    recognition = BUILD["recognition_matrix"]()
    assert "Армения" in recognition.index and all(_CYRILLIC.search(c) for c in recognition.columns)
    assert not [v for v in recognition.to_numpy().ravel() if _english_words(str(v))]
    browser = BUILD["dataset_browser"]()
    picker, view = browser.children
    assert picker.description == "Набор данных:" and picker.options[0][0] == "(выберите набор данных)"
    assert "строк" in view.value and "Что означает каждый столбец" in view.value


def test_every_state_has_a_russian_name() -> None:
    states = load("states")
    for name in states["name"]:
        assert _CYRILLIC.search(language.display(name, "ru")), name
    assert language.display("Kyrgyzstan", "ru") == "Кыргызстан"
    assert language.display("Belarus", "ru") == "Беларусь"
    assert language.display("no such value", "ru") == "no such value"


@pytest.mark.parametrize("name", sorted(BUILD))
def test_in_english_no_russian_is_drawn(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setenv(language.ENVIRONMENT, "en")
    built = BUILD[name]()
    if isinstance(built, pd.DataFrame):
        text = built.to_csv()
    elif hasattr(built, "to_json"):
        spec = _spec(built)
        if name == "crisis_timeline":
            spec.pop("title")  # the account quotes sources' titles, some of them Russian publications
        shown = [value for r in _records(spec) for f in NAME_FIELDS[name] for value in _strings(r.get(f))]
        text = " ".join([t for _, t in _texts(spec)] + shown)
    else:
        text = repr(built.children[0].options) + built.children[0].description + built.children[1].value
    assert not _CYRILLIC.search(text), name
