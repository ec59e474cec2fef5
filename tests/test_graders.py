"""Every grader, fed the wrong answers and wrong types a student is likely to give.

Each case names the hint it must get. Expected answers come from the data (through
``csto_course.measures``, the same code the graders use), never typed in, and no feedback
on a wrong answer may contain the expected answer.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from csto_course import check, load
from csto_course import exercises as exercises_package
from csto_course.exercises import decline, origins, ukraine
from csto_course.exercises.answers import (
    active_response_rate,
    current_members,
    departures,
    members_per_year,
    partner_groups_since,
    response_delays,
    step_days,
    vote_distance,
)
from csto_course.exercises.check import exercises
from csto_course.exercises.specs import (
    Mistake,
    Spec,
    WrongType,
    as_int,
    as_states,
    grade,
    hashed,
    per_check,
    registry,
    same_labels,
    tally,
)
from csto_course.measures import (
    ACTIVE_RESPONSES,
    TIES_FROM,
    agreement_index,
    agreement_with,
    dependence_components,
    parties_on,
    ties_since,
    vote_matrix,
)

#: The lessons' grader modules, which must not filter the data themselves.
#: Each lesson's exercise module (check.py and specs.py are shared machinery, not a lesson's).
LESSON_MODULES = [Path(exercises_package.__file__).parent / f"{name}.py" for name in exercises_package.lesson_modules()]


def _states() -> pd.DataFrame:
    return load("states")


def _spells() -> pd.DataFrame:
    return load("membership")


def _crises() -> pd.DataFrame:
    return load("crises")


def _timeline_year(kind: str) -> int:
    timeline = load("timeline")
    return int(timeline.loc[timeline["kind"] == kind, "date"].min().year)


def _provision(instrument: str, topic: str) -> int:
    p = load("provisions")
    return int(p.loc[(p["instrument"] == instrument) & (p["topic"] == topic), "article"].iloc[0])


def _counts(**change: int) -> dict[int, int]:
    counts = members_per_year().to_dict()
    return {**counts, **change}


def _troops() -> tuple[int, int]:
    c = _crises()
    asked = c[c["request"] == "troops"]
    return len(asked), int((asked["response"] == "collective_deployment").sum())


def _rates() -> dict[str, float]:
    c = _crises()
    asked = c[c["request"] != "none"]
    return asked["response"].isin(ACTIVE_RESPONSES).groupby(asked["kind"].astype(str)).mean().to_dict()


def _deployment(**change: int) -> dict[str, int]:
    c = _crises()
    row = c[c["response"] == "collective_deployment"].iloc[0]
    steps = step_days(load("crisis_events"), str(row["crisis_id"]))
    answer = {k: steps[k] for k in ("decision", "arrival", "withdrawal_start", "withdrawal_complete")}
    answer["personnel"] = int(row["personnel_deployed"])
    for key, delta in change.items():
        answer[key] += delta
    return answer


def _right_letter() -> str:
    return next(letter for letter in "abcd" if hashed(letter) == origins._O7_ANSWER)


def _wrong_letters() -> list[str]:
    return [letter for letter in "abcd" if letter != _right_letter()]


def _votes() -> pd.DataFrame:
    return load("unga_votes")


def _treaty_rates() -> dict[str, float]:
    others = [s for s in ukraine.treaty_states() if s != "RUS"]
    return agreement_with(_votes()).reindex(others)["rate"].to_dict()


def _cohesion() -> dict[str, float]:
    votes, resolutions, spells = _votes(), load("unga_resolutions"), _spells()
    matrix = vote_matrix(votes, resolutions)
    days = resolutions.set_index("resolution")["date"]
    out = {}
    for r in matrix.columns:
        counts = matrix.loc[matrix.index.isin(parties_on(spells, days[r])), r].value_counts()
        y, n, a = (int(counts.get(v, 0)) for v in ("yes", "no", "abstain"))
        out[r] = agreement_index(y, n, a)
    return out


def _moved() -> list[str]:
    matrix = vote_matrix(_votes())
    out = []
    for s in ukraine.treaty_states():
        before = vote_distance(matrix.loc[s, "68/262"], matrix.loc["RUS", "68/262"])
        after = vote_distance(matrix.loc[s, "ES-11/4"], matrix.loc["RUS", "ES-11/4"])
        if after > before:
            out.append(s)
    return out


def _below_china() -> list[str]:
    rates = agreement_with(_votes())["rate"]
    return [s for s in ukraine.treaty_states() if s != "RUS" and rates[s] < rates["CHN"]]


def _not_recognising() -> list[str]:
    r = load("recognition")
    rows = r[(r["question"] == "annexation_2022") & (r["position"] == "does_not_recognise")]
    return sorted(set(rows.loc[rows["explicit"].fillna(False).astype(bool), "iso3"].astype(str)))


def _voted_no() -> list[str]:
    v = _votes()
    v = v[v["iso3"].isin(ukraine.treaty_states()) & (v["iso3"] != "RUS") & (v["vote"] == "no")]
    return sorted(set(v.loc[v["resolution"].astype(str).str.startswith("ES-11"), "iso3"].astype(str)))


def _parties_2024() -> set[str]:
    return parties_on(_spells(), "2024-07-01")


def _russia_share() -> float:
    m = load("military_spending")
    rows = m[(m["year"] == decline.SPENDING_YEAR) & m["iso3"].isin(_parties_2024())]
    values = rows.set_index("iso3")["usd_million"].astype(float)
    return float(values["RUS"] / values.sum())


def _gdp_rose(extra: tuple[str, ...] = ()) -> list[str]:
    table = load("military_spending").pivot(index="iso3", columns="year", values="gdp_share")
    after, before = decline.SPENDING_YEAR, decline.SHARE_FROM
    return [s for s in sorted(_parties_2024() - {"RUS"}) if table.loc[s, after] > table.loc[s, before]] + list(extra)


def _years_left() -> dict[str, int]:
    b = load("russian_bases")
    rows = b[b["term_end"].notna() & b["in_use"].astype(bool)]
    return {k: int(v) - load_as_of().year for k, v in zip(rows["base_id"], rows["term_end"].dt.year, strict=True)}


def load_as_of() -> pd.Timestamp:
    from csto_course.data import as_of

    return as_of()


def _ties_from(year: int) -> dict[str, int]:
    return ties_since(load("ties"), year).to_dict()


def _components() -> pd.DataFrame:
    return dependence_components(_spells(), load("russian_bases"), _votes(), load("ties"))


def _russia_multiple() -> float:
    m = load("military_spending")
    usd = m[m["iso3"] == "RUS"].set_index("year")["usd_million"].astype(float)
    return float(usd[2025] / usd[2021])


def _china_first() -> dict[str, int]:
    t = load("ties")
    recent = t[t["start_date"].dt.year >= TIES_FROM]
    table = pd.crosstab(recent["iso3"].astype(str), recent["partner_group"].astype(str))
    return table.loc[table.idxmax(axis=1) == "china", "china"].to_dict()


def _conflicts() -> tuple[int, int]:
    c = _crises()
    both = c[c["members_on_both_sides"].astype(bool)]
    return len(both), int(both["start_date"].max().year)


def _afghan_days() -> int:
    return int(response_delays(_crises())["tjk-afghan-border-2021"])


def _key(**change: str) -> dict[str, str]:
    from csto_course.exercises.capstone import JUDGED

    key = load("reading_claims_key").set_index("claim_id")["verdict"].astype(str)
    return {c: change.get(c, key[c]).replace("_", " ") for c in JUDGED}


def _other_verdict(claim: str) -> str:
    key = load("reading_claims_key").set_index("claim_id")["verdict"].astype(str)
    return next(v for v in ("supported", "contradicted", "needs_qualifying") if v != key[claim])


def _first_left() -> int:
    return min(departures(_spells()).values())


Answer = Callable[[], Any]

#: (exercise id, a wrong answer or wrong type, the status it must get, a phrase its hint must hold)
CASES: list[tuple[str, Answer, str, str]] = [
    # Lesson 0
    ("getting-started-1", lambda: len(_states()) + 7, "incorrect", "len(states)"),
    ("getting-started-1", lambda: "nine", "invalid", "without quotes"),
    ("getting-started-1", lambda: _states()["signed_1992_tashkent"], "invalid", "True/False mask"),
    ("getting-started-1", lambda: _states(), "invalid", "whole table"),
    ("getting-started-1", lambda: [1, 2], "invalid", "got a list"),
    ("getting-started-2", lambda: sorted(current_members(_spells()))[1:], "incorrect", "end_date is missing"),
    ("getting-started-2", lambda: _spells(), "invalid", "pick the column"),
    ("getting-started-2", lambda: _spells()["end_date"].isna(), "invalid", "True/False mask"),
    ("getting-started-2", lambda: 5, "invalid", "got a whole number"),
    # Lesson 1
    ("origins-1", lambda: 100, "incorrect", "a True counts as 1"),
    ("origins-1", lambda: _states()["signed_1992_tashkent"], "invalid", ".sum()"),
    ("origins-2", lambda: 1900, "incorrect", "Filter the timeline"),
    ("origins-2", lambda: load("timeline")["date"].max(), "invalid", ".year"),
    ("origins-2", lambda: str(_timeline_year("charter_entry_into_force")), "invalid", "without quotes"),
    ("origins-3", lambda: {y: n for y, n in _counts().items() if y != 1999}, "incorrect", "Some years are missing"),
    ("origins-3", lambda: _counts(**{}) | {1980: 0}, "incorrect", "outside"),
    ("origins-3", lambda: list(_counts().values()), "invalid", "dict of counts"),
    ("origins-4", lambda: dict(list(departures(_spells()).items())[1:]), "incorrect", "no other spell of its began"),
    ("origins-4", lambda: {k: v + 1 for k, v in departures(_spells()).items()}, "incorrect", "FIRST left"),
    ("origins-4", lambda: list(departures(_spells())), "invalid", "dict mapping"),
    ("origins-5", lambda: "XXX", "incorrect", "not one of the states"),
    ("origins-5", lambda: _spells()["iso3"].value_counts().head(1), "invalid", "index"),
    ("origins-5", lambda: ["RUS", "BLR"], "incorrect", "Give one state"),
    ("origins-6", lambda: 99, "incorrect", "Filter `provisions`"),
    ("origins-6", lambda: load("provisions")["article"].head(1), "invalid", ".iloc[0]"),
    ("origins-7", lambda: _wrong_letters()[0], "incorrect", "Read"),
    ("origins-7", lambda: _wrong_letters()[1], "incorrect", "Look at the provisions"),
    ("origins-7", lambda: _wrong_letters()[2], "incorrect", "internal unrest"),
    ("origins-7", lambda: f"({_right_letter().upper()})", "correct", "NATO leaves each ally"),
    ("origins-7", lambda: 2, "invalid", "one letter"),
    ("origins-7", lambda: "e", "invalid", "a to d"),
    # Lesson 2
    ("inaction-1", lambda: (_troops()[0], _troops()[1] + 1), "incorrect", "second number"),
    ("inaction-1", lambda: 3, "invalid", "pair of numbers"),
    ("inaction-2", lambda: dict.fromkeys(_rates(), 0.0), "incorrect", "kind(s) differ"),
    ("inaction-2", lambda: [0.1, 0.2], "invalid", "a dict or a Series"),
    (
        "inaction-3",
        lambda: _crises().loc[_crises()["members_on_both_sides"].astype(bool), "crisis_id"].tolist()[1:],
        "incorrect",
        "missing",
    ),
    ("inaction-3", lambda: _crises()["members_on_both_sides"], "invalid", "True/False mask"),
    ("inaction-4", lambda: response_delays(_crises()).reset_index(drop=True), "invalid", "row numbers"),
    ("inaction-4", lambda: {**response_delays(_crises()).to_dict(), "kgz-osh-2010": 13}, "incorrect", "someone else"),
    ("inaction-4", lambda: (response_delays(_crises()) + 2).to_dict(), "incorrect", "delay(s) differ"),
    ("inaction-4", lambda: 4, "invalid", "a dict or a Series"),
    (
        "inaction-5",
        lambda: {k: v for k, v in _deployment().items() if k != "arrival"},
        "incorrect",
        "Give a value for each",
    ),
    ("inaction-5", lambda: _deployment(arrival=1, withdrawal_start=1), "incorrect", "one day too many"),
    ("inaction-5", lambda: _deployment(arrival=5), "incorrect", "step(s) differ"),
    ("inaction-5", lambda: _deployment(personnel=470), "incorrect", "personnel"),
    ("inaction-5", lambda: 2030, "invalid", "a dict or a Series"),
    ("inaction-6", lambda: "moscow", "incorrect", "one of the codes"),
    ("inaction-6", lambda: 5, "invalid", "as text"),
    (
        "inaction-6",
        lambda: _crises().set_index("crisis_id").loc[["kgz-osh-2010"], "requested_of"],
        "invalid",
        ".iloc[0]",
    ),
    # Lesson 3
    ("ukraine-1", lambda: dict.fromkeys(_treaty_rates(), 0.5), "incorrect", "shares are off"),
    ("ukraine-1", lambda: dict.fromkeys(list(_treaty_rates())[:3], 0.5), "incorrect", "Give one share for each"),
    ("ukraine-1", lambda: pd.Series(list(_treaty_rates().values())), "invalid", "row numbers"),
    ("ukraine-2", lambda: dict.fromkeys(_cohesion(), 0.5), "incorrect", "count the parties"),
    ("ukraine-2", lambda: dict(list(_cohesion().items())[:2]), "incorrect", "Give one index for each"),
    ("ukraine-2", lambda: 0.5, "invalid", "a dict or a Series"),
    ("ukraine-3", lambda: ["BLR"], "incorrect", "distance from Russia"),
    ("ukraine-3", lambda: _votes(), "invalid", "whole table"),
    ("ukraine-4", lambda: [*_below_china(), "BLR"], "incorrect", "China's agreement rate"),
    ("ukraine-4", lambda: _below_china()[1:], "incorrect", "missing"),
    ("ukraine-4", lambda: 7, "invalid", "got a whole number"),
    ("ukraine-5", lambda: ["TJK"], "incorrect", "Filter `recognition`"),
    ("ukraine-5", lambda: load("recognition")["explicit"], "invalid", "True/False mask"),
    ("ukraine-5", lambda: load("recognition").set_index("iso3")["position"], "invalid", "the states from its index"),
    ("ukraine-6", lambda: len(_voted_no()), "invalid", "got a whole number"),
    # Lesson 4
    ("decline-1", lambda: round(_russia_share(), 2), "incorrect", "three decimals"),
    ("decline-1", lambda: 0.1, "incorrect", "divide Russia"),
    ("decline-1", lambda: "97%", "invalid", "piece of text"),
    ("decline-2", lambda: _gdp_rose(("CHN",)), "incorrect", "China, Türkiye and Uzbekistan"),
    ("decline-2", lambda: _gdp_rose()[1:], "incorrect", "Compare each member's"),
    ("decline-2", lambda: load("military_spending"), "invalid", "whole table"),
    ("decline-4", lambda: dict(list(_years_left().items())[1:]), "incorrect", "Give a number for each"),
    ("decline-4", lambda: 6, "invalid", "a dict or a Series"),
    ("decline-5", lambda: dict.fromkeys(_ties_from(decline.RECENT_TIES_FROM), 1), "incorrect", "Keep the rows"),
    ("decline-5", lambda: {"ARM": 1}, "incorrect", "Give one count for each"),
    ("decline-5", lambda: pd.Series(list(_ties_from(decline.RECENT_TIES_FROM).values())), "invalid", "row numbers"),
    ("decline-6", lambda: "BLR", "incorrect", ".nunique()"),
    ("decline-6", lambda: ["ARM", "KAZ"], "incorrect", "Give one member"),
    ("decline-7", lambda: {**_components().mean(axis=1).to_dict(), "RUS": 1.0}, "incorrect", "Leave Russia out"),
    ("decline-7", lambda: _components(), "invalid", "a dict or a Series"),
    ("decline-8", lambda: ["KAZ", "ARM"], "incorrect", "Leave Kazakhstan itself out"),
    ("decline-8", lambda: ["BLR"], "incorrect", "compare with Kazakhstan"),
    ("decline-8", lambda: 2, "invalid", "got a whole number"),
    # Lesson 5
    ("futures-1", lambda: 10.0, "incorrect", "Divide Russia's"),
    ("futures-1", lambda: "2.9", "invalid", "piece of text"),
    ("futures-2", lambda: {"ARM": 1}, "incorrect", "keep those where it is 'china'"),
    ("futures-2", lambda: dict.fromkeys(_china_first(), 1), "incorrect", "count its ties with China"),
    ("futures-2", lambda: list(_china_first()), "invalid", "a dict or a Series"),
    (
        "futures-2",
        lambda: pd.crosstab(load("ties")["iso3"], load("ties")["partner_group"]).idxmax(axis=1),
        "invalid",
        "some values are not numbers (such as",
    ),
    ("futures-2", lambda: load("ties"), "invalid", "a dict or a Series"),
    ("futures-3", lambda: (_conflicts()[0] + 1, _conflicts()[1]), "incorrect", "The number is off"),
    ("futures-3", lambda: (_conflicts()[0], _conflicts()[1] - 1), "incorrect", "The year is off"),
    ("futures-3", lambda: 4, "invalid", "a pair in brackets"),
    ("futures-4", lambda: _afghan_days() + 30, "incorrect", "Subtract `request_date`"),
    ("futures-4", lambda: "1 day", "invalid", "without quotes"),
    # Capstone
    ("capstone-1", lambda: {**_key(), "R07": _other_verdict("R07")}, "incorrect", "You agree with the course on 8"),
    ("capstone-1", lambda: dict(list(_key().items())[:4]), "incorrect", "still missing"),
    ("capstone-1", lambda: {**_key(), "R14": "true"}, "invalid", "is not a verdict"),
    ("capstone-1", lambda: list(_key().values()), "invalid", "Expected a dict"),
    ("capstone-1", lambda: {k: v.upper() for k, v in _key().items()}, "correct", "all 9 claims"),
    ("capstone-2", lambda: 1950, "incorrect", "departures(spells)"),
    ("capstone-2", lambda: "1999", "invalid", "without quotes"),
    ("capstone-3", lambda: ["KAZ"], "incorrect", "Filter `recognition`"),
    ("capstone-3", lambda: load("recognition"), "invalid", "whole table"),
]


def _expected_values(exercise_id: str) -> list[str]:
    """What a wrong answer's feedback must never print: the expected answer, in its plain forms."""
    crises, spells, states = _crises(), _spells(), _states()
    by_id: dict[str, Callable[[], list[Any]]] = {
        "getting-started-1": lambda: [len(states)],
        "getting-started-2": lambda: sorted(current_members(spells)),
        "origins-1": lambda: [int(states["signed_1992_tashkent"].sum())],
        "origins-2": lambda: [_timeline_year("charter_entry_into_force")],
        "origins-3": lambda: [members_per_year().to_dict()],
        "origins-4": lambda: list(departures(spells)),
        "origins-5": lambda: [spells["iso3"].value_counts().idxmax()],
        "origins-6": lambda: [_provision("Collective Security Treaty", "mutual_defence")],
        "origins-7": lambda: [f"'{_right_letter()}'", f"({_right_letter()})"],
        "inaction-1": lambda: [str(_troops())],
        "inaction-2": lambda: [f"{v:.2f}" for v in active_response_rate(crises).to_numpy()],
        "inaction-3": lambda: crises.loc[crises["members_on_both_sides"].astype(bool), "crisis_id"].tolist(),
        "inaction-4": lambda: [str(response_delays(crises).to_dict())],
        "inaction-5": lambda: [f"{_deployment()['personnel']:,}", str(_deployment()["personnel"])],
        "inaction-6": lambda: [str(crises.set_index("crisis_id").loc["kgz-osh-2010", "requested_of"])],
        "ukraine-1": lambda: [f"{v:.2f}" for v in _treaty_rates().values()],
        "ukraine-2": lambda: [f"{v:.2f}" for v in _cohesion().values()],
        "ukraine-3": lambda: _moved(),
        "ukraine-4": lambda: _below_china(),
        "ukraine-5": lambda: _not_recognising(),
        "ukraine-6": lambda: _voted_no(),
        "decline-1": lambda: [f"{_russia_share():.2f}", f"{_russia_share():.0%}"],
        "decline-2": lambda: _gdp_rose(),
        "decline-4": lambda: [str(_years_left())],
        "decline-5": lambda: [str(_ties_from(decline.RECENT_TIES_FROM))],
        "decline-6": lambda: [str(partner_groups_since(load("ties"), 2014).idxmax())],
        "decline-7": lambda: [f"{v:.2f}" for v in _components().mean(axis=1)],
        "decline-8": lambda: [m for m, n in _ties_from(2014).items() if n > _ties_from(2014)["KAZ"]],
        "futures-1": lambda: [f"{_russia_multiple():.2f}", f"{_russia_multiple():.1f}"],
        "futures-2": lambda: [str(_china_first()), *_china_first()],
        "futures-3": lambda: [str(_conflicts())],
        "futures-4": lambda: [str(_afghan_days())],
        "capstone-1": lambda: [str(_key())],
        "capstone-2": lambda: [str(_first_left())],
        "capstone-3": lambda: ["BLR"],
    }
    if exercise_id not in by_id:  # a new lesson's exercise: its expected answer as the answer key writes it
        from csto_course.authoring.answer_key import readable

        return [readable(registry()[exercise_id].expected())]
    return [str(v) for v in by_id[exercise_id]()]


