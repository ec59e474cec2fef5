"""The sealed checks: how a student's installed package grades an answer without holding it.

The student package (:func:`csto_course.authoring.release.student_package`) carries no grader
module and no answer key. In their place is ``sealed.json``, written when the edition is built
(:mod:`csto_course.authoring.seal`): for each exercise, how to read the answer (a reader of
:mod:`.readers`, by name), how to compare it, and salted SHA-256 digests of the canonical form
(:func:`canonical`) of the expected answer as read, and of each anticipated mistake's answer. A
student's answer is read with the same reader, put in the same canonical form and digested with
the same salt; equal digests mean equal answers. The message for a right answer is enciphered
with a key made from the right answer itself, so it can be read only by someone who gave it.

What changes against the full graders (which the clone, the instructor and nbgrader's autograde
use, and which give the same verdicts: ``tests/test_sealed.py``):

- a number compared within a tolerance ``t`` is rounded onto a grid of step ``t / STEPS``, and
  the grid points within ``STEPS + 1`` steps are accepted: an answer within ``t`` is always
  accepted, one up to ``t * (1 + 2 / STEPS)`` away may be;
- a map (a number per key) and a list of labels are digested key by key and label by label, so
  the feedback can still count the keys or labels missing, extra or off. A key's value, or a
  label, drawn from a small set (a year, an ISO3 code) can be found by trying every candidate:
  the digests keep an answer out of sight, not out of reach of a loop.

Each message is sealed in every language of the course; the grading picks the reader's
(:func:`csto_course.language.current`), in English where a record has no other.

Nothing here returns an expected answer: a record holds digests and the messages a wrong
answer may see, and :class:`SealedExercise` has no ``expected``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..language import current
from .readers import READERS, one_check, tally_phrase

__all__ = [
    "FILE",
    "SCHEMA",
    "STEPS",
    "SealedExercise",
    "canonical",
    "key_text",
    "label_text",
    "grid_text",
    "near_grids",
    "digest",
    "encipher",
    "decipher",
    "message_secret",
    "facts",
    "sealed_exercises",
]

#: The sealed checks, beside this module in the student package (absent from a clone).
FILE = Path(__file__).with_name("sealed.json")
#: The version of the records' format; a file of another version is not read.
SCHEMA = 2  # 2: a worked result is sealed in each language
#: Grid steps per tolerance: a tolerant comparison accepts grid points within STEPS + 1 steps.
STEPS = 10

GradeResult = tuple[bool, str]


# --------------------------------------------------------------------------- canonical forms


def canonical(value: Any) -> str:
    """A stable text for a value as read: equal values (3, 3.0, numpy's 3) give the same text.

    Text is stripped and case-blind; a set is sorted, a dict sorted by key; a tuple or list keeps its order.
    """
    if isinstance(value, (bool, np.bool_)):
        return f"b:{bool(value)}"
    if isinstance(value, (int, np.integer)):
        return f"n:{int(value)}"
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isfinite(number) and number == int(number):
            return f"n:{int(number)}"
        return f"n:{number!r}"
    if isinstance(value, str):
        return label_text(value)
    if isinstance(value, (tuple, list)):
        return "t:(" + ",".join(canonical(v) for v in value) + ")"
    if isinstance(value, (set, frozenset)):
        return "S:{" + ",".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "d:{" + ",".join(sorted(f"{key_text(k)}={canonical(v)}" for k, v in value.items())) + "}"
    return f"r:{value!r}"


def key_text(key: Any) -> str:
    """A map's key as compared: exactly as written (the full graders compare keys exactly)."""
    if isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_)):
        return f"k:{int(key)}"
    return f"k:{key}"


def label_text(label: Any) -> str:
    """A label of a set (a state, a crisis id), or a piece of text: stripped and case-blind."""
    return "s:" + str(label).strip().casefold()


def grid_text(number: float, tolerance: float, offset: int = 0) -> str:
    """``number`` rounded onto the grid of step ``tolerance / STEPS``, moved ``offset`` steps."""
    return f"g:{round(float(number) / (tolerance / STEPS)) + offset}"


def near_grids(number: float, tolerance: float) -> list[str]:
    """The grid points a number within ``tolerance`` of ``number`` can round to."""
    return [grid_text(number, tolerance, offset) for offset in range(-STEPS - 1, STEPS + 2)]


