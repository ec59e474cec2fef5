"""Seal the checks for the student package: every exercise as digests, with no answer in it.

The full graders (the lessons' modules in :mod:`csto_course.exercises`) compute each expected
answer from the data, so a package that ships them hands out the answers
(``registry()[id].expected()``). The student package ships, in their place, the records this
module writes when the edition is built (:func:`seal_all`), which the student package's
``check()`` grades from (:mod:`csto_course.exercises.sealed`). Each record holds:

- the exercise's id and question, the reader of its answer (by name, from
  :mod:`csto_course.exercises.readers`) and how it is compared;
- a salt, different for every exercise and every commit (the same for two builds of one
  commit), and the salted SHA-256 digests of the canonical form of the expected answer as read
  (key by key for a map, label by label for a set of labels, on a grid for a tolerant
  comparison), and of each anticipated mistake's answer;
- each hint a wrong answer may get, as text or as a template, and the tests that choose it, a
  test that compares the answer with values from the data holding their digests;
- the message for a right answer, enciphered with a key made from the right answer itself.

Every message is sealed in each of the course's languages (:data:`csto_course.language.LANGUAGES`):
the English as before, and under ``languages`` the translations the graders' catalog gives, which
the student package does not carry. A hint's translation is as plain as its English, which a wrong
answer may read anyway; a right answer's message in another language is enciphered with a key of
its own (the right answer and the language), so no two messages share a key stream.

A hint that the record cannot carry (a function of the answer that is not a :class:`Say`, a test
written as a lambda) is left out: its mistake then gets the next hint that applies, and
:func:`seal_all` reports it. A reader, a comparison or a preface it cannot carry stops the
build (:class:`SealError`): the student package could not grade that exercise at all.

Run ``python -m csto_course.authoring.seal OUT.json`` to write the file and list what was left out.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..exercises import specs
from ..exercises.readers import READERS, Read, one_check
from ..exercises.sealed import (
    SCHEMA,
    canonical,
    digest,
    encipher,
    grid_text,
    key_text,
    label_text,
    message_secret,
    worked_secret,
)
from ..language import LANGUAGES, N_, speaking, translate
from .release import ReleaseError

__all__ = ["SealError", "seal_spec", "seal_all", "write_sealed", "main"]


@contextmanager
def _speaking(language: str) -> Iterator[None]:
    """Seal in ``language``, with the values of the data computed afresh for it: a value kept for the
    whole check (:func:`~csto_course.exercises.readers.per_check`) may hold the data's words, such
    as a crisis's name, in the language sealed before."""
    with speaking(language), one_check():
        yield


class SealError(ReleaseError):
    """An exercise the student package could not grade: its reader, comparison or preface cannot be sealed.

    A :class:`~csto_course.authoring.release.ReleaseError`: the student package is refused, as a
    lesson that would leak a solution is.
    """


