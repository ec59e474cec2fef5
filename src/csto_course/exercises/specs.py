"""What every grader shares: the registry of exercises, readers that turn an answer into the
value a question asks for (or explain in one sentence why they cannot), and :class:`Spec`, the
short specification from which each exercise's grader is made.

A grader is a function of the student's answer returning ``(correct, feedback)``. It is
registered under the id its lesson's check cell uses (Exercise 2.3 is ``inaction-3``), with a
function computing its expected answer from the data (the answer key), and lives in its
lesson's module under :mod:`csto_course.exercises`. A lesson writes each exercise as a
:class:`Spec` (how to read the answer, the expected value, how to compare, the anticipated
mistakes with their hints) and :meth:`Spec.register` turns it into that grader, so every exercise is
graded by the same few lines (:func:`grade`). The readers live in :mod:`.readers` (re-exported
here), and raise :class:`WrongType` with a hint aimed at the slip a beginner most likely made.

A spec is written in parts a build can seal (:mod:`csto_course.authoring.seal`): a reader named
with :class:`Read`, a comparison from here (:data:`equal`, :func:`within`, :func:`close`,
:data:`same_labels`, :class:`AnyOf`...), mistakes given by the answer they give (``value=``) or by a
test from here (:class:`HasAny`, :class:`KeysDiffer`, :class:`Near`...), and hints as text or as
:class:`Say` templates. The student package then grades from digests, with the same verdicts and
messages; this module, which computes expected answers, is not in it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypedDict

from ..language import N_, translate
from .readers import (
    VERDICTS,
    Read,
    WrongType,
    as_code,
    as_departures,
    as_int,
    as_labels,
    as_letter,
    as_number,
    as_number_map,
    as_one_state,
    as_pair,
    as_state_map,
    as_states,
    as_verdicts,
    as_voters,
    as_year_counts,
    compare_labels,
    kind_of,
    one_check,
    per_check,
    state_aliases,
)
from .sealed import canonical, elements, facts, key_text, label_text

__all__ = [
    "Exercise",
    "Expected",
    "GradeResult",
    "Hint",
    "Mistake",
    "Reading",
    "STATES",
    "Spec",
    "WrongType",
    "Read",
    "VERDICTS",
    "Compare",
    "Equal",
    "Within",
    "PerKey",
    "Labels",
    "AnyOf",
    "close",
    "exercise",
    "equal",
    "grade",
    "other_keys",
    "per_check",
    "registry",
    "same_label",
    "same_labels",
    "tally",
    "Tally",
    "within",
    "Say",
    "ByAnswer",
    "Cond",
    "IsNone",
    "SizeIsNot",
    "AnyAbove",
    "HasAny",
    "AllIn",
    "KeysDiffer",
    "Missing",
    "Extra",
    "Near",
    "PartIs",
    "PartDiffers",
    "Off",
    "OffBy",
    "All",
    "Not",
    "kind_of",
    "as_int",
    "as_number",
    "as_labels",
    "as_pair",
    "as_number_map",
    "as_code",
    "as_letter",
    "as_year_counts",
    "as_departures",
    "as_one_state",
    "as_voters",
    "as_verdicts",
    "compare_labels",
    "hashed",
    "state_aliases",
    "as_states",
    "as_state_map",
    "close_maps",
]

GradeResult = tuple[bool, str]
Grade = Callable[[Any], GradeResult]

_SALT = "csto-course:v1:"


Expected = Callable[[], Any]


@dataclass(frozen=True)
class Exercise:
    """A registered exercise: its id, its question, its grader, and the function that computes
    its expected answer from the data, in the form the question asks for (the answer key)."""

    id: str
    question: str
    grade: Grade
    expected: Expected
    spec: Spec | None = None  # the specification it was made from, which the tests read its mistakes from

    def asked(self, language: str | None = None) -> str:
        """The question in ``language`` (default: the reader's), for the answer key: a spec's question
        with fields (a year the data decide) is translated as written, then filled."""
        if self.spec is None or not self.spec.question_fields:
            return translate(self.question, language)
        return translate(self.spec.question, language).format(**self.spec.question_fields)


_REGISTRY: dict[str, Exercise] = {}


def exercise(exercise_id: str, question: str, *, expected: Expected) -> Callable[[Grade], Grade]:
    """Register a grader under the id its lesson's check cell uses, with its expected answer.

    ``expected`` takes no argument and returns the answer a student should give, computed from
    the data; the grader calls it rather than computing the answer a second time.
    """
    if not callable(expected):
        raise TypeError(f"Exercise {exercise_id!r}: expected must be a function returning the expected answer.")

    def register(grade: Grade) -> Grade:
        if exercise_id in _REGISTRY:
            raise ValueError(f"Exercise id {exercise_id!r} is registered twice.")
        _REGISTRY[exercise_id] = Exercise(exercise_id, question, grade, expected)
        return grade

    return register


def registry() -> dict[str, Exercise]:
    """Every registered exercise by id (importing :mod:`csto_course.exercises` registers them all)."""
    return dict(_REGISTRY)


def hashed(answer: str) -> str:
    """The salted hash that stores an answer the data cannot compute (a reading of two texts)."""
    return hashlib.sha256((_SALT + str(answer).strip().casefold()).encode("utf-8")).hexdigest()


def close_maps(got: dict[str, float], expected: dict[str, float], tolerance: float = 0.005) -> bool:
    """The same keys, and every value within ``tolerance`` of the expected one."""
    return set(got) == set(expected) and all(abs(got[k] - expected[k]) <= tolerance for k in expected)


# --------------------------------------------------------------------------- comparisons
# Each is an object rather than a lambda, so a build can seal it (it knows the kind and the tolerance).


class Compare:
    """How an answer as read is compared with the expected value: ``compare(got, value) -> bool``."""

    kind: ClassVar[str] = ""

    def __call__(self, got: Any, value: Any) -> bool:
        raise NotImplementedError

    def expected_keys(self, value: Any) -> set[str] | None:
        """The canonical texts of the expected keys or labels, for hints that count them (None: no keys)."""
        return None

    def key_text(self, key: Any) -> str:
        """The canonical text of one key or label of an answer."""
        return key_text(key)

    def off(self, got: Any, value: Any, key: Any) -> bool:
        """Whether the answer's value for a known ``key`` differs from the expected one."""
        return False


@dataclass(frozen=True)
class Equal(Compare):
    """The default comparison: the same value (a whole number, a pair, a piece of text)."""

    kind: ClassVar[str] = "equal"

    def __call__(self, got: Any, value: Any) -> bool:
        return bool(got == value)


#: The default comparison.
equal = Equal()


@dataclass(frozen=True)
class Within(Compare):
    """Compare numbers, accepting a difference up to ``tolerance`` (for rounding)."""

    tolerance: float
    kind: ClassVar[str] = "within"

    def __call__(self, got: Any, value: Any) -> bool:
        return abs(got - float(value)) <= self.tolerance


def within(tolerance: float) -> Within:
    """Compare numbers, accepting a difference up to ``tolerance`` (for rounding)."""
    return Within(tolerance)


@dataclass(frozen=True)
class PerKey(Compare):
    """Compare a value per key (a dict or a Series), key by key.

    ``tolerance`` compares numbers within it (None: values must be equal); ``extra`` lets the answer
    hold keys the expected value lacks; ``casefold_keys`` compares the expected keys case-blind (the
    reader casefolds the answer's).
    """

    tolerance: float | None = None
    extra: bool = False
    casefold_keys: bool = False
    kind: ClassVar[str] = "perkey"

    def normal(self, value: Any) -> dict[Any, Any]:
        items = dict(value).items()
        if self.casefold_keys:
            items = {str(k).casefold(): v for k, v in items}.items()
        if self.tolerance is not None:
            return {str(k): float(v) for k, v in items}
        return dict(items)

    def value_ok(self, got: Any, expected: Any) -> bool:
        if self.tolerance is not None:
            return abs(float(got) - float(expected)) <= self.tolerance
        return bool(got == expected)

    def __call__(self, got: Any, value: Any) -> bool:
        expected = self.normal(value)
        keys_ok = set(expected) <= set(got) if self.extra else set(got) == set(expected)
        return keys_ok and all(self.value_ok(got[k], v) for k, v in expected.items())

    def expected_keys(self, value: Any) -> set[str]:
        return {key_text(k) for k in self.normal(value)}

    def off(self, got: Any, value: Any, key: Any) -> bool:
        expected = {key_text(k): v for k, v in self.normal(value).items()}
        return not self.value_ok(got[key], expected[key_text(key)])


def close(tolerance: float = 0.005) -> PerKey:
    """Compare a number per key (a dict or a Series): the same keys, each value within ``tolerance``."""
    return PerKey(tolerance)


@dataclass(frozen=True)
class Labels(Compare):
    """Compare a set of labels read case-blind (:func:`as_labels`, :func:`as_states`) with a list of
    labels, or with one label (``one=True``)."""

    one: bool = False
    kind: ClassVar[str] = "labels"

    def normal(self, value: Any) -> set[str]:
        return {str(v).casefold() for v in ([value] if self.one else value)}

    def __call__(self, got: Any, value: Any) -> bool:
        return bool(got == self.normal(value))

    def expected_keys(self, value: Any) -> set[str]:
        return {label_text(v) for v in self.normal(value)}

    def key_text(self, key: Any) -> str:
        return label_text(key)


#: A set of labels against a list of labels; :data:`same_label` against one label.
same_labels = Labels()
same_label = Labels(one=True)


@dataclass(frozen=True)
class AnyOf(Compare):
    """Accept any of several answers, ``accepted()`` (a state tied with another for the most spells)."""

    accepted: Callable[[], Iterable[Any]]
    kind: ClassVar[str] = "anyof"

    def __call__(self, got: Any, value: Any) -> bool:
        return canonical(got) in {canonical(a) for a in self.accepted()}


# --------------------------------------------------------------------------- hints


@dataclass(frozen=True)
class Say:
    """A hint that quotes the answer: a template filled in from what both graders know of it.

    The template may use ``{got}`` (the answer as read), ``{have}`` (how many items it holds) and,
    for a map or a set of labels, ``{n}`` (how many the expected answer holds), ``{missing}``,
    ``{extra}``, ``{off}`` (known keys with another value; among ``only`` if given), ``{agree}``,
    ``{off_keys}`` and ``{first_off}`` (the student's own keys that are off), ``{first_extra}``, and
    ``{tally}`` (as :func:`tally` says it, of ``noun``). ``facts`` adds values computed from the data
    (``first=lambda: 1992``): they are written into the student package as text, so none may be an
    answer.
    """

    template: str
    only: tuple[str, ...] | None = None
    noun: str | None = None
    facts: Mapping[str, Callable[[], Any]] = dataclasses.field(default_factory=dict)

    def __call__(self, got: Any, spec: Spec | None = None) -> str:
        facts = answer_facts(got, spec, self.only, self.noun)
        return translate(self.template).format(**facts, **self.static())

    def static(self) -> dict[str, Any]:
        return {name: compute() for name, compute in self.facts.items()}


@dataclass(frozen=True)
class ByAnswer:
    """A hint per answer, for an answer drawn from a few (a letter): ``ByAnswer({"a": "...", ...})``."""

    hints: Mapping[Any, str]

    def __call__(self, got: Any) -> str:
        return translate(self.hints.get(got, ""))


#: A message: fixed text, a template (:class:`Say`, :class:`ByAnswer`), or a function of the answer as
#: read. A function can be sealed only if its argument is named ``_`` (it ignores the answer) or it is
#: the right answer's message; any other is left out of the student package (its mistake is not told).
Hint = str | Say | ByAnswer | Callable[[Any], str]


def answer_facts(
    got: Any, spec: Spec | None, only: Iterable[str] | None = None, noun: str | None = None
) -> dict[str, Any]:
    """What a :class:`Say` may quote about ``got``, computed from the expected answer."""
    if spec is None:
        return facts(got, expected_count=None, known=None, off=None)
    value = spec.expected()
    matches = spec.matches
    if not isinstance(matches, Compare):
        return facts(got, expected_count=None, known=None, off=None)
    keys = matches.expected_keys(value)
    compare: Compare = matches
    return facts(
        got,
        expected_count=None if keys is None else len(keys),
        known=None if keys is None else (lambda k: compare.key_text(k) in keys),
        off=(lambda k: compare.off(got, value, k)) if isinstance(compare, PerKey) else None,
        only=only,
        noun=noun,
    )


# --------------------------------------------------------------------------- tests of an answer


class Cond:
    """A test of the answer as read, for a :class:`Mistake` (``when=``) that no single value describes.

    Unlike a lambda it can be sealed: a test that looks at the answer alone ships as it is, one that
    compares it with values from the data ships as their digests.
    """

    def holds(self, got: Any, spec: Spec) -> bool:
        raise NotImplementedError


def _of(of: str | None, spec: Spec) -> str:
    if of is not None:
        return of
    return {"perkey": "keys", "labels": "labels"}.get(getattr(spec.matches, "kind", ""), "value")


def element_texts(values: Iterable[Any], of: str, casefold: bool = False) -> set[str]:
    """The canonical texts of values compared with an answer's labels, keys or the answer itself."""
    if of == "labels":
        return {label_text(v) for v in values}
    if of == "keys":
        return {key_text(str(v).casefold() if casefold else v) for v in values}
    return {canonical(v) for v in values}


@dataclass(frozen=True)
class IsNone(Cond):
    """The reader gave None (an answer of the wrong size, for :func:`as_one_state`)."""

    def holds(self, got: Any, spec: Spec) -> bool:
        return got is None


@dataclass(frozen=True)
class SizeIsNot(Cond):
    """The answer does not hold ``n`` items."""

    n: int

    def holds(self, got: Any, spec: Spec) -> bool:
        return len(got) != self.n


@dataclass(frozen=True)
class AnyAbove(Cond):
    """A value of a map is above ``x`` (a share given as a percentage)."""

    x: float

    def holds(self, got: Any, spec: Spec) -> bool:
        return any(v > self.x for v in got.values())


@dataclass(frozen=True)
class HasAny(Cond):
    """Some label of the answer, key of its map, or the answer itself (``of``: "labels", "keys",
    "value"; by default as the spec compares) is one of ``values()``."""

    values: Callable[[], Iterable[Any]]
    of: str | None = None

    def holds(self, got: Any, spec: Spec) -> bool:
        texts = element_texts(self.values(), _of(self.of, spec), _casefold(spec))
        return any(e in texts for e in elements(got, _of(self.of, spec)))


@dataclass(frozen=True)
class AllIn(Cond):
    """Every label (or key) of the answer is one of ``values()``."""

    values: Callable[[], Iterable[Any]]
    of: str | None = None

    def holds(self, got: Any, spec: Spec) -> bool:
        texts = element_texts(self.values(), _of(self.of, spec), _casefold(spec))
        return all(e in texts for e in elements(got, _of(self.of, spec)))


def _casefold(spec: Spec) -> bool:
    return bool(getattr(spec.matches, "casefold_keys", False))


def _counts(got: Any, spec: Spec) -> dict[str, Any]:
    return answer_facts(got, spec)


@dataclass(frozen=True)
class KeysDiffer(Cond):
    """The answer's keys (or labels) are not the expected ones: some missing, or some extra."""

    def holds(self, got: Any, spec: Spec) -> bool:
        f = _counts(got, spec)
        return bool(f.get("missing") or f.get("extra"))


@dataclass(frozen=True)
class Missing(Cond):
    """Some expected key (or label) is missing from the answer."""

    def holds(self, got: Any, spec: Spec) -> bool:
        return bool(_counts(got, spec).get("missing"))


@dataclass(frozen=True)
class Extra(Cond):
    """The answer holds a key (or label) the expected answer lacks."""

    def holds(self, got: Any, spec: Spec) -> bool:
        return bool(_counts(got, spec).get("extra"))


@dataclass(frozen=True)
class Near(Cond):
    """The answer, a number, is within ``tolerance`` of one of ``values()``."""

    values: Callable[[], Iterable[float]]
    tolerance: float

    def holds(self, got: Any, spec: Spec) -> bool:
        return any(abs(float(got) - float(v)) <= self.tolerance for v in self.values())


@dataclass(frozen=True)
class PartIs(Cond):
    """Item ``i`` of the answer (a pair) is ``value()``."""

    i: int
    value: Callable[[], Any]

    def holds(self, got: Any, spec: Spec) -> bool:
        return canonical(got[self.i]) == canonical(self.value())


@dataclass(frozen=True)
class PartDiffers(Cond):
    """Item ``i`` of the answer (a pair) differs from the expected answer's."""

    i: int

    def holds(self, got: Any, spec: Spec) -> bool:
        return canonical(got[self.i]) != canonical(spec.expected()[self.i])


@dataclass(frozen=True)
class Off(Cond):
    """Some known key of the answer (among ``only``, if given) has another value than the expected one."""

    only: tuple[str, ...] | None = None

    def holds(self, got: Any, spec: Spec) -> bool:
        return bool(answer_facts(got, spec, self.only).get("off"))


@dataclass(frozen=True)
class OffBy(Cond):
    """Some known keys (among ``only``) are off, and each by exactly ``delta`` (one day too many)."""

    delta: int
    only: tuple[str, ...] | None = None

    def holds(self, got: Any, spec: Spec) -> bool:
        if not isinstance(got, dict) or not isinstance(spec.matches, PerKey):
            return False
        value = spec.matches.normal(spec.expected())
        expected = {key_text(k): v for k, v in value.items()}
        offs = [
            k
            for k in got
            if key_text(k) in expected
            and (self.only is None or str(k) in self.only)
            and spec.matches.off(got, value, k)
        ]
        return bool(offs) and all(canonical(got[k]) == canonical(expected[key_text(k)] + self.delta) for k in offs)


@dataclass(frozen=True, init=False)
class All(Cond):
    """Every one of ``tests`` holds."""

    tests: tuple[Cond, ...]

    def __init__(self, *tests: Cond) -> None:
        object.__setattr__(self, "tests", tests)

    def holds(self, got: Any, spec: Spec) -> bool:
        return all(t.holds(got, spec) for t in self.tests)


@dataclass(frozen=True)
class Not(Cond):
    """``test`` does not hold."""

    test: Cond

    def holds(self, got: Any, spec: Spec) -> bool:
        return not self.test.holds(got, spec)


# --------------------------------------------------------------------------- exercises as data


@dataclass(frozen=True)
class Tally:
    """A preface saying how many ``noun`` are missing or extra (:func:`compare_labels`), never which."""

    noun: str

    def __call__(self, got: set[str], expected: Iterable[Any]) -> str:
        return compare_labels(got, {str(e).casefold() for e in expected}, self.noun)[1]


def tally(noun: str) -> Tally:
    """A preface saying how many ``noun`` are missing or extra (:func:`compare_labels`), never which."""
    return Tally(noun)


@dataclass(frozen=True)
class Mistake:
    """An anticipated wrong answer and the hint it gets.

    ``value`` computes from the data the answer this mistake gives, compared with the answer as
    the right answer is (the spec's ``matches``): most mistakes are another measure, or the same
    one on other rows. ``when`` tests the answer as read instead, for the few mistakes no single
    value describes (a key too many, a sign flipped on every value): a :class:`Cond` (which the
    student package can use), or a function of the answer (which it cannot). Give exactly one.
    """

    hint: Hint
    value: Callable[[], Any] | None = None
    when: Cond | Callable[[Any], bool] | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.when is None):
            raise TypeError("A Mistake needs exactly one of value= (the answer it gives) or when= (a test).")