@pytest.mark.parametrize(
    ("exercise_id", "answer", "status", "phrase"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_wrong_answer_gets_its_hint_and_not_the_answer(
    exercise_id: str, answer: Answer, status: str, phrase: str
) -> None:
    feedback = check(exercise_id, answer())
    assert feedback.status == status, feedback
    assert phrase in feedback.message, feedback
    if status == "correct":
        return
    for value in _expected_values(exercise_id):
        assert not re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", feedback.message, flags=re.I), (value, feedback)


def _spec_mistakes() -> list[tuple[str, int]]:
    """(exercise id, index) of every mistake a spec describes by the answer it gives (``value=``)."""
    return [
        (exercise_id, i)
        for exercise_id, registered in sorted(registry().items())
        if registered.spec is not None
        for i, mistake in enumerate(registered.spec.mistakes)
        if mistake.value is not None
    ]


@pytest.mark.parametrize(("exercise_id", "index"), _spec_mistakes(), ids=lambda v: str(v))
def test_each_mistake_a_spec_computes_gets_its_own_hint_and_not_the_answer(exercise_id: str, index: int) -> None:
    """The wrong answer a mistake describes, computed from the data, is told apart from the right one.

    If the data made the mistaken method agree with the right one, the hint could never be
    shown and a wrong method would be graded right; this fails then.
    """
    spec = registry()[exercise_id].spec
    assert spec is not None
    mistake = spec.mistakes[index]
    assert mistake.value is not None
    feedback = check(exercise_id, mistake.value())
    assert feedback.status == "incorrect", f"{exercise_id}: the mistake {index} ({mistake.hint!r}) is graded {feedback}"
    hint = mistake.hint if isinstance(mistake.hint, str) else None
    earlier = [m for m in spec.mistakes[:index] if m.value is not None and check(exercise_id, m.value()) == feedback]
    if hint is not None and not earlier:
        assert hint in feedback.message, feedback
    for value in _expected_values(exercise_id):
        assert not re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", feedback.message, flags=re.I), (value, feedback)


#: Answers of no use to any exercise: each gets a verdict, never a traceback (tests/test_bad_inputs.py
#: also reads the messages of those refused).
ODD_ANSWERS = (
    None,
    ...,
    "",
    [],
    {},
    set(),
    0,
    -1,
    3.5,
    float("nan"),
    pd.DataFrame(),
    pd.Series(dtype=float),
    object(),
)


@pytest.mark.parametrize("exercise_id", sorted(exercises()))
def test_no_grader_raises_on_odd_input(exercise_id: str) -> None:
    for odd in ODD_ANSWERS:
        feedback = check(exercise_id, odd)
        assert feedback.status in {"invalid", "incorrect", "not attempted"}, (odd, feedback)
        assert "Traceback" not in feedback.message


# --------------------------------------------------------------------------- no grader filters the data itself

#: Methods that turn a column into a True/False mask, one value per row.
_MASK_METHODS = {
    "isin",
    "isna",
    "isnull",
    "notna",
    "notnull",
    "between",
    "startswith",
    "endswith",
    "contains",
    "match",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "duplicated",
}


def _row_filters(source: str) -> list[str]:
    """Where ``source`` selects rows of a table by a condition, as "line N: code" strings.

    pandas selects rows by a True/False mask inside brackets or by ``.query()``, and Python can
    write a mask in only a few ways, so the rule is exact about them: a subscript whose row part
    (the whole index, or the first item of ``[rows, columns]``) holds a comparison, a ``&``,
    ``|``, ``^`` or ``~``, a mask-making method (``.isin()``, ``.isna()``, ``.str.startswith()``
    ...), or is itself a call of a function defined in the same module (a helper returning a mask,
    such as the old ``_both_sides(crises)``); and any call of ``.query()`` or ``.isin()``. It does not flag
    what is not filtering: a label lookup (``table.loc["RUS", "rate"]``), a comparison outside
    brackets (``got == expected``), or picking from the student's own answer by a name
    (``answer[answer]``). A grader that needs rows calls a function of ``csto_course.measures``,
    where each rule is written once and tested.
    """
    tree = ast.parse(source)
    local = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}

    def is_mask(node: ast.AST) -> bool:
        if isinstance(node, ast.Compare):
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr, ast.BitXor)):
            return True
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            return True
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MASK_METHODS

    def is_local_call(node: ast.AST) -> bool:
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in local

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"query", "isin"}:
            found.append(node)
        elif isinstance(node, ast.Subscript):
            rows = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and node.slice.elts else node.slice
            if is_local_call(rows) or any(is_mask(part) for part in ast.walk(rows)):
                found.append(node)
    return sorted({f"line {n.lineno}: {ast.get_source_segment(source, n)}" for n in found})


