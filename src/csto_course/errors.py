"""Errors a student can cause, shown as one plain sentence instead of a traceback.

A beginner who mistypes a dataset name should read what to type instead, not forty lines
of library internals. IPython asks an exception for ``_render_traceback_`` before it
formats a traceback; every error here answers with its message alone. Outside IPython
(scripts, tests) they are ordinary exceptions, and each also subclasses the built-in
type a programmer would expect (``TypeError``, ``ValueError``, ``KeyError``), so
``except ValueError`` keeps working.

Three rules live here, once each: how a value a student passed is named in words
(:func:`kind_of`), what a function says when it is given a table it cannot read
(:func:`require_columns`), and what it says when the call itself does not fit it: an
argument too many, an unknown keyword, or one missing (:func:`course_function`).
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from .language import N_, _, translate

__all__ = [
    "CourseError",
    "CourseTypeError",
    "CourseValueError",
    "WrongTableError",
    "course_function",
    "kind_of",
    "require_columns",
]


class CourseError(Exception):
    """Base class: a mistake explained in one sentence."""

    def _render_traceback_(self) -> list[str]:
        # IPython and ipykernel show these lines in place of the traceback.
        return [f"\x1b[1;31m{type(self).__name__}:\x1b[0m {self}"]

    def __str__(self) -> str:
        # KeyError would wrap the message in quotes; the sentence is shown as written.
        return str(self.args[0]) if self.args else ""


class CourseTypeError(CourseError, TypeError):
    """A value of the wrong kind, such as a number where a dataset name belongs."""


class CourseValueError(CourseError, ValueError):
    """A value of the right kind that does not fit, such as an unknown style or a negative count."""


class WrongTableError(CourseTypeError):
    """A view was given a table that lacks the columns it reads (usually another dataset)."""


# --------------------------------------------------------------------------- naming what a student passed

_KINDS = {
    bool: N_("True or False"),
    int: N_("a whole number"),
    float: N_("a decimal number"),
    str: N_("a piece of text"),
    list: N_("a list"),
    tuple: N_("a tuple"),
    set: N_("a set"),
    dict: N_("a dict"),
    pd.DataFrame: N_("a whole table (a DataFrame)"),
    pd.Series: N_("a Series"),
    pd.Index: N_("a pandas Index"),
    pd.Timestamp: N_("a date (a Timestamp)"),
    dt.date: N_("a date"),
    type(None): "None",
}


def kind_of(value: Any) -> str:
    """A beginner's name for the kind of ``value``, with "a" or "an": "a whole number", "a piece of text"..."""
    # The first matching entry of _KINDS (a bool is an int to isinstance, but not to a beginner).
    matches = (
        kind for cls, kind in _KINDS.items() if isinstance(value, cls) and not (cls is int and isinstance(value, bool))
    )
    kind = next(matches, None)
    if kind is None and isinstance(value, (np.bool_, np.integer, np.floating)):
        kind = _KINDS[bool if isinstance(value, np.bool_) else int if isinstance(value, np.integer) else float]
    if kind is not None:
        return translate(kind)
    name = type(value).__name__
    return (_("an {name}") if name[0].lower() in "aeiou" else _("a {name}")).format(name=name)


# --------------------------------------------------------------------------- tables

#: Missing columns named in a message; the rest are counted, so the sentence stays short.
_COLUMNS_SHOWN = 3


def _dataset_columns(name: str) -> list[str] | None:
    """The columns of dataset ``name`` as its schema lists them, or None if it is not a dataset."""
    from .data import package  # data imports this module

    for resource in package()["resources"]:
        if resource["name"] == name:
            return [field["name"] for field in resource["schema"]["fields"]]
    return None


