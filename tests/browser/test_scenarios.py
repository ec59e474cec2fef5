"""Lesson 5's scenario explorer on the published page: it draws offline, and its menus change the scenario.

The scenario the page names is compared with ``views.scenarios.scenario_for``, the rule the lesson's
Python uses, for the settings the test chooses.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from csto_course import views

from .test_site import TITLE_TEXT, chart_with, visit_page

pytestmark = pytest.mark.browser

PAGE = "notebooks/05_futures.html"


def _settings_for(key: str) -> dict[str, str]:
    """The first settings, in the menus' order, for which the rule picks scenario ``key``."""
    for combo in itertools.product(*views.scenarios.DRIVERS.values()):
        settings = dict(zip(views.scenarios.DRIVERS, combo, strict=True))
        if views.scenarios.scenario_for(settings).key == key:
            return settings
    raise AssertionError(f"no settings lead to {key}")


@pytest.mark.parametrize(
    "key", [s.key for s in views.scenarios.SCENARIOS if s.key != views.scenarios.scenario_for({}).key]
)
def test_menus_change_the_scenario_offline_as_the_rule_says(
    site: str, contexts: Callable[..., object], key: str
) -> None:
    page, visit = visit_page(contexts, site, PAGE, live=True)
    figure = chart_with(page, "select[name='russia']", PAGE)
    assert views.scenarios.scenario_for({}).name in figure.evaluate(TITLE_TEXT)

    settings = _settings_for(key)
    for driver, value in settings.items():
        figure.locator(f"select[name='{driver}']").select_option(value)
    page.wait_for_timeout(400)  # type: ignore[attr-defined]
    expected = views.scenarios.scenario_for(settings)
    shown = figure.evaluate(TITLE_TEXT)
    assert expected.name in shown, (settings, shown)
    for other in views.scenarios.SCENARIOS:
        if other is not expected:
            assert other.name not in shown
    page.close()  # type: ignore[attr-defined]
    assert not visit.outside and not visit.console, (visit.outside, visit.console)
