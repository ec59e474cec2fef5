"""What the lessons draw: one module per subject, each view a function of the course's tables.

``from csto_course import views`` then ``views.votes.vote_heatmap(...)``: a module is imported
the first time a lesson names it, so ``import csto_course`` stays quick.

- :mod:`.charts`: the house style, text alternatives and the membership charts;
- :mod:`.maps`: membership on a map;
- :mod:`.crises`: crises and how the alliance answered them (Lesson 2);
- :mod:`.votes`: votes at the UN and recognition (Lesson 3);
- :mod:`.decline`: spending, bases, ties and the dependence index (Lesson 4);
- :mod:`.scenarios`: the futures explorer (Lesson 5);
- :mod:`.datasets`: the dataset browser (Lesson 0).
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["charts", "maps", "crises", "votes", "decline", "scenarios", "datasets"]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"csto_course.views has no view module {name!r}; the modules are: {', '.join(__all__)}.")