def require_columns(
    frame: object, columns: Iterable[str], view: str, dataset: str | None = None, *, made_by: str | None = None
) -> pd.DataFrame:
    """Return ``frame`` if it is a table with ``columns`` and rows; otherwise say which table ``view`` wants.

    Checked where a view starts, so a wrong table gets one sentence naming the right one
    rather than a ``KeyError`` from deep inside pandas, and an empty one is not drawn as an
    empty chart. The right table is a dataset (``dataset``: "pass load(...)") or what a
    function returns (``made_by``, such as ``"dependence_components"``). A table that is
    another dataset as loaded (its name and all its columns) is refused even when it holds
    the columns asked for: ``russian_bases`` has a state's ``iso3`` and a ``name``, but it
    is not the list of states.
    """
    if made_by is not None:
        wanted = _("the table {function}() returns").format(function=made_by)
        fix = _("what {function}() returns").format(function=made_by)
    else:
        wanted, fix = _("the `{dataset}` table").format(dataset=dataset), f'load("{dataset}")'
    if not isinstance(frame, pd.DataFrame):
        raise WrongTableError(
            _("{view}() reads {wanted}, not {kind}: pass {fix}.").format(
                view=view, wanted=wanted, kind=kind_of(frame), fix=fix
            )
        )
    name = frame.attrs.get("name")
    got = _("the `{dataset}` table").format(dataset=name) if name else _("a table")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        listed = ", ".join(map(repr, missing[:_COLUMNS_SHOWN]))
        if len(missing) > _COLUMNS_SHOWN:
            listed = _("{columns} (and {more} more)").format(columns=listed, more=len(missing) - _COLUMNS_SHOWN)
        raise WrongTableError(
            _("{view}() reads {wanted}, but got {got} with no column {columns}: pass {fix}.").format(
                view=view, wanted=wanted, got=got, columns=listed, fix=fix
            )
        )
    if dataset is not None and name and name != dataset and _dataset_columns(name) == list(frame.columns):
        raise WrongTableError(
            _("{view}() reads {wanted}, but got the `{dataset}` table: pass {fix}.").format(
                view=view, wanted=wanted, dataset=name, fix=fix
            )
        )
    if frame.empty:
        raise CourseValueError(
            _("{view}() got {got} with no rows: pass {fix}, or check the filter that left none.").format(
                view=view, got=got, fix=fix
            )
        )
    return frame


# --------------------------------------------------------------------------- calls

F = TypeVar("F", bound=Callable[..., Any])


def _in_words(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


def _misfit(name: str, signature: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """Why a call of ``name`` with ``args`` and ``kwargs`` does not fit ``signature``, in one sentence."""
    params = signature.parameters
    positional = [p.name for p in params.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    required = [n for n, p in params.items() if p.default is p.empty and p.kind not in variadic]
    if not params:
        return _("{name}() takes nothing in its brackets: write {name}().").format(name=name)
    unknown = [k for k in kwargs if k not in params]
    if unknown:
        return _("{name}() has no argument called {unknown}; its arguments are {arguments}.").format(
            name=name, unknown=repr(unknown[0]), arguments=_in_words(list(params))
        )
    if len(args) > len(positional):
        message = (
            _("{name}() takes one argument, {arguments}, but got {count}.")
            if len(positional) == 1
            else _("{name}() takes up to {most} arguments, {arguments}, but got {count}.")
        )
        return message.format(name=name, most=len(positional), arguments=_in_words(positional), count=len(args))
    twice = [n for n in positional[: len(args)] if n in kwargs]
    if twice:
        return _("{name}() got {argument} twice, in its place and as {argument}=: give it once.").format(
            name=name, argument=twice[0]
        )
    missing = [n for n in required if n not in kwargs and n not in positional[: len(args)]]
    if not missing:  # another misfit Python may add; the arguments are still the fix
        return _("{name}() cannot be called this way; its arguments are {arguments}.").format(
            name=name, arguments=_in_words(list(params))
        )
    return _("{name}() needs {arguments}: write {name}({required}).").format(
        name=name, arguments=_in_words(missing), required=", ".join(required)
    )


def course_function(function: F) -> F:
    """Mark a function students call: a call that does not fit it gets one sentence, not Python's ``TypeError``.

    ``focus_states(5)`` or ``bases_table()`` fail before the function runs, with a traceback
    that names no fix. Only a ``TypeError`` raised by the call itself is translated (its
    traceback ends in this wrapper); one raised inside the function is left as it is.
    """
    signature = inspect.signature(function)

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except TypeError as error:
            if isinstance(error, CourseError) or error.__traceback__ is None or error.__traceback__.tb_next:
                raise
            raise CourseTypeError(_misfit(function.__name__, signature, args, kwargs)) from None

    return call  # type: ignore[return-value]
