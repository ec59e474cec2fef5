"""House rules every lesson follows, checked on the saved notebooks."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import ROOT

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SECTIONS = ["## At a glance", "## Overview", "## Check your understanding", "## Summary", "## Further reading"]


def _cells(path):  # type: ignore[no-untyped-def]
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_chart_has_a_real_text_alternative(path) -> None:  # type: ignore[no-untyped-def]
    charts = [
        output["data"]["application/vnd.vegalite.v5+json"]
        for cell in _cells(path)
        for output in cell.get("outputs", [])
        if "application/vnd.vegalite.v5+json" in output.get("data", {})
    ]
    for spec in charts:
        assert len(str(spec.get("description", ""))) >= 60, f"{path.name}: a chart without a useful description"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_has_the_house_sections_and_labelled_exercises(path) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")
    for heading in SECTIONS:
        assert heading in text, f"{path.name} lacks '{heading}'"
    assert re.search(r"^### Exercise \d+\.\d+", text, re.M), f"{path.name} has no labelled exercise"
    assert "<details" in text, f"{path.name} has no quiz that works on a static page"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_solution_cells_are_folded_on_the_website(path) -> None:  # type: ignore[no-untyped-def]
    for cell in _cells(path):
        if cell["cell_type"] == "code" and "# BEGIN SOLUTION" in "".join(cell["source"]):
            assert "hide-input" in cell.get("metadata", {}).get("tags", []), f"{path.name}: an unfolded solution"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_dates_in_prose_are_iso(path) -> None:  # type: ignore[no-untyped-def]
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    text = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")
    day_month = re.findall(rf"\b\d{{1,2}} (?:{months}) \d{{4}}\b", text)
    assert not day_month, f"{path.name}: write dates as YYYY-MM-DD, not {day_month[:3]}"