class _Sealer:
    def __init__(self, spec: specs.Spec, salt: str) -> None:
        self.spec = spec
        self.salt = salt
        self.lost: list[str] = []
        self.value = spec.expected()
        matches = spec.matches
        if not isinstance(matches, specs.Compare):
            raise SealError(
                f"{spec.id}: matches= is a function the student package cannot run; use a comparison from "
                "csto_course.exercises.specs (equal, within, close, PerKey, same_labels, same_label, AnyOf)."
            )
        self.compare: specs.Compare = matches

    def h(self, text: str) -> str:
        return digest(self.salt, text)

    # ---- forms: what a value compared with the answer becomes

    def texts(self, value: Any) -> dict[str, str] | str | list[str]:
        """The canonical text(s) of a value as compared: by key, whole, or by accepted answer."""
        compare = self.compare
        if isinstance(compare, specs.Within):
            return grid_text(float(value), compare.tolerance)
        if isinstance(compare, specs.PerKey):
            out = {}
            for k, v in compare.normal(value).items():
                text = grid_text(float(v), compare.tolerance) if compare.tolerance else canonical(v)
                out[key_text(k)] = f"{key_text(k)}={text}"
            return out
        if isinstance(compare, specs.Labels):
            return sorted(label_text(x) for x in compare.normal(value))
        if isinstance(compare, specs.AnyOf):
            return [canonical(a) for a in compare.accepted()]
        if isinstance(compare, specs.Equal):
            return canonical(value)
        raise SealError(f"{self.spec.id}: the comparison {compare!r} cannot be sealed.")

    def form(self, value: Any) -> dict[str, Any]:
        texts = self.texts(value)
        kind = self.compare.kind
        if kind == "within":
            return {"g": self.h(str(texts))}
        if kind == "perkey":
            assert isinstance(texts, dict)
            return {"keys": {self.h(k): self.h(t) for k, t in sorted(texts.items())}}
        if kind == "labels":
            return {"labels": sorted(self.h(t) for t in texts)}
        if kind == "anyof":
            return {"any": sorted(self.h(t) for t in texts)}
        return {"d": self.h(str(texts))}

    def secret(self) -> str:
        """The canonical text a right answer digests to, from which the right message's key is made."""
        texts = self.texts(self.value)
        if isinstance(texts, dict):
            return ",".join(sorted(texts.values()))
        if isinstance(texts, list):
            return ",".join(texts)
        return texts

    # ---- the right answer's message, enciphered

    def as_read(self, value: Any) -> Any:
        """The expected answer as a reader would give it, for the right message's functions."""
        if isinstance(self.compare, specs.Labels):
            return self.compare.normal(value)
        if isinstance(self.compare, specs.PerKey):
            return self.compare.normal(value)
        return value

    def right_text(self, got: Any) -> str:
        spec = self.spec
        preface = spec.preface(got, self.value) if spec.preface else ""
        return " ".join(part for part in (preface, specs.say(spec.right, got, spec)) if part)

    def right_in(self, language: str) -> dict[str, Any]:
        """The right answer's message in ``language``, enciphered with a key for that language."""
        with _speaking(language):
            if isinstance(self.compare, specs.AnyOf):
                return {
                    "by": {
                        self.h(canonical(a)): encipher(
                            self.salt, message_secret(canonical(a), language), self.right_text(a)
                        )
                        for a in self.compare.accepted()
                    }
                }
            secret = message_secret(self.secret(), language)
            return {"default": encipher(self.salt, secret, self.right_text(self.as_read(self.value)))}

    def right(self) -> dict[str, Any]:
        return {**self.right_in("en"), "languages": {lang: self.right_in(lang) for lang in LANGUAGES[1:]}}

    def worked(self) -> dict[str, str] | None:
        """The worked result's display data (what a notebook shows of it) in each language, by
        language, enciphered like the right message: only a right answer opens it, so the student
        package holds no table of answers. Its names, titles and labels are the reader's, as the
        full package draws them (:func:`csto_course.data.load`)."""
        if self.spec.worked is None or isinstance(self.compare, specs.AnyOf):
            return None
        import pandas as pd
        from IPython.core.formatters import format_display_data  # ipykernel, in every course environment

        drawn = {}
        for language in LANGUAGES:
            # pandas' own default outside a terminal, as in a notebook: a terminal would narrow the table
            with _speaking(language), pd.option_context("display.max_columns", 20):
                data, _ = format_display_data(self.spec.worked())
            key = worked_secret(self.secret(), language)
            drawn[language] = encipher(self.salt, key, json.dumps(data, sort_keys=True))
        return drawn

    # ---- hints and tests

    def hint(self, hint: specs.Hint, where: str) -> dict[str, Any] | None:
        """A hint as the record carries it: in English, and its text in each other language under ``languages``."""
        with _speaking("en"):
            out = self.hint_in_language(hint)
        if out is None:
            self.lost.append(f"{self.spec.id}: {where}: its hint is a function of the answer")
            return None
        out["languages"] = {}
        for language in LANGUAGES[1:]:
            with _speaking(language):
                local = self.hint_in_language(hint) or {}
            out["languages"][language] = {k: v for k, v in local.items() if k in ("text", "say", "noun", "by")}
        return out

    def hint_in_language(self, hint: specs.Hint) -> dict[str, Any] | None:
        """A hint's record in the language chosen (:func:`~.speaking`); None if it cannot be sealed."""
        if isinstance(hint, str):
            return {"text": translate(hint)}
        if isinstance(hint, specs.Say):
            out: dict[str, Any] = {"say": translate(hint.template)}
            if hint.only is not None:
                out["only"] = list(hint.only)
            if hint.noun:
                out["noun"] = translate(hint.noun)
            if hint.facts:
                out["facts"] = hint.static()
            return out
        if isinstance(hint, specs.ByAnswer):
            return {"by": {self.h(canonical(k)): translate(v) for k, v in hint.hints.items()}}
        if callable(hint) and _ignores_answer(hint):
            return {"text": hint(None)}
        return None

    def when(self, test: Any, where: str) -> dict[str, Any] | None:
        spec = self.spec
        if isinstance(test, specs.IsNone):
            return {"op": "none"}
        if isinstance(test, specs.SizeIsNot):
            return {"op": "size_not", "n": test.n}
        if isinstance(test, specs.AnyAbove):
            return {"op": "above", "x": test.x}
        if isinstance(test, (specs.HasAny, specs.AllIn)):
            of = specs._of(test.of, spec)
            texts = specs.element_texts(test.values(), of, specs._casefold(spec))
            op = "has_any" if isinstance(test, specs.HasAny) else "all_in"
            return {"op": op, "of": of, "set": sorted(self.h(t) for t in texts)}
        if isinstance(test, specs.KeysDiffer):
            return {"op": "keys_differ"}
        if isinstance(test, specs.Missing):
            return {"op": "missing"}
        if isinstance(test, specs.Extra):
            return {"op": "extra"}
        if isinstance(test, specs.Near):
            grids = {self.h(grid_text(float(v), test.tolerance)) for v in test.values()}
            return {"op": "near", "tolerance": test.tolerance, "grids": sorted(grids)}
        if isinstance(test, specs.PartIs):
            return {"op": "part_is", "i": test.i, "set": [self.h(canonical(test.value()))]}
        if isinstance(test, specs.PartDiffers):
            return {"op": "part_differs", "i": test.i, "d": self.h(canonical(self.value[test.i]))}
        if isinstance(test, specs.Off):
            return {"op": "off", "only": None if test.only is None else list(test.only)}
        if isinstance(test, specs.OffBy) and isinstance(self.compare, specs.PerKey):
            shifted = {
                self.h(key_text(k)): self.h(f"{key_text(k)}={canonical(v + test.delta)}")
                for k, v in self.compare.normal(self.value).items()
            }
            only = None if test.only is None else list(test.only)
            return {"op": "off_by", "only": only, "shifted": dict(sorted(shifted.items()))}
        if isinstance(test, specs.All):
            parts = [self.when(t, where) for t in test.tests]
            return None if any(p is None for p in parts) else {"op": "all", "of": parts}
        if isinstance(test, specs.Not):
            part = self.when(test.test, where)
            return None if part is None else {"op": "not", "of": part}
        self.lost.append(f"{spec.id}: {where}: its test is a function the student package cannot run")
        return None

    def mistake(self, mistake: specs.Mistake, where: str) -> list[dict[str, Any]]:
        """A mistake's records: a ``value=`` mistake has one for each language whose data give it another
        value (the crises' names, which a Russian notebook's tables give in Russian), all with its hint."""
        if mistake.value is not None:
            if isinstance(self.compare, specs.AnyOf):
                raise SealError(f"{self.spec.id}: a value= mistake cannot be compared with AnyOf; use when=.")
            forms = []
            for language in LANGUAGES:
                with _speaking(language):
                    form = self.form(mistake.value())
                if form not in forms:
                    forms.append(form)
            whens: list[dict[str, Any] | None] = [{"op": "value", "form": form} for form in forms]
        else:
            whens = [self.when(mistake.when, where)]
        hint = self.hint(mistake.hint, where)
        if hint is None or None in whens:
            return []
        return [{"when": when, "hint": hint} for when in whens]

    def record(self) -> dict[str, Any]:
        spec = self.spec
        read = spec.read
        if not isinstance(read, Read) or READERS.get(read.name) is not read.reader:
            raise SealError(
                f"{spec.id}: read= must name a reader of csto_course.exercises.readers with Read, such as "
                "Read(as_int, 'a year'), so the student package can read the answer."
            )
        if spec.preface is not None and not isinstance(spec.preface, specs.Tally):
            raise SealError(f"{spec.id}: preface= must be tally('...') to be sealed.")
        compare: dict[str, Any] = {"kind": self.compare.kind}
        if isinstance(self.compare, (specs.Within, specs.PerKey)) and self.compare.tolerance is not None:
            compare["tolerance"] = self.compare.tolerance
        if isinstance(self.compare, specs.PerKey) and self.compare.extra:
            compare["extra"] = True
        otherwise = self.hint(spec.otherwise, "otherwise") or self.hint(_OTHERWISE, "otherwise")
        noun = spec.preface.noun if isinstance(spec.preface, specs.Tally) else None
        return {
            "question": spec.question,
            "read": {"reader": read.name, "args": list(read.args)},
            "languages": {
                language: {
                    "args": [translate(a, language) if isinstance(a, str) else a for a in read.args],
                    "preface": translate(noun, language) if noun else None,
                }
                for language in LANGUAGES[1:]
            },
            "compare": compare,
            "salt": self.salt,
            "expected": self.form(self.value),
            "right": self.right(),
            "worked": self.worked(),
            "before": [m for i, x in enumerate(spec.before) for m in self.mistake(x, f"before[{i}]")],
            "mistakes": [m for i, x in enumerate(spec.mistakes) for m in self.mistake(x, f"mistakes[{i}]")],
            "otherwise": otherwise,
            "preface": noun,
        }


