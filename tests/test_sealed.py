"""The sealed checks: the student package grades as the full graders do, and holds no answer.

The full graders (the lessons' modules) compute each expected answer from the data; the student
package carries instead the sealed records of ``csto_course.authoring.seal`` (digests of the
expected answer and of each anticipated mistake's answer). Here every exercise is graded both
ways, on its expected answer, on each mistake a spec computes, on the wrong answers and wrong
types of ``tests/test_graders.py``, on the wrong methods of ``tests/test_wrong_methods.py`` and on
answers perturbed from the right one: the verdict and
the message must be the same. Then the student package's tree is imported in a Python that
sees nothing of the clone, and searched for the answers.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import polib
import pytest

from csto_course.authoring.answer_key import readable
from csto_course.authoring.lesson import lesson_paths
from csto_course.authoring.release import ANSWER_KEY_DATASETS, STUDENT_MODULES, student_package
from csto_course.authoring.seal import SealError, seal_all, seal_spec
from csto_course.exercises import check as check_module
from csto_course.exercises.sealed import SealedExercise, sealed_exercises
from csto_course.exercises.specs import (
    Labels,
    Mistake,
    PerKey,
    Read,
    Spec,
    Within,
    as_int,
    registry,
)
from csto_course.language import ENVIRONMENT, LANGUAGES, speaking

from .conftest import ROOT
from .test_graders import CASES
from .test_wrong_methods import METHODS, SAME_ANSWER

EXERCISES = sorted(registry())


@pytest.fixture(scope="module")
def sealed() -> tuple[dict[str, Any], list[str]]:
    return seal_all()


@pytest.fixture(scope="module")
def sealed_graders(sealed: tuple[dict[str, Any], list[str]]) -> dict[str, SealedExercise]:
    return {i: SealedExercise(i, r["question"], r) for i, r in sealed[0]["exercises"].items()}


def test_every_exercise_is_sealed_with_every_hint(sealed: tuple[dict[str, Any], list[str]]) -> None:
    records, lost = sealed
    assert sorted(records["exercises"]) == EXERCISES
    assert lost == [], "hints the student package would not give:\n" + "\n".join(lost)
    salts = [r["salt"] for r in records["exercises"].values()]
    assert len(set(salts)) == len(salts), "each exercise has a salt of its own"
    assert seal_all()[0]["exercises"]["origins-1"]["salt"] == records["exercises"]["origins-1"]["salt"], (
        "the same salt for two builds of one commit, so the handout is reproducible"
    )


# --------------------------------------------------------------------------- the same verdicts


def _perturbed(exercise_id: str) -> list[Any]:
    """Answers near the right one: a key, a label or a number off, within and beyond a tolerance."""
    spec = registry()[exercise_id].spec
    assert spec is not None
    value = spec.expected()
    compare = spec.matches
    out: list[Any] = []
    if isinstance(compare, Within):
        t = compare.tolerance
        out += [value + t / 2, value - t / 2, value + 3 * t, value * 1.5 + 0.1]
    elif isinstance(value, dict) and value:
        first = next(iter(value))
        step = compare.tolerance if isinstance(compare, PerKey) and compare.tolerance else 1
        if isinstance(value[first], (int, float)):
            out += [{**value, first: value[first] + step / 2}, {**value, first: value[first] + 3 * step + 1}]
        else:
            out += [{**value, first: "supported" if value[first] != "supported" else "contradicted"}]
        out += [{k: v for k, v in value.items() if k != first}, {**value, "zzz": next(iter(value.values()))}]
    elif isinstance(value, tuple):
        out += [(value[0] + 1, value[1]), (value[0], value[1] + 1)]
    elif isinstance(value, (list, set)) or isinstance(compare, Labels):
        labels = sorted(value) if isinstance(value, (list, set)) else [value]
        out += [labels[1:], [*labels, "XXX"], [*labels, "RUS"], [*labels, "KAZ"], []]
    elif isinstance(value, int):
        out += [value + 1, value - 1, -value]
    elif isinstance(value, str):
        out += ["zzz", value.upper()]
    return out


ODD = [0, -1, 3.5, "", "nine", [], {}, set(), (1, 2), float("nan"), pd.DataFrame(), pd.Series(dtype=float), object()]


def _answers(exercise_id: str) -> Iterator[tuple[str, Callable[[], Any]]]:
    exercise = registry()[exercise_id]
    spec = exercise.spec
    assert spec is not None
    yield "expected", exercise.expected
    for where, mistakes in (("mistake", spec.mistakes), ("before", spec.before)):
        for i, m in enumerate(mistakes):
            if m.value is not None:
                yield f"{where} {i}", m.value
    for i, (e, answer, _, _) in enumerate(CASES):
        if e == exercise_id:
            yield f"case {i}", answer
    for method in [*METHODS, *(m for m, _ in SAME_ANSWER)]:
        if method.exercise == exercise_id:
            yield f"method {method.name}", method.answer
    for i, answer in enumerate(_perturbed(exercise_id)):
        yield f"perturbed {i}", lambda answer=answer: answer
    for i, answer in enumerate(ODD):
        yield f"odd {i}", lambda answer=answer: answer


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_sealed_check_gives_the_full_graders_verdict_and_message(
    exercise_id: str, sealed_graders: dict[str, SealedExercise], monkeypatch: pytest.MonkeyPatch
) -> None:
    tried = 0
    for name, answer in _answers(exercise_id):
        full = check_module._verdict(exercise_id, answer())
        with monkeypatch.context() as patch:
            patch.setattr(check_module, "graders", lambda: sealed_graders)
            student = check_module._verdict(exercise_id, answer())
        assert full.status == student.status, f"{exercise_id}, {name}: full {full}, sealed {student}"
        if "could not be checked" not in full.message:  # that sentence quotes the error, which may differ
            assert full.message == student.message, f"{exercise_id}, {name}: full {full}, sealed {student}"
        tried += 1
    assert tried >= 8


def test_the_expected_answer_is_right_and_each_mistake_wrong_in_both() -> None:
    """The verdicts above include the right one: a sealed check passes the expected answer."""
    graders = {i: SealedExercise(i, r["question"], r) for i, r in seal_all()[0]["exercises"].items()}
    for exercise_id, exercise in registry().items():
        assert graders[exercise_id].grade(exercise.expected())[0], exercise_id


# --------------------------------------------------------------------------- what cannot be sealed


def test_a_reader_the_student_package_cannot_run_stops_the_build() -> None:
    spec = Spec(
        "seal-test-1", "How many?", read=lambda a: as_int(a, "a number"), expected=lambda: 3, right="", otherwise=""
    )
    with pytest.raises(SealError, match=r"seal-test-1: read= must name a reader"):
        seal_spec(spec)
    lambda_match = Spec(
        "seal-test-2", "How many?", read=Read(as_int, "a number"), expected=lambda: 3, right="", otherwise="",
        matches=lambda got, value: got == value,
    )  # fmt: skip
    with pytest.raises(SealError, match="matches= is a function"):
        seal_spec(lambda_match)


def test_a_test_or_hint_written_as_a_function_of_the_answer_is_left_out_and_reported() -> None:
    spec = Spec(
        "seal-test-3",
        "How many?",
        read=Read(as_int, "a number"),
        expected=lambda: 3,
        right=lambda _: "Right.",
        mistakes=[
            Mistake("Below zero.", when=lambda got: got < 0),
            Mistake(lambda got: f"{got} is one too many.", value=lambda: 4),
            Mistake(lambda _: "Double.", value=lambda: 6),
        ],
        otherwise="Not it.",
    )
    record, lost = seal_spec(spec)
    assert lost == [
        "seal-test-3: mistakes[0]: its test is a function the student package cannot run",
        "seal-test-3: mistakes[1]: its hint is a function of the answer",
    ]
    grader = SealedExercise("seal-test-3", "How many?", record)
    assert [grader.grade(a) for a in (3, 6, 4, -1)] == [
        (True, "Right."),
        (False, "Double."),
        (False, "Not it."),
        (False, "Not it."),
    ]


# --------------------------------------------------------------------------- the student package


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return student_package(ROOT, tmp_path_factory.mktemp("student-package") / "csto-course")


def test_the_tree_holds_only_the_student_modules(tree: Path) -> None:
    package = tree / "src" / "csto_course"
    modules = sorted(str(p.relative_to(package)) for p in package.rglob("*.py"))
    allowed = [m for m in STUDENT_MODULES if not m.endswith("/")]
    folders = [m for m in STUDENT_MODULES if m.endswith("/")]
    assert [m for m in modules if m not in allowed and not m.startswith(tuple(folders))] == []
    assert (package / "exercises" / "sealed.json").exists()
    data = json.loads((tree / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert not {r["name"] for r in data["resources"]} & ANSWER_KEY_DATASETS
    assert not [p for p in (tree / "data").iterdir() if p.stem in ANSWER_KEY_DATASETS]


#: Run in a Python that sees the runtime packages and the student tree, not the clone's src/.
STUDENT_SCRIPT = """
import importlib.util, json, sys
sys.path[:] = [p for p in sys.path if "site-packages" not in p] + [sys.argv[2], sys.argv[1]]
import csto_course
from csto_course import check, datasets, exercises, load
from csto_course.data import UnknownDatasetError
cases = json.loads(sys.argv[3])
out = {"file": csto_course.__file__, "verdicts": [], "no expected": True}
for exercise_id, answer, tuple_answer in cases:
    feedback = check(exercise_id, tuple(answer) if tuple_answer else answer)
    out["verdicts"].append([exercise_id, feedback.status, feedback.message])
