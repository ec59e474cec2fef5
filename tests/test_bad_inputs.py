"""Nonsense given to a function a lesson calls gets one true sentence: never a traceback, never a quiet answer.

The functions are found in the lessons themselves: every call, in a lesson's code cells, of a
function of ``csto_course`` (imported by name, by ``from csto_course import *``, or reached as an
attribute of an imported module, ``views.decline.bases_table``). Each lesson is then run once in
this process to record the arguments each call from the lesson receives, and each function is
called again as its first call was, with one argument at a time replaced by the nonsense a student
produces: another dataset's table, an unknown code, an empty table, ``None``, a value of the wrong
type, a number out of range, or a call that does not fit the function (an argument too many, an
unknown keyword, none at all). The kinds of nonsense follow from the kind of value the lesson
passed, so a new lesson's calls are tried without a line written for them here.

Every such call must raise the package's :class:`~csto_course.errors.CourseError`, which IPython
shows as the one line its ``_render_traceback_`` returns (``tests/test_student_mistakes.py`` runs
some in a real kernel), or, for ``check``, which never raises, return a box that is not "Correct".
The message must be one sentence, and its advice true: a dataset it suggests loading is one the
student package ships, a function it names is one the student package has (or a lesson defines),
and a code or id it offers is a real one, not the one that failed.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from numbers import Integral, Real
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import nbformat
import pandas as pd
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from csto_course import data, errors, load, measures
from csto_course.authoring.lesson import lesson_paths
from csto_course.authoring.release import ANSWER_KEY_DATASETS, STUDENT_MODULES
from csto_course.errors import CourseError
from csto_course.exercises.check import Feedback, check, exercises

from .conftest import ROOT
from .test_graders import ODD_ANSWERS
from .test_student_mistakes import MAX_LENGTH

LESSONS = lesson_paths(ROOT)
PACKAGE = "csto_course"


# --------------------------------------------------------------------------- the functions the lessons call


def lesson_code(path: Path) -> str:
    """A lesson's code cells as one Python program (IPython's ``%`` lines turned into Python)."""
    cells = nbformat.read(path, as_version=4).cells
    transform = TransformerManager().transform_cell
    return "\n".join(transform(cell.source) for cell in cells if cell.cell_type == "code")


def _imported(tree: ast.AST) -> dict[str, Any]:
    """The names a lesson binds to the course package's modules and objects by its imports."""
    bound: dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == PACKAGE:
            module = importlib.import_module(str(node.module))
            for alias in node.names:
                if alias.name == "*":
                    bound.update({name: getattr(module, name) for name in module.__all__})
                else:
                    bound[alias.asname or alias.name] = getattr(module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    top = alias.asname or alias.name.split(".")[0]
                    bound[top] = importlib.import_module(alias.name if alias.asname else PACKAGE)
    return bound


def called_functions(code: str) -> dict[str, Callable[..., Any]]:
    """Each function of the course package that ``code`` calls, by its dotted name."""
    tree = ast.parse(code)
    bound = _imported(tree)
    found: dict[str, Callable[..., Any]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        chain, target = [], node.func
        while isinstance(target, ast.Attribute):
            chain.append(target.attr)
            target = target.value
        if not isinstance(target, ast.Name) or target.id not in bound:
            continue
        obj = bound[target.id]
        for attr in reversed(chain):
            obj = getattr(obj, attr, None)
        inner = inspect.unwrap(obj) if callable(obj) else obj  # its own name, under any decorator
        if inspect.isfunction(inner) and inner.__module__.split(".")[0] == PACKAGE:
            found[f"{inner.__module__}.{inner.__qualname__}"] = obj
    return found


FUNCTIONS: dict[str, Callable[..., Any]] = {}
#: Functions a lesson writes itself (Lesson 6's ``departures``): a hint may name them too.
LESSON_DEFINED: set[str] = set()
for _lesson in LESSONS:
    _code = lesson_code(_lesson)
    FUNCTIONS.update(called_functions(_code))
    LESSON_DEFINED |= {node.name for node in ast.walk(ast.parse(_code)) if isinstance(node, ast.FunctionDef)}


def _record_calls(functions: dict[str, Callable[..., Any]]) -> dict[str, list[dict[str, Any]]]:
    """Run every lesson here and return, for each function, the arguments of each of its calls from a lesson.

    A profiler sees each call as it starts: the arguments are read from the called frame, so
    they are named as the function's parameters, defaults included. A call from inside the
    package (a view calling a measure) is not a lesson's.
    """
    codes = {inspect.unwrap(f).__code__: name for name, f in functions.items()}
    calls: dict[str, list[dict[str, Any]]] = {}

    def profile(frame: FrameType, event: str, _: object) -> None:
        name = codes.get(frame.f_code) if event == "call" else None
        if name is None:
            return
        caller = frame.f_back
        # errors.course_function's wrapper stands between the lesson and the function.
        while caller is not None and caller.f_code.co_filename == errors.__file__:
            caller = caller.f_back
        if caller is not None and caller.f_code.co_filename.startswith("<lesson"):
            parameters = inspect.signature(functions[name]).parameters
            calls.setdefault(name, []).append({p: frame.f_locals[p] for p in parameters})

    for path in LESSONS:
        program = compile(lesson_code(path), f"<lesson {path.name}>", "exec")
        namespace = {"__name__": "__lesson__", "display": lambda *args, **kwargs: None}
        sys.setprofile(profile)
        try:
            exec(program, namespace)
        finally:
            sys.setprofile(None)
    return calls


@pytest.fixture(scope="module")
def lesson_calls() -> dict[str, list[dict[str, Any]]]:
    return _record_calls(FUNCTIONS)


# --------------------------------------------------------------------------- nonsense


#: The datasets a student can load: the data package less the answer key the student package leaves out.
STUDENT_DATASETS = sorted(set(data.datasets()) - ANSWER_KEY_DATASETS)
FIRST_YEAR, LAST_YEAR = measures.FIRST_YEAR, int(data.as_of().year)
#: Every ISO3 code in the course data (the treaty states and every state in the UN roll calls).
CODES = set(load("states")["iso3"].astype(str)) | set(load("unga_votes")["iso3"].astype(str))
UNKNOWN = "XXX"
#: A table narrowed to fewer states: not nonsense, so a function may draw it, but if it refuses it, it says why truly.
NARROWED = "narrowed table"


@dataclass
class Case:
    """One nonsense call: what kind of nonsense, a short description, the arguments, and the nonsense in them."""

    kind: str
    what: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    nonsense: Any = None

    def passed(self) -> set[str]:
        """The text of the nonsense: a message may repeat it as what it got."""
        values = self.nonsense if isinstance(self.nonsense, (list, tuple, set)) else [self.nonsense]
        return {v for v in values if isinstance(v, str)}


def _is_date_text(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _for_value(value: Any, parameter: inspect.Parameter) -> Iterator[tuple[str, str, Any]]:
    """(kind, description, nonsense) for ``parameter``, which the lesson gave ``value``.

    A parameter that admits None (``str | None``) takes None, and empty text, as "none": for
    such, neither is nonsense.
    """
    optional = parameter.default is None or "None" in str(parameter.annotation)
    if not optional:
        yield "None", "None", None
    if isinstance(value, pd.DataFrame):
        name = value.attrs.get("name")
        yield "wrong type", "a number", 5
        yield "wrong type", "a dataset's name as text", name or "states"
        yield "wrong type", "a list", [1, 2, 3]
        yield "wrong type", "one column (a Series)", value.iloc[:, 0]
        yield "empty frame", "the table with no rows", value.iloc[0:0]
        yield "empty frame", "pd.DataFrame()", pd.DataFrame()
        for other in STUDENT_DATASETS:
            if other != name:
                yield "wrong table", f'load("{other}")', load(other)
        if "iso3" in value.columns:  # may be refused, but only with true advice
            codes = value["iso3"].astype(str)
            yield NARROWED, "the table without Russia's rows", value[codes != "RUS"]
            yield NARROWED, "only the first state's rows", value[codes == codes.iloc[0]]
    elif isinstance(value, bool):
        yield "wrong type", "text", "True"
    elif isinstance(value, Integral):
        yield "wrong type", "the number as text", str(value)
        yield "wrong type", "a fraction", int(value) + 0.5
        yield "wrong type", "a list", [value]
        yield "out of range", "-1", -1
        if FIRST_YEAR <= int(value) <= LAST_YEAR:  # a year
            yield "out of range", "the year before the data", FIRST_YEAR - 1
            yield "out of range", "the year after the data", LAST_YEAR + 1
    elif isinstance(value, Real):
        yield "wrong type", "text", str(value)
        yield "out of range", "-1", -1.0
    elif isinstance(value, str):
        yield "unknown code", repr(UNKNOWN), UNKNOWN
        if not optional:
            yield "unknown code", "empty text", ""
        yield "wrong type", "a number", 5
        yield "wrong type", "a list", [value]
        if _is_date_text(value):
            yield "out of range", "a date before the data", f"{FIRST_YEAR - 1}-07-01"
            yield "out of range", "a date after the data", f"{LAST_YEAR + 1}-07-01"
    elif isinstance(value, pd.Timestamp):
        yield "wrong type", "a number", 5
        yield "unknown code", repr(UNKNOWN), UNKNOWN
        yield "out of range", "a day before the data", pd.Timestamp(FIRST_YEAR - 1, 7, 1)
        yield "out of range", "a day after the data", pd.Timestamp(LAST_YEAR + 1, 7, 1)
    elif value is None:  # a default: nothing says what kind is wanted, so try text and a number
        yield "unknown code", repr(UNKNOWN), UNKNOWN
        yield "out of range", "-1", -1
    else:
        raise AssertionError(f"no nonsense is written for a {type(value).__name__}: add it to _for_value")


def nonsense(function: Callable[..., Any], good: dict[str, Any]) -> list[Case]:
    """Every nonsense call of ``function``: ``good`` (a lesson's arguments) with one argument replaced, or a
    call that does not fit the function's signature."""
    signature = inspect.signature(inspect.unwrap(function))
    cases = []
    for name, parameter in signature.parameters.items():
        for kind, what, value in _for_value(good[name], parameter):
            cases.append(Case(kind, f"{name}={what}", kwargs={**good, name: value}, nonsense=value))
    positional = [
        good[p.name] for p in signature.parameters.values() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    cases.append(Case("wrong call", "an argument too many", args=(*positional, UNKNOWN), nonsense=UNKNOWN))
    cases.append(Case("wrong call", "an unknown keyword", kwargs={**good, "colour": "red"}))
    if any(p.default is inspect.Parameter.empty for p in signature.parameters.values()):
        cases.append(Case("wrong call", "no arguments"))
    return cases


# --------------------------------------------------------------------------- judging what came back


def _student_module_names() -> list[str]:
    """The dotted names of the modules the student package keeps (release.STUDENT_MODULES)."""
    package = ROOT / "src" / PACKAGE
    names = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if any(relative == m or (m.endswith("/") and relative.startswith(m)) for m in STUDENT_MODULES):
            parts = [PACKAGE, *Path(relative).with_suffix("").parts]
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


STUDENT_MODULE_NAMES = _student_module_names()


def _student_modules() -> dict[str, ModuleType]:
    return {name: importlib.import_module(name) for name in STUDENT_MODULE_NAMES}


def student_has(name: str) -> bool:
    """Whether ``name`` (``load``, ``maps.reference_day``) is a function a student can call: a builtin, one a
    lesson defines, or a public name of a module the student package keeps, reached through that module's
    last parts."""
    *prefix, last = name.split(".")
    if not prefix and (hasattr(builtins, last) or last in LESSON_DEFINED):
        return True
    for module_name, module in _student_modules().items():
        if prefix and not (module_name == ".".join(prefix) or module_name.endswith("." + ".".join(prefix))):
            continue
        obj = getattr(module, last, None)
        owner = getattr(obj, "__module__", "") or ""
        if not last.startswith("_") and callable(obj) and owner in STUDENT_MODULE_NAMES:
            return True
    return False


#: `load("x")`, `describe('x')`... in a message: the dataset named must exist.
DATASET_ADVICE = re.compile(r"""\b(?:load|describe|cite|dataset_browser)\(\s*['"]([^'"]*)['"]""")
#: A function named in a message, as called: `name(` or `module.name(` (a method, `.sum(`, is not looked up).
FUNCTION_ADVICE = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\(")
#: A quoted ISO3 code, and the words after which a code is offered rather than repeated.
ISO3 = re.compile(r"""['"]([A-Z]{3})['"]""")
OFFER = re.compile(r"\b(?:such as|for example|try|did you mean|instead)\b")
#: A quoted id of the shape the course gives exercises and rows ('origins-1', 'kgz-osh-2010').
KEY = re.compile(r"""['"]([a-z]+(?:-[a-z0-9]+)+)['"]""")


def _ids() -> set[str]:
    """Every exercise id, and every value of a dataset's one-column primary key (crisis ids, event ids...)."""
    found = set(exercises())
    for resource in data.package()["resources"]:
        key = resource["schema"].get("primaryKey")
        if isinstance(key, list) and len(key) == 1 and resource["name"] in STUDENT_DATASETS:
            found |= set(load(resource["name"])[key[0]].astype(str))
    return found


IDS = _ids()


def advice_problems(message: str, passed: set[str]) -> list[str]:
    """What in ``message`` is untrue: a dataset that does not exist, a function the student lacks, a bad code.

    ``passed`` is the text the student gave, which the message may repeat as what it got.
    """
    problems = [
        f"suggests the dataset {name!r}, which the student package does not have"
        for name in DATASET_ADVICE.findall(message)
        if name not in STUDENT_DATASETS
    ]
    problems += [
        f"names {name}(), which the student package does not have"
        for name in FUNCTION_ADVICE.findall(message)
        if not student_has(name)
    ]
    offer = OFFER.search(message)
    failed = set()  # the codes named before the offer: what the message says has no data
    for match in ISO3.finditer(message):
        code = match.group(1)
        if code in passed:  # what the student wrote, repeated
            continue
        if code not in CODES:
            problems.append(f"names the code {code!r}, which is not in the data")
        elif offer is None or match.start() < offer.start():
            failed.add(code)
        elif code in failed:
            problems.append(f"offers {code!r}, a code it has just said fails")
    if offer is not None:
        problems += [
            f"offers the id {found!r}, which no exercise or row of the data has"
            for found in KEY.findall(message[offer.start() :])
            if found not in IDS and found not in passed
        ]
    return problems


#: A sentence ends, and another begins, at a full stop, question or exclamation mark, then a capital.
SENTENCE_BREAK = re.compile(r"[.?!]\s+[A-Z]")
QUOTED = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"")


def sentence_problems(message: str) -> list[str]:
    """Why ``message`` is not one sentence of at most ``MAX_LENGTH`` characters on one line, if it is not."""
    problems = []
    if "\n" in message:
        problems.append("runs over more than one line")
    if len(message) > MAX_LENGTH:
        problems.append(f"is {len(message)} characters long")
    bare = QUOTED.sub("''", message)
    if SENTENCE_BREAK.search(bare):
        problems.append("is more than one sentence")
    if not message.rstrip().endswith((".", "?")):
        problems.append("does not end a sentence")
    return problems


@dataclass
class Outcome:
    """What one nonsense call did: ``result`` is 'sentence' when all is well, else what went wrong."""

    result: str  # sentence, traceback, silent, not one sentence, wrong advice
    message: str
    problems: list[str] = field(default_factory=list)


def judge(function: Callable[..., Any], case: Case) -> Outcome:
    """Call ``function`` as ``case`` says, and say whether it answered in one true sentence."""
    try:
        returned = function(*case.args, **case.kwargs)
    except CourseError as error:
        message = str(error)
        shown = error._render_traceback_()
        if len(shown) != 1:
            return Outcome("traceback", message, [f"IPython would show {len(shown)} lines"])
    except Exception as error:  # a bare error: IPython shows its traceback
        return Outcome("traceback", f"{type(error).__name__}: {error}")
    else:
        if case.kind == NARROWED:
            return Outcome("sentence", f"returned {type(returned).__name__}")
        if not isinstance(returned, Feedback) or returned.correct:
            return Outcome("silent", f"returned {type(returned).__name__}")
        if returned.status == "incorrect":  # a wrong answer's hint, which the exercise's spec writes
            return Outcome("sentence", returned.message)
        message = returned.message
    if wrong := advice_problems(message, case.passed()):
        return Outcome("wrong advice", message, wrong + sentence_problems(message))
    if problems := sentence_problems(message):
        return Outcome("not one sentence", message, problems)
    return Outcome("sentence", message)


# --------------------------------------------------------------------------- the tests


def test_the_lessons_call_the_functions_this_test_knows() -> None:
    """The list comes from the lessons: if it were empty, every test below would pass on nothing."""
    assert "csto_course.data.load" in FUNCTIONS and len(FUNCTIONS) >= 10, sorted(FUNCTIONS)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_nonsense_gets_one_true_sentence(lesson_calls: dict[str, dict[str, Any]], name: str) -> None:
    function = FUNCTIONS[name]
    assert name in lesson_calls, f"no lesson's code reached {name}: is the call in a cell that runs?"
    good = lesson_calls[name][0]
    function(**good)  # the lesson's own call works
    failures = []
    for case in nonsense(function, good):
        outcome = judge(function, case)
        if outcome.result != "sentence":
            details = "; ".join(outcome.problems)
            failures.append(f"{case.kind}, {case.what}: {outcome.result} ({details}) {outcome.message[:200]!r}")
    assert not failures, f"{name}:\n" + "\n".join(failures)


@pytest.mark.parametrize("exercise_id", sorted(exercises()))
def test_a_check_refuses_an_odd_answer_in_one_true_sentence(
    lesson_calls: dict[str, list[dict[str, Any]]], exercise_id: str
) -> None:
    """``check`` never raises: its box is the sentence. Each odd answer (``test_graders.ODD_ANSWERS``, and
    the lesson's own answer written as text) is not graded right, and a refusal says why in one true sentence."""
    answers = [c["answer"] for c in lesson_calls[f"{check.__module__}.check"] if c["exercise_id"] == exercise_id]
    odd = [*ODD_ANSWERS, *(str(a) for a in answers[:1] if not isinstance(a, str))]
    failures = []
    for answer in odd:
        feedback = check(exercise_id, answer)
        problems = [] if feedback.status == "incorrect" else sentence_problems(feedback.message)
        problems += advice_problems(feedback.message, {answer} if isinstance(answer, str) else set())
        if feedback.correct or problems:
            failures.append(f"{answer!r:.60}: {feedback.status}, {'; '.join(problems)}: {feedback.message}")
    assert not failures, f"{exercise_id}:\n" + "\n".join(failures)