#: What a wrong answer is told when the spec's own ``otherwise`` cannot be sealed.
_OTHERWISE = N_("Not yet: read the question again, and check each step.")


def _ignores_answer(hint: Callable[..., Any]) -> bool:
    """A function of the answer whose one argument is named ``_``: it ignores the answer, so it can be
    written down once."""
    try:
        parameters = list(inspect.signature(hint).parameters)
    except (TypeError, ValueError):
        return False
    return parameters == ["_"]


def build_salt(exercise_id: str) -> str:
    """The exercise's salt: different for every exercise and every commit, and the same for two builds
    of one commit, so the handout zip stays reproducible (tests/test_handout.py). A salt need not be
    secret: it keeps one table of digests from serving every exercise and every release."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "no-commit"
    return hashlib.sha256(f"csto-course|{commit}|{exercise_id}".encode()).hexdigest()[:32]


def seal_spec(spec: specs.Spec, salt: str | None = None) -> tuple[dict[str, Any], list[str]]:
    """The sealed record of one exercise, and what of it was left out (one line per hint)."""
    with one_check():
        sealer = _Sealer(spec, salt or build_salt(spec.id))
        return sealer.record(), sealer.lost


def seal_all(exercises: Mapping[str, specs.Exercise] | None = None) -> tuple[dict[str, Any], list[str]]:
    """The sealed checks of every registered exercise (a salt for each), and what was left out."""
    known = specs.registry() if exercises is None else exercises
    records: dict[str, Any] = {}
    lost: list[str] = []
    for exercise_id, exercise in sorted(known.items()):
        if exercise.spec is None:
            raise SealError(f"{exercise_id}: registered without a Spec, so it cannot be sealed.")
        records[exercise_id], left_out = seal_spec(exercise.spec)
        lost += left_out
    return {"schema": SCHEMA, "exercises": records}, lost


def write_sealed(path: Path) -> list[str]:
    """Write the sealed checks to ``path``; return what was left out."""
    sealed, lost = seal_all()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sealed, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return lost


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print("usage: python -m csto_course.authoring.seal OUT.json", file=sys.stderr)
        return 0 if args[:1] in (["-h"], ["--help"]) else 2
    try:
        lost = write_sealed(Path(args[0]))
    except SealError as error:
        print(f"Sealed checks not written: {error}", file=sys.stderr)
        return 1
    for line in lost:
        print(f"left out: {line}")
    print(f"Sealed checks: {args[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