known = exercises.registry()
out["ids"] = sorted(known)
out["no expected"] = not any(hasattr(e, "expected") or hasattr(e, "spec") for e in known.values())
out["modules"] = [m for m in ("csto_course.exercises.specs", "csto_course.exercises.answers",
    "csto_course.exercises.worked", "csto_course.exercises.origins", "csto_course.exercises.capstone",
    "csto_course.authoring", "csto_course.website") if importlib.util.find_spec(m) is not None]
out["key listed"] = "reading_claims_key" in datasets()
try:
    load("reading_claims_key")
    out["key loads"] = True
except UnknownDatasetError as error:
    out["key loads"] = False
    out["unknown"] = str(error)
print(json.dumps(out))
"""


def _student_run(tree: Path, cases: list[tuple[str, Any, bool]], language: str = "en") -> dict[str, Any]:
    site = sysconfig.get_paths()["purelib"]
    # -S: no site module, so the clone's editable install (a .pth file pointing at src/) is not read;
    # -I: nor PYTHONPATH, nor the working folder.
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", STUDENT_SCRIPT, site, str(tree / "src"), json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tree,
        env={**os.environ, ENVIRONMENT: language},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.slow  # it builds the student package and grades in a fresh environment (not in `make check`)
def test_the_student_package_grades_without_graders_or_answers(tree: Path) -> None:
    cases: list[tuple[str, Any, bool]] = []
    for exercise_id in ("getting-started-1", "origins-4", "inaction-1", "ukraine-6", "decline-1", "capstone-1"):
        value = registry()[exercise_id].expected()
        as_json = sorted(value) if isinstance(value, set) else value
        cases.append((exercise_id, as_json, isinstance(value, tuple)))
        wrong = next(a for a in _perturbed(exercise_id) if check_module._verdict(exercise_id, a).status == "incorrect")
        cases.append((exercise_id, sorted(wrong) if isinstance(wrong, set) else wrong, isinstance(wrong, tuple)))
    out = _student_run(tree, cases)
    assert Path(out["file"]).is_relative_to(tree), f"imported the course from {out['file']}"
    full = [check_module._verdict(e, tuple(a) if t else a) for e, a, t in cases]
    assert out["verdicts"] == [[f.exercise, f.status, f.message] for f in full]
    assert [v[1] for v in out["verdicts"]] == ["correct", "incorrect"] * (len(cases) // 2)
    assert out["ids"] == EXERCISES
    assert out["no expected"], "an exercise of the student package exposes an expected answer"
    assert out["modules"] == [], f"the student package holds {out['modules']}"
    assert not out["key listed"] and not out["key loads"]
    # The friendly sentence names only datasets that are there.
    named = set(re.findall(r"load\('([^']+)'\)", out["unknown"]))
    assert named and not named & ANSWER_KEY_DATASETS, out["unknown"]


@pytest.mark.slow  # it builds the student package and grades in a fresh environment (not in `make check`)
def test_the_student_package_gives_russian_feedback_in_a_russian_lesson(tree: Path) -> None:
    """The student package has no graders' catalog: its Russian hints and right messages come from the
    sealed records, and read as the full graders' do."""
    cases: list[tuple[str, Any, bool]] = []
    for exercise_id in ("origins-4", "inaction-1", "ukraine-6", "decline-1"):
        value = registry()[exercise_id].expected()
        wrong = next(a for a in _perturbed(exercise_id) if check_module._verdict(exercise_id, a).status == "incorrect")
        for answer in (value, wrong, "nine"):
            cases.append(
                (exercise_id, sorted(answer) if isinstance(answer, set) else answer, isinstance(answer, tuple))
            )
    out = _student_run(tree, cases, "ru")
    with speaking("ru"):
        full = [check_module._verdict(e, tuple(a) if t else a) for e, a, t in cases]
    assert out["verdicts"] == [[f.exercise, f.status, f.message] for f in full]
    assert all(re.search("[а-я]", message) for _, _, message in out["verdicts"])


