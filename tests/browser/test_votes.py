"""Lesson 3's vote heatmap on the published page: it draws offline, and its state selector works.

The title's figures are compared with ``measures.agreement_with`` on the course data, so the
page, the lesson and the checks count alike.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from csto_course import load
from csto_course.measures import agreement_with

from .test_site import TITLE_TEXT, chart_with, visit_page

pytestmark = pytest.mark.browser

PAGE = "notebooks/03_ukraine_and_division.html"


def test_heatmap_draws_offline_and_the_selector_changes_row_and_title(
    site: str, contexts: Callable[..., object]
) -> None:
    page, visit = visit_page(contexts, site, PAGE, live=True)
    figure = chart_with(page, "select[name='state']", PAGE)
    rates = agreement_with(load("unga_votes"))
    names = dict(zip(load("states")["iso3"], load("states")["name"], strict=True))

    cells = figure.locator("svg .mark-rect path")
    assert cells.count() >= len(load("unga_resolutions")) * 9, "the heatmap drew too few cells"
    before = figure.evaluate(TITLE_TEXT)
    assert names["KAZ"] in before and f"in {int(rates.loc['KAZ', 'same'])} of" in before, before

    select = figure.locator("select[name='state']")
    select.select_option("BLR")
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    after = figure.evaluate(TITLE_TEXT)
    assert names["BLR"] in after and f"{int(rates.loc['BLR', 'both_voted'])} votes" in after, after

    outline = figure.locator("svg .mark-rect").last.locator("path")
    assert outline.count() == len(load("unga_resolutions")), "the chosen row is not outlined cell by cell"
    page.close()  # type: ignore[attr-defined]
    assert not visit.outside, f"the page reached other hosts: {visit.outside}"
    assert not visit.console, f"the page logged errors: {visit.console}"
