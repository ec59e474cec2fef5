"""What every test run needs beyond tests/ (tests/conftest.py reaches only that folder): the lessons.

A kernel that nbval starts for a lesson runs in the lesson's language, its metadata
``csto_course.language``, as the kernel Jupyter Server starts for it would. Jupyter Server tells
its kernel the notebook's path (``JPY_SESSION_NAME``) and :func:`csto_course.language.current`
reads the language there; nbval tells it nothing, so ``CSTO_COURSE_LANGUAGE`` says it instead,
set while the lesson's first cell is set up, when nbval starts its kernel. So the Russian lessons
(``_build/ru/notebooks``, ``make ru-lessons``) re-run in Russian and the English ones in English,
whatever the shell exported.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from csto_course.language import ENVIRONMENT, notebook_language


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    if item.path.suffix != ".ipynb":
        return (yield)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENVIRONMENT, notebook_language(item.path) or "en")
        return (yield)