def _renderings(value: Any) -> set[str]:
    """The ways an answer could be written in a file, for those that say more than a single number."""
    found: set[str] = set()
    if isinstance(value, dict) and value:
        items = sorted(value.items(), key=lambda kv: str(kv[0]))
        found.add(readable(dict(items)))
        for k, v in items:  # one entry: a verdict or a share, not a small count such as "2012: 6"
            if not isinstance(v, int):
                found |= {f'"{k}": "{v}"', f"'{k}': '{v}'", f"{k}: {readable(v)}", f'"{k}": {readable(v)}'}
    elif isinstance(value, (list, set, tuple)) and len(value) >= 2:
        items = sorted(value) if isinstance(value, set) else list(value)
        found |= {readable(value), json.dumps(items), ", ".join(map(str, items)), repr(items)}
    elif isinstance(value, float):
        found |= {f"{value:.3f}", f"{value:.4f}"}
    return {text for text in found if len(text) >= 5}


@pytest.mark.slow  # it builds the student package and reads every file in it (not in `make check`)
def test_no_answer_and_no_right_message_can_be_read_in_the_student_package(tree: Path) -> None:
    """The expected answers, written any usual way, and the right answers' messages are nowhere in
    the code and the sealed file. (A lone year or count cannot be searched for: it occurs anyway.)"""
    package = tree / "src" / "csto_course"
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(package.rglob("*")) if p.suffix in (".py", ".json"))
    catalogs = [polib.mofile(str(p)) for p in sorted(package.rglob("*.mo"))]
    text += "\n".join(f"{e.msgid}\n{e.msgstr}" for catalog in catalogs for e in catalog)
    folded = text.casefold()
    leaks = []
    for exercise_id, exercise in sorted(registry().items()):
        for rendering in _renderings(exercise.expected()):
            if rendering.casefold() in folded:
                leaks.append(f"{exercise_id}: {rendering}")
        for language in LANGUAGES:
            with speaking(language):
                right = check_module._verdict(exercise_id, exercise.expected()).message
            if len(right) >= 20 and right in text:
                leaks.append(f"{exercise_id}: its right message in {language}")
    assert leaks == []