@dataclass(frozen=True)
class Spec:
    """One exercise as data, from which :meth:`register` makes its grader.

    ``read`` turns the answer into the value compared (raising :class:`WrongType` with a hint if it
    cannot), ``expected`` computes the right answer from the data (it is also the answer key),
    ``matches`` compares the two (:data:`equal` unless told), and ``right`` is the message for a
    right answer. A wrong one gets the hint of the first of ``before`` (a wrong shape, checked
    before comparing, where it could otherwise pass), then of ``mistakes``, that it makes, or
    ``otherwise``. ``preface``, if given, says how the answer compares (how many states are
    missing) and goes before every message but those of ``before``. ``worked``, if given, makes
    the worked result a check shows under a right answer (a table or chart with the counts behind
    it): shown only then, so it never gives the answer away before the student has found it.
    """

    id: str
    question: str
    read: Callable[[Any], Any]
    expected: Expected
    right: Hint
    otherwise: Hint
    mistakes: Sequence[Mistake] = ()
    matches: Callable[[Any, Any], bool] = equal
    before: Sequence[Mistake] = ()
    preface: Callable[[Any, Any], str] | None = None
    worked: Callable[[], Any] | None = None
    #: Values the question names that the data decide (a year), filled into its ``{fields}``.
    question_fields: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def register(self) -> Spec:
        """Register the grader this spec describes under its id, with its expected answer."""
        question = self.question.format(**self.question_fields) if self.question_fields else self.question
        exercise(self.id, question, expected=self.expected)(lambda answer: grade(self, answer))
        _REGISTRY[self.id] = dataclasses.replace(_REGISTRY[self.id], spec=self)
        return self


