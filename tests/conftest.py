"""Shared fixtures: the repository root, and throw-away copies of the data to break."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of data/ that the loader reads instead of the real one."""
    from csto_course import data

    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("staging"))
    monkeypatch.setenv("CSTO_DATA_DIR", str(target))
    data._read_package.cache_clear()
    yield target
    data._read_package.cache_clear()
