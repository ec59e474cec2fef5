"""The exercises: the ``check()`` students call, the format every exercise is written in, and
one module per lesson.

- :mod:`.check`: ``check(exercise_id, answer)``, the feedback a student sees;
- :mod:`.readers`: the readers of an answer, which hold no answer;
- :mod:`.specs`: the registry and :class:`~.specs.Spec`, the short specification (read, expected
  value from :mod:`csto_course.measures` or :mod:`.answers`, comparison, likely mistakes with
  their hints) each exercise is written as;
- :mod:`.worked`: the worked results (tables) a check shows under a right answer, which compute
  the answer as :mod:`.answers` does;
- one module per lesson (``origins``, ``inaction``...), whose specs register themselves with
  the ids their lesson's check cells use (Exercise 1.3 is ``origins-3``);
- :mod:`.sealed`: how the student package grades, from the sealed checks written at build time.

Importing this package imports every lesson's module, so adding a lesson's exercises is adding
one file here: nothing lists them. The student package has only ``check``, ``readers`` and
``sealed`` (and ``sealed.json``): no grader, and so no expected answer.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from typing import Any

#: The modules here that are not a lesson's exercises: the graders' machinery, and what the student
#: package grades with.
SHARED = ("answers", "check", "readers", "sealed", "specs", "worked")


def lesson_modules() -> list[str]:
    """The names of the lessons' exercise modules, found in this package's folder."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in SHARED and not m.name.startswith("_"))


for _name in lesson_modules():  # importing a module registers its exercises
    importlib.import_module(f"{__name__}.{_name}")


def registry() -> Mapping[str, Any]:
    """The exercises ``check()`` knows, by id: the full graders in a clone of the course, or the sealed
    checks in the student package (:func:`.check.graders`). Only the full graders can give an answer."""
    from .check import graders

    return graders()