class Reading(TypedDict):
    """How a kind of answer is read and compared, for several specs at once (``Spec(..., **STATES)``)."""

    read: Callable[[Any], Any]
    matches: Callable[[Any, Any], bool]
    preface: Callable[[Any, Any], str] | None


#: A list of states (codes or names), compared with the expected ISO3 codes as a set, each message
#: prefaced by how many are missing or extra.
STATES = Reading(read=Read(as_states), matches=same_labels, preface=tally(N_("states")))


def other_keys(expected: Expected, hint: str) -> Mistake:
    """The mistake of giving a value per key for other keys than ``expected``'s: ``hint`` says how many, as {n}."""
    return Mistake(Say(hint), when=KeysDiffer())


def say(hint: Hint, got: Any, spec: Spec | None = None) -> str:
    """A hint's text for the answer ``got``, in the reader's language (a hint is written in English,
    marked with ``N_``, and translated here, where it is shown)."""
    if isinstance(hint, str):
        return translate(hint)
    if isinstance(hint, Say):
        return hint(got, spec)
    return hint(got)


def makes(mistake: Mistake, got: Any, spec: Spec) -> bool:
    """Whether the answer as read makes ``mistake``."""
    if isinstance(mistake.when, Cond):
        return mistake.when.holds(got, spec)
    if mistake.when is not None:
        return mistake.when(got)
    assert mistake.value is not None  # __post_init__ makes sure of it
    return spec.matches(got, mistake.value())


def grade(spec: Spec, answer: Any) -> GradeResult:
    """Grade ``answer`` as ``spec`` says: the one grading routine every exercise shares."""
    with one_check():
        return _grade(spec, answer)


def _grade(spec: Spec, answer: Any) -> GradeResult:
    got = spec.read(answer)
    shape = next((m.hint for m in spec.before if makes(m, got, spec)), None)
    if shape is not None:
        return False, say(shape, got, spec)
    expected = spec.expected()
    preface = spec.preface(got, expected) if spec.preface else ""

    def said(hint: Hint) -> str:
        return " ".join(part for part in (preface, say(hint, got, spec)) if part)

    if spec.matches(got, expected):
        return True, said(spec.right)
    return False, said(next((m.hint for m in spec.mistakes if makes(m, got, spec)), spec.otherwise))