@pytest.mark.parametrize(
    ("code", "filters"),
    [
        ('budget[(budget["iso3"] == "RUS") & (budget["measure"] == "share")]["value"]', True),
        ('spells.loc[spells["end_date"].isna(), "iso3"]', True),
        ('states.loc[~states["signed"].astype(bool), "first_signed"]', True),
        ('def _both_sides(c):\n    return c["both"]\n\nc.loc[_both_sides(c), "crisis_id"]', True),
        ("votes.query(\"iso3 == 'RUS'\")", True),
        ('bases["base_id"].isin(ids).sum()', True),
        ('table.loc["RUS", "rate"]', False),
        ("def _kinds():\n    return ['a']\n\nshares[list(_kinds())]", False),
        ("got[k] != expected[k]", False),
        ("answer[answer].index.tolist()", False),
        ('load("crises").set_index("crisis_id").loc["kgz-osh-2010", "requested_of"]', False),
    ],
)
def test_the_filter_rule_flags_row_selections_and_only_them(code: str, filters: bool) -> None:
    assert bool(_row_filters(code)) is filters, _row_filters(code)


def test_every_lesson_module_is_read_by_the_filter_rule() -> None:
    assert len(LESSON_MODULES) >= 7 and all(p.exists() for p in LESSON_MODULES), LESSON_MODULES


