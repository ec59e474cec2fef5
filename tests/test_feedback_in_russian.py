"""A Russian lesson's check() speaks Russian: for every exercise, right, wrong and wrongly typed
answers, from the full graders and from the sealed checks of the student package.

"Russian" is judged by a heuristic, not by a speaker: once code (`...`, calls, attributes,
columns), quoted values ('...', "...", «...»), ids, codes and numbers are taken out, no Latin word
of three letters or more may remain, and there must be Cyrillic. The answers come from the
registry and from each spec (its answer key and anticipated mistakes), never typed here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import polib
import pytest

from csto_course import language as lang
from csto_course import load
from csto_course.authoring import translations as tr
from csto_course.authoring.seal import seal_all
from csto_course.exercises import check as check_module
from csto_course.exercises.check import Feedback
from csto_course.exercises.sealed import SealedExercise, decipher
from csto_course.exercises.specs import ByAnswer, Say, Tally, registry

from .test_sealed import _perturbed

EXERCISES = sorted(registry())

#: Names from Python and pandas that a Russian sentence keeps as they are, like code.
CODE_WORDS = {"True", "False", "None", "NaN", "Series", "DataFrame", "Index", "Timestamp", "pandas"}
_QUOTED = re.compile(r"`[^`]*`|«[^»]*»|'[^']*'|\"[^\"]*\"")
_CODE_LIKE = re.compile(r"[\d_.()\[\]{}=<>/\\]")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def english_words(text: str) -> list[str]:
    """The Latin words of 3+ letters left in ``text`` once code, quoted values, ids and numbers are out."""
    words = []
    for token in _QUOTED.sub(" ", text).split():
        if _CODE_LIKE.search(token.strip(".,;:!?")):
            continue
        word = token.strip(".,;:!?()…—–-*")
        if word.isupper() or word in CODE_WORDS:
            continue
        if re.fullmatch(r"[A-Za-z]{3,}", word):
            words.append(word)
    return words


def reads_as_russian(text: str) -> bool:
    return bool(_CYRILLIC.search(text)) and not english_words(text)


def test_the_heuristic_tells_russian_from_english() -> None:
    assert reads_as_russian("Ожидалось: год; получен объект Series. Возьмите `.iloc[0]` или 'csto'.")
    assert reads_as_russian("Не хватает государств: 2 (UZB, kgz-osh-2010, ISO3), «Armenia».")
    assert not reads_as_russian("Expected a year, got a Series.")
    assert not reads_as_russian("Ожидалось: год; got a list.")
    assert not reads_as_russian("2 3 'x'")  # no Cyrillic at all


def _answers(exercise_id: str) -> Iterator[tuple[str, Any]]:
    """A right answer (the answer key), a wrong one (an anticipated mistake where the spec has one,
    else an answer near the right one) and a wrongly typed one, each chosen by its English verdict."""
    exercise = registry()[exercise_id]
    spec = exercise.spec
    assert spec is not None
    yield "right", exercise.expected()
    candidates: list[Callable[[], Any]] = [m.value for m in (*spec.mistakes, *spec.before) if m.value is not None]
    candidates += [lambda a=a: a for a in _perturbed(exercise_id)]
    if isinstance(spec.otherwise, ByAnswer):  # an answer drawn from a few (a letter): each other one
        candidates += [lambda a=a: a for a in spec.otherwise.hints]
    with lang.speaking("en"):
        wrong = next(
            (a for c in candidates if check_module._verdict(exercise_id, a := c()).status == "incorrect"), None
        )
        typed = next(
            a
            for a in (pd.DataFrame({"x": [1]}), "nine", 3.5, object())
            if check_module._verdict(exercise_id, a).status == "invalid"
        )
    assert wrong is not None, f"{exercise_id}: no wrong answer found"
    yield "wrong", wrong
    yield "wrong type", typed


@pytest.fixture(scope="module")
def sealed_graders() -> dict[str, SealedExercise]:
    return {i: SealedExercise(i, r["question"], r) for i, r in seal_all()[0]["exercises"].items()}


def _feedback(
    exercise_id: str, answer: Any, graders: dict[str, SealedExercise] | None, monkeypatch: pytest.MonkeyPatch
) -> Feedback:
    """The feedback of the full graders, or (``graders`` given) of the sealed checks, as the student package's."""
    with monkeypatch.context() as patch:
        if graders is not None:
            patch.setattr(check_module, "graders", lambda: graders)
        return check_module._verdict(exercise_id, answer)


@pytest.mark.parametrize("exercise_id", EXERCISES)
@pytest.mark.parametrize("grader", ["full", "sealed"])
def test_every_check_speaks_russian_in_a_russian_notebook(
    exercise_id: str, grader: str, sealed_graders: dict[str, SealedExercise], monkeypatch: pytest.MonkeyPatch
) -> None:
    graders = sealed_graders if grader == "sealed" else None
    statuses = []
    for kind, answer in _answers(exercise_id):
        monkeypatch.setenv(lang.ENVIRONMENT, "en")
        english = _feedback(exercise_id, answer, graders, monkeypatch)
        in_english = repr(english)  # a box's label is translated when it is shown
        monkeypatch.setenv(lang.ENVIRONMENT, "ru")
        russian = _feedback(exercise_id, answer, graders, monkeypatch)
        shown = f"{russian._label()}. {russian.message}"  # the message with its `code` marked
        statuses.append(russian.status)
        assert russian.status == english.status, f"{exercise_id}, {kind}: {in_english} / {shown}"
        assert reads_as_russian(shown), f"{exercise_id} ({grader}), {kind}: {english_words(shown)} in {shown}"
        assert not _CYRILLIC.search(in_english), f"{exercise_id} ({grader}), {kind}: {in_english}"
    assert statuses == ["correct", "incorrect", "invalid"]