def digest(salt: str, text: str) -> str:
    """The salted SHA-256 digest of a canonical text."""
    return hashlib.sha256(f"{salt}|{text}".encode()).hexdigest()


def _stream(key: bytes, length: int) -> bytes:
    blocks = (hashlib.sha256(key + i.to_bytes(4, "big")).digest() for i in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def encipher(salt: str, secret: str, text: str) -> str:
    """``text`` enciphered with a key made from ``secret`` (the right answer's canonical text), as hex."""
    plain = text.encode("utf-8")
    key = hashlib.sha256(f"{salt}|message|{secret}".encode()).digest()
    return bytes(a ^ b for a, b in zip(plain, _stream(key, len(plain)), strict=True)).hex()


def decipher(salt: str, secret: str, cipher: str) -> str:
    """The text :func:`encipher` enciphered, given the same ``secret``."""
    data = bytes.fromhex(cipher)
    key = hashlib.sha256(f"{salt}|message|{secret}".encode()).digest()
    return bytes(a ^ b for a, b in zip(data, _stream(key, len(data)), strict=True)).decode("utf-8", "replace")


def message_secret(secret: str, language: str) -> str:
    """The secret a right answer's message in ``language`` is enciphered with: each language has its
    own key stream, so two translations of one message never share one."""
    return secret if language == "en" else f"{secret}|{language}"


def worked_secret(secret: str, language: str) -> str:
    """The secret a worked result in ``language`` is enciphered with (its own key stream, apart from
    the right message's)."""
    return f"{message_secret(secret, language)}|worked"


def in_language(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A record's part (a hint, a right message) with its texts in the reader's language, where sealed."""
    local = entry.get("languages", {}).get(current()) or {}
    return {**entry, **{k: v for k, v in local.items() if v is not None}}


# --------------------------------------------------------------------------- the facts a hint may quote


def _sorted(keys: Iterable[Any]) -> list[Any]:
    keys = list(keys)
    try:
        return sorted(keys)
    except TypeError:
        return sorted(keys, key=str)


def facts(
    got: Any,
    *,
    expected_count: int | None,
    known: Callable[[Any], bool] | None,
    off: Callable[[Any], bool] | None,
    only: Iterable[str] | None = None,
    noun: str | None = None,
) -> dict[str, Any]:
    """What a hint's template (``Say``) may quote about an answer, the same in both graders.

    ``known(k)`` tells whether a key or label of the answer is one of the expected ones, and
    ``off(k)`` whether a known key's value differs; each grader answers them its own way (the full
    graders from the expected answer, the sealed checks from digests). Only the student's own keys
    are ever named.
    """
    out: dict[str, Any] = {"got": got}
    if isinstance(got, (set, frozenset, dict, list, tuple)):
        out["have"] = len(got)
    if expected_count is None or known is None or not isinstance(got, (set, frozenset, dict)):
        return out
    mine = _sorted(got)
    present = [k for k in mine if known(k)]
    extra = [k for k in mine if not known(k)]
    wanted = set(only) if only is not None else None
    offs = [k for k in present if off is not None and (wanted is None or str(k) in wanted) and off(k)]
    out.update(
        n=expected_count,
        missing=expected_count - len(present),
        extra=len(extra),
        off=len(offs),
        agree=len(present) - len(offs),
        off_keys=", ".join(map(str, offs)),
        first_off=str(offs[0]) if offs else "",
        first_extra=str(extra[0]) if extra else "",
    )
    if noun:
        out["tally"] = tally_phrase(len(got), expected_count, out["missing"], len(extra), noun)
    return out


# --------------------------------------------------------------------------- grading from a record


def elements(got: Any, of: str) -> list[str]:
    """The canonical texts a test digests of an answer: each label, each key, or the whole value."""
    if of == "labels":
        return [label_text(x) for x in got] if isinstance(got, (set, frozenset)) else []
    if of == "keys":
        return [key_text(k) for k in got] if isinstance(got, dict) else []
    return [canonical(got)]


@dataclass(frozen=True)
class SealedExercise:
    """One exercise as the student package knows it: its id, its question and its sealed check.

    It can grade an answer; it cannot say what the right answer is.
    """

    id: str
    question: str
    record: Mapping[str, Any] = field(repr=False)

    def grade(self, answer: Any) -> GradeResult:
        """Grade ``answer`` from the record, as the full grader would (``(correct, message)``)."""
        with one_check():
            return _Grading(self.record).grade(answer)

    def worked(self, answer: Any) -> WorkedResult | None:
        """The worked result a right ``answer`` opens (the table or chart behind it); None for any other."""
        drawn = self.record.get("worked")
        if not drawn:
            return None
        language = current() if current() in drawn else "en"
        with one_check():
            grading = _Grading(self.record)
            got = READERS[self.record["read"]["reader"]](answer, *self.record["read"]["args"])
            ok, secret = grading.matches(grading.form, got)
        if not ok:
            return None
        try:
            return WorkedResult(json.loads(decipher(self.salt, worked_secret(secret, language), drawn[language])))
        except ValueError:
            return None

    @property
    def salt(self) -> str:
        return str(self.record["salt"])


@dataclass(frozen=True)
class WorkedResult:
    """A worked result as display data (HTML, a chart's Vega-Lite, plain text), shown as it was sealed."""

    data: Mapping[str, Any]

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return dict(self.data)


class _Grading:
    def __init__(self, record: Mapping[str, Any]) -> None:
        self.record = record
        self.salt: str = record["salt"]
        self.compare: Mapping[str, Any] = record["compare"]
        self.form: Mapping[str, Any] = record["expected"]

    def h(self, text: str) -> str:
        return digest(self.salt, text)

    # ---- comparing with a form (the expected answer's, or a mistake's)

    def matches(self, form: Mapping[str, Any], got: Any) -> tuple[bool, str]:
        """Whether ``got`` is the answer ``form`` digests, and the canonical text that matched."""
        kind = self.compare["kind"]
        if kind == "equal":
            text = canonical(got)
            return self.h(text) == form["d"], text
        if kind == "within":
            for text in near_grids(float(got), float(self.compare["tolerance"])):
                if self.h(text) == form["g"]:
                    return True, text
            return False, ""
        if kind == "anyof":
            text = canonical(got)
            return self.h(text) in form["any"], text
        if kind == "labels":
            if not isinstance(got, (set, frozenset)):
                return False, ""
            texts = sorted(label_text(x) for x in got)
            return {self.h(t) for t in texts} == set(form["labels"]), ",".join(texts)
        if kind == "perkey":
            return self._per_key(form, got)
        raise ValueError(f"unknown comparison {kind!r}")

    def _value_text(self, form: Mapping[str, Any], k: Any, v: Any) -> str | None:
        """The canonical text of key ``k`` with value ``v`` if it matches the form's, else None."""
        target = form["keys"].get(self.h(key_text(k)))
        if target is None:
            return None
        tolerance = self.compare.get("tolerance")
        if tolerance:
            candidates = [f"{key_text(k)}={g}" for g in near_grids(float(v), float(tolerance))]
        else:
            candidates = [f"{key_text(k)}={canonical(v)}"]
        return next((c for c in candidates if self.h(c) == target), None)

    def _per_key(self, form: Mapping[str, Any], got: Any) -> tuple[bool, str]:
        if not isinstance(got, dict):
            return False, ""
        known = {self.h(key_text(k)): k for k in got}
        if set(form["keys"]) - set(known) or (set(known) - set(form["keys"]) and not self.compare.get("extra")):
            return False, ""
        texts = []
        for kd in form["keys"]:
            text = self._value_text(form, known[kd], got[known[kd]])
            if text is None:
                return False, ""
            texts.append(text)
        return True, ",".join(sorted(texts))

    # ---- what the expected answer's keys or labels let a hint say

    def _expected_keys(self) -> set[str] | None:
        if self.compare["kind"] == "perkey":
            return set(self.form["keys"])
        if self.compare["kind"] == "labels":
            return set(self.form["labels"])
        return None

    def _known(self, k: Any) -> bool:
        keys = self._expected_keys() or set()
        text = key_text(k) if self.compare["kind"] == "perkey" else label_text(k)
        return self.h(text) in keys

    def _off(self, got: dict[Any, Any]) -> Callable[[Any], bool]:
        return lambda k: self._value_text(self.form, k, got[k]) is None

    def facts(self, got: Any, hint: Mapping[str, Any]) -> dict[str, Any]:
        keys = self._expected_keys()
        out = facts(
            got,
            expected_count=None if keys is None else len(keys),
            known=self._known if keys is not None else None,
            off=self._off(got) if self.compare["kind"] == "perkey" and isinstance(got, dict) else None,
            only=hint.get("only"),
            noun=hint.get("noun"),
        )
        out.update(hint.get("facts", {}))
        return out

    # ---- tests of an answer and hints

    def holds(self, when: Mapping[str, Any], got: Any) -> bool:
        op = when["op"]
        if op == "value":
            return self.matches(when["form"], got)[0]
        if op == "none":
            return got is None
        if op == "size_not":
            return len(got) != when["n"]
        if op == "above":
            return any(v > when["x"] for v in got.values())
        if op in ("has_any", "all_in"):
            found = [self.h(e) in set(when["set"]) for e in elements(got, when["of"])]
            return any(found) if op == "has_any" else all(found)
        if op in ("keys_differ", "missing", "extra"):
            f = self.facts(got, {})
            missing, extra = f.get("missing", 0), f.get("extra", 0)
            return {"keys_differ": bool(missing or extra), "missing": bool(missing), "extra": bool(extra)}[op]
        if op == "near":
            return any(self.h(g) in set(when["grids"]) for g in near_grids(float(got), float(when["tolerance"])))
        if op == "part_is":
            return self.h(canonical(got[when["i"]])) in set(when["set"])
        if op == "part_differs":
            return self.h(canonical(got[when["i"]])) != when["d"]
        if op in ("off", "off_by"):
            if not isinstance(got, dict):
                return False
            only = set(when["only"]) if when.get("only") is not None else None
            offs = [k for k in got if self._known(k) and (only is None or str(k) in only) and self._off(got)(k)]
            if op == "off":
                return bool(offs)
            shifted = when["shifted"]
            return bool(offs) and all(
                shifted.get(self.h(key_text(k))) == self.h(f"{key_text(k)}={canonical(got[k])}") for k in offs
            )
        if op == "all":
            return all(self.holds(w, got) for w in when["of"])
        if op == "not":
            return not self.holds(when["of"], got)
        raise ValueError(f"unknown test {op!r}")

    def say(self, hint: Mapping[str, Any], got: Any) -> str:
        hint = in_language(hint)
        if "text" in hint:
            return str(hint["text"])
        if "by" in hint:
            return str(hint["by"].get(self.h(canonical(got)), hint.get("else", "")))
        return str(hint["say"]).format(**self.facts(got, hint))

    # ---- the one grading routine, as specs.grade

    def grade(self, answer: Any) -> GradeResult:
        record = self.record
        local = in_language(record)
        args = local.get("args", record["read"]["args"])
        got = READERS[record["read"]["reader"]](answer, *args)
        for mistake in record["before"]:
            if self.holds(mistake["when"], got):
                return False, self.say(mistake["hint"], got)
        preface = ""
        if record.get("preface"):
            f = self.facts(got, {"noun": local["preface"]})
            preface = f.get("tally", "")
        ok, secret = self.matches(self.form, got)
        if ok:
            language = current() if current() in record["right"].get("languages", {}) else "en"
            right = in_language(record["right"]) if language != "en" else record["right"]
            cipher = right["by"].get(self.h(secret)) if "by" in right else right["default"]
            return True, decipher(self.salt, message_secret(secret, language), cipher) if cipher else ""
        hint = next((m["hint"] for m in record["mistakes"] if self.holds(m["when"], got)), record["otherwise"])
        return False, " ".join(part for part in (preface, self.say(hint, got)) if part)


@lru_cache(maxsize=4)
def _read(path: str) -> dict[str, Any]:
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(records, dict) or records.get("schema") != SCHEMA:
        return {}
    return dict(records.get("exercises", {}))


def sealed_exercises(path: Path | None = None) -> dict[str, SealedExercise]:
    """The sealed checks by id, from ``path`` (the package's ``sealed.json``); none if there is no file."""
    records = _read(str(path or FILE))
    return {i: SealedExercise(i, str(r["question"]), r) for i, r in records.items()}