@pytest.mark.parametrize("path", LESSON_MODULES, ids=lambda p: p.name)
def test_no_grader_filters_the_data_itself(path: Path) -> None:
    """A grader reads rows through csto_course.measures, so a rule it checks is written once."""
    found = _row_filters(path.read_text(encoding="utf-8"))
    assert not found, (
        f"{path.name} selects rows itself; add a small, documented function to csto_course.measures and call it: "
        + "; ".join(found)
    )


# --------------------------------------------------------------------------- the spec machinery


def test_a_spec_tries_the_shape_then_the_answer_then_each_mistake_in_order() -> None:
    spec = Spec(
        "spec-test-1",
        "How many?",
        read=lambda answer: as_int(answer, "a number"),
        expected=lambda: 3,
        right="Right.",
        before=[Mistake("Far too many.", when=lambda got: got > 100)],
        mistakes=[Mistake("One too many.", value=lambda: 4), Mistake("Below zero.", when=lambda got: got < 0)],
        otherwise=lambda got: f"{got} is not it.",
    )
    assert [grade(spec, a) for a in (3, 4.0, -1, 101, 7)] == [
        (True, "Right."),
        (False, "One too many."),
        (False, "Below zero."),
        (False, "Far too many."),
        (False, "7 is not it."),
    ]
    with pytest.raises(WrongType, match="without quotes"):
        grade(spec, "3")
    assert "spec-test-1" not in registry()  # only .register() registers