# --------------------------------------------------------------------------- measures in the student package


def _names_used(source: str) -> set[str]:
    tree = ast.parse(source)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
    }


def _closure(functions: dict[str, ast.FunctionDef], start: set[str]) -> set[str]:
    """``start`` and every function of ``functions`` that one of them calls, directly or not."""
    reached = set(start)
    while True:
        more = {n for f in reached for n in _names_used(ast.unparse(functions[f])) if n in functions} - reached
        if not more:
            return reached
        reached |= more


def _unused_by_students(tree: Path, module: str) -> tuple[dict[str, ast.FunctionDef], set[str]]:
    """The public functions of the student package's ``module``, and those of them that no lesson and
    no other shipped module uses, directly or through another function of ``module``."""
    package = tree / "src" / "csto_course"
    assert (package / module).exists(), f"the student package lacks {module}"
    source = (package / module).read_text(encoding="utf-8")
    functions = {n.name: n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
    used: set[str] = set()
    for path in package.rglob("*.py"):
        if path != package / module:
            used |= _names_used(path.read_text(encoding="utf-8"))
    for lesson in lesson_paths(ROOT):
        for cell in nbformat.read(lesson, as_version=4).cells:
            if cell.cell_type == "code":
                used |= set(re.findall(r"\b\w+\b", cell.source))
    reached = _closure(functions, {f for f in functions if f in used})
    return functions, {f for f in functions if not f.startswith("_") and f not in reached}


def test_every_public_function_of_the_student_measures_is_used_by_a_lesson_or_a_shipped_module(tree: Path) -> None:
    """A function of measures that nothing shipped uses only computes an answer: it belongs in answers.py."""
    unused = sorted(_unused_by_students(tree, "measures.py")[1])
    assert unused == [], f"measures.py functions only the graders use (move them to exercises/answers.py): {unused}"


#: The student package's view modules.
VIEW_MODULES = sorted(f"views/{p.name}" for p in (ROOT / "src" / "csto_course" / "views").glob("[!_]*.py"))

#: Views only a worked result uses that may ship all the same: they draw what they are given and
#: compute nothing (``members_over_time`` draws the counts that ``answers.members_per_year`` computes).
DRAW_ONLY = {"members_over_time"}


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_no_view_of_the_student_package_serves_only_the_graders(tree: Path, module: str) -> None:
    """A view that the graders (a lesson's exercises, their answers and worked results) use and nothing
    shipped does is a worked result: a table that holds the answer, so it belongs in exercises/worked.py.
    (A view no one uses but the tests, such as the scenario rule the explorer mirrors, may ship.)"""
    functions, unused = _unused_by_students(tree, module)
    graders = ROOT / "src" / "csto_course" / "exercises"
    shipped = {Path(m).name for m in STUDENT_MODULES if m.startswith("exercises/")}
    by_graders: set[str] = set()
    for path in graders.glob("*.py"):
        if path.name not in shipped:
            by_graders |= _names_used(path.read_text(encoding="utf-8"))
    only_graders = sorted(_closure(functions, {f for f in unused if f in by_graders} - DRAW_ONLY) & unused)
    assert only_graders == [], (
        f"{module} functions only the graders use (move them to exercises/worked.py): {only_graders}"
    )


def test_a_digest_copied_from_the_sealed_file_is_not_an_answer(sealed_graders: dict[str, SealedExercise]) -> None:
    for exercise_id, grader in sealed_graders.items():
        form = grader.record["expected"]
        digests = [v for v in form.values() if isinstance(v, str)] + [
            d for v in form.values() if isinstance(v, (list, dict)) for d in v
        ]
        for text in digests[:3]:
            for answer in (text, [text], {text: text}):
                try:
                    assert not grader.grade(answer)[0], (exercise_id, answer)
                except Exception as error:  # a reader refusing the kind of value: check() says so
                    assert type(error).__name__ == "WrongType", (exercise_id, error)


def test_the_sealed_file_is_read_only_in_its_own_format(tmp_path: Path) -> None:
    assert sealed_exercises(tmp_path / "absent.json") == {}
    (tmp_path / "other.json").write_text(json.dumps({"schema": 99, "exercises": {}}), encoding="utf-8")
    assert sealed_exercises(tmp_path / "other.json") == {}


def test_a_worked_result_opens_in_the_readers_language(tree: Path) -> None:
    """The table a right answer opens is sealed in each language: a Russian notebook's shows the
    data's words in Russian (here the crises' names of Lesson 2's exercise 4)."""
    from csto_course.data import load

    sealed = sealed_exercises(tree / "src" / "csto_course" / "exercises" / "sealed.json")
    right = registry()["inaction-4"].expected()
    shown = {}
    for language in LANGUAGES:
        with speaking(language):
            result = sealed["inaction-4"].worked(right)
        assert result is not None, language
        shown[language] = json.dumps(result.data, ensure_ascii=False)
    with speaking("ru"):
        russian_name = load("crises").set_index("crisis_id").loc["geo-war-2008", "name"]
    shown_name = russian_name[:30]  # pandas shortens a long cell (display.max_colwidth)
    assert shown_name in shown["ru"] and shown_name not in shown["en"]
    with speaking("ru"):
        assert sealed["inaction-4"].worked(dict.fromkeys(dict(right), 999)) is None, "a wrong answer opens nothing"
