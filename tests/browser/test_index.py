"""Lesson 4's index builder on the published page: it draws offline, and its sliders re-rank the members.

The expected bar lengths come from ``measures.dependence_index`` on the course data, so the
page's formula and the lesson's checks agree.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from csto_course import load
from csto_course.measures import DEPENDENCE_COMPONENTS, dependence_components, dependence_index

from .test_site import chart_with, visit_page

pytestmark = pytest.mark.browser

PAGE = "notebooks/04_crisis_to_decline.html"

#: The text labels beside the bars, top to bottom: the values the chart shows.
BAR_LABELS = """(figure) => Array.from(figure.querySelectorAll('svg .mark-text.role-mark text'))
  .map(t => [t.getBoundingClientRect().top, t.textContent]).sort((a, b) => a[0] - b[0]).map(p => p[1])"""


def test_index_sliders_change_the_values_and_the_order_offline(site: str, contexts: Callable[..., object]) -> None:
    page, visit = visit_page(contexts, site, PAGE, live=True)
    figure = chart_with(page, "input[type=range][name='w_russian_sites']", PAGE)
    components = dependence_components(load("membership"), load("russian_bases"), load("unga_votes"), load("ties"))

    equal = dependence_index(components).sort_values(ascending=False)
    assert figure.evaluate(BAR_LABELS) == [f"{v:.2f}" for v in equal], "equal weights do not match the measure"

    # Only the UN votes count: set every other weight to 0.
    for name in DEPENDENCE_COMPONENTS:
        value = "1" if name == "un_agreement" else "0"
        figure.locator(f"input[type=range][name='w_{name}']").evaluate(
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", value
        )
    page.wait_for_timeout(400)  # type: ignore[attr-defined]
    votes_only = dependence_index(components, {"un_agreement": 1}).sort_values(ascending=False)
    assert figure.evaluate(BAR_LABELS) == [f"{v:.2f}" for v in votes_only], "the sliders did not re-weight the index"
    page.close()  # type: ignore[attr-defined]
    assert not visit.outside, f"the page reached other hosts: {visit.outside}"
    assert not visit.console, f"the page logged errors: {visit.console}"