def test_a_preface_goes_before_every_message_but_a_shape_hint() -> None:
    spec = Spec(
        "spec-test-2",
        "Which states?",
        read=as_states,
        expected=lambda: ["ARM", "KAZ"],
        matches=same_labels,
        preface=tally("states"),
        right="",
        before=[Mistake("Too many.", when=lambda got: len(got) > 3)],
        mistakes=[Mistake("Only Armenia.", value=lambda: ["ARM"])],
        otherwise="Try again.",
    )
    assert grade(spec, ["Armenia", "kaz"]) == (True, "Both states are there, and nothing else.")
    assert grade(spec, ["ARM"]) == (False, "You gave 1: 1 of the states is missing. Only Armenia.")
    assert grade(spec, ["BLR"]) == (
        False,
        "You gave 1: 2 of the states are missing, and 1 of yours does not belong. Try again.",
    )
    assert grade(spec, ["ARM", "BLR", "KAZ", "RUS"]) == (False, "Too many.")


def test_a_mistake_is_a_value_or_a_test_never_both() -> None:
    with pytest.raises(TypeError, match="exactly one"):
        Mistake("A hint.")
    with pytest.raises(TypeError, match="exactly one"):
        Mistake("A hint.", value=lambda: 1, when=lambda got: True)


def test_per_check_computes_once_in_a_check_and_afresh_outside() -> None:
    calls: list[int] = []

    @per_check
    def expensive() -> int:
        calls.append(1)
        return 2

    spec = Spec(
        "spec-test-3",
        "Two?",
        read=lambda answer: as_int(answer, "a number"),
        expected=expensive,
        right="Right.",
        mistakes=[Mistake("Double.", value=lambda: expensive() * 2), Mistake("Half.", value=lambda: expensive() // 2)],
        otherwise=lambda _: f"Not {expensive()}.",
    )
    assert grade(spec, 9) == (False, "Not 2.") and len(calls) == 1
    expensive(), expensive()
    assert len(calls) == 3