def _texts(hint: Any) -> list[str]:
    """The English texts of a hint that are written down (a function's text is tested by the test above)."""
    if isinstance(hint, str):
        return [hint]
    if isinstance(hint, Say):
        return [hint.template, *([hint.noun] if hint.noun else [])]
    if isinstance(hint, ByAnswer):
        return list(hint.hints.values())
    return []


def test_every_hint_of_every_spec_has_its_russian() -> None:
    """Every hint a spec writes down, every noun a tally counts and every description of what a reader
    expects is in the catalog, translated: those the answers above do not reach as well."""
    catalog = {e.msgid: e.msgstr for e in polib.pofile(str(tr.catalog_path(tr.PACKAGE))) if not e.obsolete}
    missing = []
    for exercise_id, exercise in sorted(registry().items()):
        spec = exercise.spec
        assert spec is not None
        hints = [spec.right, spec.otherwise, *(m.hint for m in (*spec.mistakes, *spec.before))]
        texts = [t for h in hints for t in _texts(h)]
        texts += [a for a in getattr(spec.read, "args", ()) if isinstance(a, str) and " " in a]
        texts += [spec.preface.noun] if isinstance(spec.preface, Tally) else []
        missing += [f"{exercise_id}: {t!r}" for t in texts if t and not catalog.get(t)]
    assert missing == []


def test_english_feedback_is_the_english_of_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """In English nothing is looked up: the messages are the code's own, as the other tests assert them."""
    monkeypatch.setenv(lang.ENVIRONMENT, "en")
    assert repr(check_module._verdict("origins-1", "nine")) == (
        "? origins-1: Check your answer's type. Expected a number of states, got a piece of text (it is in "
        "quotes): write it as a number, without quotes."
    )
    spec = registry()["ukraine-6"].spec
    assert spec is not None
    assert check_module._verdict("ukraine-6", ["ARM"]).message.startswith("You gave 1: ")


def test_errors_from_the_data_speak_russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lang.ENVIRONMENT, "ru")
    with pytest.raises(Exception) as unknown:
        load("statse")
    assert str(unknown.value) == "Набора данных с именем 'statse' нет: может быть, имелось в виду load('states')?"
    with pytest.raises(TypeError) as wrong_type:
        load(5)
    assert reads_as_russian(str(wrong_type.value)), str(wrong_type.value)


def test_a_right_message_in_russian_has_a_key_of_its_own(sealed_graders: dict[str, SealedExercise]) -> None:
    """The English and the Russian right message are enciphered with different keys (no key stream
    serves twice), and the Russian one opens only with a right answer and the language."""
    record = sealed_graders["origins-1"].record
    english, russian = record["right"]["default"], record["right"]["languages"]["ru"]["default"]
    salt = record["salt"]
    secret = f"n:{registry()['origins-1'].expected()}"
    assert decipher(salt, secret, english).startswith("Those are")
    assert decipher(salt, f"{secret}|ru", russian).startswith("Это первоначальные")
    assert "Это" not in decipher(salt, secret, russian)  # the English key opens nothing of it


def test_the_student_package_catalog_holds_no_grader_message() -> None:
    """The catalog the student package carries has only the messages of its own modules: a right
    answer's message, which may name the answer, reaches a student only enciphered."""
    shipped = {e.msgid for e in polib.mofile(str(tr.compiled_path())) if not e.msgctxt}  # not the data's names
    graders = {e.msgid for e in polib.mofile(str(tr.compiled_graders_path()))}
    catalog = polib.pofile(str(tr.catalog_path(tr.PACKAGE)))
    assert shipped and graders and not shipped & graders
    assert shipped == {e.msgid for e in catalog if e.msgstr and not e.obsolete and tr.shipped(e)}
    rights = [s.right for e in registry().values() if (s := e.spec) is not None]
    texts = [r.template if isinstance(r, Say) else r for r in rights if isinstance(r, (str, Say))]
    assert texts and not [t for t in texts if t in shipped]


def test_a_russian_student_may_name_the_states_in_russian_or_as_the_data_spell_them() -> None:
    """The Russian tables name the states in Russian; a list of states is read in either language."""
    expected = registry()["getting-started-2"].expected()
    states = load("states").set_index("iso3")
    english = [states.loc[str(code).upper(), "name"] for code in expected]
    with lang.speaking("ru"):
        russian = [load("states").set_index("iso3").loc[str(code).upper(), "name"] for code in expected]
        assert set(russian).isdisjoint(english), "the Russian tables name the states in Russian"
        for answer in (english, russian, [name.upper() for name in russian]):
            assert check_module._verdict("getting-started-2", answer).correct, answer


def test_a_mistake_made_with_the_russian_tables_gets_its_hint_from_the_sealed_checks(
    sealed_graders: dict[str, SealedExercise],
) -> None:
    """Lesson 2's exercise 3 asks for crisis ids; a student who gives the crises' names, as the Russian
    tables print them, is told so by the student package as by the full graders."""
    spec = registry()["inaction-3"].spec
    assert spec is not None
    with lang.speaking("ru"):
        names = load("crises").pipe(lambda c: c[c["members_on_both_sides"].fillna(False).astype(bool)])["name"]
        full = check_module._verdict("inaction-3", names.tolist())
        sealed = sealed_graders["inaction-3"].grade(names.tolist())
        told = lang.translate(str(spec.before[0].hint))
    assert not full.correct and told in full.message
    assert not sealed[0] and told in sealed[1], sealed[1]
