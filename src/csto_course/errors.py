"""Errors a student can cause, shown as one plain sentence instead of a traceback.

A beginner who mistypes a dataset name should read what to type instead, not forty lines
of library internals. IPython asks an exception for ``_render_traceback_`` before it
formats a traceback; every error here answers with its message alone. Outside IPython
(scripts, tests) they are ordinary exceptions, and each also subclasses the built-in
type a programmer would expect (``TypeError``, ``ValueError``, ``KeyError``), so
``except ValueError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["CourseError", "CourseTypeError", "CourseValueError", "WrongTableError", "require_columns"]


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


def require_columns(frame: object, columns: Iterable[str], view: str, dataset: str) -> pd.DataFrame:
    """Return ``frame`` if it is a table with ``columns``; otherwise say which table ``view`` wants.

    Checked where a view starts, so a wrong table gets one sentence naming the right one
    rather than a ``KeyError`` from deep inside pandas.
    """
    wanted = f'{view}() reads the `{dataset}` table: pass load("{dataset}").'
    if not isinstance(frame, pd.DataFrame):
        raise WrongTableError(f"{wanted} It got a {type(frame).__name__}, not a table.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        name = frame.attrs.get("name")
        got = f"the `{name}` table" if name else "a table"
        raise WrongTableError(f"{wanted} It got {got}, which has no column {', '.join(map(repr, missing))}.")
    return frame
